"""Search-as-you-type lookups of related records: `/lookup/<kind>?q=…&customer=<id>&page=1`.

Every box that chooses or filters by a customer, contact, project, equipment item, part, ticket or
staff member asks here for at most PAGE_SIZE rows matching what was typed (code, name, phone,
number, title), so no page ever loads a whole table. The answer is Select2's shape:
`{"results": [{"id": 1, "text": "…"}], "more": false}`; `?id=<pk>` answers that one row (a list
filter showing the name of the id in its URL).

Access follows the list of the record: a kind answers only a login that may list it
(`can_list` on CustomerView, TicketView…), and with that list's base filters, so a field engineer
finds only his own tickets. No permission of its own: the lookup is a way into lists one already
has. A list filter also names itself (`?via=RequisitionView.ticket_id`): a login without the
kind's list (the keeper has no ticket list) then finds the records that list's visible rows refer
to (the tickets of the requisitions he sees), which his list already shows him.
Bad parameters answer 400 `{"message": …}`; a kind one may not list 403; not logged in 401.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, jsonify, request
from flask_appbuilder import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Contact, Customer, Equipment, Part, Project, Staff, Ticket
from ..models.base import is_digits

PAGE_SIZE = 20
MAX_PAGES = 50
MAX_QUERY = 100


def _joined(*parts) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


@dataclass(frozen=True)
class Kind:
    model: type
    view: str  # the list whose can_list and base filters apply
    columns: tuple[str, ...]  # searched (contains), the first one also ranks exact / prefix matches first
    order: tuple[str, ...]
    text: Callable[[object], str]
    narrow: str | None = None  # "customer": ?customer=<id> keeps that customer's rows
    where: Callable[[], object] | None = None
    descending: bool = False


KINDS: dict[str, Kind] = {
    "customer": Kind(Customer, "CustomerView", ("code", "name", "phone"), ("name",),
                     lambda c: _joined(c.name, c.code)),
    "contact": Kind(Contact, "ContactView", ("name", "phone", "email"), ("name",),
                    lambda c: _joined(c.name, c.title, c.phone), narrow="customer"),
    "project": Kind(Project, "ProjectView", ("code", "name", "contract_no"), ("code",),
                    lambda p: _joined(p.code, p.name), narrow="customer"),
    "equipment": Kind(Equipment, "EquipmentView", ("serial_number", "name", "model"), ("name",),
                      lambda e: _joined(e.name, e.model, e.serial_number), narrow="customer"),
    "part": Kind(Part, "PartView", ("code", "name"), ("code",), lambda p: _joined(p.code, p.name, p.spec)),
    "ticket": Kind(Ticket, "TicketView", ("number", "title"), ("received_at",),
                   lambda t: _joined(t.number, t.title), narrow="customer", descending=True),
    "staff": Kind(Staff, "StaffView", ("name", "employee_no"), ("name",),
                  lambda s: _joined(s.name, s.position.label if s.position else None),
                  where=lambda: Staff.active.is_(True)),
}
MODEL_KINDS = {kind.model: name for name, kind in KINDS.items()}


class LookupError_(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _view(kind: Kind):
    for view in current_app.appbuilder.baseviews:
        if type(view).__name__ == kind.view:
            return view
    return None


def may_list(kind: Kind) -> bool:
    return bool(current_app.appbuilder.sm.has_access("can_list", kind.view))


def visible(kind: Kind):
    """A query of the rows of `kind` the current login may list (its list's base filters)."""
    query = db.session.query(kind.model)
    view = _view(kind)
    if view is not None and getattr(view, "_base_filters", None) is not None:
        query = view._base_filters.apply_all(query)
    if kind.where is not None:
        query = query.filter(kind.where())
    return query


def fk_kind(datamodel, col: str) -> str | None:
    """The lookup kind a plain foreign-key column (`part_id`) refers to, or None."""
    column = datamodel.list_columns.get(col)
    fks = list(getattr(column, "foreign_keys", ()) or ())
    if len(fks) != 1:
        return None
    table = fks[0].column.table
    for model, name in MODEL_KINDS.items():
        if model.__table__ is table and fks[0].column.name == "id":
            return name
    return None


def referred(name: str, via: str):
    """Rows of kind `name` that the visible rows of list `via` ("RequisitionView.ticket_id") refer
    to, or None when that list is not one the login may see or that column is not such a reference."""
    kind = KINDS[name]
    view_name, _dot, col = via.partition(".")
    view = next((v for v in current_app.appbuilder.baseviews if type(v).__name__ == view_name), None)
    if view is None or col not in (getattr(view, "search_columns", None) or ()):
        return None
    if fk_kind(view.datamodel, col) != name or not current_app.appbuilder.sm.has_access("can_list", view_name):
        return None
    column = getattr(view.datamodel.obj, col)
    refs = db.session.query(view.datamodel.obj).with_entities(column).filter(column.isnot(None))
    if getattr(view, "_base_filters", None) is not None:
        refs = view._base_filters.apply_all(refs)
    query = db.session.query(kind.model).filter(kind.model.id.in_(refs.subquery().select()))
    return query.filter(kind.where()) if kind.where is not None else query


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(name: str, q: str = "", customer: int | None = None, page: int = 1, pk: int | None = None,
           check_access: bool = True, via: str = "") -> dict:
    """{"results": [{"id", "text"}], "more"}: rows of kind `name` matching `q`, best matches first."""
    kind = KINDS.get(name)
    if kind is None:
        raise LookupError_(404, _("Unknown lookup %(kind)s.", kind=name))
    model = kind.model
    if check_access and not may_list(kind):
        query = referred(name, via) if via else None
        if query is None:
            raise LookupError_(403, _("You may not list these records."))
    else:
        query = visible(kind)
    if pk is not None:
        query = query.filter(model.id == pk)
    if customer is not None and kind.narrow:
        query = query.filter(getattr(model, f"{kind.narrow}_id") == customer)
    text = q.strip()
    if text:
        pattern = _like(text)
        query = query.filter(sa.or_(*(getattr(model, c).ilike(pattern, escape="\\") for c in kind.columns)))
        first = getattr(model, kind.columns[0])
        prefix = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.order_by(sa.case((sa.func.lower(first) == text.lower(), 0),
                                       (first.ilike(prefix, escape="\\"), 1), else_=2))
    direction = sa.desc if kind.descending else sa.asc
    query = query.order_by(*(direction(getattr(model, c)) for c in kind.order), direction(model.id))
    rows = query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1).all()
    return {"results": [{"id": row.id, "text": kind.text(row)} for row in rows[:PAGE_SIZE]],
            "more": len(rows) > PAGE_SIZE}


def text_of(obj) -> str:
    """How a chosen record reads in its box (the same text as in the search results)."""
    name = MODEL_KINDS.get(type(obj))
    return KINDS[name].text(obj) if name else str(obj)


def _int_arg(name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
    raw = request.args.get(name, "").strip()
    if raw == "":
        return None
    if not is_digits(raw) or not low <= int(raw) <= high:
        raise LookupError_(400, _("%(arg)s must be a whole number from %(low)s to %(high)s.",
                                  arg=name, low=low, high=high))
    return int(raw)


class LookupView(BaseView):
    """The JSON the search boxes ask (see the module's docstring)."""

    route_base = "/lookup"
    default_view = "lookup"

    @expose("/<kind>")
    def lookup(self, kind):
        try:
            if not current_user.is_authenticated:
                raise LookupError_(401, _("Please log in."))
            q = request.args.get("q", "")
            if len(q) > MAX_QUERY:
                raise LookupError_(400, _("Type at most %(n)s characters.", n=MAX_QUERY))
            body = search(kind, q, customer=_int_arg("customer"), page=_int_arg("page", 1, MAX_PAGES) or 1,
                          pk=_int_arg("id"), via=request.args.get("via", "")[:MAX_QUERY])
        except LookupError_ as err:
            return jsonify(message=err.message), err.status
        return jsonify(body)
