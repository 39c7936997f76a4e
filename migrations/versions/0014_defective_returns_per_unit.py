"""defective returns one row per unit, and the engineer's hand-back

An issue of two faulty-part units used to owe one row with quantity 2 and room for one serial
number. Now each unit is its own row (quantity 1) with its own serial number, condition and
fate, so ``issue_movement_id`` is no longer unique. The engineer records the hand-back
(status ``handed_back``, ``handed_back_at``) before the keeper logs the receipt. The upgrade
splits every row of quantity n into n rows; the downgrade folds them back into one row per
issue (a handed-back unit goes back to owed).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 20:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

OLD = ('owed', 'received', 'repaired', 'returned_to_vendor', 'scrapped')
NEW = ('owed', 'handed_back', 'received', 'repaired', 'returned_to_vendor', 'scrapped')
COPIED = ('requisition_id', 'issue_movement_id', 'engineer_id', 'part_id', 'status', 'condition',
          'received_at', 'closed_at', 'created_at', 'updated_at', 'created_by_id')


def _status_check(values) -> str:
    return "status IN (%s)" % ", ".join(f"'{v}'" for v in values)


def upgrade():
    with op.batch_alter_table('defective_return', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handed_back_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint('uq_defective_return_issue_movement_id', type_='unique')
        batch_op.drop_constraint(op.f('ck_defective_return_returnstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_defective_return_returnstatus'), _status_check(NEW))
        batch_op.create_index(batch_op.f('ix_defective_return_issue_movement_id'), ['issue_movement_id'],
                              unique=False)
    conn = op.get_bind()
    table = sa.table('defective_return', sa.column('id'), sa.column('qty'), sa.column('serial_number'),
                     *(sa.column(c) for c in COPIED))
    rows = conn.execute(sa.select(table).where(table.c.qty > 1)).mappings().all()
    for row in rows:
        copy = {c: row[c] for c in COPIED}
        conn.execute(sa.insert(table), [dict(copy, qty=1, serial_number=None)] * (row['qty'] - 1))
        conn.execute(sa.update(table).where(table.c.id == row['id']).values(qty=1))


def downgrade():
    conn = op.get_bind()
    table = sa.table('defective_return', sa.column('id'), sa.column('qty'), sa.column('status'),
                     sa.column('issue_movement_id'))
    conn.execute(sa.update(table).where(table.c.status == 'handed_back').values(status='owed'))
    groups = conn.execute(
        sa.select(table.c.issue_movement_id, sa.func.min(table.c.id), sa.func.sum(table.c.qty))
        .group_by(table.c.issue_movement_id).having(sa.func.count() > 1)).all()
    for movement_id, keep, qty in groups:
        conn.execute(sa.delete(table).where(table.c.issue_movement_id == movement_id, table.c.id != keep))
        conn.execute(sa.update(table).where(table.c.id == keep).values(qty=qty))
    with op.batch_alter_table('defective_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defective_return_issue_movement_id'))
        batch_op.drop_constraint(op.f('ck_defective_return_returnstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_defective_return_returnstatus'), _status_check(OLD))
        batch_op.create_unique_constraint('uq_defective_return_issue_movement_id', ['issue_movement_id'])
        batch_op.drop_column('handed_back_at')
