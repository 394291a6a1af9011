"""A webhook receiver on loopback for the tests: verifies every delivery with the
`standardwebhooks` library, as a real receiver would, and keeps each `webhook-id` once."""

import http.server
import json
import threading
import time

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


class Receiver:
    """Start with `start()`; `secret` must be set before deliveries arrive.

    `fail_next` answers that many requests with 500; `hang_seconds` makes the next request
    wait that long before answering (a slow receiver, or one a worker dies waiting on).
    """

    def __init__(self, port: int = 0):
        self.secret: str | None = None
        self.fail_next = 0
        self.hang_seconds = 0.0
        self.hanging = threading.Event()
        self.attempts: list[str] = []  # every webhook-id received, repeats included
        self.accepted: list[dict] = []  # each message once, in arrival order
        self.rejected = 0
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._port = port
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def port(self) -> int:
        return self.server.server_address[1] if self.server else self._port

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                self.send_response(receiver.handle(body, dict(self.headers.items())))
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self.server.daemon_threads = True
        self._port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def handle(self, body: bytes, headers: dict) -> int:
        try:
            message = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            with self._lock:
                self.rejected += 1
            return 401
        message_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
        with self._lock:
            self.attempts.append(message_id)
            hang, self.hang_seconds = self.hang_seconds, 0.0
            if self.fail_next:
                self.fail_next -= 1
                return 500
        if hang:
            self.hanging.set()
            time.sleep(hang)
        with self._lock:
            if message_id not in self._seen:  # idempotent by webhook-id
                self._seen.add(message_id)
                self.accepted.append({"webhook_id": message_id, **message})
        return 204

    def objects(self) -> list[tuple[str, int, str]]:
        return [
            (m["data"]["resource"], m["data"]["id"], m["data"]["action"]) for m in self.accepted
        ]


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def dumps(value) -> str:
    return json.dumps(value, indent=1, default=str)
