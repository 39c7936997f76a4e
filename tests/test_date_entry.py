"""Date and date-time entry: what a person types is local time, stored as naive UTC, shown back as typed."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import InputRequired, Optional

from app import clock
from app.extensions import db
from app.models import RepairRecord
from app.views.date_entry import (
    LocalDateField,
    LocalDateTimeField,
    local_moment_bounds,
    parse_date,
    parse_local_datetime,
)
from tests.conftest import csrf_token
from tests.records import make_customer
from tests.registers_helpers import count
from tests.ticket_helpers import new_ticket


class _Form(Form):
    at = LocalDateTimeField("At", validators=[InputRequired()])
    on = LocalDateField("On", validators=[Optional()])


@pytest.mark.parametrize("typed", ["2026-12-01 19:30", "2026-12-01 19:30:00", "2026-12-01T19:30",
                                   "  2026-12-01   19:30 ", "2026-12-01T19:30:00+08:00", "2026-12-01 11:30Z"])
def test_typed_local_time_is_stored_as_utc(app, typed):
    with app.app_context():
        assert parse_local_datetime(typed) == datetime(2026, 12, 1, 11, 30)


def test_seconds_are_kept(app):
    with app.app_context():
        assert parse_local_datetime("2026-12-01 00:05:09") == datetime(2026, 11, 30, 16, 5, 9)


def test_other_zone_from_config(app):
    with app.app_context():
        app.config["APP_TIMEZONE"] = "Europe/London"
        try:
            assert parse_local_datetime("2026-07-01 12:00") == datetime(2026, 7, 1, 11, 0)
        finally:
            app.config.pop("APP_TIMEZONE")


@pytest.mark.parametrize("typed", ["2026-12-01", "2026-13-01 10:00", "2026-11-31 10:00", "2026-12-01 25:00",
                                   "01/12/2026 10:00", "tomorrow", "2026-12-01 10"])
def test_unreadable_date_times(app, typed):
    with app.app_context(), pytest.raises(ValueError):
        parse_local_datetime(typed)


@pytest.mark.parametrize("typed", ["2026-12-01 10:00", "2026-02-30", "12/01/2026", "2026-1"])
def test_unreadable_dates(app, typed):
    with app.app_context(), pytest.raises(ValueError):
        parse_date(typed)


def test_form_reads_local_and_shows_local(app):
    with app.test_request_context():
        form = _Form(MultiDict({"at": "2026-12-01 19:30", "on": "2026-12-02"}))
        assert form.validate()
        assert form.at.data == datetime(2026, 12, 1, 11, 30) and form.on.data == date(2026, 12, 2)
        stored = _Form(at=datetime(2026, 12, 1, 16, 45), on=date(2026, 12, 2))  # an edit form from the row
        assert stored.at._value() == "2026-12-02 00:45" and stored.on._value() == "2026-12-02"
        assert 'value="2026-12-02 00:45"' in stored.at() and 'data-picker="datetime"' in stored.at()
        assert 'data-provide' not in stored.at() and "appbuilder_date" not in stored.on()


def test_bad_input_keeps_the_text_with_a_clear_message(app):
    with app.test_request_context(), clock.frozen(datetime(2026, 12, 1, 2, 0)):
        form = _Form(MultiDict({"at": "2026-12-01 7:3o", "on": "2026-02-30"}))
        assert not form.validate()
        assert form.at.errors == ["Could not read this date and time: type it as YYYY-MM-DD HH:mm, "
                                  "for example 2026-12-01 10:00."]
        assert form.on.errors == ["Could not read this date: type it as YYYY-MM-DD, for example 2026-12-01."]
        assert 'value="2026-12-01 7:3o"' in form.at() and 'value="2026-02-30"' in form.on()


def test_message_is_translated(app):
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("zh_Hans"):
            form = _Form(MultiDict({"at": "x"}))
            form.validate()
            assert "年-月-日 时:分" in form.at.errors[0] and "日期" in form.at.errors[0]


def test_empty_optional_and_required(app):
    with app.test_request_context():
        form = _Form(MultiDict({"at": "", "on": ""}))
        assert not form.validate()
        assert form.on.errors == [] and form.on.data is None and form.at.errors


def test_filter_bounds_are_local(app):
    with app.app_context():
        assert local_moment_bounds("2026-12-01") == (datetime(2026, 11, 30, 16), datetime(2026, 12, 1, 16))
        assert local_moment_bounds("2026-12-01 19:30") == (datetime(2026, 12, 1, 11, 30),
                                                           datetime(2026, 12, 1, 11, 31))
        assert local_moment_bounds("nonsense") is None


def test_every_model_form_uses_the_local_fields(app):
    """Add, edit and search forms of every ModelView (FAB's own user list too) get our fields."""
    from flask_appbuilder import ModelView

    with app.test_request_context():
        checked = 0
        for view in app.appbuilder.baseviews:
            if not isinstance(view, ModelView):
                continue
            dm = view.datamodel
            for form_cls in (view.add_form, view.edit_form, view.search_form):
                for name, field in form_cls()._fields.items():
                    if name in dm.list_columns and dm.is_datetime(name):
                        assert isinstance(field, LocalDateTimeField), (type(view).__name__, name)
                        checked += 1
                    elif name in dm.list_columns and dm.is_date(name):
                        assert isinstance(field, LocalDateField), (type(view).__name__, name)
                        checked += 1
        assert checked > 50


def test_repair_record_typed_in_local_time_round_trip(app, client, as_user, staff):
    """The screen takes 19:30 Beijing time, stores 11:30 UTC and shows 19:30 on the edit form."""
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    as_user("manager")
    add_url = f"/repairrecordview/add?_flt_0_ticket={pk}"
    with clock.frozen(datetime(2026, 12, 1, 14, 0)):
        resp = client.post(add_url, data={
            "engineers": [str(staff["field1"])], "arrived_at": "2026-12-01 19:30",
            "departed_at": "2026-12-01T21:05:30", "work_done": "更换电源", "result": "fixed",
            "customer_signer": "李主任", "signed_at": "2026-12-01 21:10", "csrf_token": csrf_token(client, add_url)})
        assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        record = db.session.scalar(sa.select(RepairRecord))
        assert (record.arrived_at, record.departed_at, record.signed_at) == (
            datetime(2026, 12, 1, 11, 30), datetime(2026, 12, 1, 13, 5, 30), datetime(2026, 12, 1, 13, 10))
        rid = record.id
    html = client.get(f"/repairrecordview/edit/{rid}").get_data(as_text=True)
    for shown in ('value="2026-12-01 19:30"', 'value="2026-12-01 21:05"', 'value="2026-12-01 21:10"'):
        assert shown in html


def test_repair_record_bad_time_is_a_form_error_with_the_input_kept(app, client, as_user, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    as_user("manager")
    add_url = f"/repairrecordview/add?_flt_0_ticket={pk}"
    resp = client.post(add_url, data={
        "engineers": [str(staff["field1"])], "arrived_at": "2026-12-01 19:3o", "departed_at": "",
        "work_done": "检修", "result": "fixed", "csrf_token": csrf_token(client, add_url)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Could not read this date and time" in html
    assert 'value="2026-12-01 19:3o"' in html
    assert count(app, RepairRecord) == 0


def test_list_filter_reads_local_time(app):
    """`Greater than 2026-12-01 19:30` on a timestamp column means 11:30 UTC; `Equal to` a day is that day."""
    from app.models import AuditLog
    from app.views.date_entry import FilterLocalTimeEqual, FilterLocalTimeGreater
    from app.views.interface import ServiceInterface

    def sql(flt, value):
        query = flt.apply(db.session.query(AuditLog), value)
        return str(query.statement.compile(compile_kwargs={"literal_binds": True}))

    with app.app_context():
        dm = ServiceInterface(AuditLog)
        assert "2026-12-01 11:30:00" in sql(FilterLocalTimeGreater("at", dm), "2026-12-01 19:30")
        day = sql(FilterLocalTimeEqual("at", dm), "2026-12-01")
        assert "2026-11-30 16:00:00" in day and "2026-12-01 16:00:00" in day
        assert "WHERE" not in sql(FilterLocalTimeGreater("at", dm), "not a time")
        names = [f.arg_name for f in dm.get_filters(["at"]).get_search_filters()["at"]]
        assert names == ["eq", "gt", "lt", "neq"]  # URL and API codes unchanged
