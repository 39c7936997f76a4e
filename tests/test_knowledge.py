"""Knowledge base: revision history on edit, search, "use as solution" on a ticket, expert pool."""
import prison
import sqlalchemy as sa

from app.extensions import db
from app.models import KnowledgeArticle, KnowledgeRevision, Ticket, TicketKnowledgeLink, TicketStatus
from tests.conftest import csrf_token
from tests.records import make_customer, make_ticket

ARTICLE = {
    "title": "接收站天线告警", "problem": "天线伺服告警，无法跟踪卫星", "symptoms": "告警灯常亮；接收中断",
    "solution": "重启伺服控制器并校准天线零位", "product": "遥感卫星地面接收站", "equipment_model": "RS-3000",
    "tags": "天线,伺服", "status": "published",
}


def post_article(client, headers, **kw):
    resp = client.post("/api/v1/knowledge_article/", json={**ARTICLE, **kw}, headers=headers)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def test_api_edit_keeps_previous_version_as_revision(app, client, api):
    h = api("tech")
    pk = post_article(client, h)
    resp = client.put(f"/api/v1/knowledge_article/{pk}", json={"solution": "更换伺服驱动板"}, headers=h)
    assert resp.status_code == 200, resp.json
    shown = client.get(f"/api/v1/knowledge_article/{pk}", headers=h).json["result"]
    assert shown["revision"] == 2 and shown["solution"] == "更换伺服驱动板"
    # a change of status only is no new revision of the content
    assert client.put(f"/api/v1/knowledge_article/{pk}", json={"status": "draft"}, headers=h).status_code == 200
    q = prison.dumps({"filters": [{"col": "article", "opr": "rel_o_m", "value": pk}]})
    revisions = client.get(f"/api/v1/knowledge_revision/?q={q}", headers=h).json["result"]
    assert [(r["revision"], r["title"]) for r in revisions] == [(1, ARTICLE["title"])]
    with app.app_context():
        rev = db.session.scalar(sa.select(KnowledgeRevision))
        assert rev.solution == ARTICLE["solution"] and db.session.get(KnowledgeArticle, pk).revision == 2


def test_html_edit_records_revision_and_history_is_shown(app, client, api, as_user):
    pk = post_article(client, api("tech"))
    browser = as_user("tech")
    token = csrf_token(browser, f"/knowledgearticleview/edit/{pk}")
    resp = browser.post(f"/knowledgearticleview/edit/{pk}", data={
        **ARTICLE, "title": "接收站天线伺服告警", "author": "", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        article = db.session.get(KnowledgeArticle, pk)
        assert article.revision == 2 and article.title == "接收站天线伺服告警"
        assert [r.title for r in article.revisions] == [ARTICLE["title"]]
    page = browser.get(f"/knowledgearticleview/show/{pk}").get_data(as_text=True)
    assert "接收站天线伺服告警" in page and "Use as solution" in page


def test_revision_api_is_read_only(client, api):
    pk = post_article(client, api("tech"))
    resp = client.post("/api/v1/knowledge_revision/", json={"article": pk, "revision": 9, "title": "x",
                                                             "problem": "x", "solution": "x"}, headers=api("tech"))
    assert resp.status_code == 403


def test_api_text_search_covers_problem_symptoms_solution_tags(client, api):
    h = api("tech")
    post_article(client, h)
    post_article(client, h, title="服务器宕机", problem="数据处理服务器无响应", symptoms="风扇噪声大",
                 solution="清理灰尘，更换风扇", tags="服务器,散热", equipment_model="DL380")

    def search(text):
        q = prison.dumps({"filters": [{"col": "title", "opr": "text", "value": text}]})
        resp = client.get(f"/api/v1/knowledge_article/?q={q}", headers=api("cs"))
        assert resp.status_code == 200, resp.json
        return sorted(r["title"] for r in resp.json["result"])

    assert search("伺服") == ["接收站天线告警"]           # problem + tags
    assert search("风扇") == ["服务器宕机"]               # symptoms + solution
    assert search("散热") == ["服务器宕机"]               # tags only
    assert search("不存在的词") == []


def test_html_any_text_search(client, api, as_user):
    post_article(client, api("tech"))
    browser = as_user("cs")
    page = browser.get("/knowledgearticleview/list/").get_data(as_text=True)
    assert "Any text contains" in page
    index = 0  # the "any text" filter is Title's first
    found = browser.get(f"/knowledgearticleview/list/?_flt_{index}_title=校准").get_data(as_text=True)
    assert "接收站天线告警" in found
    missing = browser.get(f"/knowledgearticleview/list/?_flt_{index}_title=无此内容").get_data(as_text=True)
    assert "接收站天线告警" not in missing


def test_api_use_as_solution_copies_and_links(app, client, api, staff):
    pk = post_article(client, api("tech"))
    cid = make_customer(app)
    mine = make_ticket(app, cid, "T-0001", assignee_id=staff["field1"], resolution="已远程查看日志", status=TicketStatus.in_progress)
    h = api("field1")
    resp = client.post(f"/api/v1/knowledge_article/{pk}/use_as_solution", json={"ticket": mine}, headers=h)
    assert resp.status_code == 200, resp.json
    assert resp.json["ticket"]["resolution"] == "已远程查看日志\n\n" + ARTICLE["solution"]
    with app.app_context():
        link = db.session.scalar(sa.select(TicketKnowledgeLink))
        assert (link.ticket_id, link.article_id, link.revision, link.used_by_id) == (mine, pk, 1, staff["field1"])
    again = client.post(f"/api/v1/knowledge_article/{pk}/use_as_solution", json={"ticket": mine}, headers=h)
    assert again.status_code == 409 and "already" in str(again.json["message"])
    links = client.get("/api/v1/ticket_knowledge_link/", headers=api("manager")).json["result"]
    assert [(r["ticket"]["number"], r["article"]["title"]) for r in links] == [("T-0001", ARTICLE["title"])]
    # another field engineer does not see the links of tickets that are not theirs
    assert len(client.get("/api/v1/ticket_knowledge_link/", headers=h).json["result"]) == 1
    assert client.get("/api/v1/ticket_knowledge_link/", headers=api("field2")).json["result"] == []


def test_use_as_solution_refusals(app, client, api, staff):
    published = post_article(client, api("tech"))
    draft = post_article(client, api("tech"), title="草稿", status="draft")
    cid = make_customer(app)
    theirs = make_ticket(app, cid, "T-0002", assignee_id=staff["field2"], status=TicketStatus.in_progress)
    closed = make_ticket(app, cid, "T-0003", assignee_id=staff["field1"], status=TicketStatus.closed)
    open_ = make_ticket(app, cid, "T-0004", assignee_id=staff["field1"], status=TicketStatus.in_progress)
    h = api("field1")
    url = "/api/v1/knowledge_article/{}/use_as_solution"
    assert client.post(url.format(published), json={"ticket": theirs}, headers=h).status_code == 404
    assert client.post(url.format(published), json={"ticket": closed}, headers=h).status_code == 409
    assert client.post(url.format(draft), json={"ticket": open_}, headers=h).status_code == 409
    assert client.post(url.format(999), json={"ticket": open_}, headers=h).status_code == 404
    assert client.post(url.format(published), json={"ticket": open_}, headers=api("cs")).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TicketKnowledgeLink)) == 0
        assert db.session.get(Ticket, open_).resolution is None


def test_html_use_as_solution_button(app, client, api, staff, as_user):
    pk = post_article(client, api("tech"))
    tid = make_ticket(app, make_customer(app), "T-0010", assignee_id=staff["tech"], status=TicketStatus.in_progress)
    browser = as_user("tech")
    token = csrf_token(browser, f"/knowledgearticleview/show/{pk}")
    resp = browser.post(f"/knowledgearticleview/use_as_solution/{pk}", data={"ticket": "T-0010", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Ticket, tid).resolution == ARTICLE["solution"]
    page = browser.get(f"/knowledgearticleview/show/{pk}").get_data(as_text=True)
    assert "T-0010" in page  # the link shows on the article
    resp = browser.post(f"/knowledgearticleview/use_as_solution/{pk}", data={"ticket": "T-9999", "csrf_token": token},
                        follow_redirects=True)
    assert "Ticket T-9999 not found." in resp.get_data(as_text=True)


def test_cs_reads_knowledge_but_cannot_write(client, api, as_user):
    pk = post_article(client, api("tech"))
    assert client.get(f"/api/v1/knowledge_article/{pk}", headers=api("cs")).status_code == 200
    assert client.put(f"/api/v1/knowledge_article/{pk}", json={"title": "x"}, headers=api("cs")).status_code == 403
    page = as_user("cs").get(f"/knowledgearticleview/show/{pk}").get_data(as_text=True)
    assert "Use as solution" not in page


def test_expert_pool(client, api):
    h = api("tech")
    resp = client.post("/api/v1/expert/", json={"name": "周教授", "organisation": "省遥感中心",
                                                 "expertise": "SAR 影像处理", "contact": "13800000000"}, headers=h)
    assert resp.status_code == 201, resp.json
    assert client.post("/api/v1/expert/", json={"name": "x"}, headers=h).status_code == 422
    names = [e["name"] for e in client.get("/api/v1/expert/", headers=api("field1")).json["result"]]
    assert names == ["周教授"]
