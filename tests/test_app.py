"""The app boots, answers /health, and every role can log in and see its home page."""
import pytest
import sqlalchemy as sa

from app import create_app
from tests.conftest import LOGINS, login, make_config


def test_health_ok(client):
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok", "database": "ok"}


def test_health_503_when_database_unreachable(tmp_path):
    broken = create_app(make_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    resp = broken.test_client().get("/health")
    assert resp.status_code == 503
    assert resp.json["database"] != "ok"


@pytest.mark.parametrize("username", sorted(LOGINS))
def test_every_role_logs_in_and_sees_home(client, username):
    resp = login(client, username)
    assert resp.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert LOGINS[username] in page.get_data(as_text=True)


def test_wrong_password_is_refused(client):
    login(client, "manager", "not-the-password")
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_anonymous_list_redirects_to_login(client):
    resp = client.get("/customerview/list/")
    assert resp.status_code == 302
    assert "/login/" in resp.headers["Location"]


def test_api_without_token_is_401(client):
    assert client.get("/api/v1/customer/").status_code == 401


def test_openapi_document_lists_contracted_resources(client, api):
    resp = client.get("/api/v1/_openapi", headers=api("admin"))
    assert resp.status_code == 200
    paths = resp.json["paths"]
    for resource in ("customer", "project", "equipment", "staff"):
        assert f"/api/v1/{resource}/" in paths


def test_roles_exist(app):
    with app.app_context():
        names = {r.name for r in app.appbuilder.sm.get_all_roles()}
    assert set(LOGINS.values()) <= names
