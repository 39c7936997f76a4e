"""Ticket list order indexes: (received_at, id), the list's default sort, and the same per status

The ticket list is sorted by received_at, newest first, then id. Since 0019 / 0020 the only
indexes leading with received_at are the wide covering ones of the KPI summary and the charts:
their entries are ~13 times larger and, tied on received_at, not in id order, so a deep page
walked ~7 000 pages of them and sorted each tie group (page 4 007 of 200 000 tickets: 49 ms of
SQL on SQLite). This narrow index holds the list's order exactly: 2 ms (docs/PERFORMANCE.md,
2026-12-07). The list filtered by status (the most used filter) read its 2 863 in-progress
tickets row by row through ix_ticket_status_closed_at to sort them by received_at: 8.5 ms;
(status, received_at, id) hands them over in order.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 23:00:00

"""
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_ticket_received_order", "ticket", ["received_at", "id"], unique=False)
    op.create_index("ix_ticket_status_received", "ticket", ["status", "received_at", "id"], unique=False)


def downgrade():
    op.drop_index("ix_ticket_status_received", table_name="ticket")
    op.drop_index("ix_ticket_received_order", table_name="ticket")
