"""What only a browser shows of the rough edges: a navbar on one row, the favicon, line breaks,
the 1–5 buttons, a too-long text kept with its message."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Ticket, TicketStatus
from tests.browser.screens import save_form, saving

ROLES = ["admin", "manager", "tech", "field1", "cs", "keeper"]


@pytest.mark.parametrize("username", ROLES)
def test_the_english_navbar_is_one_row_at_1400(open_page, live_server, shot, username):
    page = open_page(username, width=1400)
    page.goto(live_server("/customerview/list/"))  # a long page: the scroll bar takes its width too
    # one row of Bootstrap 3's navbar is 50 px; a wrapped menu makes it 100 or more
    height = page.locator(".navbar").first.evaluate("e => e.getBoundingClientRect().height")
    tops = page.locator(".navbar-nav > li").evaluate_all("els => els.map(e => e.getBoundingClientRect().top)")
    if username == "admin":
        shot(page, "navbar-admin-1400-en", full_page=False)
    assert height < 60 and max(tops) - min(tops) < 5, (username, height, tops)


def test_the_favicon_loads(open_page, live_server):
    page = open_page("cs")
    page.goto(live_server("/"))
    href = page.locator("link[rel=icon]").first.get_attribute("href")
    width = page.evaluate("""href => new Promise(done => {
        const img = new Image(); img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); img.src = href;
    })""", href)
    assert href.endswith("favicon.svg") and width > 0
    ico = page.request.get(live_server("/favicon.ico"))
    assert ico.status == 200 and ico.headers["content-type"].startswith("image/")


def _ticket(app, **kw) -> int:
    from app.models import Customer
    from app.services.tickets import intake

    with app.app_context():
        customer = db.session.scalars(sa.select(Customer).order_by(Customer.id)).first()
        ticket = Ticket(customer=customer, channel="phone", category="hardware", severity="general",
                        title=kw.pop("title", "接收站告警"), description=kw.pop("description", "告警"), **kw)
        intake(ticket)
        db.session.add(ticket)
        db.session.commit()
        return ticket.id


def test_line_breaks_show_on_the_ticket_page(open_page, live_server, shot):
    pk = _ticket(live_server.app, description="凌晨2点起接收站告警：\n1. 电源指示灯闪烁\n2. 数据无法下传")
    page = open_page("manager")
    page.goto(live_server(f"/ticketview/show/{pk}"))
    note = page.locator("form.ticket-note textarea[name=note]")
    note.fill("已电话联系客户\n明早9点上门")
    with saving(page):
        page.locator("form.ticket-note button[type=submit]").click()
    description = page.locator("span.text-lines", has_text="电源指示灯").first
    assert description.inner_text() == "凌晨2点起接收站告警：\n1. 电源指示灯闪烁\n2. 数据无法下传"
    cell = page.locator(".ticket-timeline td.text-lines", has_text="明早9点")
    assert cell.inner_text() == "已电话联系客户\n明早9点上门"
    line = page.evaluate("() => parseFloat(getComputedStyle(document.body).lineHeight)")
    assert description.bounding_box()["height"] > 2.5 * line  # three lines drawn, not one
    description.scroll_into_view_if_needed()
    shot(page, "ticket-line-breaks-en", full_page=False)


def test_survey_scores_are_picked_from_1_to_5(open_page, live_server, shot):
    with live_server.app.app_context():
        pk = db.session.scalar(sa.select(Ticket.id).where(Ticket.status == TicketStatus.closed, ~Ticket.survey.has())
                               .order_by(Ticket.id.desc()).limit(1))
    page = open_page("cs")
    page.goto(live_server(f"/satisfactionsurveyview/add?_flt_0_ticket={pk}"))
    for name, score in (("timeliness", "4"), ("effectiveness", "5"), ("attitude", "3")):
        row = page.locator(f".score-row#{name}")
        expect(row.locator("label")).to_have_text(["1", "2", "3", "4", "5"])
        row.locator("label", has_text=score).click()
        expect(row.locator(f"input[value='{score}']")).to_be_checked()
    page.locator("textarea#comment, input#comment").fill("工程师很专业\n下次希望更快")
    shot(page, "survey-score-picker-en", full_page=False)
    save_form(page)
    with live_server.app.app_context():
        survey = db.session.get(Ticket, pk).survey
        assert (survey.timeliness, survey.effectiveness, survey.attitude) == (4, 5, 3)
    page.goto(live_server(f"/satisfactionsurveyview/edit/{survey.id}"))
    expect(page.locator(".score-row#effectiveness input[value='5']")).to_be_checked()


def test_a_too_long_title_is_kept_with_its_message(open_page, live_server, shot):
    page = open_page("cs")
    page.goto(live_server("/ticketview/add"))
    title = "接收站" * 70  # 210 characters; the subject takes 200
    from .screens import fill_form

    # the box itself stops at the column's length (wtforms puts the Length rule's maxlength on it) ...
    fill_form(page, {"customer": "北岭乡林业站", "channel": "Phone", "category": "Hardware", "severity": "General"},
              {"title": title, "description": "第一行\n第二行"})
    assert page.locator("#title").get_attribute("maxlength") == "200"
    expect(page.locator("#title")).to_have_value(title[:200])
    # ... and a longer text that gets past it (an old browser, a script) is the form again, kept
    page.locator("#title").evaluate("(box, text) => { box.removeAttribute('maxlength'); box.value = text; }", title)
    with saving(page):
        page.locator("form button[type=submit], form input[type=submit]").first.click()
    assert "/ticketview/add" in page.url
    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator("#description")).to_have_value("第一行\n第二行")
    error = page.locator("#title ~ .alert-danger")
    expect(error).to_contain_text("200")
    shot(page, "ticket-title-too-long-en", full_page=False)
