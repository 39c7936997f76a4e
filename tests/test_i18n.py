"""Languages: complete catalogs, compiled files up to date, locale choice, switcher, FAB's strings."""
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app import create_app
from app.i18n import best_accept_language, match_language
from tests.conftest import csrf_token, login, make_config

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "zh_Hant")
CATALOGS = [ROOT / "translations" / loc / "LC_MESSAGES" / "messages.po" for loc in LOCALES]
FAB_HANT = ROOT / "translations" / "fab" / "zh_Hant" / "LC_MESSAGES" / "messages.po"
AVAILABLE = {"en": {}, "zh_Hans": {}, "zh_Hant": {}}


def _read(path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of every string of the app, as `make translations` does it."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
        "--no-location", "-o", str(out), str(ROOT),
    ])
    return _read(out)


@pytest.mark.parametrize("path", CATALOGS, ids=LOCALES)
def test_every_string_is_translated(extracted, path):
    catalog = _read(path)
    problems = []
    for msg in extracted:
        if not msg.id:
            continue
        mine = catalog.get(msg.id, msg.context)
        if mine is None:
            problems.append(f"missing: {msg.id!r}")
        elif mine.fuzzy:
            problems.append(f"fuzzy: {msg.id!r}")
        elif not mine.string or (isinstance(mine.string, tuple) and not all(mine.string)):
            problems.append(f"untranslated: {msg.id!r}")
    assert not problems, "run `make translations` and translate (docs/I18N.md):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGS + [FAB_HANT], ids=list(LOCALES) + ["fab_zh_Hant"])
def test_compiled_catalogs_are_up_to_date(path):
    mo = path.with_suffix(".mo")  # a build product (not in git): `make setup` compiles it
    assert mo.exists(), "run `make setup` (or `make catalogs`) to compile the .mo files"
    with mo.open("rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    source = {m.id: m.string for m in _read(path) if m.id and m.string and not m.fuzzy}
    assert compiled == source, "run `make setup` (or `make catalogs`) to compile the .mo files"


def test_placeholders_survive_translation():
    for path in CATALOGS:
        for msg in _read(path):
            if msg.id and isinstance(msg.id, str):
                assert set(re.findall(r"%\(\w+\)s", msg.id)) == set(re.findall(r"%\(\w+\)s", msg.string)), msg.id


def test_fab_traditional_catalog_covers_fab_simplified():
    import flask_appbuilder

    fab_zh = Path(flask_appbuilder.__file__).parent / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    wanted = {m.id for m in _read(fab_zh) if m.id and m.string and not m.fuzzy}
    have = {m.id for m in _read(FAB_HANT) if m.id and m.string}
    assert wanted <= have
    texts = " ".join(str(m.string) for m in _read(FAB_HANT) if m.id)
    for simplified in "设务户码录删编记选择权": # common Simplified-only characters
        assert simplified not in texts, simplified


@pytest.mark.parametrize("header, expected", [
    ("zh-TW,zh;q=0.9,en;q=0.8", "zh_Hant"),
    ("zh-HK", "zh_Hant"),
    ("zh-Hant-TW", "zh_Hant"),
    ("zh-CN,zh;q=0.9", "zh_Hans"),
    ("zh", "zh_Hans"),
    ("zh-SG", "zh_Hans"),
    ("en-US,en;q=0.9", "en"),
    ("fr-FR,de;q=0.8,zh-TW;q=0.5", "zh_Hant"),
    ("fr-FR,de;q=0.8", None),
    ("en;q=0.2,zh-CN;q=0.8", "zh_Hans"),
])
def test_accept_language_best_match(header, expected):
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    assert best_accept_language(parse_accept_header(header, LanguageAccept), AVAILABLE) == expected


def test_unknown_tag_matches_nothing():
    assert match_language("*", AVAILABLE) is None
    assert match_language("ja-JP", AVAILABLE) is None


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_login_page_follows_the_browser_language(client):
    hans = _text(client.get("/login/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True))
    assert "请在下面输入您的用户名和密码" in hans  # FAB's own string, Simplified
    assert "售后服务台" in hans                    # the app name
    hant = _text(client.get("/login/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True))
    assert "請在下面輸入您的使用者名稱和密碼" in hant  # FAB's string, Traditional (FAB ships none)
    assert "售後服務台" in hant or "售後服務臺" in hant
    assert "用户名" not in hant
    english = _text(client.get("/login/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True))
    assert "Enter your login and password below" in english


def test_list_page_buttons_in_both_scripts(client, as_user):
    as_user("manager")
    hans = client.get("/customerview/list/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    for word in ("搜索", "新增", "记录数", "客户", "重要程度", "退出登录"):
        assert word in _text(hans) or word in hans, word
    client.get("/lang/zh_Hant")
    hant = client.get("/customerview/list/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    for word in ("搜尋", "新增", "記錄數", "客戶", "重要程度", "登出"):
        assert word in _text(hant) or word in hant, word
    assert "List Customer" not in hant and "客户" not in _text(hant)


def test_session_choice_beats_accept_language(client):
    client.get("/lang/zh_Hans")
    page = client.get("/login/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert "请在下面输入" in page and 'lang="zh-Hans"' in page
    client.get("/lang/en")
    page = client.get("/login/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert "Enter your login and password below" in page


def test_unknown_language_code_gets_a_clear_message(client):
    resp = client.get("/lang/xx_YY")
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "xx_YY" in page and "not available" in page
    assert "简体中文" in page and "繁體中文" in page


def test_switcher_shows_the_active_language(client):
    page = client.get("/login/", headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    menu = page.split('id="language-menu"')[1].split("</li>")[0]
    assert "繁體中文" in menu.split("dropdown-menu")[0]
    assert 'href="/lang/zh_Hans"' in page and 'href="/lang/en"' in page


def test_default_locale_is_configurable(db_url):
    other = create_app(make_config(db_url, BABEL_DEFAULT_LOCALE="zh_Hant"))
    page = other.test_client().get("/login/").get_data(as_text=True)
    assert "請在下面輸入" in page
    # a browser that asks for English still gets English
    page = other.test_client().get("/login/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Enter your login" in page


def test_dates_read_the_same_in_every_language(client, as_user):
    """One date form everywhere (YYYY-MM-DD; a month YYYY-MM), whatever the language."""
    as_user("manager")
    en = client.get("/dashboard/?from=2026-01-05&to=2026-03-01", headers={"Accept-Language": "en"})
    assert "2026-01-05" in en.get_data(as_text=True)
    client.get("/lang/zh_Hans")
    zh = client.get("/dashboard/?from=2026-01-05&to=2026-03-01").get_data(as_text=True)
    assert "2026-01-05" in zh and "2026年1月5日" not in zh
    chart = client.get("/api/v1/chart/intake_monthly_by_category?from=2026-01-05&to=2026-03-01").json
    assert chart["categories"] == ["2026-01", "2026-02", "2026-03"]


def test_chart_labels_are_translated(client, api):
    from app.extensions import db
    from app.models.base import utcnow
    from tests.records import customer_named, ticket_received

    with client.application.app_context():
        ticket_received(customer_named("甲"), utcnow(), severity="emergency")
        db.session.commit()
    body = client.get("/api/v1/chart/open_by_severity?_l_=zh_Hant", headers=api("manager")).json
    assert body["categories"] == ["緊急"] and body["title"] == "未關閉工單（按緊急程度）"


def test_form_errors_in_the_chosen_script(client, as_user):
    """WTForms' own messages follow the page: Traditional for zh_Hant (Flask-WTF alone gives Simplified)."""
    as_user("manager")
    token = csrf_token(client, "/budgetview/add")
    client.get("/lang/zh_Hant")
    hant = client.post("/budgetview/add", data={"csrf_token": token, "amount": "abc"}).get_data(as_text=True)
    assert "此欄位是必需的" in hant and "不是有效的十進位數值" in hant
    assert "该字段是必填字段" not in hant
    client.get("/lang/zh_Hans")
    hans = client.post("/budgetview/add", data={"csrf_token": token, "amount": "abc"}).get_data(as_text=True)
    assert "该字段是必填字段" in hans


def test_no_english_labels_from_fab_defaults(client, as_user):
    """Foreign-key filters, related-view tabs and the ticket work lists show translated labels."""
    from app.views.complaints import ComplaintView
    from app.views.ticket_lists import CallbackView, EscalationView, MyTicketsView

    as_user("manager")
    client.get("/lang/zh_Hans")
    ticket_form = client.get("/ticketview/add").get_data(as_text=True)
    assert re.search(r"<label[^>]*>\s*项目\s*</label>", ticket_form), "project label in Chinese"
    app = client.application
    views = {type(v).__name__: v for v in app.appbuilder.baseviews}
    with app.test_request_context("/?_l_=zh_Hans"):
        loans = views["ToolLoanView"].label_columns
        assert (str(loans["borrower_id"]), str(loans["tool_id"])) == (str(loans["borrower"]), str(loans["tool"]))
        assert str(loans["borrower_id"]) == "借用人"
        for cls in (MyTicketsView, EscalationView, CallbackView):
            assert str(views[cls.__name__].label_columns["customer"]) == "客户", cls.__name__
        assert [str(r.title) for r in views[ComplaintView.__name__]._related_views] == ["进展"]


def test_a_second_app_in_the_process_keeps_the_translated_labels(app, db_url):
    """FAB fills in default labels in place; a second app (a worker, a `flask` command, a test
    server) must not read the first one's English defaults back as explicit labels."""
    from app import create_app
    from tests.conftest import login, make_config

    second = create_app(make_config(db_url))
    client = second.test_client()
    assert login(client, "manager").status_code == 302
    client.get("/lang/zh_Hans")
    form = client.get("/ticketview/add").get_data(as_text=True)
    for label in ("客户", "项目", "设备"):
        assert re.search(rf"<label[^>]*>\s*{label}\s*(<strong|</label>)", form), label
    assert not re.search(r">\s*(Customer|Project|Equipment)\s*<", form)


def test_a_language_forced_inside_a_request_is_used_and_let_go(app):
    """The request's catalog is kept once found (app/i18n_lookup.py); a notification written in its
    recipient's language (force_locale) inside the request still gets that language, in Python and
    in a template, and the request's own language afterwards."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Show record") == "Show record"
        with force_locale("zh_Hans"):
            assert gettext("Show record") == "显示记录"
            assert render_template_string("{{ _('Edit record') }}") == "编辑记录"
            with force_locale("zh_Hant"):
                assert gettext("Show record") == "顯示記錄"
            assert gettext("Show record") == "显示记录"
        assert gettext("Show record") == "Show record"
        assert render_template_string("{{ _('Edit record') }}") == "Edit record"
