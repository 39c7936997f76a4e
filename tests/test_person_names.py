"""A person's name in the order of its language: 周建华 (family name first, no space), Ada Lovelace."""
import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User

from app.extensions import db
from app.i18n import family_first_script, person_name
from app.security.names import full_name
from tests.conftest import login


@pytest.mark.parametrize("first, last, shown", [
    ("建华", "周", "周建华"),
    ("明", "李", "李明"),
    ("Jianhua", "Zhou", "Jianhua Zhou"),
    ("Ada", "Lovelace", "Ada Lovelace"),
    ("Jianhua", "周", "周Jianhua"),          # one part Chinese: family name first
    ("  建华 ", " 周", "周建华"),             # spaces typed around the parts
    ("さくら", "山田", "山田さくら"),          # Japanese: family name first too
    ("민준", "김", "김민준"),                 # Korean
    ("𠀋", "陈", "陈𠀋"),                     # a supplementary-plane ideograph
    ("Ada", None, "Ada"),
    (None, "周", "周"),
    (None, None, ""),
    ("", "", ""),
])
def test_person_name_order(first, last, shown):
    assert person_name(first, last) == shown


def test_person_name_takes_odd_input_without_raising():
    assert person_name(123, 456) == "123 456"
    assert not family_first_script("") and family_first_script("x周")


def test_full_name_falls_back_to_the_login():
    class Login:
        first_name = last_name = ""
        username = "keeper"

    assert full_name(Login()) == "keeper"


def test_every_login_is_named_family_first(app):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "cs"))
        user.first_name, user.last_name = "磊", "赵"
        assert user.get_full_name() == str(user) == repr(user) == user.full_name == "赵磊"
        user.first_name, user.last_name = "Lei", "Zhao"
        assert user.get_full_name() == "Lei Zhao"
        db.session.rollback()


def test_demo_admin_is_shown_as_zhou_jianhua(demo):
    client = demo.test_client()
    assert login(client, "admin").status_code == 302
    for lang in ("en", "zh_Hans"):
        client.get(f"/lang/{lang}")
        home = client.get("/").get_data(as_text=True)
        assert "周建华" in home and "建华 周" not in home  # navbar and welcome line
    users = client.get("/users/list/").get_data(as_text=True)
    assert "周建华" in users and "建华 周" not in users
    staff_form = client.get("/staffview/add").get_data(as_text=True)  # the login select box
    assert "周建华" in staff_form and "建华 周" not in staff_form
