"""Test records for any resource: a registry other areas extend, and a generic fallback.

`make_record(resource, model)` returns the pk of a new committed row. Register a
factory when the generic one cannot satisfy a model's rules:

    from tests.factories import factory

    @factory("ticket")
    def _ticket():
        return Ticket(...)        # unsaved instance; parents may be added to db.session
"""
from __future__ import annotations

import decimal
import itertools
from collections.abc import Callable

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models.base import utcnow

FACTORIES: dict[str, Callable[[], object]] = {}
_counter = itertools.count(1)


def factory(resource: str):
    """Register a factory for a resource (snake_case name, as in POLICY).

    It returns an unsaved instance, or the pk of a row it inserted itself."""

    def register(fn):
        FACTORIES[resource] = fn
        return fn

    return register


def _model_of_table(table: sa.Table):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def _value(column: sa.Column):
    """A valid value for a required column, unique where strings must be."""
    n = next(_counter)
    ctype = column.type
    if isinstance(ctype, sa.types.TypeDecorator):  # e.g. UtcDateTime: judge by what it stores
        ctype = ctype.impl
    if isinstance(ctype, sa.Enum):
        if ctype.enum_class is not None:
            return next(iter(ctype.enum_class))
        return ctype.enums[0]
    if isinstance(ctype, sa.Boolean):
        return False
    if isinstance(ctype, sa.DateTime):
        return utcnow()
    if isinstance(ctype, sa.Date):
        return clock.today_local()
    if isinstance(ctype, sa.Numeric):
        return decimal.Decimal("1") if ctype.asdecimal else 1.0
    if isinstance(ctype, sa.Integer):
        return 1
    if isinstance(ctype, sa.JSON):
        return {}
    if isinstance(ctype, sa.String):
        text = f"T{n:06d}"
        return text[: ctype.length] if ctype.length else text
    raise TypeError(f"no generic value for {column} ({ctype!r}); register a factory in tests/factories.py")


def generic(model):
    """An instance with every required column filled; required parents are created too."""
    mapper = sa.inspect(model)
    values = {}
    for column in mapper.local_table.columns:
        if column.primary_key or column.nullable or column.default is not None \
                or column.server_default is not None:
            continue
        key = mapper.get_property_by_column(column).key
        if column.foreign_keys:
            target = next(iter(column.foreign_keys)).column
            if target.table.name == "ab_user":
                values[key] = db.session.scalar(sa.select(target).limit(1))
                continue
            parent = generic(_model_of_table(target.table))
            db.session.add(parent)
            db.session.flush()
            values[key] = getattr(parent, target.key)
        else:
            values[key] = _value(column)
    return model(**values)


def make_record(resource: str, model) -> str:
    """Create and commit one row of the resource; return its pk as a URL part."""
    obj = FACTORIES[resource]() if resource in FACTORIES else generic(model)
    if isinstance(obj, (int, str)):  # the factory wrote the row itself and returned its pk
        db.session.commit()
        return str(obj)
    db.session.add(obj)
    db.session.commit()
    return ",".join(str(v) for v in sa.inspect(obj).identity)


def exists(model, pk: str) -> bool:
    """Whether the row is still there (read outside any cached session state)."""
    db.session.expire_all()
    key = tuple(int(v) if v.lstrip("-").isdigit() else v for v in pk.split(","))
    return db.session.get(model, key if len(key) > 1 else key[0]) is not None


@factory("audit_log")
def _audit_entry():
    """Audit entries refuse ORM inserts; the trail writes them with Core, so does this."""
    from app.models import AuditLog

    result = db.session.execute(
        sa.insert(AuditLog.__table__).returning(AuditLog.__table__.c.id),
        [{"at": utcnow(), "action": "denied", "detail": "test entry"}],
    )
    return result.scalar_one()


def wipe_with_delete(app) -> None:
    """conftest's wipe, with DELETE instead of TRUNCATE: on PostgreSQL a TRUNCATE of every
    table costs ~0.5 s (new files, fsync); the matrix tests run hundreds of times."""
    from tests.conftest import KEPT_TABLES

    with app.app_context():
        db.session.rollback()
        base = tuple(app.config["BASE_USER_IDS"])
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                db.session.execute(table.delete())
        users, user_role = db.metadata.tables["ab_user"], db.metadata.tables["ab_user_role"]
        db.session.execute(user_role.delete().where(user_role.c.user_id.not_in(base)))
        db.session.execute(users.delete().where(users.c.id.not_in(base)))
        db.session.execute(users.update().values(fail_login_count=0, active=True))
        db.session.commit()


def _app():
    from flask import current_app

    return current_app._get_current_object()


def _customer_id() -> int:
    from app.models import Customer
    from tests.records import make_customer

    existing = db.session.scalar(sa.select(Customer.id).where(Customer.code == "C0901"))
    return existing or make_customer(_app(), 901, with_equipment=True)


@factory("ticket")
def _ticket():
    """A ticket registered by the intake service (number, deadlines, timeline)."""
    from tests.ticket_helpers import new_ticket

    return new_ticket(_app(), _customer_id())


@factory("ticket_event")
def _ticket_event():
    """The intake's own timeline entry of a new ticket."""
    from app.models import TicketEvent

    ticket_id = _ticket()
    return db.session.scalar(sa.select(TicketEvent.id).where(TicketEvent.ticket_id == ticket_id))


@factory("callback_plan")
def _callback_plan():
    from app.models import CallbackPlan

    plan = generic(CallbackPlan)
    plan.year = clock.today_local().year
    return plan


def _posting():
    """A real stock receipt through the stock service (movement, balance, FIFO layer)."""
    from app.services import stock
    from tests.parts_helpers import make_part, make_warehouse

    n = next(_counter)
    return stock.receive(make_part(n), make_warehouse(n), 3, decimal.Decimal("10.00"), f"TEST-{n}")


@factory("stock_movement")
def _stock_movement():
    return _posting().id


@factory("stock_balance")
def _stock_balance():
    from app.models import StockBalance

    movement = _posting()
    db.session.flush()
    return db.session.get(StockBalance, (movement.part_id, movement.warehouse_id))


@factory("sla_policy")
def _sla_policy():
    """One row per severity (unique): the first severity without a row."""
    from app.models import Severity, SlaPolicy

    used = set(db.session.scalars(sa.select(SlaPolicy.severity)))
    free = next(s for s in Severity if s not in used)
    return SlaPolicy(severity=free, notify_minutes=10, respond_minutes=30, resolve_minutes=240, warn_minutes=15)


def _with_period(model, period: str):
    row = generic(model)
    row.period = period
    row.sync_derived()
    return row


@factory("budget")
def _budget():
    """Budgets are unique per period and category: a month of its own for each one."""
    from app.models import Budget

    n = next(_counter)
    return _with_period(Budget, f"{2000 + n // 12}-{n % 12 + 1:02d}")


@factory("appraisal")
def _appraisal():
    from app.models import Appraisal

    return _with_period(Appraisal, str(clock.today_local().year))


def _ticket_row(**values):
    """A ticket through the intake service, with extra column values (not field1's: no assignee)."""
    from app.models import Ticket

    ticket = db.session.get(Ticket, _ticket())
    for key, value in values.items():
        setattr(ticket, key, value)
    db.session.flush()
    return ticket


@factory("fault_analysis")
def _fault_analysis():
    """An analysis of a ticket that is nobody's own (field engineers must not see it)."""
    from app.models import FaultAnalysis

    ticket = _ticket_row()  # first: the intake helper commits in its own session
    row = generic(FaultAnalysis)
    row.ticket = ticket
    return row


@factory("repair_record")
def _repair_record():
    """A repair by another engineer on a ticket that is not field1's."""
    from app.models import RepairRecord, Staff

    ticket = _ticket_row()  # first: the intake helper commits in its own session
    row = generic(RepairRecord)
    row.ticket = ticket
    row.engineers = [generic(Staff)]
    return row


@factory("solution_plan")
def _solution_plan():
    from app.models import Severity, SolutionPlan

    ticket = _ticket_row(severity=Severity.important)  # first: the intake helper commits in its own session
    row = generic(SolutionPlan)
    row.ticket = ticket
    return row


@factory("satisfaction_survey")
def _satisfaction_survey():
    from app.models import SatisfactionSurvey, TicketStatus

    ticket = _ticket_row(status=TicketStatus.closed, resolved_at=utcnow(), closed_at=utcnow())
    row = generic(SatisfactionSurvey)
    row.ticket = ticket
    for score in ("timeliness", "effectiveness", "attitude"):
        setattr(row, score, 5)
    return row


@factory("attachment")
def _attachment():
    """A photo kept with a knowledge article: every role may open articles, so the row rules
    of the article (none) decide, and each role's cells follow the policy level."""
    import io

    from PIL import Image

    from app.attachments import content, service
    from app.models import Attachment, AttachmentKind, KnowledgeArticle

    article = generic(KnowledgeArticle)
    db.session.add(article)
    db.session.flush()
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    checked = content.check(out.getvalue())
    from app.attachments import storage

    sha = storage.put(checked.data, checked.thumbnail)
    return Attachment(record_type="knowledge_article", record_id=article.id, kind=AttachmentKind.photo,
                      filename="photo.jpg", content_type="image/jpeg", size=len(checked.data), sha256=sha)
