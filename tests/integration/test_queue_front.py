"""What a front hands the queue: every Slack request that starts work becomes one named job whose arguments are
JSON (a worker in another process runs it), with the story as its lock; the front itself runs no story."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE, RETRY
from newsroom.slack.context import SlackContext
from newsroom.slack.server import http_server
from tests.fakes.scripted import DEMO, scripted
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import click, command, post
from tests.integration.test_slack import CHANNEL, EDITOR, slack_env


@dataclass
class Recorder:
    """A deferrer that keeps what it is handed (as a queue would, through JSON) instead of running it."""

    deferred: list[dict[str, Any]] = field(default_factory=list)

    def __call__(
        self, name: str, arguments: dict[str, Any], *, lock: str | None, queueing_lock: str | None
    ) -> bool:
        self.deferred.append(
            {
                "name": name,
                "arguments": json.loads(json.dumps(arguments)),
                "lock": lock,
                "queueing": queueing_lock,
            }
        )
        return True


@dataclass
class Front:
    url: str
    slack: FakeSlack
    ctx: SlackContext
    queue: Recorder


@pytest.fixture
def front(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Front]:
    beats = tmp_path / "beats.toml"
    beats.write_text(
        f'[beats.city]\nchannel = "CCITY"\nsources = ["{DEMO}"]\nschedule = "0 7 * * *"\n', encoding="utf-8"
    )
    with fake_slack() as slack:
        slack_env(monkeypatch, slack, tmp_path / "data")
        monkeypatch.setenv("NEWSROOM_BEATS_FILE", str(beats))
        model = scripted()
        ctx = build_context(Settings(), model_override=model)
        queue = Recorder()
        ctx.deferrer = queue
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield Front(f"http://127.0.0.1:{server.server_address[1]}", slack, ctx, queue)
        finally:
            server.shutdown()
            server.server_close()
        assert model.calls == []  # a front never runs a story


def _wait(queue: Recorder, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while len(queue.deferred) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return queue.deferred


def test_each_request_becomes_one_named_job_with_json_arguments(front: Front) -> None:
    respond_to = front.slack.response_url("cmd")
    post(front.url, command("explain the transit budget", trigger="T-e", respond_to=respond_to))
    post(front.url, command("brief city", user=EDITOR, trigger="T-b", respond_to=respond_to))
    post(front.url, command("retry slack-CNEWS-1.000001", trigger="T-r", respond_to=respond_to))
    value = json.dumps({"story_id": "slack-CNEWS-1.000001", "version": 1})
    post(front.url, click(APPROVE, value, EDITOR, CHANNEL, "1.000002"))
    post(
        front.url, click(RETRY, json.dumps({"story_id": "slack-CNEWS-1.000001"}), EDITOR, CHANNEL, "1.000003")
    )
    jobs = {j["name"]: j for j in _wait(front.queue, 5)}
    assert set(jobs) == {"open_thread", "brief", "retry", "decide", "retry_click"}
    assert front.slack.of("chat.postMessage") == []  # a front answers and hands over; it posts nothing itself
    assert jobs["open_thread"] == {
        "name": "open_thread",
        "arguments": {"channel": CHANNEL, "topic": "the transit budget", "user": "UREQ", "request": "T-e"},
        "lock": None,
        "queueing": "open_thread:T-e",
    }
    brief = jobs["brief"]["arguments"]
    assert {k: brief.pop(k) for k in ("beat_name", "who", "response_url")} == {
        "beat_name": "city",
        "who": f"<@{EDITOR}>",
        "response_url": respond_to,
    }
    assert sorted(brief) == ["requested_at", "run"]  # what lets the job run again find its own briefing
    assert jobs["brief"]["lock"] == "beat:city"
    assert jobs["retry"]["arguments"] == {"story_id": "slack-CNEWS-1.000001", "response_url": respond_to}
    for name in ("retry", "decide", "retry_click"):
        assert jobs[name]["lock"] == "slack-CNEWS-1.000001"  # one story's jobs never run at once
    assert jobs["decide"]["arguments"]["message_ts"] == "1.000002"
    # every job a front can hand over is one the context knows how to run
    assert set(jobs) <= set(front.ctx.jobs)


def test_the_thread_job_opens_the_thread_once_and_hands_the_story_on(front: Front) -> None:
    post(front.url, command("explain the transit budget", trigger="T-t"))
    (job,) = _wait(front.queue, 1)
    front.ctx.run_job(job["name"], job["arguments"])
    front.ctx.run_job(job["name"], job["arguments"])  # run again, as after its worker died
    parents = front.slack.of("chat.postMessage")
    assert len(parents) == 1 and "thread_ts" not in parents[0]
    assert "the transit budget" in parents[0]["text"] and "<@UREQ>" in parents[0]["text"]
    story = f"slack-{CHANNEL}-{parents[0]['_ts']}"
    assert front.queue.deferred[1:] == [
        {
            "name": "explain",
            "arguments": {
                "channel": CHANNEL,
                "thread_ts": parents[0]["_ts"],
                "topic": "the transit budget",
                "user": "UREQ",
            },
            "lock": story,
            "queueing": f"explain:{story}",
        }
    ]


def test_a_redelivered_command_is_enqueued_once(front: Front) -> None:
    body = command("explain the transit budget", trigger="T-same")
    post(front.url, body)
    post(front.url, body, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    time.sleep(0.5)
    assert [j["name"] for j in _wait(front.queue, 1)] == ["open_thread"]


def test_an_unknown_job_name_is_refused_not_dropped(front: Front) -> None:
    with pytest.raises(KeyError, match="no Slack job is named 'explian'"):
        front.ctx.enqueue("explian", topic="typo")
    assert front.queue.deferred == []
