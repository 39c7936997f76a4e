"""Error pages of the screens: inside the layout, in the reader's language, with a way home;
the API keeps answering JSON."""
import pytest
from werkzeug.exceptions import InternalServerError


def test_a_missing_page_is_shown_in_the_layout_in_chinese(app, as_user):
    client = as_user("cs")
    client.get("/lang/zh_Hans")
    resp = client.get("/ticketview/show/999999")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert "找不到页面" in html and "navbar" in html and 'class="btn btn-primary" href="/"' in html


@pytest.mark.parametrize("path, code, words", [
    ("/no/such/page", 404, "Page not found"),
    ("/api/v1/no/such/thing", 404, None),
])
def test_anonymous_and_api_errors(client, path, code, words):
    resp = client.get(path)
    assert resp.status_code == code
    if words:
        assert words in resp.get_data(as_text=True) and "navbar" in resp.get_data(as_text=True)
    else:
        assert resp.is_json and resp.json["message"]


def test_an_unexpected_error_is_a_page_not_a_trace(app, as_user, monkeypatch):
    from app.views import home

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(home, "panels_for", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        resp = as_user("manager").get("/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    html = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "Something went wrong" in html and "RuntimeError" not in html
    assert InternalServerError.description not in html
