"""Complaints on the manager dashboard and the CS rep's home page: open and overdue ones."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..clock import format_date
from ..extensions import db
from ..models import Complaint
from ..models.complaints import ComplaintStatus
from ..security.roles import CS, MANAGER
from ..services.complaints import overdue_clause
from . import Panel, add_panel, add_section, add_table, only, record_list

HEAD = [_l("Complaint no."), _l("Customer"), _l("Subject"), _l("Status"), _l("Deadline")]


def is_open():
    return Complaint.status != ComplaintStatus.closed


def complaint_counts(today) -> list[tuple]:
    """[(label, n)]: open complaints and, of those, overdue ones (one SQL)."""
    n_open, n_overdue = db.session.execute(sa.select(
        sa.func.count(), sa.func.count(sa.case((overdue_clause(today), 1)))
    ).select_from(Complaint).where(is_open())).one()
    return [(_l("Open complaints"), n_open), (_l("Overdue complaints"), n_overdue)]


def open_complaints(today, limit: int = 10) -> dict:
    """Open complaints, overdue first, then by deadline and intake (2 SQL)."""
    data = record_list(
        Complaint, is_open(),
        order=[sa.case((overdue_clause(today), 0), else_=1), Complaint.deadline.asc().nulls_last(),
               Complaint.received_at],
        cells=lambda c: [c.number, c.customer, c.subject, c.status.label,
                         format_date(c.deadline) or None],
        head=HEAD, endpoint="ComplaintView.show", more="OverdueComplaintView.list", limit=limit,
        options=only(Complaint.customer))
    data["counts"] = complaint_counts(today)
    return data


add_section("quality", _l("Customer satisfaction and complaints"))
add_table("complaints_open", _l("Open complaints (overdue first)"), "quality",
          rows=lambda ctx: open_complaints(ctx["today"]), template="panels/complaints.html", width=6)
add_panel(Panel("open_complaints", _l("Open complaints"), {CS, MANAGER}, order=50,
                rows=lambda ctx: open_complaints(ctx["today"]), template="panels/complaints.html"))
