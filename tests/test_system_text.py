"""Text the system writes (a ticket's first timeline line, titles of tickets it opens, a reorder's
reason) is stored as a message code with parameters and read in the reader's language."""
import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.models import Customer, PurchaseRequest, Ticket, TicketEvent
from app.models.system_text import SystemText, said
from app.models.tickets import Category, Channel
from app.services import ticket_links


def _finding_ticket(app) -> int:
    with app.test_request_context(), force_locale("en"):  # opened by someone reading English
        customer = Customer(code="C-9", name="西湖区教育局", region="西湖区")
        db.session.add(customer)
        db.session.flush()
        ticket = ticket_links.open_ticket(
            customer_id=customer.id, title=SystemText("ticket.inspection_finding", text="风扇异响"),
            description="巡检时发现", channel=Channel.phone, category=Category.hardware)
        db.session.commit()
        return ticket.id


def test_stored_as_a_code_and_read_in_each_language(app, as_user):
    pk = _finding_ticket(app)
    with app.app_context():
        raw_title = db.session.execute(sa.text("SELECT title FROM ticket WHERE id = :id"), {"id": pk}).scalar()
        raw_note = db.session.execute(sa.text("SELECT note FROM ticket_event WHERE ticket_id = :id"), {"id": pk}).scalar()
    assert raw_title == '@t:{"m":"ticket.inspection_finding","p":{"text":"风扇异响"}}'
    assert raw_note.startswith('@t:{"m":"ticket.received_via"') and '"code":"phone"' in raw_note
    client = as_user("manager")
    client.get("/lang/zh_Hans")
    page = client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    assert "巡检发现：风扇异响" in page and "通过电话受理" in page
    assert "Inspection finding" not in page and "Received via" not in page
    listing = client.get("/ticketview/list/").get_data(as_text=True)
    assert "巡检发现：风扇异响" in listing and "@t:" not in listing
    client.get("/lang/zh_Hant")
    # the message in the reader's script; the finding as the inspector typed it
    assert "巡檢發現：风扇异响" in client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    assert "Inspection finding: 风扇异响" in page and "Received via Phone" in page


def test_search_finds_the_parameters_and_the_api_and_export_say_words(app, client, api, as_user):
    pk = _finding_ticket(app)
    h = dict(api("manager"), **{"Accept-Language": "zh-CN"})
    body = client.get(f"/api/v1/ticket/{pk}", headers=h).json["result"]
    assert "@t:" not in body["title"] and "风扇异响" in body["title"]
    manager = as_user("manager")
    found = manager.get("/ticketview/list/?_flt_2_title=风扇").get_data(as_text=True)
    assert "风扇异响" in found
    export = manager.get("/ticketview/export.xlsx")
    assert export.status_code == 200 and b"@t:" not in export.data


def test_a_typed_text_is_kept_as_typed_even_when_it_looks_like_a_code(app):
    with app.app_context():
        pk = _finding_ticket(app)
        db.session.get(Ticket, pk).title = '@t:{"m": broken'
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Ticket, pk).title == '@t:{"m": broken'
        db.session.get(Ticket, pk).title = "电源故障"
        db.session.commit()
        assert db.session.execute(sa.text("SELECT title FROM ticket WHERE id = :id"), {"id": pk}).scalar() == "电源故障"


def test_said_again_in_another_language_for_a_notice(app):
    pk = _finding_ticket(app)
    with app.test_request_context():
        with force_locale("en"):
            title = db.session.get(Ticket, pk).title
            assert title == "Inspection finding: 风扇异响"
        with force_locale("zh_Hans"):
            assert said(title) == "巡检发现：风扇异响"
            assert said("电源故障") == "电源故障"


def test_the_reorder_reason_reads_in_the_readers_language(app):
    from app.models import Part
    from app.services import purchasing
    from tests.parts_helpers import make_part, make_warehouse

    with app.test_request_context(), force_locale("en"):
        part, wh = make_part(1), make_warehouse()
        db.session.get(Part, part).reorder_point = 5  # nothing on hand: at the reorder point
        db.session.commit()
        pk = purchasing.purchase_from_reorder(wh).id
        db.session.commit()
    with app.test_request_context(), force_locale("zh_Hans"):
        assert db.session.get(PurchaseRequest, pk).reason == "补货：处于或低于再订货点"
    with app.test_request_context(), force_locale("en"):
        assert db.session.get(PurchaseRequest, pk).reason == "Reorder: at or below reorder point"
