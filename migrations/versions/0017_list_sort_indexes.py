"""list sort indexes: every column the stock, balance, repair-record and solution-plan lists sort by

The lists read a page by walking the sort column's index to the page first (views/list_query.py):
a sort on quantity or value of a million stock movements otherwise sorts every row.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 07:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

INDEXES = [
    ("stock_movement", "qty"), ("stock_movement", "value"),
    ("stock_balance", "qty"), ("stock_balance", "value"),
    ("repair_record", "departed_at"), ("repair_record", "signed_at"),
    ("solution_plan", "due_on"),
]


def upgrade():
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade():
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
