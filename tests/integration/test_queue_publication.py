"""A publication that fails on a worker is retried by the queue with back-off (procrastinate's RetryStrategy),
not by a thread: the channel recovers and the story is published once, said in its thread."""

from __future__ import annotations

import time
from pathlib import Path

from newsroom.slack.blocks import APPROVE
from tests.fakes.slackreq import click, post
from tests.integration.test_queue_workers import (
    CHANNEL,
    EDITOR,
    PUBLISH,
    button,
    deployment,
    drafts,
    request_story,
)
from tests.services import postgres_url  # noqa: F401  (a fixture)


def test_a_failed_publication_is_retried_by_the_queue_until_the_channel_recovers(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    with deployment(tmp_path, postgres_url) as d:
        d.slack.outside.add(PUBLISH)  # the bot is not in the publish channel yet
        front = d.front("front")
        d.worker("worker", "--concurrency", "2", NEWSROOM_QUEUE_PUBLISH_WAIT_S="1")
        request_story(d, front)
        d.until(lambda: len(drafts(d.slack)) >= 1, "no draft was posted")
        draft = drafts(d.slack)[0]
        post(front, click(APPROVE, button(draft, APPROVE), EDITOR, CHANNEL, draft["_ts"]))
        d.until(lambda: d.slack.of("chat.update"), "the decision was not shown")
        assert "the bot is not in the channel" in d.slack.of("chat.update")[0]["text"]
        d.until(lambda: len(d.jobs("story.publish")) == 1, "no publication job was queued")
        d.until(lambda: d.jobs("story.publish")[0][1] >= 1, "the publication was not tried again")
        assert d.jobs("story.publish")[0][0] in ("todo", "doing")  # waiting for its next try
        d.slack.outside.clear()  # someone invited the bot
        d.until(lambda: f"Published in <#{PUBLISH}>." in d.slack.texts(), "the retry did not publish")
        d.until(lambda: d.jobs("story.publish")[0][0] == "succeeded", "the publication job did not finish")
        time.sleep(1.5)
        published = [b for b in d.slack.of("chat.postMessage") if b["channel"] == PUBLISH and "_ts" in b]
        assert len(published) == 1 and len(d.jobs("story.publish")) == 1
    assert len(list((tmp_path / "data" / "published").glob("*.json"))) == 1
