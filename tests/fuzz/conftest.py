"""The API fuzzed from its own OpenAPI document: a live server on loopback with its own database.

One server per test session (SQLite file, or a sibling PostgreSQL database `<db>_fuzz` of
TEST_DATABASE_URL), migrated, with the demo logins and one record of every resource.
Nothing is wiped between requests: the fuzzer's writes stay, as on a real desk.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import flask_migrate
import pytest

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, make_config, sibling_database_url


@pytest.fixture(autouse=True)
def _clean_database():
    """Override the suite's per-test wipe: the fuzz server keeps its own database."""
    yield


def _seed(app) -> None:
    from app.security import policy
    from app.seed.core import seed_people
    from tests.factories import make_record

    sm = app.appbuilder.sm
    sm.add_user("admin", "Ada", "Admin", "admin@test.invalid", sm.find_role("Admin"), PASSWORD)
    seed_people(PASSWORD)
    db.session.commit()
    for resource in sorted(policy.POLICY):
        view = next((v for v in app.appbuilder.baseviews
                     if v.class_permission_name == policy.view_name(resource)), None)
        if view is not None:
            try:
                make_record(resource, view.datamodel.obj)
            except StopIteration:  # made already by another record's factory (service levels)
                db.session.rollback()


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of the app served on 127.0.0.1:<free port>."""
    from werkzeug.serving import make_server

    url = sibling_database_url(tmp_path_factory, "fuzz")
    app = create_app(make_config(url, DEMO_PASSWORD=PASSWORD))
    with app.app_context():
        flask_migrate.upgrade()
        app.appbuilder.sm.sync_all()
        _seed(app)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
