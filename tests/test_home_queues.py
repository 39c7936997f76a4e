"""Role home pages, urgent first: queue content and order, urgency marks, counts, approvals."""
from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale

from app import clock
from app.dashboard import approvals, marks
from app.dashboard.tickets import by_urgency, is_open, ticket_rows
from app.extensions import db
from app.models import PurchaseRequest, PurchaseStatus, Requisition, RequisitionStatus, Severity, Ticket, TicketStatus
from app.services import callbacks
from tests.factories import FACTORIES, _ticket_row, generic

NOW = datetime(2026, 12, 2, 2, 0)  # 10:00 on 2026-12-02 in Beijing


@pytest.fixture
def frozen():
    with clock.frozen(NOW) as at:
        yield at


@pytest.mark.parametrize("deadline, label", [
    (date(2026, 11, 29), "Overdue 3 days"),
    (date(2026, 12, 1), "Overdue 1 day"),
    (date(2026, 12, 2), "Due today"),
    (date(2026, 12, 3), "Due tomorrow"),
    (datetime(2026, 12, 1, 20, 0), "Overdue"),  # 04:00 today in Beijing: late, but not a day yet
    (datetime(2025, 12, 2, 1, 0), "Overdue 365 days"),
    (datetime(2026, 12, 2, 8, 0), "Due today"),  # 16:00 today in Beijing
])
def test_due_mark_labels(app, frozen, deadline, label):
    with app.test_request_context(), force_locale("en"):
        assert marks.due_mark(deadline).label == label


def test_due_mark_far_or_missing_is_none_and_chinese_label(app, frozen):
    with app.test_request_context():
        assert marks.due_mark(date(2026, 12, 9)) is None and marks.due_mark(None) is None
        with force_locale("zh_Hans"):
            assert marks.due_mark(date(2026, 11, 29)).label == "逾期 3 天"
            assert marks.due_mark(date(2026, 12, 2)).label == "今天到期"


def _open_ticket(staff_id, severity, resolve_by):
    ticket = _ticket_row(status=TicketStatus.assigned, assignee_id=staff_id, severity=severity,
                         resolve_by=resolve_by)
    db.session.commit()  # the intake service registers the next ticket in its own session
    return ticket


def test_my_tickets_emergency_first_then_deadline(app, staff, frozen):
    with app.test_request_context():
        old = [_open_ticket(staff["field1"], Severity.general, NOW - timedelta(days=d)) for d in range(12, 0, -1)]
        late = _open_ticket(staff["field1"], Severity.important, NOW + timedelta(hours=5))
        urgent = _open_ticket(staff["field1"], Severity.emergency, NOW + timedelta(hours=8))
        db.session.commit()
        data = ticket_rows(is_open(), Ticket.assignee_id == staff["field1"], order=by_urgency(), limit=10)
        ids = [t.id for t in data["rows"]]
        assert data["total"] == 14
        assert ids[:2] == [urgent.id, late.id]
        assert ids[2:] == [t.id for t in old[:8]]  # general ones: most overdue first


def test_closed_tickets_to_call_back_leave_out_surveyed(app, frozen):
    with app.test_request_context():
        survey = FACTORIES["satisfaction_survey"]()
        db.session.add(survey)
        db.session.commit()
        waiting = _ticket_row(status=TicketStatus.closed, resolved_at=NOW, closed_at=NOW)
        db.session.commit()
        ids = [t.id for t in callbacks.due_list()["tickets"]]
        assert waiting.id in ids and survey.ticket_id not in ids


def _requisition(engineer_id, status, requested_at):
    row = generic(Requisition)
    row.engineer_id, row.status, row.requested_at = engineer_id, status, requested_at
    db.session.add(row)
    db.session.flush()
    return row


def _purchase(status, requested_at):
    row = generic(PurchaseRequest)
    row.status, row.requested_at = status, requested_at
    db.session.add(row)
    db.session.flush()
    return row


def test_requisitions_to_approve_only_requested_and_not_my_own(app, staff, frozen):
    import sqlalchemy as sa

    with app.test_request_context():
        newer = _requisition(staff["field1"], RequisitionStatus.requested, NOW - timedelta(hours=1))
        older = _requisition(staff["field2"], RequisitionStatus.requested, NOW - timedelta(days=2))
        _requisition(staff["field1"], RequisitionStatus.approved, NOW - timedelta(days=3))
        own = _requisition(staff["tech"], RequisitionStatus.requested, NOW - timedelta(days=4))
        db.session.commit()
        data = approvals.requisitions_to_approve(sa.select(sa.literal(staff["tech"])).scalar_subquery())
        assert [r["cells"][0] for r in data["rows"]] == [older.number, newer.number]
        assert data["total"] == 2 and own.number not in str(data["rows"])


def test_purchases_to_approve_only_submitted_oldest_first(app, frozen):
    with app.test_request_context():
        newer = _purchase(PurchaseStatus.submitted, NOW - timedelta(hours=1))
        older = _purchase(PurchaseStatus.submitted, NOW - timedelta(days=1))
        _purchase(PurchaseStatus.approved, NOW - timedelta(days=2))
        db.session.commit()
        data = approvals.purchases_to_approve()
        assert [r["cells"][0] for r in data["rows"]] == [older.number, newer.number] and data["total"] == 2


def _panel(html, name):
    return html.split(f'id="panel-{name}"')[1].split('id="panel-')[0]


def test_home_pages_show_marks_counts_and_approval_queues(app, client, as_user, staff, frozen):
    with app.app_context():
        for d in range(12):
            _open_ticket(staff["field1"], Severity.general, NOW - timedelta(days=3, hours=d))
        _requisition(staff["field1"], RequisitionStatus.requested, NOW - timedelta(hours=2))
        _purchase(PurchaseStatus.submitted, NOW - timedelta(hours=3))
        db.session.commit()
    as_user("field1")
    mine = _panel(client.get("/").get_data(as_text=True), "my_tickets")
    assert 'class="badge panel-count">12<' in mine and "Overdue 3 days" in mine and "See all" in mine
    client.get("/logout/")
    as_user("tech")
    html = client.get("/").get_data(as_text=True)
    assert 'class="badge panel-count">1<' in _panel(html, "requisitions_to_approve")
    assert 'id="panel-purchases_to_approve"' not in html
    client.get("/logout/")
    as_user("manager")
    html = client.get("/").get_data(as_text=True)
    assert 'class="badge panel-count">1<' in _panel(html, "purchases_to_approve")
    assert 'class="badge panel-count">1<' in _panel(html, "requisitions_to_approve")


def test_due_callbacks_overdue_first_and_counted_in_one_query(app, frozen):
    import sqlalchemy as sa

    from app.models import CallbackRecord, CallbackStatus, Customer

    with app.test_request_context():
        customer = generic(Customer)
        db.session.add(customer)
        db.session.flush()
        days = [5, -40, 0, -400, 30]  # from today: 30 days ahead is beyond this week
        for d in days:
            db.session.add(CallbackRecord(customer_id=customer.id, due_date=date(2026, 12, 2) + timedelta(days=d),
                                          status=CallbackStatus.due))
        db.session.commit()
        due = [c.due_date for c in callbacks.due_list(limit=3)["callbacks"]]
        assert due == [date(2025, 10, 28), date(2026, 10, 23), date(2026, 12, 2)]
        statements = []

        def seen(conn, cursor, statement, *rest):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", seen)
        try:
            counts = callbacks.due_counts()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", seen)
        assert counts["callbacks"] == 4 and len(statements) == 1


def test_keeper_sees_every_engineers_owed_parts_and_inspections_are_marked(app, staff, frozen):
    from app.dashboard.parts import parts_owed
    from app.dashboard.registers import upcoming_inspections
    from app.models import DefectiveReturn, InspectionRecord, InspectionStatus, ReturnStatus

    with app.test_request_context(), force_locale("en"):
        for engineer, status in ((staff["field1"], ReturnStatus.owed), (staff["field2"], ReturnStatus.owed),
                                 (staff["field2"], ReturnStatus.received)):
            row = generic(DefectiveReturn)
            row.engineer_id, row.status = engineer, status
            db.session.add(row)
        late = generic(InspectionRecord)
        late.status, late.due_date = InspectionStatus.due, date(2025, 12, 1)
        db.session.add(late)
        db.session.commit()
        assert parts_owed()["total"] == 2
        rows = upcoming_inspections(clock.today_local())["rows"]
        assert rows[0]["mark"].label == "Overdue 366 days"


def test_new_tickets_see_all_opens_the_filtered_list(app, client, as_user, staff, frozen):
    import re

    with app.app_context():
        for _ in range(11):
            _ticket_row()
            db.session.commit()
    as_user("cs")
    panel = _panel(client.get("/").get_data(as_text=True), "new_tickets")
    url = re.search(r'class="see-all" href="([^"]+)"', panel).group(1).replace("&amp;", "&")
    assert "_flt_0_status=new" in url
    assert client.get(url).status_code == 200


def test_admin_home_shows_failed_messages_locked_logins_and_staff_without_login(app, as_user, staff):
    from app.models import Staff
    from app.models.notifications import Channel as DeliveryChannel
    from app.models.notifications import Delivery, DeliveryStatus
    from app.models.sessions import LoginGuard
    from app.models.staff import Position

    with app.app_context():
        db.session.add_all([
            Delivery(channel=DeliveryChannel.email, address="wang@example.cn", subject="工单 SR-1 已派给您",
                     text="…", status=DeliveryStatus.failed, attempts=5),
            Delivery(channel=DeliveryChannel.email, address="li@example.cn", subject="已送达", text="…",
                     status=DeliveryStatus.sent),
            Staff(employee_no="E-NEW", name="孙新", position=Position.field_engineer, active=True),
        ])
        cs_user = app.appbuilder.sm.find_user(username="cs")
        db.session.merge(LoginGuard(user_id=cs_user.id, locked_until=clock.now_utc() + timedelta(minutes=10)))
        db.session.commit()
    admin = as_user("admin")
    page = admin.get("/").get_data(as_text=True)
    admin.get("/logout/")
    for panel in ("failed_deliveries", "locked_logins", "staff_without_login"):
        assert f'id="panel-{panel}"' in page, panel
    assert "工单 SR-1 已派给您" in page and "已送达" not in page
    assert "wang@example.cn" in page and "孙新" in page and "E-NEW" in page
    locked = page[page.index('id="panel-locked_logins"'):page.index('id="panel-staff_without_login"')]
    assert ">cs<" in locked
    # nobody else sees the administrator's queues
    assert 'id="panel-failed_deliveries"' not in as_user("manager").get("/").get_data(as_text=True)
