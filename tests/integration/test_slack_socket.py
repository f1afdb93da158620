"""Socket Mode against local fakes: apps.connections.open on the fake Web API, a websocket that sends envelopes."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.server import ServerConnection, serve

from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE
from newsroom.slack.server import socket_mode_handler
from tests.fakes.scripted import DEMO, scripted
from tests.fakes.slack import fake_slack
from tests.integration.test_slack import CHANNEL, EDITOR, PUBLISH, button, slack_env, wait_drafts


@contextmanager
def socket_server(envelopes: queue.Queue[dict[str, Any]], acks: queue.Queue[dict[str, Any]]) -> Iterator[str]:
    """Says hello, then sends each queued envelope and collects the client's acknowledgements."""

    def handler(ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1}))
        while True:
            try:
                env = envelopes.get(timeout=0.1)
                ws.send(json.dumps(env))
            except queue.Empty:
                pass
            try:
                msg = ws.recv(timeout=0.05)
                acks.put(json.loads(msg))
            except TimeoutError:
                pass
            except Exception:
                return

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"ws://127.0.0.1:{server.socket.getsockname()[1]}/link"
        server.shutdown()


def test_socket_mode_round_trips_a_command_and_a_button_click(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    envelopes: queue.Queue[dict[str, Any]] = queue.Queue()
    acks: queue.Queue[dict[str, Any]] = queue.Queue()
    with fake_slack() as slack, socket_server(envelopes, acks) as ws_url:
        slack.socket_url = ws_url
        slack_env(monkeypatch, slack, tmp_path / "data")
        monkeypatch.delenv("SLACK_SIGNING_SECRET")  # Socket Mode needs none
        settings = Settings()
        ctx = build_context(settings, model_override=scripted())
        room = ctx.room
        room.ingest([str(DEMO)])
        handler = socket_mode_handler(build_app(ctx, socket_mode=True), "xapp-test")
        handler.connect()
        try:
            envelopes.put(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "command": "/newsroom",
                        "text": "explain the DeepSeek funding round",
                        "user_id": "UREQ",
                        "channel_id": CHANNEL,
                        "team_id": "T1",
                        "trigger_id": "T-socket",
                        "response_url": slack.response_url(),
                    },
                }
            )
            assert acks.get(timeout=30)["envelope_id"] == "env-1"
            draft = wait_drafts(slack, 1)[0]
            envelopes.put(
                {
                    "envelope_id": "env-2",
                    "type": "interactive",
                    "accepts_response_payload": False,
                    "payload": {
                        "type": "block_actions",
                        "team": {"id": "T1"},
                        "user": {"id": EDITOR},
                        "trigger_id": "T-2",
                        "channel": {"id": CHANNEL},
                        "container": {"type": "message", "channel_id": CHANNEL, "message_ts": draft["_ts"]},
                        "actions": [
                            {"type": "button", "action_id": APPROVE, "value": button(draft, APPROVE)}
                        ],
                    },
                }
            )
            assert acks.get(timeout=30)["envelope_id"] == "env-2"
            assert slack.wait_for("chat.postMessage", channel=PUBLISH)
            opened = [c for c in slack.calls if c["method"] == "apps.connections.open"]
            assert opened and opened[0]["auth"] == "Bearer xapp-test"
        finally:
            handler.close()
