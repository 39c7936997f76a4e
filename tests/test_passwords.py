"""Password policy (ASVS 6.2): length ≥ 12 and a blocklist, on every path that sets a password."""
from __future__ import annotations

import re

import pytest
from flask_appbuilder.cli import fab

from app.extensions import db
from app.security.passwords import WeakPassword, common_passwords, generate_password, password_problems
from tests.conftest import LOGINS, PASSWORD, csrf_token, login

GOOD = "long enough passphrase 7"


@pytest.fixture
def restore_passwords(app):
    """Base logins get their test password back (the database wipe keeps ab_user rows)."""
    yield
    with app.app_context():
        sm = app.appbuilder.sm
        for name in LOGINS:
            sm.reset_password(sm.find_user(username=name).id, PASSWORD)
WEAK = {
    "short": "Tr0ub4dor&3",          # 11 characters, whatever its mix of classes
    "common": "password1234",          # on the bundled blocklist
    "username": "my-cs-and-keeper-2024",  # contains the login "keeper"
}


def test_policy_is_length_and_blocklist_not_composition(app):
    with app.app_context():
        assert password_problems("all lower case words here") == []   # no class rules
        assert password_problems("x" * 11)
        assert password_problems("x" * 12) == []
        assert password_problems("qwertyuiop123")                     # blocklisted
        assert password_problems("keeper-of-the-keys", "keeper")
        assert password_problems("cs", "cs") and password_problems("docs for everyone", "cs") == []
        assert password_problems("y" * 64) == []                       # long ones allowed
        assert len(common_passwords()) >= 150


def test_add_user_refuses_weak_passwords(app):
    sm = app.appbuilder.sm
    with app.app_context():
        role = sm.find_role("Parts Keeper")
        for password in WEAK.values():
            with pytest.raises(WeakPassword):
                sm.add_user("keeper2", "K", "Two", "k2@test.invalid", role, password.replace("cs", "keeper2"))
        with pytest.raises(WeakPassword):
            sm.add_user("keeper2", "K", "Two", "k2@test.invalid", role, "keeper2-is-my-name")
        assert sm.find_user(username="keeper2") is None
        assert sm.add_user("keeper2", "K", "Two", "k2@test.invalid", role, GOOD)


def test_reset_password_refuses_weak_passwords(app):
    sm = app.appbuilder.sm
    with app.app_context():
        user = sm.find_user(username="tech")
        before = user.password
        with pytest.raises(WeakPassword):
            sm.reset_password(user.id, "short")
        with pytest.raises(WeakPassword):
            sm.reset_password(user.id, "tech-tech-tech-tech")
        assert sm.find_user(username="tech").password == before


@pytest.mark.parametrize("command", [
    ["create-user", "--role", "Parts Keeper", "--username", "k3", "--firstname", "K",
     "--lastname", "T", "--email", "k3@test.invalid", "--password"],
    ["create-admin", "--username", "k3", "--firstname", "K", "--lastname", "T",
     "--email", "k3@test.invalid", "--password"],
])
def test_fab_cli_refuses_weak_passwords(app, command):
    runner = app.test_cli_runner()
    result = runner.invoke(fab, args=command + ["short-pass"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="k3") is None
    result = runner.invoke(fab, args=command + [GOOD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="k3") is not None


def test_fab_reset_password_cli_refuses_weak_passwords(app, client, restore_passwords):
    runner = app.test_cli_runner()
    result = runner.invoke(fab, args=["reset-password", "--username", "cs", "--password", "abc"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert login(client, "cs").headers["Location"] == "/"


def test_ensure_admin_generates_a_password_the_policy_accepts(app, client):
    result = app.test_cli_runner().invoke(args=["ensure-admin", "--username", "admin2"])
    assert result.exit_code == 0, result.output
    password = re.search(r"admin2 / (\S+)", result.output).group(1)
    assert len(password) >= 16
    assert login(client, "admin2", password).headers["Location"] == "/"


def test_generated_passwords_pass_for_every_demo_login(app):
    logins = ("admin", "manager", "tech", "field1", "field2", "cs", "keeper")
    with app.app_context():
        for _ in range(300):
            password = generate_password(*logins)
            assert all(password_problems(password, name) == [] for name in logins)


def test_user_add_form_applies_the_policy(app, client, as_user):
    as_user("admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Customer Service").id

    def add(username, password):
        token = csrf_token(client, "/users/add")
        return client.post("/users/add", data={
            "first_name": "N", "last_name": "U", "username": username, "active": "y",
            "email": f"{username}@test.invalid", "roles": str(role_id), "password": password,
            "conf_password": password, "csrf_token": token})

    for password in ("short", "password1234", "newcs-person-account"):
        resp = add("newcs-person", password)
        assert resp.status_code == 200, password  # the form again, with the message
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="newcs-person") is None
    assert add("newcs-person", GOOD).status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="newcs-person") is not None


def test_reset_my_password_form_applies_the_policy(app, client, as_user, restore_passwords):
    as_user("keeper")
    for password in ("short", "qwertyuiop123", "i-am-the-keeper-here"):
        token = csrf_token(client, "/resetmypassword/form")
        resp = client.post("/resetmypassword/form", data={
            "current_password": PASSWORD, "password": password, "conf_password": password, "csrf_token": token})
        assert resp.status_code == 200, password
        assert "characters" in resp.get_data(as_text=True) or "common" in resp.get_data(as_text=True) \
            or "username" in resp.get_data(as_text=True)
    client.get("/logout/")
    assert login(client, "keeper", PASSWORD).headers["Location"] == "/"


def test_changing_my_password_needs_the_current_one(app, client, as_user, restore_passwords):
    as_user("keeper")
    token = csrf_token(client, "/resetmypassword/form")
    resp = client.post("/resetmypassword/form", data={
        "current_password": "not-my-password-at-all", "password": GOOD, "conf_password": GOOD,
        "csrf_token": token})
    assert resp.status_code == 200 and "current password is not correct" in resp.get_data(as_text=True)
    token = csrf_token(client, "/resetmypassword/form")
    resp = client.post("/resetmypassword/form", data={
        "current_password": PASSWORD, "password": GOOD, "conf_password": GOOD, "csrf_token": token})
    assert resp.status_code == 302
    client.get("/logout/")
    assert login(client, "keeper", GOOD).headers["Location"] == "/"


def test_admin_reset_password_form_checks_the_target_login(app, client, as_user, restore_passwords):
    as_user("admin")
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="field2").id
    url = f"/resetpassword/form?pk={uid}"
    token = csrf_token(client, url)
    bad = "field2-new-password"
    resp = client.post(url, data={"password": bad, "conf_password": bad, "csrf_token": token})
    assert resp.status_code == 200
    token = csrf_token(client, url)
    resp = client.post(url, data={"password": GOOD, "conf_password": GOOD, "csrf_token": token})
    assert resp.status_code == 302
    client.get("/logout/")
    assert login(client, "field2", GOOD).headers["Location"] == "/"


def test_no_default_admin_password():
    from config import BaseConfig

    assert not any("ADMIN_PASSWORD" in name for name in dir(BaseConfig))
    assert BaseConfig.DEMO_PASSWORD is None or len(BaseConfig.DEMO_PASSWORD) >= 12
