"""The Slack bot driven from outside: signed HTTP requests in, a fake Slack Web API recording every call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE, REJECT, REVISE
from newsroom.slack.server import http_server
from tests.fakes.openai import story_endpoint
from tests.fakes.scripted import DEMO, scripted
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import SECRET, click, command, post, submit

EDITOR, REPORTER, CHANNEL, PUBLISH = "UEDITOR", "UREPORTER", "CNEWS", "CPUBLISH"


@dataclass
class Bot:
    url: str
    slack: FakeSlack
    room: Newsroom


def slack_env(monkeypatch: pytest.MonkeyPatch, slack: FakeSlack, data: Path) -> None:
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(data))
    monkeypatch.setenv("NEWSROOM_SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("NEWSROOM_SLACK_APPROVERS", f"{EDITOR}, UOTHER")
    monkeypatch.setenv("NEWSROOM_SLACK_PUBLISH_CHANNEL", PUBLISH)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)


@pytest.fixture
def allow_local(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local fakes this test means to reach, named explicitly; nothing else private is allowed."""
    monkeypatch.setenv("NEWSROOM_FETCH_ALLOW", "127.0.0.1")


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    with fake_slack() as slack:
        slack_env(monkeypatch, slack, tmp_path / "data")
        settings = Settings()
        ctx = build_context(settings, model_override=scripted())
        room = ctx.room
        room.ingest([str(DEMO)])
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_address[1]}", slack, room)
        finally:
            room.jobs.shutdown()  # no back-off retry outlives the fake Slack
            server.shutdown()
            server.server_close()


def drafts(slack: FakeSlack) -> list[dict[str, Any]]:
    """Messages carrying decision buttons, oldest first."""
    return [
        b
        for b in slack.of("chat.postMessage")
        if any(block.get("type") == "actions" for block in b.get("blocks") or [])
    ]


def wait_drafts(slack: FakeSlack, count: int, timeout: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while len(drafts(slack)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    found = drafts(slack)
    assert len(found) >= count, f"no draft posted; thread said: {slack.texts()}"
    return found


def button(draft: dict[str, Any], action_id: str) -> str:
    actions = next(b for b in draft["blocks"] if b["type"] == "actions")
    return next(e["value"] for e in actions["elements"] if e["action_id"] == action_id)


def said(resp: httpx.Response) -> str:
    """The text of an ack: Bolt answers plain text, or JSON when there is more than text."""
    if "json" in resp.headers.get("content-type", ""):
        return str(resp.json().get("text", ""))
    return resp.text


def start_story(bot: Bot, topic: str = "the DeepSeek funding round", trigger: str = "T-1") -> dict[str, Any]:
    resp = post(bot.url, command(f"explain {topic}", user="UREQ", trigger=trigger))
    assert resp.status_code == 200
    return wait_drafts(bot.slack, 1)[-1]


def test_explain_acks_then_posts_parent_progress_and_a_draft_with_buttons(bot: Bot) -> None:
    started = time.perf_counter()
    resp = post(bot.url, command("explain the DeepSeek funding round"))
    assert resp.status_code == 200 and time.perf_counter() - started < 3
    draft = wait_drafts(bot.slack, 1)[0]
    parent = bot.slack.of("chat.postMessage")[0]
    assert parent["channel"] == CHANNEL and "thread_ts" not in parent
    assert parent["text"] == "Explainer on “the DeepSeek funding round”, requested by <@UREQ>"
    thread = [b for b in bot.slack.of("chat.postMessage") if b.get("thread_ts") == parent["_ts"]]
    said = [b["text"] for b in thread]
    assert any(t.startswith("Research: ") and "sources" in t for t in said)
    assert any(t.startswith("Fact-check: ") and "conflicts" in t for t in said)
    assert any(t.startswith("Citation audit: ") for t in said)
    assert draft["thread_ts"] == parent["_ts"]
    text = json.dumps(draft["blocks"])
    assert "Questions and answers" in text or "*Q" in text or "FAQ" in text or "?" in text
    assert {json.loads(button(draft, a))["version"] for a in (APPROVE, REVISE, REJECT)} == {1}
    story = json.loads(button(draft, APPROVE))["story_id"]
    assert story == f"slack-{CHANNEL}-{parent['_ts']}"
    assert bot.room.show(story)["status"] == "pending_approval"
    # every Web API call carried the bot token
    assert {c["auth"] for c in bot.slack.calls} == {"Bearer xoxb-test-token"}


def test_approve_publishes_once_and_updates_the_draft(bot: Bot) -> None:
    draft = start_story(bot)
    value = button(draft, APPROVE)
    assert post(bot.url, click(APPROVE, value, EDITOR, CHANNEL, draft["_ts"])).status_code == 200
    update = bot.slack.wait_for("chat.update", ts=draft["_ts"])[0]
    assert update["text"].startswith(f"Approved by <@{EDITOR}> at <!date^")
    assert f"published in <#{PUBLISH}>" in update["text"]
    assert not any(b["type"] == "actions" for b in update["blocks"])
    published = bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    assert len(published) == 1 and published[0]["blocks"][0]["type"] == "header"
    story = json.loads(value)["story_id"]
    assert bot.room.show(story)["status"] == "published"
    assert list((bot.room.settings.published_dir).glob("*.md"))


def test_double_click_concurrent_approvers_and_a_redelivery_publish_exactly_once(bot: Bot) -> None:
    draft = start_story(bot)
    value = button(draft, APPROVE)
    bodies = [
        (click(APPROVE, value, EDITOR, CHANNEL, draft["_ts"]), {}),
        (click(APPROVE, value, EDITOR, CHANNEL, draft["_ts"]), {}),
        (click(APPROVE, value, "UOTHER", CHANNEL, draft["_ts"]), {}),
        (click(APPROVE, value, EDITOR, CHANNEL, draft["_ts"]), {"X-Slack-Retry-Num": "1"}),
    ]
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda b: post(bot.url, b[0], b[1]).status_code, bodies))
    assert codes == [200, 200, 200, 200]
    refusals = bot.slack.wait_for("chat.postEphemeral", count=3)
    # the losers hear it was decided (or, if the winner already finished, that it is published)
    assert len(refusals) == 3 and all("already" in r["text"] for r in refusals), refusals
    time.sleep(0.5)
    assert len([b for b in bot.slack.of("chat.postMessage") if b["channel"] == PUBLISH]) == 1
    assert len(bot.slack.of("chat.update")) == 1


def test_a_non_editor_is_told_so_and_nothing_changes(bot: Bot) -> None:
    draft = start_story(bot)
    for action in (APPROVE, REJECT, REVISE):
        post(bot.url, click(action, button(draft, action), REPORTER, CHANNEL, draft["_ts"]))
    refusals = bot.slack.wait_for("chat.postEphemeral", count=3)
    assert len(refusals) == 3
    assert all(r["user"] == REPORTER and "Only editors can approve" in r["text"] for r in refusals)
    assert not bot.slack.of("chat.update") and not bot.slack.of("views.open")
    assert bot.room.show(json.loads(button(draft, APPROVE))["story_id"])["status"] == "pending_approval"


def test_an_editor_in_the_approver_group_may_decide(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    bot.room.settings.slack.approver_group = "S0EDITORS"
    bot.slack.group_members = [REPORTER]
    draft = start_story(bot)
    post(bot.url, click(REJECT, button(draft, REJECT), REPORTER, CHANNEL, draft["_ts"]))
    update = bot.slack.wait_for("chat.update")[0]
    assert update["text"].startswith(f"Rejected by <@{REPORTER}>")
    assert bot.slack.of("usergroups.users.list")[0]["usergroup"] == "S0EDITORS"


def test_reject_updates_the_draft_and_publishes_nothing(bot: Bot) -> None:
    draft = start_story(bot)
    post(bot.url, click(REJECT, button(draft, REJECT), EDITOR, CHANNEL, draft["_ts"]))
    update = bot.slack.wait_for("chat.update", ts=draft["_ts"])[0]
    assert update["text"].startswith(f"Rejected by <@{EDITOR}>")
    assert not any(b["type"] == "actions" for b in update["blocks"])
    assert not [b for b in bot.slack.of("chat.postMessage") if b["channel"] == PUBLISH]
    assert bot.room.show(json.loads(button(draft, REJECT))["story_id"])["status"] == "rejected"


def test_request_changes_opens_a_modal_and_posts_a_second_draft_superseding_the_first(bot: Bot) -> None:
    first = start_story(bot)
    post(bot.url, click(REVISE, button(first, REVISE), EDITOR, CHANNEL, first["_ts"], trigger="T-modal"))
    opened = bot.slack.wait_for("views.open")[0]
    assert opened["trigger_id"] == "T-modal" and opened["view"]["type"] == "modal"
    # an empty note is refused in the modal itself
    empty = post(bot.url, submit(opened["view"], "   ", EDITOR))
    assert empty.json() == {
        "response_action": "errors",
        "errors": {"note": "Say what the writer should change."},
    }
    assert post(bot.url, submit(opened["view"], "Lead with the valuation.", EDITOR)).status_code == 200
    second = wait_drafts(bot.slack, 2)[1]
    assert second["thread_ts"] == first["thread_ts"]
    assert json.loads(button(second, APPROVE))["version"] == 2
    superseded = bot.slack.wait_for("chat.update", ts=first["_ts"])[0]
    assert superseded["text"].startswith("Superseded by draft 2")
    assert not any(b["type"] == "actions" for b in superseded["blocks"])
    story = json.loads(button(second, APPROVE))["story_id"]
    assert "Lead with the valuation." in bot.room.model.calls[-1]["user"]  # type: ignore[attr-defined]
    # the old draft's buttons are refused; the new one publishes
    post(bot.url, click(APPROVE, button(first, APPROVE), EDITOR, CHANNEL, first["_ts"]))
    refusal = bot.slack.wait_for("chat.postEphemeral")[0]
    assert "replaced by a newer one" in refusal["text"] and "Nothing was changed" in refusal["text"]
    post(bot.url, click(APPROVE, button(second, APPROVE), EDITOR, CHANNEL, second["_ts"]))
    assert bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    assert bot.room.show(story)["history"][-1]["decision"] == "approve"


@pytest.mark.parametrize("text", ["", "help", "frobnicate the thing", "explain", "ingest not-a-url"])
def test_unknown_empty_or_incomplete_commands_get_help_ephemerally(bot: Bot, text: str) -> None:
    resp = post(bot.url, command(text, user=EDITOR))
    assert resp.status_code == 200
    # an ack with text is an ephemeral reply to the one who typed the command
    assert "/newsroom" in said(resp)
    time.sleep(0.3)
    assert not bot.slack.of("chat.postMessage")


def test_status_lists_stories_and_where_each_stands(bot: Bot) -> None:
    draft = start_story(bot)
    story = json.loads(button(draft, APPROVE))["story_id"]
    text = said(post(bot.url, command("status")))
    assert "1 waiting for a decision" in text and story in text
    assert "There is no story nope" in said(post(bot.url, command("status nope")))


def test_ingest_by_url_replies_with_the_summary(allow_local: None, bot: Bot) -> None:
    from tests.fakes.http import closed_port_url, serve_pages

    page = (
        b"<html><head><title>Council vote</title></head><body><article><p>" + b"The council voted 7-2. " * 30
    )
    with serve_pages({"/a": (200, "text/html", page + b"</p></article></body></html>")}) as site:
        body = command(
            f"ingest <{site}/a> {closed_port_url()}", user=EDITOR, respond_to=bot.slack.response_url("ingest")
        )
        assert said(post(bot.url, body)).startswith("Ingesting ")
        reply = bot.slack.wait_for("/respond/ingest")[0]
    assert reply["text"].startswith("1 added") and "rejected" in reply["text"]
    assert "/gone could not be fetched" in reply["text"]  # not whether the port is closed or filtered


def test_bad_signature_and_stale_timestamp_get_401_and_do_nothing(bot: Bot) -> None:
    body = command("explain the DeepSeek funding round")
    assert post(bot.url, body, secret="not-the-secret").status_code == 401
    assert post(bot.url, body, at=time.time() - 6 * 60).status_code == 401
    time.sleep(0.3)
    assert bot.slack.calls == []
    assert post(bot.url, body).status_code == 200


def test_health_check(bot: Bot) -> None:
    assert httpx.get(f"{bot.url}/healthz").json() == {"ok": True}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsroom.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"serve did not come up: {proc.stderr.read().decode() if proc.stderr else ''}")


def test_an_approval_after_the_server_was_killed_and_started_again(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    with fake_slack() as slack, story_endpoint() as (model_url, _):
        env.update(
            NEWSROOM_DATA_DIR=str(tmp_path / "data"),
            NEWSROOM_LLM_BASE_URL=model_url,
            NEWSROOM_LLM_API_KEY="sk-test",
            NEWSROOM_LLM_MODEL="fake-model",
            NEWSROOM_SLACK_API_URL=slack.api_url,
            NEWSROOM_SLACK_APPROVERS=EDITOR,
            NEWSROOM_SLACK_PUBLISH_CHANNEL=PUBLISH,
            SLACK_BOT_TOKEN="xoxb-test-token",
            SLACK_SIGNING_SECRET=SECRET,
        )
        subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "ingest", str(DEMO)],
            env=env,
            check=True,
            capture_output=True,
        )
        port = _free_port()
        first = _serve(env, port)
        try:
            post(f"http://127.0.0.1:{port}", command("explain the DeepSeek funding round"))
            draft = wait_drafts(slack, 1, timeout=120)[0]
        finally:
            first.kill()  # no shutdown: the process dies with the draft waiting
            first.wait()
        second = _serve(env, port)
        try:
            post(
                f"http://127.0.0.1:{port}",
                click(APPROVE, button(draft, APPROVE), EDITOR, CHANNEL, draft["_ts"]),
            )
            update = slack.wait_for("chat.update", ts=draft["_ts"], timeout=60)
            assert update and update[0]["text"].startswith(f"Approved by <@{EDITOR}>")
            assert len(slack.wait_for("chat.postMessage", channel=PUBLISH)) == 1
        finally:
            second.terminate()
            second.wait()
    assert list((tmp_path / "data" / "published").glob("*.json"))


def test_a_redelivered_command_starts_one_story(bot: Bot) -> None:
    body = command("explain the DeepSeek funding round", trigger="T-same")
    post(bot.url, body)
    post(bot.url, body, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    wait_drafts(bot.slack, 1)
    time.sleep(1.0)
    parents = [b for b in bot.slack.of("chat.postMessage") if "thread_ts" not in b]
    assert len(parents) == 1 and len(bot.room.status()) == 1
