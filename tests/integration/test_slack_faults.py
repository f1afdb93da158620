"""Faults a busy newsroom meets in Slack: same-second threads, a publish channel that refuses, retries from
Slack, a flood of change requests, and `serve` killed mid-story."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from newsroom.slack.blocks import APPROVE, RETRY, REVISE
from tests.fakes.openai import story_endpoint
from tests.fakes.scripted import DEMO
from tests.fakes.slack import fake_slack
from tests.fakes.slackreq import SECRET, click, command, post, submit
from tests.integration import test_slack
from tests.integration.test_slack import (
    CHANNEL,
    EDITOR,
    PUBLISH,
    Bot,
    _free_port,
    _serve,
    button,
    said,
    start_story,
    wait_drafts,
)

bot = test_slack.bot  # the same fixture: a bot over HTTP with a fake Slack and the scripted model
FAILED = "publishing to <#CPUBLISH> failed: the bot is not in the channel — invite it, then press Retry"


def _published(bot: Bot) -> list[dict[str, object]]:
    return [b for b in bot.slack.of("chat.postMessage") if b["channel"] == PUBLISH and "_ts" in b]


def _approve_refused(bot: Bot) -> tuple[dict[str, object], str]:
    bot.slack.outside.add(PUBLISH)
    draft = start_story(bot)
    post(bot.url, click(APPROVE, button(draft, APPROVE), EDITOR, CHANNEL, draft["_ts"]))
    update = bot.slack.wait_for("chat.update", ts=draft["_ts"])[0]
    return update, json.loads(button(draft, APPROVE))["story_id"]


def test_two_stories_started_in_the_same_second_approved_concurrently_give_two_file_sets(bot: Bot) -> None:
    post(bot.url, command("explain the DeepSeek funding round", trigger="T-a"))
    post(bot.url, command("explain DeepSeek investors", trigger="T-b"))
    first, second = wait_drafts(bot.slack, 2)[:2]
    assert first["thread_ts"].split(".")[0] == second["thread_ts"].split(".")[0]  # the same second
    with ThreadPoolExecutor(2) as pool:
        list(
            pool.map(
                lambda d: post(bot.url, click(APPROVE, button(d, APPROVE), EDITOR, CHANNEL, d["_ts"])),
                (first, second),
            )
        )
    assert len(bot.slack.wait_for("chat.update", count=2)) == 2
    files = sorted(p.name for p in bot.room.settings.published_dir.iterdir())
    assert len([f for f in files if f.endswith(".json")]) == 2, files
    assert len(files) == 6 and len(bot.slack.wait_for("chat.postMessage", count=2, channel=PUBLISH)) == 2


def test_a_publish_channel_failing_then_recovering_publishes_once_after_retry(bot: Bot) -> None:
    bot.room.jobs.publish_wait_s = 600  # the back-off stays out of this test: the editor retries
    update, story = _approve_refused(bot)
    assert update["text"].startswith(f"Approved by <@{EDITOR}> at ") and FAILED in update["text"]
    retry = next(b for b in update["blocks"] if b["type"] == "actions")["elements"][0]
    assert retry["action_id"] == RETRY
    shown = bot.room.show(story)
    assert shown["status"] == "publishing" and shown["publication"]["files"] == "done"
    # the decision is final: a second click retries the publication, it does not decide again
    post(
        bot.url, click(APPROVE, json.dumps({"story_id": story, "version": 1}), EDITOR, CHANNEL, update["ts"])
    )
    assert FAILED in bot.slack.wait_for("chat.update", count=2)[1]["text"]
    bot.slack.outside.clear()  # someone invited the bot
    post(bot.url, click(RETRY, retry["value"], EDITOR, CHANNEL, update["ts"]))
    done = bot.slack.wait_for("chat.update", count=3)[2]
    assert done["text"] == f"Retried by <@{EDITOR}>: Published in <#{PUBLISH}>."
    assert len(_published(bot)) == 1
    assert bot.room.show(story)["status"] == "published"
    assert len(list(bot.room.settings.published_dir.glob("*.json"))) == 1
    post(bot.url, click(RETRY, retry["value"], EDITOR, CHANNEL, update["ts"]))
    assert "nothing to retry" in bot.slack.wait_for("chat.update", count=4)[3]["text"]
    time.sleep(0.3)
    assert len(_published(bot)) == 1


def test_newsroom_retry_in_slack_finishes_a_publication(bot: Bot) -> None:
    bot.room.jobs.publish_wait_s = 600
    _, story = _approve_refused(bot)
    bot.slack.outside.clear()
    reply_to = bot.slack.response_url("retry")
    assert said(post(bot.url, command(f"retry {story}", respond_to=reply_to, trigger="T-r"))).startswith(
        "Retrying"
    )
    assert bot.slack.wait_for("/respond/retry")[0]["text"] == f"Published in <#{PUBLISH}>."
    assert len(_published(bot)) == 1


def test_the_back_off_publishes_by_itself_once_the_channel_recovers(bot: Bot) -> None:
    bot.room.jobs.publish_wait_s = 0.2
    _, story = _approve_refused(bot)
    bot.slack.outside.clear()
    assert bot.slack.wait_for("chat.postMessage", channel=PUBLISH, timeout=30)
    said_in_thread = bot.slack.wait_for("chat.postMessage", text=f"Published in <#{PUBLISH}>.", timeout=30)
    assert said_in_thread and bot.room.show(story)["status"] == "published"
    assert len(_published(bot)) == 1


def test_six_concurrent_change_requests_post_one_notice(bot: Bot) -> None:
    draft = start_story(bot)
    post(bot.url, click(REVISE, button(draft, REVISE), EDITOR, CHANNEL, draft["_ts"], trigger="T-m"))
    view = bot.slack.wait_for("views.open")[0]["view"]
    with ThreadPoolExecutor(6) as pool:
        list(
            pool.map(
                lambda n: post(bot.url, submit(view, f"Lead with the valuation ({n}).", EDITOR)), range(6)
            )
        )
    wait_drafts(bot.slack, 2)
    time.sleep(1.0)
    notices = [t for t in bot.slack.texts() if "asked for changes" in t]
    assert len(notices) == 1, notices
    assert len(wait_drafts(bot.slack, 2)) == 2  # one rewrite, not six
    refusals = bot.slack.of("chat.postEphemeral")
    assert all("Your note was not sent" in r["text"] for r in refusals)


def test_serve_killed_mid_story_finishes_it_after_restart(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    with fake_slack() as slack, story_endpoint(delay_s=0.4) as (model_url, _):
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
        subprocess.run([sys.executable, "-m", "newsroom.cli", "ingest", str(DEMO)], env=env, check=True)
        port = _free_port()
        first = _serve(env, port)
        try:
            post(f"http://127.0.0.1:{port}", command("explain the DeepSeek funding round"))
            deadline = time.monotonic() + 60
            while not any(t.startswith("Fact-check") for t in slack.texts()) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            first.kill()  # SIGKILL: no clean-up of any kind
            first.wait()
        assert not [d for d in slack.of("chat.postMessage") if d.get("blocks")], "killed too late"
        status = subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "status"], env=env, capture_output=True, text=True
        )
        assert " running " in status.stdout
        second = _serve(env, port)
        try:
            draft = wait_drafts(slack, 1, timeout=120)[0]
            assert "Resumed after a restart; here is the draft." in slack.texts()
            post(
                f"http://127.0.0.1:{port}",
                click(APPROVE, button(draft, APPROVE), EDITOR, CHANNEL, draft["_ts"]),
            )
            updated = slack.wait_for("chat.update", ts=draft["_ts"], timeout=60)
            assert updated, (slack.texts("chat.postEphemeral") + slack.texts(), _history(env))
            assert len(slack.wait_for("chat.postMessage", channel=PUBLISH)) == 1
        finally:
            second.terminate()
            second.wait()
    assert len(list((tmp_path / "data" / "published").glob("*.json"))) == 1


def _history(env: dict[str, str]) -> str:
    """Where the story's checkpoints stand, for a failure message."""
    code = (
        "from newsroom.service import Newsroom\nfrom newsroom.settings import Settings\n"
        "r = Newsroom(Settings())\nsid = r.status()[0]['story_id']\nprint(r.status())\n"
        "for s in r.graph.get_state_history({'configurable': {'thread_id': sid}}):\n"
        "    print(s.metadata.get('step'), s.next, s.values.get('status'), s.metadata.get('source'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return done.stdout + done.stderr[-2000:]
