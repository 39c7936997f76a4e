"""figure covering indexes: the KPI summary and the dashboard's period charts read indexes only

At 200 000 tickets the KPI summary of a year read ~70 000 wide ticket rows through
ix_ticket_received_at (0.6–1.3 s on SQLite), and each period chart as many; the parts
consumption charts read a period's stock movements the same way. These indexes hold every
column those aggregates read, so the database answers from the index alone.
Each leads with the column of an index it replaces (ix_ticket_received_at,
ix_stock_movement_kind): those are dropped, so a ticket or a posting updates one index fewer.
The column lists are written out as they were when this revision was made.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 12:50:00

"""
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TICKET = ["received_at", "status", "severity", "channel", "category", "customer_id", "equipment_id",
          "first_response_at", "resolved_at", "resolve_by", "reopen_count"]
MOVEMENT = ["kind", "posted_at", "part_id", "qty", "value"]


def upgrade():
    op.create_index("ix_ticket_received_figures", "ticket", TICKET, unique=False)
    op.create_index("ix_stock_movement_kind_posted", "stock_movement", MOVEMENT, unique=False)
    op.drop_index("ix_ticket_received_at", table_name="ticket")
    op.drop_index("ix_stock_movement_kind", table_name="stock_movement")


def downgrade():
    op.create_index("ix_stock_movement_kind", "stock_movement", ["kind"], unique=False)
    op.create_index("ix_ticket_received_at", "ticket", ["received_at"], unique=False)
    op.drop_index("ix_stock_movement_kind_posted", table_name="stock_movement")
    op.drop_index("ix_ticket_received_figures", table_name="ticket")
