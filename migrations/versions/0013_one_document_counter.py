"""one document counter for every numbered document

Tickets had a counter row per year; complaints, requisitions, purchase requests and stocktakes
took max(number) + 1, so two clerks saving at once were given the same number and one got a
409. ``document_counter`` holds the last number per (prefix, year) for all of them. The upgrade
moves the ticket counters over and starts the others at the highest number already stored, so
numbering carries on where it stands; the downgrade gives the tickets their own table back.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 13:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# prefix -> the table holding its numbers (PREFIX-YYYY-NNN)
NUMBERED = {"TS": "complaint", "LY": "requisition", "CG": "purchase_request", "PD": "stocktake"}


def upgrade():
    counter = op.create_table(
        'document_counter',
        sa.Column('prefix', sa.String(length=8), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_document_counter')),
    )
    conn = op.get_bind()
    rows = [{"prefix": "SR", "year": year, "last": last}
            for year, last in conn.execute(sa.text("SELECT year, last FROM ticket_counter"))]
    for prefix, table in NUMBERED.items():
        highest: dict[int, int] = {}
        numbers = conn.execute(sa.text(f"SELECT number FROM {table} WHERE number LIKE :p"), {"p": prefix + "-%"})
        for (number,) in numbers:
            parts = number.split("-")
            if len(parts) == 3 and parts[1].isdecimal() and parts[2].isdecimal():
                year, n = int(parts[1]), int(parts[2])
                highest[year] = max(highest.get(year, 0), n)
        rows += [{"prefix": prefix, "year": year, "last": n} for year, n in highest.items()]
    if rows:
        op.bulk_insert(counter, rows)
    op.drop_table('ticket_counter')


def downgrade():
    tickets = op.create_table(
        'ticket_counter',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_ticket_counter')),
    )
    conn = op.get_bind()
    rows = [{"year": year, "last": last} for year, last in
            conn.execute(sa.text("SELECT year, last FROM document_counter WHERE prefix = 'SR'"))]
    if rows:
        op.bulk_insert(tickets, rows)
    op.drop_table('document_counter')
