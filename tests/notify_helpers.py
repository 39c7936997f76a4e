"""A real SMTP server and a group-robot receiver on 127.0.0.1, for the notification tests."""
from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@contextlib.contextmanager
def smtp_server():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, box
    finally:
        controller.stop()


class Chat:
    """What the group robot received; `answer` is the HTTP status it replies with."""

    def __init__(self):
        self.messages: list[dict] = []
        self.answer = 200


@contextlib.contextmanager
def chat_receiver():
    chat = Chat()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if chat.answer == 200:
                chat.messages.append(json.loads(body))
            reply = json.dumps({"errcode": 0 if chat.answer == 200 else 500, "errmsg": "ok"}).encode()
            self.send_response(chat.answer)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/robot/send?key=test", chat
    finally:
        server.shutdown()
        thread.join(timeout=5)


def wait_for(predicate, seconds: float = 10.0):
    """Delivery is synchronous today; a queue may make it asynchronous: wait a little."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@contextlib.contextmanager
def channels_on(app):
    """Point the app's MAIL_* and NOTIFY_WEBHOOK_URL at the local servers for one test."""
    with smtp_server() as (port, box), chat_receiver() as (url, chat):
        saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "NOTIFY_WEBHOOK_URL")}
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, NOTIFY_WEBHOOK_URL=url)
        try:
            yield box, chat
        finally:
            app.config.update(saved)
