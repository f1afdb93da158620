"""Beat briefings in Slack: `/newsroom brief`, a scheduled run, and nothing new, against the fake Web API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE
from newsroom.slack.briefs import on_schedule
from newsroom.slack.context import SlackContext
from newsroom.slack.server import http_server
from tests.fakes.http import closed_port_url
from tests.fakes.scripted import DEMO, scripted
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import click, command, post
from tests.integration.test_slack import EDITOR, PUBLISH, button, said, slack_env, wait_drafts

BEAT_CHANNEL = "CAI"


@dataclass
class Bot:
    url: str
    slack: FakeSlack
    room: Newsroom
    ctx: SlackContext


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    beats = tmp_path / "beats.toml"
    beats.write_text(
        f"""
[beats.ai-industry]
channel = "{BEAT_CHANNEL}"
sources = ["{DEMO}", "{closed_port_url()}"]
query = "DeepSeek investors and valuation"
schedule = "0 7 * * 1-5"
timezone = "Asia/Shanghai"
lookback = "3650d"
""",
        encoding="utf-8",
    )
    with fake_slack() as slack:
        slack_env(monkeypatch, slack, tmp_path / "data")
        monkeypatch.setenv("NEWSROOM_BEATS_FILE", str(beats))
        settings = Settings()
        ctx = build_context(settings, model_override=scripted())
        room = ctx.room
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_address[1]}", slack, room, ctx)
        finally:
            server.shutdown()
            server.server_close()


def test_brief_command_posts_a_briefing_in_the_beat_channel_and_approval_publishes_it(bot: Bot) -> None:
    resp = post(bot.url, command("brief ai-industry", user="UREQ"))
    assert said(resp) == f"Briefing on ai-industry requested; it will appear in <#{BEAT_CHANNEL}>."
    draft = wait_drafts(bot.slack, 1)[0]
    parent = bot.slack.of("chat.postMessage")[0]
    assert parent["channel"] == BEAT_CHANNEL and parent["text"].startswith(
        "Briefing on ai-industry (requested by <@UREQ>): 8 new records since"
    )
    assert draft["channel"] == BEAT_CHANNEL and draft["thread_ts"] == parent["_ts"]
    text = json.dumps(draft["blocks"])
    assert "Briefing on *ai-industry*" in text and "Citation audit passed" in text
    assert "Sources that could not be read this time" in text and "ConnectError" in text
    value = button(draft, APPROVE)
    assert json.loads(value)["story_id"] == f"slack-{BEAT_CHANNEL}-{parent['_ts']}"
    post(bot.url, click(APPROVE, value, EDITOR, BEAT_CHANNEL, draft["_ts"]))
    published = bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    assert len(published) == 1 and "Briefing on *ai-industry*" in json.dumps(published[0]["blocks"])
    updated = bot.slack.wait_for("chat.update", ts=draft["_ts"])
    assert (
        updated
        and "Approved by <@UEDITOR>" in json.dumps(updated[-1])
        and updated[-1]["channel"] == BEAT_CHANNEL
    )


def test_a_scheduled_run_posts_the_same_way_and_then_finds_nothing_new(bot: Bot) -> None:
    due = on_schedule(bot.ctx)
    due("ai-industry")
    draft = wait_drafts(bot.slack, 1)[0]
    parent = bot.slack.of("chat.postMessage")[0]
    assert parent["text"].startswith("Briefing on ai-industry (scheduled): ")
    post(bot.url, click(APPROVE, button(draft, APPROVE), EDITOR, BEAT_CHANNEL, draft["_ts"]))
    assert "Approved by" in json.dumps(bot.slack.wait_for("chat.update", ts=draft["_ts"]))
    due("ai-industry")  # the rest of the beat
    second = wait_drafts(bot.slack, 2)[-1]
    post(bot.url, click(APPROVE, button(second, APPROVE), EDITOR, BEAT_CHANNEL, second["_ts"]))
    assert "Approved by" in json.dumps(bot.slack.wait_for("chat.update", ts=second["_ts"]))
    bot.slack.wait_for("chat.postMessage", count=2, channel=PUBLISH)
    before = len(bot.slack.of("chat.postMessage"))
    due("ai-industry")
    line = bot.slack.of("chat.postMessage")[before:]
    assert len(line) == 1 and "thread_ts" not in line[0]
    assert line[0]["text"].startswith("Nothing new on ai-industry since ")
    assert "Could not read: http://127.0.0.1:" in line[0]["text"]


def test_brief_without_a_known_beat_says_which_beats_there_are(bot: Bot) -> None:
    assert said(post(bot.url, command("brief"))) == (
        "Say which beat: `/newsroom brief <beat>` (beats: ai-industry)."
    )
    assert "no beat 'sports'" in said(post(bot.url, command("brief sports", trigger="T-9")))
    assert bot.slack.of("chat.postMessage") == []


def test_a_beat_channel_the_bot_is_not_in_is_explained_to_the_editor(bot: Bot) -> None:
    bot.slack.outside.add(BEAT_CHANNEL)
    post(bot.url, command("brief ai-industry", respond_to=bot.slack.response_url("brief")))
    reply = bot.slack.wait_for("/respond/brief")
    assert reply and reply[0]["response_type"] == "ephemeral"
    assert reply[0]["text"].startswith(
        f"The briefing on ai-industry could not be posted in <#{BEAT_CHANNEL}> (not_in_channel). Invite the bot"
    )
