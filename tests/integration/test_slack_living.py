"""Living stories driven as Slack sends them: Update on a published explainer (editors only, one run for two
clicks) gives a v2 draft with What changed, approved into a page listing both versions; a record ingested after
publication that contradicts a value is told in the story's thread once."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from newsroom.documents.files import file_stem
from newsroom.slack import living
from newsroom.slack.blocks import APPROVE, UPDATE
from newsroom.slack.client import web_client
from newsroom.slack.context import SlackContext
from tests.fakes.slackreq import click, command, post
from tests.integration.test_slack import (
    CHANNEL,
    EDITOR,
    PUBLISH,
    REPORTER,
    Bot,
    button,
    said,
    start_story,
    wait_drafts,
)

# Reporting that arrives after v1: the round grew (a changed value, said to be newer), and a new outlet values
# the company differently from the reports v1 cited (a new disagreement).
GREW = {
    "id": "ds-21",
    "outlet": "The Compute Desk",
    "published_at": "2026-11-10T09:00:00Z",
    "title": "DeepSeek round grows",
    "text": "DeepSeek is now raising $9.1 billion in its first outside funding round as more backers joined, "
    "according to documents seen by The Compute Desk. Tencent remains the lead investor.",
}
VALUED = {
    "id": "ds-22",
    "outlet": "Shenzhen Tribune",
    "published_at": "2026-11-11T09:00:00Z",
    "title": "DeepSeek valuation",
    "text": "Investors in talks with DeepSeek have discussed valuing the company at $80 billion, people "
    "familiar with the negotiations said. The talks continue.",
}


CORRECTS = {
    "id": "ds-23",
    "outlet": "The Compute Desk",
    "published_at": "2026-11-12T09:00:00Z",
    "title": "Correction: DeepSeek funding round",
    "text": "Correction: An earlier article about DeepSeek's first outside funding round gave the amount "
    "DeepSeek is raising as $7.4 billion. DeepSeek is raising $7.9 billion, not $7.4 billion.",
}


def _publish_v1(bot: Bot) -> tuple[str, dict[str, Any]]:
    draft = start_story(bot)
    value = button(draft, APPROVE)
    post(bot.url, click(APPROVE, value, EDITOR, CHANNEL, draft["_ts"]))
    published = bot.slack.wait_for("chat.postMessage", channel=PUBLISH)[0]
    return json.loads(value)["story_id"], published


def _ingest(bot: Bot, tmp_path: Path, *records: dict[str, Any]) -> list[str]:
    path = tmp_path / f"new-{len(list(tmp_path.glob('new-*')))}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    return [r.id for r in bot.room.ingest([str(path)]).added]


def _drafts(bot: Bot, count: int, timeout: float = 120) -> list[dict[str, Any]]:
    """Messages carrying the decision buttons (the published one carries Update only), once `count` arrived."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in wait_drafts(bot.slack, 1) if APPROVE in json.dumps(m.get("blocks"))]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"no draft {count}; the thread said: {bot.slack.texts()}"
            return found
        time.sleep(0.1)


def _update_button(message: dict[str, Any]) -> str:
    return button(message, UPDATE)


def test_update_gives_v2_with_what_changed_and_the_page_keeps_both_versions(bot: Bot, tmp_path: Path) -> None:
    story, published = _publish_v1(bot)
    assert _update_button(published) == story  # the published explainer carries Update
    _ingest(bot, tmp_path, GREW, VALUED)

    # a reporter may not update; two editors' clicks at once make one update run
    post(bot.url, click(UPDATE, story, REPORTER, PUBLISH, published["_ts"]))
    refusal = bot.slack.wait_for("chat.postEphemeral", user=REPORTER)[0]
    assert "Only editors can update" in refusal["text"]
    clicks = [click(UPDATE, story, user, PUBLISH, published["_ts"]) for user in (EDITOR, "UOTHER")]
    with ThreadPoolExecutor(2) as pool:
        assert [r.status_code for r in pool.map(lambda b: post(bot.url, b), clicks)] == [200, 200]
    v2 = _drafts(bot, 2)[-1]
    time.sleep(0.5)
    assert len(_drafts(bot, 2)) == 2  # one update run, one new draft
    asked = [t for t in bot.slack.texts() if "asked for an update" in t]
    assert len(asked) == 1
    assert json.loads(button(v2, APPROVE))["version"] == 2

    shown = bot.room.show(story)
    assert shown["status"] == "pending_approval" and shown["edition"] == 2
    changed = " ".join(c["text"] for c in shown["what_changed"])
    assert "$9.1 billion" in changed and "$7.4 billion" in changed  # the changed value, old and new
    assert "$80 billion" in changed  # the new disagreement, both sides
    new = {s["n"] for s in shown["sources"] if s["record_id"] in ("ds-21", "ds-22")}
    assert len(new) == 2 and all(set(c["citations"]) & new for c in shown["what_changed"])
    assert "What changed since version 1" in json.dumps(v2["blocks"])

    post(bot.url, click(APPROVE, button(v2, APPROVE), EDITOR, CHANNEL, v2["_ts"]))
    assert len(bot.slack.wait_for("chat.postMessage", channel=PUBLISH, count=2)) == 2
    stem = file_stem(story)
    deadline = time.monotonic() + 30
    while bot.room.show(story).get("edition") != 2 or bot.room.show(story)["status"] != "published":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    page = (bot.room.settings.published_dir / f"{stem}.html").read_text()
    assert "What changed since version 1" in page and "$9.1 billion" in page
    assert "Version 2, published 20" in page and "Version 1, published 20" in page
    assert f'href="{stem}.v1.html"' in page
    v1 = (bot.room.settings.published_dir / f"{stem}.v1.html").read_text()
    assert "What changed" not in v1 and "$9.1 billion" not in v1  # v1 stays readable as it was
    dates = [e["published_at"] for e in bot.room.show(story)["editions"]]
    assert len(dates) == 2 and dates[0] <= dates[1]


def test_a_correction_after_publication_is_told_in_the_thread_once(bot: Bot, tmp_path: Path) -> None:
    story, _ = _publish_v1(bot)
    ids = _ingest(bot, tmp_path, CORRECTS)
    ctx = SlackContext(bot.room, bot.room.settings, web_client(bot.room.settings))
    living.jobs(ctx)
    for _ in range(2):  # the job run twice (a redelivery, a second poll): one announcement
        ctx.run_job("watch_published", {"record_ids": ids})
    told = [m for m in bot.slack.of("chat.postMessage") if "after publication" in m.get("text", "")]
    assert len(told) == 1 and told[0]["thread_ts"] == story.rpartition("-")[2]
    text = told[0]["text"]
    assert "corrects a value" in text and "$7.9 billion" in text and "$7.4 billion" in text
    assert "The explainer says: “" in text and "Correction: DeepSeek funding round" in text


def test_a_contradicting_record_after_publication_is_told_in_the_thread_once(
    bot: Bot, tmp_path: Path
) -> None:
    story, _ = _publish_v1(bot)
    ids = _ingest(bot, tmp_path, VALUED)
    # the job an ingest or a beat poll enqueues (slack/ingest.py, slack/briefs.py), run as a worker would
    ctx = SlackContext(bot.room, bot.room.settings, web_client(bot.room.settings))
    living.jobs(ctx)
    ctx.run_job("watch_published", {"record_ids": ids})
    thread_ts = story.rpartition("-")[2]
    told = [m for m in bot.slack.of("chat.postMessage") if "after publication" in m.get("text", "")]
    assert len(told) == 1 and told[0]["thread_ts"] == thread_ts and told[0]["channel"] == CHANNEL
    text = told[0]["text"]
    assert "$80 billion" in text and "Shenzhen Tribune" in text and "$52 billion" in text
    assert "The explainer says: “" in text
    assert _update_button(told[0]) == story
    ctx.run_job("watch_published", {"record_ids": ids})  # the same record again: nothing more
    _ingest(bot, tmp_path, VALUED)  # ingested again: a duplicate, nothing added, nothing told
    assert len([m for m in bot.slack.of("chat.postMessage") if "after publication" in m.get("text", "")]) == 1


def test_update_command_is_for_editors_and_names_its_story(bot: Bot) -> None:
    assert "Say which story" in said(post(bot.url, command("update", user=EDITOR)))
    assert "Only editors" in said(post(bot.url, command("update slack-C-1", user=REPORTER)))
    assert "Updating story" in said(post(bot.url, command("update slack-C-1", user=EDITOR, trigger="T-9")))
    refusal = bot.slack.wait_for("chat.postEphemeral", user=EDITOR)[0]
    assert "There is no story slack-C-1" in refusal["text"]
