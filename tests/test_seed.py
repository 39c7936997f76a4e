"""`flask seed-demo` builds the demo department and is idempotent."""
import sqlalchemy as sa

from app.extensions import db
from app.models import Customer, Equipment, Project, Staff


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
                for m in (Customer, Project, Equipment, Staff)}


def test_seed_demo_twice_is_idempotent(demo):
    after_first = counts(demo)
    assert after_first["Customer"] >= 20 and after_first["Staff"] == 6
    second = demo.test_cli_runner().invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts(demo) == after_first


def test_seed_staff_have_logins_with_their_roles(demo):
    with demo.app_context():
        staff = db.session.scalars(sa.select(Staff)).all()
        roles = {s.username: s.user.roles[0].name for s in staff}
    assert roles == {"manager": "Manager", "tech": "Tech Engineer", "field1": "Field Engineer",
                     "field2": "Field Engineer", "cs": "Customer Service", "keeper": "Parts Keeper"}


def test_ensure_admin_prints_a_password_once(app):
    runner = app.test_cli_runner()
    out = runner.invoke(args=["ensure-admin", "--username", "admin2"]).output
    assert "admin2 /" in out
    again = runner.invoke(args=["ensure-admin", "--username", "admin2"]).output
    assert "already exists" in again
