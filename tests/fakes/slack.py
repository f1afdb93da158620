"""A local fake of Slack's Web API (and response_url): records every call, answers like Slack would."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.fakes import blockkit
from tests.fakes.server import QuietHandler, serve


@dataclass
class FakeSlack:
    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    group_members: list[str] = field(default_factory=list)
    socket_url: str = ""
    outside: set[str] = field(default_factory=set)
    """Channels the bot is not in: posting there answers not_in_channel, as Slack does."""
    files: dict[str, tuple[dict[str, Any], bytes]] = field(default_factory=dict)
    """Shared files by id: (what files.info says, the bytes its download URL serves to the bot's token)."""
    token: str = "xoxb-test-token"
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.url}/respond/{name}"

    def of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c["body"] for c in self.calls if c["method"] == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 60.0, **match: Any
    ) -> list[dict[str, Any]]:
        """Calls to `method` whose body has every key/value in `match`, once at least `count` arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [b for b in self.of(method) if all(b.get(k) == v for k, v in match.items())]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def add_file(self, file_id: str, name: str, content: bytes, **info: Any) -> dict[str, Any]:
        """A file as Slack keeps it: files.info describes it, its url_private_download serves it with a token."""
        described = {
            "id": file_id,
            "name": name,
            "size": len(content),
            "url_private_download": f"{self.url}/files-pri/T1-{file_id}/download/{name}",
            **info,
        }
        self.files[file_id] = (described, content)
        return described

    def texts(self, method: str = "chat.postMessage") -> list[str]:
        return [str(b.get("text", "")) for b in self.of(method)]

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage" and body.get("channel") in self.outside:
            return {"ok": False, "error": "not_in_channel"}
        if method in ("chat.postMessage", "chat.update"):
            ts = body.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method in ("views.open", "views.update"):
            view = body.get("view") if isinstance(body.get("view"), dict) else {}
            view_id = body.get("view_id") or f"V{next(self._ts):06d}"
            return {"ok": True, "view": {**view, "id": view_id, "hash": f"{view_id}-h"}}
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.group_members}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method in ("views.publish", "views.open", "views.update"):
            refused = blockkit.problems(body.get("view") or {})
            if refused:  # Slack refuses the whole view and says why
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": refused}}
            return {"ok": True, "view": {**body.get("view", {}), "id": f"V{next(self._ts):06d}"}}
        if method == "chat.getPermalink":
            ts = str(body.get("message_ts", "")).replace(".", "")
            return {"ok": True, "permalink": f"https://fake.slack.test/archives/{body.get('channel')}/p{ts}"}
        if method == "files.info":
            found = self.files.get(str(body.get("file")))
            return {"ok": True, "file": found[0]} if found else {"ok": False, "error": "file_not_found"}
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"}
        return {"ok": True}


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            if path.startswith("/api/"):  # slack_sdk sends some methods (files.info) as GET
                self._api(path, {k: v[0] for k, v in parse_qs(query).items()})
                return
            file_id = path.removeprefix("/files-pri/T1-").partition("/")[0]
            found = fake.files.get(file_id) if path.startswith("/files-pri/") else None
            auth = self.headers.get("Authorization")
            with fake._lock:
                fake.calls.append({"method": "download", "body": {"path": path}, "auth": auth})
            if found is None or auth != f"Bearer {fake.token}":
                self.send_response(404 if found is None else 403)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(found[1])))
            self.end_headers()
            self.wfile.write(found[1])

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or "{}")
            else:
                body = {k: v[0] for k, v in parse_qs(raw).items()}
            self._api(self.path, body)

        def _api(self, path: str, body: dict[str, Any]) -> None:
            for key in ("blocks", "view"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
            method = path.removeprefix("/api/") if path.startswith("/api/") else path
            answer = fake.answer(method, body)
            if "ts" in answer:
                body["_ts"] = answer["ts"]  # the ts Slack gave the message, for tests to click on
            with fake._lock:
                fake.calls.append({"method": method, "body": body, "auth": self.headers.get("Authorization")})
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    with serve(Handler) as base:
        fake.url = base
        yield fake
