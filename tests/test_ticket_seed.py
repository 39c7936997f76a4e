"""The demo tickets: every state, realistic clocks, records and surveys; idempotent."""
import sqlalchemy as sa

from app.extensions import db
from app.models import HandlingMode, RepairRecord, SatisfactionSurvey, SlaPolicy, Ticket, TicketStatus
from app.services import sla


def test_demo_tickets(demo):
    runner = demo.test_cli_runner()
    with demo.app_context():
        tickets = db.session.scalars(sa.select(Ticket)).unique().all()
        assert len(tickets) >= 300
        assert {t.status for t in tickets} == set(TicketStatus)
        assert db.session.query(Ticket).filter(sla.overdue_clause()).count() > 0
        assert db.session.query(SlaPolicy).count() == 3
        assert len({t.number for t in tickets}) == len(tickets)
        for t in tickets:
            assert t.events[-1].to_status is t.status, t.number
            assert t.received_at <= t.respond_by <= t.resolve_by
            if t.status is TicketStatus.closed:
                assert t.resolved_at and t.first_response_at and t.closed_at >= t.resolved_at
                if t.handling_mode is HandlingMode.onsite:
                    assert t.signed_repair, t.number
        surveys = db.session.scalars(sa.select(SatisfactionSurvey)).all()
        assert surveys and all(s.ticket.status is TicketStatus.closed for s in surveys)
        assert db.session.query(RepairRecord).count() > 50
        assert any(t.reopen_count for t in tickets)
        late = [t for t in tickets if t.resolved_at and t.resolved_at > t.resolve_by]
        assert 0 < len(late) < len(tickets) / 3
        before = len(tickets)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "already there" in second.output
    with demo.app_context():
        assert db.session.query(Ticket).count() == before
