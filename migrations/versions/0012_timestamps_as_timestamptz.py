"""timestamps as timestamptz on PostgreSQL

Every timestamp column of ours becomes ``timestamp with time zone`` on PostgreSQL.
Today's values were written as naive UTC, so ``USING col AT TIME ZONE 'UTC'`` keeps
each instant; the downgrade turns them back into naive UTC the same way. SQLite has
no zone type: nothing to do there. FAB's ab_* tables are not ours and stay as they are.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# table -> its timestamp columns (frozen here: later revisions add their own columns aware)
TIMESTAMPS = {
    "action_item": ("created_at", "updated_at"),
    "appraisal": ("kpis_at", "created_at", "updated_at"),
    "alert": ("raised_at", "resolved_at"),
    "attachment": ("uploaded_at",),
    "audit_log": ("at",),
    "login_guard": ("locked_until",),
    "notification": ("created_at", "read_at"),
    "notification_delivery": ("created_at", "next_attempt_at", "sent_at"),
    "budget": ("created_at", "updated_at"),
    "callback_plan": ("created_at", "updated_at"),
    "callback_record": ("called_at", "created_at", "updated_at"),
    "complaint": ("received_at", "closed_at", "created_at", "updated_at"),
    "complaint_progress": ("at", "created_at", "updated_at"),
    "contact": ("created_at", "updated_at"),
    "customer": ("created_at", "updated_at"),
    "defective_return": ("received_at", "closed_at", "created_at", "updated_at"),
    "equipment": ("created_at", "updated_at"),
    "expense": ("created_at", "updated_at"),
    "expert": ("created_at", "updated_at"),
    "fault_analysis": ("created_at", "updated_at"),
    "inspection_checklist_item": ("created_at", "updated_at"),
    "inspection_item_result": ("created_at", "updated_at"),
    "inspection_plan": ("created_at", "updated_at"),
    "inspection_record": ("created_at", "updated_at"),
    "knowledge_article": ("published_at", "created_at", "updated_at"),
    "knowledge_revision": ("saved_at",),
    "login_session": ("created_at", "ended_at"),
    "maintenance_plan": ("created_at", "updated_at"),
    "maintenance_record": ("created_at", "updated_at"),
    "meeting": ("created_at", "updated_at"),
    "part": ("created_at", "updated_at"),
    "project": ("created_at", "updated_at"),
    "purchase_line": ("created_at", "updated_at"),
    "purchase_request": ("requested_at", "approved_at", "created_at", "updated_at"),
    "repair_record": ("arrived_at", "departed_at", "signed_at", "created_at", "updated_at"),
    "requisition": ("requested_at", "approved_at", "created_at", "updated_at"),
    "requisition_line": ("created_at", "updated_at"),
    "risk": ("created_at", "updated_at"),
    "satisfaction_survey": ("surveyed_at", "created_at", "updated_at"),
    "sla_policy": ("created_at", "updated_at"),
    "solution_plan": ("created_at", "updated_at"),
    "staff": ("created_at", "updated_at"),
    "stock_layer": ("received_at",),
    "stock_movement": ("posted_at",),
    "stocktake": ("started_at", "approved_at", "created_at", "updated_at"),
    "stocktake_line": ("created_at", "updated_at"),
    "ticket": ("occurred_at", "received_at", "promised_feedback_at", "notify_by", "respond_by", "resolve_by", "assigned_at", "first_response_at", "resolved_at", "closed_at", "created_at", "updated_at"),
    "ticket_event": ("at",),
    "ticket_knowledge_link": ("created_at", "updated_at"),
    "tool": ("created_at", "updated_at"),
    "tool_loan": ("lent_at", "returned_at", "created_at", "updated_at"),
    "training_attendance": ("created_at", "updated_at"),
    "training_plan": ("created_at", "updated_at"),
    "training_record": ("created_at", "updated_at"),
    "trip": ("departure_at", "return_at", "created_at", "updated_at"),
    "upgrade_request": ("created_at", "updated_at"),
    "warehouse": ("created_at", "updated_at"),
    "survey_link": ("created_at", "expires_at", "used_at"),
}


def _alter(zoned: bool) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    target = "timestamp with time zone" if zoned else "timestamp without time zone"
    for table, columns in TIMESTAMPS.items():
        clauses = ", ".join(
            f'ALTER COLUMN "{col}" TYPE {target} USING "{col}" AT TIME ZONE \'UTC\'' for col in columns)
        op.execute(f'ALTER TABLE "{table}" {clauses}')


def upgrade():
    _alter(zoned=True)


def downgrade():
    _alter(zoned=False)
