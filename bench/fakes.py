"""bench's own fixtures: a fake Slack Web API on loopback and signed slash commands, as Slack sends them.

bench does not import tests/: a benchmark must run from a checkout without the test suite's doubles, and
a test fake changed for one test's sake must not move a published figure.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

SECRET = "bench-signing-secret"


@dataclass
class FakeSlack:
    """Records every Web API call and answers as Slack would, enough for the bot to draft stories."""

    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c["body"] for c in self.calls if c["method"] == method]

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method in ("chat.postMessage", "chat.update"):
            ts = body.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method == "usergroups.users.list":
            return {"ok": True, "users": []}
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"}
        return {"ok": True}


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    """A FakeSlack served on a free loopback port for the length of the block."""
    fake = FakeSlack()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or "{}")
            else:
                body = {k: v[0] for k, v in parse_qs(raw).items()}
            for key in ("blocks", "view"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
            method = self.path.removeprefix("/api/")
            answer = fake.answer(method, body)
            with fake._lock:
                fake.calls.append({"method": method, "body": body})
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass  # one access-log line per call would drown the figures

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def signed(body: str, secret: str = SECRET) -> dict[str, str]:
    """The headers Slack signs a request with (v0 HMAC-SHA256 over timestamp and body)."""
    ts = str(int(time.time()))
    sig = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={sig}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command(text: str, trigger: str, user: str = "UREQ", channel: str = "CNEWS") -> str:
    """A `/newsroom` slash command's form body."""
    return urlencode(
        {
            "command": "/newsroom",
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "team_id": "T1",
            "trigger_id": trigger,
            "response_url": "",
        }
    )
