"""The in-process sweep timer of the embedded default (`make run`: no Redis, no worker).

Started by the first request a serving process answers, so `flask` commands, the
reloader's watcher process and tests never start one. With REDIS_URL set the workers'
scheduler runs the sweep instead (app/jobs/worker.py).
"""
from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


class SweepTimer(threading.Thread):
    def __init__(self, app: Flask, every: float):
        super().__init__(name="sweep-timer", daemon=True)
        self.app, self.every = app, every
        self.stopped = threading.Event()

    def run(self) -> None:
        from . import run_sweep

        while not self.stopped.wait(self.every):
            try:
                with self.app.app_context():
                    run_sweep()
            except Exception:  # keep ticking: the next minute may work (database back up)
                log.exception("in-process sweep failed")

    def stop(self) -> None:
        self.stopped.set()


def install(app: Flask) -> None:
    every = app.config.get("SWEEP_EVERY_SECONDS") or 0
    if not every or app.testing or app.config.get("REDIS_URL"):
        return
    lock = threading.Lock()

    def start_once() -> None:
        if "sweep_timer" in app.extensions:
            return
        with lock:
            if "sweep_timer" not in app.extensions:
                timer = app.extensions["sweep_timer"] = SweepTimer(app, every)
                timer.start()
                log.info("in-process sweep every %s s", every)

    app.before_request(start_once)
