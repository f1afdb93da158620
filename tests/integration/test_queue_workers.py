"""Fronts and workers as separate processes on one PostgreSQL database: a story requested through a front is
drafted by a worker, a worker SIGKILLed mid-story leaves it to another, a decision clicked on two fronts at once
publishes once. Slack is the fake Web API over real HTTP; the model is the fake OpenAI-compatible server."""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from newsroom.slack.blocks import APPROVE, REVISE
from tests.fakes.openai import completion, fake_openai, story_answer
from tests.fakes.scripted import DEMO
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import SECRET, click, command, post, submit
from tests.services import free_port, postgres_url  # noqa: F401  (a fixture)

EDITOR, CHANNEL, PUBLISH = "UEDITOR", "CNEWS", "CPUBLISH"
TOPIC = "the DeepSeek funding round"


@dataclass
class Deployment:
    """A database, a data dir, the fakes, and the processes started on them (stopped at the end)."""

    env: dict[str, str]
    slack: FakeSlack
    database: str
    logs: Path
    model_calls: list[dict[str, Any]]
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def worker(self, name: str, *extra: str, **env: str) -> subprocess.Popen[bytes]:
        before = self.last_worker()
        proc = self._start(name, ["worker", "--concurrency", "1", *extra], env)
        self.until(lambda: self.last_worker() > before, f"worker {name} did not start", proc)
        return proc

    def front(self, name: str) -> str:
        port = free_port()
        proc = self._start(name, ["serve", "--port", str(port)], {})
        url = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        self.until(up, f"front {name} did not start", proc)
        return url

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsroom.cli", *args],
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        proc.name = name  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def until(
        self, ok: Any, what: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 60
    ) -> None:
        deadline = time.monotonic() + timeout
        while not ok():
            if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                raise AssertionError(f"{what}; logs:\n{self.tail()}")
            time.sleep(0.1)

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + (self.logs / f"{p.name}.log").read_text(errors="replace")[-3000:]  # type: ignore[attr-defined]
            for p in self.procs
        )

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database, autocommit=True) as conn:
            return conn.execute(query, args).fetchall()  # type: ignore[arg-type]

    def last_worker(self) -> int:
        """The id of the worker registered last (a started worker registers with a new one)."""
        try:
            return int(self.sql("SELECT coalesce(max(id), 0) FROM procrastinate_workers")[0][0])
        except psycopg.errors.UndefinedTable:
            return 0

    def jobs(self, task: str) -> list[tuple[str, int]]:
        """(status, runs started and ended) of every job of a task, oldest first: procrastinate counts a run
        when it ends (succeeded, failed, put back)."""
        return [
            (str(s), int(a))
            for s, a in self.sql(
                "SELECT status, attempts FROM procrastinate_jobs WHERE task_name = %s ORDER BY id", task
            )
        ]


_DEMO_DATA: list[Path] = []


def _demo_data_dir(env: dict[str, str]) -> Path:
    """A data dir holding the demo corpus, ingested once per test process and copied into each test's (an
    ingest costs seconds; a copy, milliseconds)."""
    if not _DEMO_DATA:
        where = Path(tempfile.mkdtemp(prefix="newsroom-demo-data-"))
        atexit.register(shutil.rmtree, where, True)
        plain = {k: v for k, v in env.items() if k != "NEWSROOM_DATABASE_URL"}
        subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "ingest", str(DEMO)],
            env={**plain, "NEWSROOM_DATA_DIR": str(where / "data")},
            check=True,
            capture_output=True,
        )
        _DEMO_DATA.append(where / "data")
    return _DEMO_DATA[0]


def answer(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The fake model's answer: a story's (tests/fakes/openai.py), or a briefing citing the first source."""
    schema = body.get("response_format", {}).get("json_schema", {}).get("name", "")
    if schema == "BriefingDraft":
        first = int((re.findall(r"^\[(\d+)\]", body["messages"][-1]["content"], re.M) or ["1"])[0])
        item = {"text": "Tencent is reported to be in talks to invest in DeepSeek.", "citations": [first]}
        return completion(
            json.dumps({"headline": "DeepSeek investors", "items": [item], "what_to_watch": []})
        )
    return completion(json.dumps(story_answer(body)))


@contextmanager
def deployment(
    tmp_path: Path, database: str, model_delay_s: float = 0.0, ingest: bool = True
) -> Iterator[Deployment]:
    """The fakes, a database and a data dir with the demo corpus (unless `ingest` is False); processes are
    started by the test and killed at the end."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    logs = tmp_path / "logs"
    logs.mkdir()
    with fake_slack() as slack, fake_openai([], responder=answer, delay_s=model_delay_s) as model:
        model_url, model_calls = model.url, model.requests
        env.update(
            NEWSROOM_DATA_DIR=str(tmp_path / "data"),
            NEWSROOM_DATABASE_URL=database,
            NEWSROOM_LLM_BASE_URL=model_url,
            NEWSROOM_LLM_API_KEY="sk-test",
            NEWSROOM_LLM_MODEL="fake-model",
            NEWSROOM_SLACK_API_URL=slack.api_url,
            NEWSROOM_SLACK_APPROVERS=f"{EDITOR},UOTHER",
            NEWSROOM_SLACK_PUBLISH_CHANNEL=PUBLISH,
            SLACK_BOT_TOKEN="xoxb-test-token",
            SLACK_SIGNING_SECRET=SECRET,
            # seconds, not minutes: a silent worker is found within about 2 s
            NEWSROOM_QUEUE_HEARTBEAT_S="0.5",
            NEWSROOM_QUEUE_STALLED_S="2",
            NEWSROOM_QUEUE_RECOVER_EVERY_S="0.5",
            NEWSROOM_QUEUE_POLL_S="0.5",
        )
        if ingest:
            shutil.copytree(_demo_data_dir(env), tmp_path / "data")
        d = Deployment(env, slack, database, logs, model_calls)
        try:
            yield d
        finally:
            for proc in d.procs:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()


def drafts(slack: FakeSlack) -> list[dict[str, Any]]:
    """Drafts in a story's thread (the published message in the publish channel carries Update, not a draft)."""
    return [
        b
        for b in slack.of("chat.postMessage")
        if b.get("thread_ts") and any(block.get("type") == "actions" for block in b.get("blocks") or [])
    ]


def button(draft: dict[str, Any], action_id: str) -> str:
    actions = next(b for b in draft["blocks"] if b["type"] == "actions")
    return str(next(e["value"] for e in actions["elements"] if e["action_id"] == action_id))


def request_story(d: Deployment, front: str, trigger: str = "T-1") -> None:
    resp = post(front, command(f"explain {TOPIC}", user="UREQ", channel=CHANNEL, trigger=trigger))
    assert resp.status_code == 200, resp.text


def test_a_front_enqueues_a_worker_drafts_and_a_decision_clicked_on_two_fronts_publishes_once(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    with deployment(tmp_path, postgres_url) as d:
        fronts = [d.front("front-a"), d.front("front-b")]
        started = time.perf_counter()
        request_story(d, fronts[0])
        ack_s = time.perf_counter() - started
        time.sleep(1.0)
        # the front acknowledged and enqueued: no worker yet, so nothing was posted, no story work happened
        assert d.jobs("slack.open_thread") == [("todo", 0)]
        assert d.slack.of("chat.postMessage") == []
        d.worker("worker", "--concurrency", "2")
        d.until(lambda: len(drafts(d.slack)) >= 1, "no draft was posted")
        d.until(lambda: d.jobs("slack.explain") == [("succeeded", 1)], "the job did not succeed")
        assert d.jobs("slack.open_thread") == [("succeeded", 1)]
        parent = d.slack.of("chat.postMessage")[0]
        draft = drafts(d.slack)[0]
        assert draft["thread_ts"] == parent["_ts"]
        value = button(draft, APPROVE)
        story = json.loads(value)["story_id"]
        assert story == f"slack-{CHANNEL}-{parent['_ts']}"
        status = post(fronts[1], command("status", channel=CHANNEL))  # the other front, from the database
        assert "1 waiting for a decision" in status.text and story in status.text
        clicks = [
            (fronts[0], click(APPROVE, value, EDITOR, CHANNEL, draft["_ts"])),
            (fronts[1], click(APPROVE, value, "UOTHER", CHANNEL, draft["_ts"])),
        ]
        with ThreadPoolExecutor(2) as pool:
            codes = list(pool.map(lambda c: post(c[0], c[1]).status_code, clicks))
        assert codes == [200, 200]
        d.until(lambda: d.slack.of("chat.postEphemeral"), "the second click was not answered")
        d.until(lambda: d.slack.of("chat.update"), "the draft was not updated")
        time.sleep(1.0)
        assert len(drafts(d.slack)) == 1
        published = [b for b in d.slack.of("chat.postMessage") if b["channel"] == PUBLISH]
        assert len(published) == 1
        assert len(d.slack.of("chat.update")) == 1
        (refusal,) = d.slack.of("chat.postEphemeral")
        assert "already" in refusal["text"] and "Nothing was changed" in refusal["text"]
        assert [s for s, _ in d.jobs("slack.decide")] == ["succeeded", "succeeded"]
    assert ack_s < 3
    assert len(list((tmp_path / "data" / "published").glob("*.json"))) == 1


def test_a_worker_killed_mid_story_leaves_it_to_another_one_draft_in_the_thread(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    with deployment(tmp_path, postgres_url, model_delay_s=0.3) as d:
        front = d.front("front")
        first = d.worker("first")
        request_story(d, front)
        d.until(lambda: any(t.startswith("Fact-check") for t in d.slack.texts()), "the story did not start")
        first.send_signal(signal.SIGKILL)  # no clean-up of any kind
        first.wait()
        assert not drafts(d.slack), "killed too late: the draft was already posted"
        assert d.jobs("slack.explain") == [("doing", 0)]
        d.worker("second")
        d.until(lambda: len(drafts(d.slack)) >= 1, "the story was not finished by the second worker")
        d.until(lambda: d.jobs("slack.explain") == [("succeeded", 2)], "the job was not run again once")
        time.sleep(1.0)
        assert len(drafts(d.slack)) == 1
        assert "Picking the story up again from its last saved step …" in d.slack.texts()
        # the research already checkpointed was not done again: one parent, one research line
        assert sum(t.startswith("Research:") for t in d.slack.texts()) == 1


@pytest.mark.parametrize("grace", ["30", "0.2"])
def test_sigterm_finishes_or_releases_the_running_job(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
    grace: str,
) -> None:
    with deployment(tmp_path, postgres_url, model_delay_s=0.3) as d:
        front = d.front("front")
        first = d.worker("first", NEWSROOM_QUEUE_SHUTDOWN_GRACE_S=grace)
        request_story(d, front)
        d.until(lambda: any(t.startswith("Research") for t in d.slack.texts()), "the story did not start")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 0, d.tail()
        if grace == "30":  # time enough: the story was finished before the worker stopped
            assert len(drafts(d.slack)) == 1
            assert d.jobs("slack.explain") == [("succeeded", 1)]
            return
        # no time: the job was released between two steps, back in the queue, and no draft was posted
        assert not drafts(d.slack)
        assert d.jobs("slack.explain") == [("todo", 1)]
        d.worker("second")
        d.until(lambda: len(drafts(d.slack)) >= 1, "the released story was not finished")
        d.until(lambda: d.jobs("slack.explain") == [("succeeded", 2)], "the job did not succeed")
        assert len(drafts(d.slack)) == 1


def test_a_worker_starting_resumes_a_story_a_killed_cli_run_left_running(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    with deployment(tmp_path, postgres_url, model_delay_s=0.3) as d:
        subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "db", "upgrade"],
            env=d.env,
            check=True,
            capture_output=True,
        )
        cli = d._start("cli", ["explain", TOPIC], {})
        d.until(lambda: len(d.model_calls) >= 3, "the CLI run did not start", cli)
        cli.send_signal(signal.SIGKILL)
        cli.wait()
        assert d.sql("SELECT status FROM newsroom_stories") == [("running",)]
        d.worker("worker")
        d.until(
            lambda: d.sql("SELECT status FROM newsroom_stories") == [("pending_approval",)],
            "the story was not resumed",
        )
        # the story is drafted a moment before its job is marked done: wait for the job, then check it ran once
        d.until(lambda: d.jobs("story.resume") == [("succeeded", 1)], "the resume job did not end once")
        assert "queued the resume of 1 unfinished stories" in (d.logs / "worker.log").read_text()


def test_a_rewrite_whose_worker_was_killed_is_finished_once_and_supersedes_the_old_draft(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    with deployment(tmp_path, postgres_url, model_delay_s=0.3) as d:
        front = d.front("front")
        first = d.worker("first")
        request_story(d, front)
        d.until(lambda: len(drafts(d.slack)) >= 1, "no draft was posted")
        draft = drafts(d.slack)[0]
        post(front, click(REVISE, button(draft, REVISE), EDITOR, CHANNEL, draft["_ts"], trigger="T-m"))
        d.until(lambda: d.slack.of("views.open"), "the change request form did not open")
        calls = len(d.model_calls)
        post(front, submit(d.slack.of("views.open")[0]["view"], "Lead with the valuation.", EDITOR))
        d.until(lambda: len(d.model_calls) > calls, "the rewrite did not start")
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert len(drafts(d.slack)) == 1, "killed too late: the second draft was already posted"
        d.worker("second")
        d.until(lambda: len(drafts(d.slack)) >= 2, "the rewrite was not finished")
        d.until(lambda: d.jobs("slack.revise") == [("succeeded", 2)], "the rewrite job did not end")
        time.sleep(1.0)
        assert len(drafts(d.slack)) == 2
        assert json.loads(button(drafts(d.slack)[1], APPROVE))["version"] == 2
        assert sum("asked for changes" in t for t in d.slack.texts()) == 1
        superseded = d.slack.wait_for("chat.update", ts=draft["_ts"], timeout=5)
        assert superseded and superseded[0]["text"].startswith("Superseded by draft 2")
        assert not d.slack.of("chat.postEphemeral")  # nobody was told their note was not sent
