"""Serving the bot: HTTP (POST /slack/events, GET /healthz, GET /readyz) under uvicorn, or Socket Mode."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import anyio
import anyio.to_thread
import uvicorn
from slack_bolt import App, BoltRequest
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from newsroom.health import Check, failing

log = logging.getLogger("newsroom.slack")
EVENTS_PATH = "/slack/events"
MAX_BODY = 1_000_000  # Slack's largest payloads (a modal's state) are a few KB
BODY_TIMEOUT_S = 10.0
HEADER_TIMEOUT_S = 10.0
MAX_HEAD = 16 * 1024  # Slack's request line and headers are under 2 KB
_TYPES = ("application/x-www-form-urlencoded", "application/json")
Send = Any
Receive = Any
Readiness = Callable[[], list[Check]]
READY_TTL_S = 1.0  # probes from several load balancers within a second share one round of checks


class _Ready:
    """The readiness checks, run off the event loop one round at a time; callers within READY_TTL_S of a
    round get its answer instead of opening more connections to the database."""

    def __init__(self, checks: Readiness | None) -> None:
        self.checks = checks
        self.lock = anyio.Lock()
        self.at = -math.inf
        self.last: list[Check] = []

    async def answer(self) -> tuple[int, dict[str, Any]]:
        if self.checks is None:
            # A server built without checks must not claim readiness it never looked at.
            why = "This server was started without readiness checks; `newsroom serve` gives it them."
            return 503, {"ready": False, "failing": [why], "checks": []}
        async with self.lock:
            if time.monotonic() - self.at > READY_TTL_S:
                self.last = await anyio.to_thread.run_sync(self.checks)
                self.at = time.monotonic()
            checks = self.last
        problems = failing(checks)
        body = {"ready": not problems, "failing": problems, "checks": [c.as_json() for c in checks]}
        return (503 if problems else 200), body


class SlackASGI:
    """Checks what can be checked before Bolt sees a request (size, type, encoding), then dispatches it
    on a worker thread: Bolt's App is synchronous, the event loop must never wait on it."""

    def __init__(self, app: App, threads: int = 64, ready: Readiness | None = None) -> None:
        self.app = app
        self.limiter = anyio.CapacityLimiter(threads)
        self.ready = _Ready(ready)

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if method == "GET" and path == "/healthz":  # liveness: the process serves
            await _answer(send, 200, json.dumps({"ok": True}), "application/json")
            return
        if method == "GET" and path == "/readyz":  # readiness: what this front needs answers
            status, report = await self.ready.answer()
            await _answer(send, status, json.dumps(report, ensure_ascii=False), "application/json")
            return
        if method != "POST" or path != EVENTS_PATH:
            await _answer(send, 404, "Not found. Slack requests go to POST /slack/events.")
            return
        headers: dict[str, list[str]] = {}
        for key, value in scope["headers"]:
            headers.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        status, problem = _refusal(headers)
        if problem:
            await _answer(send, status, problem)
            return
        length = int(headers["content-length"][0])
        try:
            with anyio.fail_after(BODY_TIMEOUT_S):
                raw = await _body(receive, length)
        except TimeoutError:
            await _answer(send, 400, f"The request body did not arrive within {BODY_TIMEOUT_S:g} s.")
            return
        if raw is None or len(raw) != length:
            await _answer(send, 400, "The body does not match its Content-Length.")
            return
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            await _answer(send, 400, "The body is not UTF-8.")
            return
        bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
        query = scope.get("query_string", b"").decode("latin-1")
        request = BoltRequest(body=body, query=query, headers=bolt_headers)
        resp = await anyio.to_thread.run_sync(self.app.dispatch, request, limiter=self.limiter)
        extra = {k: v for k, v in resp.headers.items() if k.lower() not in ("content-length", "connection")}
        await _answer(send, resp.status, resp.body, None, extra)


def _refusal(headers: dict[str, list[str]]) -> tuple[int, str]:
    """(status, sentence) for a request that is refused before its body is read; (200, "") otherwise."""
    declared = headers.get("content-length") or []
    if len(declared) != 1 or not declared[0].isdigit():
        return 400, "A Slack request needs one non-negative numeric Content-Length."
    if int(declared[0]) > MAX_BODY:
        return 413, f"The body is larger than {MAX_BODY} bytes; Slack never sends that much."
    ctype = (headers.get("content-type") or [""])[0].split(";", 1)[0].strip().lower()
    if ctype not in _TYPES:
        return 400, "A Slack request is form-encoded or JSON."
    stamp = (headers.get("x-slack-request-timestamp") or ["0"])[0]
    if not stamp.isdigit():
        return 400, "X-Slack-Request-Timestamp must be a number."
    return 200, ""


async def _body(receive: Receive, length: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > length:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(
    send: Send, status: int, body: str, ctype: str | None = "text/plain; charset=utf-8", extra: Any = None
) -> None:
    data = body.encode("utf-8")
    headers = [(b"content-length", str(len(data)).encode())]
    if ctype:
        headers.append((b"content-type", ctype.encode()))
    for key, values in (extra or {}).items():
        for value in values if isinstance(values, list) else [values]:
            headers.append((key.lower().encode("latin-1"), str(value).encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class _HeadTooLarge(Exception):
    """A request line and headers longer than MAX_HEAD: refused as a malformed request."""


class _Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (a C parser: about a third of a request's time went to h11's parsing under
    a burst, bench_scale) with what uvicorn leaves out: a deadline for the request line and headers, and a cap
    on their size. A connection that has not sent a whole head in time is closed; a head over MAX_HEAD bytes
    gets 400 and the connection is closed."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head = 0
        self.loop.call_later(HEADER_TIMEOUT_S, self._head_deadline)

    def _head_deadline(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head = 0

    def _count(self, size: int) -> None:
        self._head += size
        if self._head > MAX_HEAD:
            raise _HeadTooLarge  # the parser stops; uvicorn answers 400 and closes the connection

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)


class HTTPServer:
    """uvicorn on a socket bound up front (so port 0 works), with the stdlib server's start/stop calls."""

    def __init__(self, app: App, host: str, port: int, ready: Readiness | None = None) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.socket.listen(128)
        self.server_address = self.socket.getsockname()
        config = uvicorn.Config(
            SlackASGI(app, ready=ready),
            http=_Protocol,
            lifespan="off",
            log_config=None,  # uvicorn's records go to the root logger: one format (newsroom/logs.py)
            log_level="warning",
            access_log=False,
            server_header=False,
            proxy_headers=False,  # nothing here reads the client's address: no middleware per request
            timeout_keep_alive=5,
            limit_concurrency=1000,
        )
        self.server = uvicorn.Server(config)
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self.server.should_exit = True
        self._stopped.wait(10)

    def server_close(self) -> None:
        self.socket.close()


def http_server(
    app: App, host: str = "127.0.0.1", port: int = 3000, ready: Readiness | None = None
) -> HTTPServer:
    """The HTTP door: every Slack request checked for size, type and encoding, then verified by Bolt.
    `ready` is what GET /readyz runs, e.g. `lambda: readiness(settings, slack=True)` (newsroom/health.py);
    without it /readyz answers 503."""
    return HTTPServer(app, host, port, ready)


def socket_mode_handler(app: App, app_token: str) -> Any:
    """Bolt's Socket Mode handler over slack_sdk's built-in websocket client (through app.client's base URL)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token)
