"""`newsroom status --json` as an operator reads it: the job queue from procrastinate's real tables in a real
PostgreSQL database (jobs deferred, fetched and failed through procrastinate itself), and the stories."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
import pytest
from procrastinate.jobs import Status
from typer.testing import CliRunner

from newsroom.cli import app
from newsroom.database.schema import upgrade
from newsroom.operations import queue_figures
from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.services import free_port, postgres_url  # noqa: F401  (a fixture)

runner = CliRunner()


def prepare_database(url: str) -> None:
    """Every table, as `newsroom db upgrade` makes them (procrastinate's among them)."""
    upgrade(url)


def add_stories(settings: Settings, stories: dict[str, str]) -> None:
    registry = Newsroom(settings).registry
    for story_id, status in stories.items():
        registry.add_story(story_id, f"topic of {story_id}", "UEDITOR")
        registry.set_status(story_id, status, 1)


async def fill_queue(url: str) -> dict[str, int]:
    """Jobs in every state an operator cares about, made by procrastinate the way workers make them."""
    queue = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
    async with queue.open_async():
        jobs = queue.job_manager
        defer = queue.configure_task
        live, gone = await jobs.register_worker(), await jobs.register_worker()
        # jobs fetched by workers first: procrastinate hands out the oldest due job, so these come out in turn
        ids = {
            "running": await defer("publish", lock="s-run").defer_async(story_id="s-run"),
            "orphan": await defer("revise", lock="s-orphan").defer_async(story_id="s-orphan"),
            "failed": await defer("publish", lock="s-fail").defer_async(story_id="s-fail"),
            "failed_long_ago": await defer("publish").defer_async(story_id="s-ancient"),
        }
        for name, worker in (
            ("running", live),
            ("orphan", gone),
            ("failed", live),
            ("failed_long_ago", live),
        ):
            fetched = await jobs.fetch_job(queues=None, worker_id=worker)
            assert fetched is not None and fetched.id == ids[name]
            if name.startswith("failed"):
                await jobs.finish_job(fetched, status=Status.FAILED, delete_job=False)
        ids["old"] = await defer("explain", lock="s-old").defer_async(story_id="s-old", topic="rates")
        ids["new"] = await defer("explain", lock="s-new").defer_async(story_id="s-new")
        ids["later"] = await defer("briefing", schedule_in={"hours": 1}).defer_async(beat="tech")
        ids["live_worker"], ids["gone_worker"] = live, gone
        return ids


def age(url: str, ids: dict[str, int]) -> None:
    """Move time: the old job has waited ten minutes, one worker has been silent five, one failure is old."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE procrastinate_events SET at = now() - interval '10 minutes' WHERE job_id = %s",
            (ids["old"],),
        )
        conn.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes' WHERE id = %s",
            (ids["gone_worker"],),
        )
        conn.execute(
            "UPDATE procrastinate_events SET at = now() - interval '2 days' WHERE job_id = %s",
            (ids["failed_long_ago"],),
        )


def status_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["status", "--json", *args])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_status_json_shows_the_queue_and_the_stories(
    postgres_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare_database(postgres_url)
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", postgres_url)
    add_stories(
        Settings(),
        {
            "s-old": "running",
            "s-run": "running",
            "s-a": "pending_approval",
            "s-b": "pending_approval",
            "s-c": "published",
        },
    )
    ids = asyncio.run(fill_queue(postgres_url))
    age(postgres_url, ids)

    found = status_json()
    queue = found["queue"]
    assert queue["mode"] == "postgresql"
    assert queue["database"] == f"database {postgres_url.rsplit('/', 1)[1]} on 127.0.0.1:5432"
    assert (queue["waiting"], queue["scheduled"]) == (2, 1)  # the briefing in an hour is not waiting yet
    oldest = queue["oldest_waiting"]
    assert (oldest["job_id"], oldest["task"], oldest["story_id"]) == (ids["old"], "explain", "s-old")
    assert 595 <= oldest["seconds"] < 700
    running = {r["story_id"]: r for r in queue["running"]}
    assert set(running) == {"s-run", "s-orphan"}
    assert running["s-run"]["worker_id"] == ids["live_worker"] and not running["s-run"]["worker_stalled"]
    assert running["s-run"]["task"] == "publish" and running["s-run"]["seconds"] < 60
    assert running["s-orphan"]["worker_stalled"] and running["s-orphan"]["worker_last_seen_s"] >= 295
    assert queue["failed_last_day"] == 1
    assert [(f["job_id"], f["story_id"]) for f in queue["failed"]] == [(ids["failed"], "s-fail")]
    assert queue["workers"] == {"alive": 1, "silent": 1}

    stories = found["stories"]
    assert stories["by_status"] == {"running": 2, "pending_approval": 2, "published": 1}
    assert stories["total"] == 5 and {s["story_id"] for s in stories["list"]} == {
        "s-old",
        "s-run",
        "s-a",
        "s-b",
        "s-c",
    }

    # workers told to wait longer for a silent worker: five minutes' silence is not yet gone
    patient = queue_figures(postgres_url, stale_s=600)
    assert patient["workers"] == {"alive": 2, "silent": 0}
    assert not any(r["worker_stalled"] for r in patient["running"])

    one = status_json("s-c")
    assert [s["story_id"] for s in one["stories"]["list"]] == ["s-c"]
    assert one["stories"]["by_status"]["pending_approval"] == 2  # the counts still cover every story


def test_an_empty_queue_has_no_oldest_job(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    prepare_database(postgres_url)
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", postgres_url)
    queue = status_json()["queue"]
    assert (queue["waiting"], queue["running"], queue["oldest_waiting"], queue["failed_last_day"]) == (
        0,
        [],
        None,
        0,
    )


def test_without_a_database_the_queue_is_embedded_and_stories_are_still_listed(tmp_path: Path) -> None:
    add_stories(Settings(), {"s-1": "pending_approval", "s-2": "published"})
    found = status_json()
    assert found["queue"]["mode"] == "embedded"
    assert found["queue"]["sentence"].startswith("The job queue is embedded: stories run on threads inside")
    assert found["stories"]["by_status"] == {"pending_approval": 1, "published": 1}
    # without --json, status prints what it always printed: one line per story
    text = runner.invoke(app, ["status"])
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert len(lines) == 2 and all(" v1  topic of s-" in line for line in lines)
    assert any(line.startswith("s-1  pending_approval ") for line in lines)


def test_an_unreachable_database_is_a_sentence_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", f"postgresql://ops:hunter2-pw@127.0.0.1:{port}/newsroom")
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert (
        f"The queue's figures could not be read: Database newsroom on 127.0.0.1:{port} cannot be reached"
        in said
    )
    assert "NEWSROOM_DATABASE_URL names the right host and port." in said
    assert "hunter2-pw" not in result.output


def test_a_database_without_the_queue_tables_says_to_upgrade(
    postgres_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", postgres_url)
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 1
    assert "has no job queue tables yet; run `newsroom db upgrade`." in " ".join(result.output.split())
