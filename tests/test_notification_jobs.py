"""Deliveries as background jobs: with REDIS_URL the request only queues them, a real RQ worker
sends them (local SMTP server, local chat receiver); a queue that is down sends them inline."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import jobs
from app.extensions import db
from app.logs import REQUEST_ID_HEADER
from app.models import Delivery, DeliveryStatus
from tests.notify_helpers import channels_on
from tests.records import make_customer
from tests.redis_helpers import CLOSED_REDIS_URL, redis_url  # noqa: F401  (fixture)
from tests.test_jobs import drain
from tests.ticket_helpers import new_ticket


@pytest.fixture
def with_queue(app, monkeypatch):
    def use(url):
        monkeypatch.setitem(app.config, "REDIS_URL", url)
        app.extensions.pop("redis", None)
        return app

    yield use
    app.extensions.pop("redis", None)


def _statuses(app) -> set:
    with app.app_context():
        return {d.status for d in db.session.scalars(sa.select(Delivery))}


def _assign(client, headers, pk, staff_id, request_id):
    resp = client.post(f"/api/v1/ticket/{pk}/transition", json={"to": "assigned", "assignee": staff_id},
                       headers={**headers, REQUEST_ID_HEADER: request_id})
    assert resp.status_code == 200, resp.json


def test_the_request_queues_the_deliveries_and_a_worker_sends_them(app, client, api, staff, with_queue, redis_url):
    with_queue(redis_url)
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app) as (box, chat):
        _assign(client, api("manager"), pk, staff["field1"], "req-assign-1")
        # the answer did not wait for SMTP or the chat robot: both deliveries wait on the queue
        assert box.to("field1@demo.invalid") == [] and chat.messages == []
        assert _statuses(app) == {DeliveryStatus.pending}
        with app.app_context():
            [job] = jobs.queue().get_jobs()
        assert job.func_name == "app.jobs.run_task" and job.meta["request_id"] == "req-assign-1"

        drain(app)  # a real worker (burst mode) on the machine's Redis
        assert len(box.to("field1@demo.invalid")) == 1 and len(chat.messages) == 1
        assert _statuses(app) == {DeliveryStatus.sent}
        with app.app_context():
            assert jobs.queue().count == 0


def test_a_failed_send_in_the_worker_waits_for_its_retry(app, client, api, staff, with_queue, redis_url):
    with_queue(redis_url)
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app) as (box, chat):
        app.config["NOTIFY_WEBHOOK_URL"] = "http://127.0.0.1:1/robot"  # nothing listens: the chat send fails
        _assign(client, api("manager"), pk, staff["field1"], "req-assign-2")
        drain(app)
    with app.app_context():
        failed = db.session.scalar(sa.select(Delivery).where(Delivery.channel == "chat"))
        assert failed.status is DeliveryStatus.pending and failed.attempts == 1 and failed.last_error


def test_a_queue_that_is_down_sends_inline(app, client, api, staff, with_queue):
    with_queue(CLOSED_REDIS_URL)
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app) as (box, chat):
        _assign(client, api("manager"), pk, staff["field1"], "req-assign-3")
        assert len(box.to("field1@demo.invalid")) == 1 and len(chat.messages) == 1
    assert _statuses(app) == {DeliveryStatus.sent}


def test_the_minute_sweep_runs_as_a_task(app, with_queue, redis_url):
    from app.jobs.worker import enqueue_sweep_once_this_minute

    with_queue(redis_url)
    with app.app_context():
        assert enqueue_sweep_once_this_minute() is True
        assert enqueue_sweep_once_this_minute() is False  # one per minute, however many workers
        [job] = jobs.queue().get_jobs()
        assert job.args[0].__name__ == "run_sweep"
    drain(app)
    with app.app_context():
        job.refresh()
        assert job.get_status().value == "finished"
        assert "notifications" in job.return_value() and "callbacks" in job.return_value()
