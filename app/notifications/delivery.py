"""Sending deliveries after the caller's commit, with retry bookkeeping and back-off.

A delivery is written in the caller's transaction and sent only once that transaction
commits (a rolled-back event sends nothing). `dispatch(ids)` is the one place that decides
how: a job on the queue when REDIS_URL is set (the request does not wait for SMTP or the chat
robot), inline in the embedded default or when the queue cannot be reached. A send that fails
is tried again by the sweep after 1, 5, 15 and 60 minutes, then given up and left on the Admin's
list of deliveries with its error.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from redis.exceptions import RedisError

from ..clock import now_utc
from ..extensions import db
from ..models.notifications import Delivery, DeliveryStatus

log = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# While one process sends, others leave the row alone for this long.
LEASE = timedelta(minutes=2)
_PENDING = "notify_pending_deliveries"
_DEFERRED = "notify_deferred_events"


def init_app(app) -> None:
    """Send what a transaction queued once it commits; forget it when it rolls back."""
    if not getattr(FlaskSession, "_notify_hooked", False):
        sa.event.listen(FlaskSession, "before_commit", _before_commit)
        sa.event.listen(FlaskSession, "after_commit", _after_commit)
        sa.event.listen(FlaskSession, "after_rollback", _after_rollback)
        FlaskSession._notify_hooked = True


def queue(delivery: Delivery) -> Delivery:
    """Add a delivery to the caller's unit of work; it goes out after the commit."""
    db.session.add(delivery)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(delivery.id)
    return delivery


def defer(event, *args) -> None:
    """Run an event just before the caller commits: for a record a form has not yet added or flushed."""
    db.session.info.setdefault(_DEFERRED, []).append((event, args))


def _before_commit(session) -> None:
    while session.info.get(_DEFERRED):
        event, args = session.info[_DEFERRED].pop(0)
        session.flush()
        event(*args)


def _after_commit(session) -> None:
    ids = session.info.pop(_PENDING, None)
    if ids:
        try:
            dispatch(ids)
        except Exception:  # the business transaction is committed; the sweep retries the rest
            log.exception("notification deliveries %s not dispatched", ids)


def _after_rollback(session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_DEFERRED, None)


def dispatch(ids: list[int]) -> None:
    """Send these deliveries: as a background job when there is a queue, else now."""
    from .. import jobs

    if jobs.enabled():
        try:
            jobs.enqueue_task(send_all, list(ids))
            return
        except RedisError as err:  # a queue that is down must not lose the message
            log.warning("job queue unreachable (%s): sending deliveries %s inline", err, ids)
    send_all(ids)


def send_all(ids: list[int]) -> None:
    """Send each delivery (the job's body, or inline); one that fails waits for its retry."""
    for delivery_id in ids:
        deliver(delivery_id)


def deliver(delivery_id: int, now: datetime | None = None) -> DeliveryStatus | None:
    """Claim, send and record one delivery on its own connection; None when someone else has it."""
    with sa.orm.Session(db.engine) as session:
        if not _claim(session, delivery_id, now or now_utc()):
            return None
        delivery = session.get(Delivery, delivery_id)
        attempt(delivery, now or now_utc())
        session.commit()
        return delivery.status


def _claim(session, delivery_id: int, now: datetime) -> bool:
    """Move the row's next attempt past a lease; only the process whose UPDATE matched sends it."""
    claimed = session.execute(
        sa.update(Delivery).where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.pending,
                                  Delivery.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE).execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return claimed == 1


def attempt(delivery: Delivery, now: datetime) -> None:
    """One try: sent, or the error kept and the next try scheduled (given up after MAX_ATTEMPTS)."""
    from . import channels

    delivery.attempts += 1
    try:
        channels.send(delivery)
    except Exception as err:  # SMTP, HTTP and socket errors alike: keep the reason for the Admin
        delivery.last_error = f"{type(err).__name__}: {err}"[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.failed
        else:
            delivery.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
        log.warning("delivery %s failed (attempt %s): %s", delivery.id, delivery.attempts, delivery.last_error)
        return
    delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.sent, now, None


def due_ids(now: datetime) -> list[int]:
    """Deliveries waiting whose next attempt has come (a failed send, or a process that died)."""
    return list(db.session.scalars(sa.select(Delivery.id).where(
        Delivery.status == DeliveryStatus.pending, Delivery.next_attempt_at <= now).order_by(Delivery.id)))


def retry_due(now: datetime) -> int:
    """Sweep rule: send every delivery whose next attempt has come; returns how many were sent."""
    sent = 0
    for delivery_id in due_ids(now):
        sent += deliver(delivery_id, now) is DeliveryStatus.sent
    return sent


def retry_now(delivery: Delivery, now: datetime) -> None:
    """The Admin's "send again": a given-up delivery gets a fresh round of attempts."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.pending, 0, now
    db.session.info.setdefault(_PENDING, []).append(delivery.id)


