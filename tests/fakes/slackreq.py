"""Signed Slack requests, as Slack sends them: slash commands and interactivity payloads over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

SECRET = "test-signing-secret"


def signed(body: str, secret: str = SECRET, at: float | None = None) -> dict[str, str]:
    ts = str(int(at if at is not None else time.time()))
    sig = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={sig}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def post(url: str, body: str, headers: dict[str, str] | None = None, **sign: Any) -> httpx.Response:
    return httpx.post(
        f"{url}/slack/events", content=body, headers={**signed(body, **sign), **(headers or {})}
    )


def command(
    text: str, user: str = "UREQ", channel: str = "CNEWS", trigger: str = "T-1", respond_to: str = ""
) -> str:
    return urlencode(
        {
            "command": "/newsroom",
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "team_id": "T1",
            "trigger_id": trigger,
            "response_url": respond_to,
        }
    )


def click(action_id: str, value: str, user: str, channel: str, message_ts: str, trigger: str = "T-2") -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "trigger_id": trigger,
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel, "message_ts": message_ts},
        "message": {"ts": message_ts},
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "newsroom_decision", "value": value}
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def submit(view: dict[str, Any], note: str, user: str) -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "view": {
            **view,
            "id": "V1",
            "state": {"values": {"note": {"text": {"type": "plain_text_input", "value": note}}}},
        },
    }
    return urlencode({"payload": json.dumps(payload)})


def event(inner: dict[str, Any], event_id: str = "Ev1") -> str:
    """An Events API callback as Slack posts it (JSON: send it with `JSON` headers)."""
    return json.dumps(
        {
            "token": "unused",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": inner,
        }
    )


JSON = {"Content-Type": "application/json"}


def home_click(action_id: str, value: str, user: str, trigger: str = "T-3") -> str:
    """A button pressed on the App Home tab: its container is the view, there is no channel."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "trigger_id": trigger,
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home", "callback_id": "newsroom_home"},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
    }
    return urlencode({"payload": json.dumps(payload)})


def submit_view(view: dict[str, Any], values: dict[str, Any], user: str, view_id: str = "V1") -> str:
    """A modal submitted with `values` as Slack's `state.values` (block_id → action_id → value)."""
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "view": {**view, "id": view_id, "state": {"values": values}},
    }
    return urlencode({"payload": json.dumps(payload)})


def submit_inputs(view: dict[str, Any], changes: dict[str, str], user: str, view_id: str = "V1") -> str:
    """A view_submission as Slack sends it: every plain-text input's value (its initial value unless `changes`,
    block id -> text, says what the user typed instead)."""
    values = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block["element"]
        text = changes.get(block["block_id"], element.get("initial_value", ""))
        values[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": text}}
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "view": {**view, "id": view_id, "hash": f"{view_id}-h", "state": {"values": values}},
    }
    return urlencode({"payload": json.dumps(payload)})


def choose(view: dict[str, Any], action_id: str, value: str, user: str, view_id: str = "V1") -> str:
    """A block_actions payload from a select inside an open modal."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "container": {"type": "view", "view_id": view_id},
        "view": {**view, "id": view_id, "hash": f"{view_id}-h"},
        "actions": [{"type": "static_select", "action_id": action_id, "selected_option": {"value": value}}],
    }
    return urlencode({"payload": json.dumps(payload)})


def file_share(
    user: str, channel: str, thread_ts: str, file_ids: list[str], ts: str = "1700000099.000001"
) -> dict[str, Any]:
    """The `message` event Slack sends when someone shares files in a thread."""
    return {
        "type": "message",
        "subtype": "file_share",
        "user": user,
        "channel": channel,
        "channel_type": "channel",
        "ts": ts,
        "thread_ts": thread_ts,
        "text": "",
        "files": [{"id": f, "mode": "hosted"} for f in file_ids],
    }


def message_action(
    callback_id: str, message: dict[str, Any], user: str, channel: str, trigger: str = "T-3"
) -> str:
    """A message shortcut (`message_action`) on `message`, as Slack posts it to the interactivity URL."""
    payload = {
        "type": "message_action",
        "callback_id": callback_id,
        "team": {"id": "T1"},
        "user": {"id": user},
        "channel": {"id": channel},
        "trigger_id": trigger,
        "message_ts": message.get("ts", ""),
        "message": message,
        "response_url": "",
    }
    return urlencode({"payload": json.dumps(payload)})
