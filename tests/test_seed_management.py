"""`flask seed-demo` fills every management register (knowledge, risks, development, trips, budget, meetings), and a second run adds nothing."""
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    ActionItem,
    Appraisal,
    Budget,
    Expense,
    Expert,
    KnowledgeArticle,
    KnowledgeRevision,
    Meeting,
    Risk,
    TrainingAttendance,
    TrainingPlan,
    TrainingRecord,
    Trip,
)

MODELS = (Expert, KnowledgeArticle, KnowledgeRevision, Risk, TrainingPlan, TrainingRecord, TrainingAttendance,
          Appraisal, Trip, Budget, Expense, Meeting, ActionItem)


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in MODELS}


def test_seed_fills_each_register_once(demo):
    first = counts(demo)
    assert all(first.values()), first
    assert first["Meeting"] >= 50 and first["Trip"] >= 100 and first["Appraisal"] == 20
    assert demo.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert counts(demo) == first
    with demo.app_context():
        levels = set(db.session.scalars(sa.select(Risk.level)))
        assert {lv.value for lv in levels} == {"high", "medium", "low"}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Budget).where(Budget.over_budget)) >= 1
        assert all(a.total_score is not None and a.kpis_at for a in db.session.scalars(sa.select(Appraisal)))


VIEWS = ["KnowledgeArticleView", "ExpertView", "TicketKnowledgeLinkView", "KnowledgeRevisionView", "RiskView",
         "TrainingPlanView", "TrainingRecordView", "TrainingAttendanceView", "AppraisalView", "TripView",
         "BudgetView", "ExpenseView", "MeetingView", "ActionItemView"]
APIS = ["knowledge_article", "expert", "knowledge_revision", "risk", "training_plan", "training_record",
        "training_attendance", "appraisal", "trip", "budget", "expense", "meeting", "action_item"]


def test_lists_on_demo_data_use_a_constant_number_of_queries(demo):
    from tests.conftest import api_headers, count_queries, login

    client = demo.test_client()
    h = api_headers(client, "admin")
    for resource in APIS:
        sizes = []
        for size in (3, 30):
            with demo.app_context(), count_queries(db.engine) as statements:
                resp = client.get(f"/api/v1/{resource}/?q=(page_size:{size})", headers=h)
                assert resp.status_code == 200, (resource, resp.json)
            sizes.append(len(statements))
        assert sizes[0] == sizes[1], (resource, sizes)
    browser = demo.test_client()
    assert login(browser, "admin").status_code == 302
    for view in VIEWS:
        url = f"/{view.lower()}/list/"
        browser.get(f"{url}?psize_{view}=1")
        sizes = []
        for size in (3, 30):
            with demo.app_context(), count_queries(db.engine) as statements:
                assert browser.get(f"{url}?psize_{view}={size}").status_code == 200, view
            sizes.append(len(statements))
        assert sizes[0] == sizes[1], (view, sizes)


def test_seed_uses_existing_tickets_for_links_trips_and_kpis(app, monkeypatch, staff):
    """When the ticket seed has run first, articles link to closed tickets and appraisals measure them."""
    from datetime import datetime, timedelta

    from app.models import TicketKnowledgeLink, TicketStatus
    from app.seed.core import demo_year
    from tests.records import make_customer, make_ticket

    _, end = demo_year()
    # 100 days before the window's end always falls in one of the four appraised quarters
    closed_at = datetime.combine(end, datetime.min.time()) - timedelta(days=100)
    cid = make_customer(app, "C9001")
    for n in range(3):
        make_ticket(app, cid, f"T-S{n}", staff["field1"], TicketStatus.closed, closed_at=closed_at,
                    resolved_at=closed_at - timedelta(hours=2), resolve_by=closed_at - timedelta(hours=1 - n))
    import random

    from app.seed import seed_management

    with app.app_context():  # only this area's seed: the ticket seed would add tickets of its own
        seed_management(random.Random(6))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TicketKnowledgeLink)) == 3
        measured = db.session.scalars(sa.select(Appraisal).where(
            Appraisal.staff_id == staff["field1"], Appraisal.tickets_closed > 0)).all()
        assert len(measured) == 1 and measured[0].tickets_closed == 3
        assert measured[0].on_time_rate is not None
