"""`flask worker [--burst]`: runs queued jobs and, every minute, the sweep (app/sweep).

Jobs run inside this process's app (RQ's SimpleWorker: no fork per job, one app start).
Every worker ticks once a minute but only one per minute enqueues the sweep: the first
to take that minute's Redis key (SET NX). `--burst` drains the queue and exits, no ticks.
"""
from __future__ import annotations

import logging
import threading

from flask import current_app
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from ..clock import now_utc
from ..redis_conn import redis_client
from . import enqueue_task, queue

log = logging.getLogger(__name__)
SWEEP_KEY = "service-desk:sweep:{minute}"


def enqueue_sweep_once_this_minute(redis=None) -> bool:
    """Queue this minute's sweep unless another worker already did; True when this one did."""
    redis = redis or redis_client()
    key = SWEEP_KEY.format(minute=now_utc().strftime("%Y%m%d%H%M"))
    if not redis.set(key, "1", nx=True, ex=120):
        return False
    from ..sweep import run_sweep

    enqueue_task(run_sweep)
    return True


class SweepTicker(threading.Thread):
    def __init__(self, app, every: float = 60.0):
        super().__init__(name="sweep-ticker", daemon=True)
        self.app, self.every, self.stopped = app, every, threading.Event()

    def run(self) -> None:
        while True:
            try:
                with self.app.app_context():
                    enqueue_sweep_once_this_minute()
            except Exception:
                log.exception("could not queue the sweep")
            if self.stopped.wait(self.every):
                return


class ThreadWorker(SimpleWorker):
    """A worker that can run in a thread (tests, embedded use): no signal handlers, timer timeouts."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self):  # signals belong to the main thread
        pass


def work(burst: bool = False, in_thread: bool = False) -> bool:
    """Process jobs until stopped (or, with burst, until the queue is empty)."""
    app = current_app._get_current_object()
    worker_cls = ThreadWorker if in_thread else SimpleWorker
    worker = worker_cls([queue()], connection=redis_client())
    ticker = None
    if not burst:
        ticker = SweepTicker(app)
        ticker.start()
    try:
        return worker.work(burst=burst, with_scheduler=False, logging_level=app.config.get("LOG_LEVEL", "INFO"))
    finally:
        if ticker:
            ticker.stopped.set()
