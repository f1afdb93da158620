"""Serving the bot: HTTP (POST /slack/events, GET /healthz) on the configured host, or Socket Mode."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_bolt import App, BoltRequest

log = logging.getLogger("newsroom.slack")
EVENTS_PATH = "/slack/events"


def http_server(app: App, host: str = "127.0.0.1", port: int = 3000) -> ThreadingHTTPServer:
    """A stdlib server handing every Slack request to Bolt (which verifies signature and timestamp)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, body: str, headers: dict[str, Any] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            for key, value in (headers or {}).items():
                for v in value if isinstance(value, list) else [value]:
                    if key.lower() not in ("content-length", "connection"):
                        self.send_header(key, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/healthz":
                self._send(200, json.dumps({"ok": True}), {"Content-Type": "application/json"})
            else:
                self._send(404, "Not found. Slack requests go to POST /slack/events.")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            if self.path.split("?", 1)[0] != EVENTS_PATH:
                self._send(404, "Not found. Slack requests go to POST /slack/events.")
                return
            headers: dict[str, str | Sequence[str]] = {k.lower(): [v] for k, v in self.headers.items()}
            resp = app.dispatch(BoltRequest(body=raw, query=self.path.partition("?")[2], headers=headers))
            self._send(resp.status, resp.body, resp.headers)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s %s", self.address_string(), format % args)

    server = _Server((host, port), Handler)
    server.daemon_threads = True
    return server


class _Server(ThreadingHTTPServer):
    # The stdlib listens with a backlog of 5: a burst of commands (a channel of editors, Slack retrying)
    # was reset at connect. Measured in bench/bench_slack.py with 50 at once.
    request_queue_size = 128


def socket_mode_handler(app: App, app_token: str) -> Any:
    """Bolt's Socket Mode handler over slack_sdk's built-in websocket client (through app.client's base URL)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token)
