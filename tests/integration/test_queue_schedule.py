"""The beat schedule in the database: three workers tick every second, and each beat's slot is briefed once."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom.cli.worker import upgrade_database
from newsroom.scheduler import due_slots
from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.fakes.scripted import DEMO
from tests.fakes.slackreq import command, post
from tests.integration.test_queue_workers import EDITOR, Deployment, deployment, drafts
from tests.services import postgres_url  # noqa: F401  (a fixture)

BEATS = f"""
[beats.city]
channel = "CCITY"
sources = ["{DEMO}"]
schedule = "0 6 * * *"
timezone = "America/Los_Angeles"
lookback = "8w"
"""


def test_three_workers_brief_a_due_slot_once(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beats = tmp_path / "beats.toml"
    beats.write_text(BEATS, encoding="utf-8")
    with deployment(tmp_path, postgres_url) as d:
        d.env.update(
            NEWSROOM_BEATS_FILE=str(beats),
            NEWSROOM_QUEUE_BEAT_CRON="* * * * * */1",  # a tick every second instead of every minute
            NEWSROOM_LLM_MAX_ATTEMPTS="1",
        )
        for key, value in d.env.items():
            if key.startswith(("NEWSROOM_", "SLACK_")):
                monkeypatch.setenv(key, value)
        settings = Settings()
        upgrade_database(settings)
        # The beat was known two days ago and nothing ran since: its latest slot is owed, once.
        room = Newsroom(settings)
        assert due_slots(room, datetime.now(UTC) - timedelta(days=2)) == []  # first seen: nothing owed
        for name in ("a", "b", "c"):
            d.worker(name)
        d.until(lambda: bool(_briefings(d)), "no briefing was posted")
        time.sleep(4.0)  # four more ticks on each of three workers
        assert len(_briefings(d)) == 1, d.slack.texts()
        assert len(d.jobs("slack.brief")) == 1
        ticks = d.sql("SELECT args->>'timestamp' FROM procrastinate_jobs WHERE task_name = 'beats.tick'")
        assert len(ticks) >= 4 and len({t for (t,) in ticks}) == len(ticks)  # one tick per second, not three
        # the next tick of a later day owes the next slot, once
        tomorrow = datetime.now(UTC) + timedelta(days=1, hours=1)
        assert [due_slots(room, tomorrow), due_slots(room, tomorrow)] == [["city"], []]


def _briefings(d: Deployment) -> list[str]:
    """Parent messages in the beat's channel: one per briefing run (nothing new is one line, too)."""
    return [
        str(b.get("text", ""))
        for b in d.slack.of("chat.postMessage")
        if b.get("channel") == "CCITY" and "thread_ts" not in b
    ]


def test_due_slots_catch_up_once_in_the_beats_time_zone_and_owe_nothing_before_a_beat_was_known(
    tmp_path: Path,
) -> None:
    beats = tmp_path / "beats.toml"
    beats.write_text(BEATS.replace('"0 6 * * *"', '"0 7 * * 1-5"'), encoding="utf-8")
    room = Newsroom(Settings(data_dir=tmp_path / "data", beats_file=beats))
    la = ZoneInfo("America/Los_Angeles")
    monday = datetime(2026, 11, 23, 6, 59, tzinfo=la)
    assert due_slots(room, monday) == []  # first seen: Friday's slot is not owed
    assert due_slots(room, monday.replace(minute=59, hour=7)) == ["city"]  # 07:00 Los Angeles, not UTC
    assert due_slots(room, monday.replace(hour=8)) == []  # the same slot, a later tick: once
    # down from Tuesday to Thursday noon: three slots missed, one catch-up run
    thursday = datetime(2026, 11, 26, 12, tzinfo=la)
    assert [due_slots(room, thursday), due_slots(room, thursday)] == [["city"], []]
    # a changed schedule is a beat seen anew: its past slot is not owed, its next one is
    beats.write_text(BEATS.replace('"0 6 * * *"', '"30 11 * * *"'), encoding="utf-8")
    assert due_slots(room, thursday) == []
    assert due_slots(room, datetime(2026, 11, 27, 11, 31, tzinfo=la)) == ["city"]


def test_a_briefing_whose_worker_was_killed_is_finished_in_its_own_thread(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    beats = tmp_path / "beats.toml"
    # the demo records carry their beat, ai-industry
    beats.write_text(
        BEATS.replace("[beats.city]", "[beats.ai-industry]").replace('lookback = "8w"', 'lookback = "520w"'),
        encoding="utf-8",
    )
    with deployment(tmp_path, postgres_url, model_delay_s=0.3, ingest=False) as d:  # the beat's poll ingests
        d.env["NEWSROOM_BEATS_FILE"] = str(beats)
        front = d.front("front")
        first = d.worker("first")
        post(front, command("brief ai-industry", user=EDITOR, trigger="T-brief"))
        d.until(lambda: len(_briefings(d)) == 1 and len(d.model_calls) >= 3, "the briefing did not start")
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert not drafts(d.slack), "killed too late: the draft was already posted"
        d.worker("second")
        d.until(lambda: len(drafts(d.slack)) >= 1, "the briefing was not finished")
        time.sleep(1.0)
        assert len(_briefings(d)) == 1 and len(drafts(d.slack)) == 1
        parent = next(b for b in d.slack.of("chat.postMessage") if b.get("channel") == "CCITY")
        assert drafts(d.slack)[0]["thread_ts"] == parent["_ts"]
        # finished by the worker's start-up resume or by the brief job run again, whichever came first
        said = d.slack.texts()
        assert "Resumed after a restart; here is the draft." in said or (
            "Picking the briefing up again from its last saved step …" in said
        )
        d.until(lambda: d.jobs("slack.brief") == [("succeeded", 2)], "the brief job did not end")
