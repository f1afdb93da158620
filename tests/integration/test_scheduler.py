"""The beat scheduler with controlled time: APScheduler's clock and ours are one settable clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import apscheduler.executors.base as executor_base
import apscheduler.schedulers.base as scheduler_base
import pytest

from newsroom.beats import cron_trigger
from newsroom.scheduler import BeatScheduler, latest_fire
from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.fakes.scripted import DEMO, scripted

LA = ZoneInfo("America/Los_Angeles")


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock(datetime(2026, 11, 23, 6, 59, tzinfo=LA))  # a Monday

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return c.at.astimezone(tz) if tz else c.at.astimezone(UTC).replace(tzinfo=None)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler_base, "datetime", Frozen)
    monkeypatch.setattr(executor_base, "datetime", Frozen)
    return c


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    beats = tmp_path / "beats.toml"
    beats.write_text(
        f"""
[beats.city-hall]
channel = "CCITY"
sources = ["{DEMO}"]
schedule = "0 7 * * 1-5"
timezone = "America/Los_Angeles"
lookback = "2d"

[beats.bad]
channel = "CBAD"
sources = ["{DEMO}"]
schedule = "0 7 * *"
""",
        encoding="utf-8",
    )
    return Settings(data_dir=tmp_path / "data", beats_file=beats)


@pytest.fixture
def schedulers(settings: Settings, clock: Clock) -> Iterator[Callable[[list[str]], BeatScheduler]]:
    made: list[BeatScheduler] = []

    def make(calls: list[str]) -> BeatScheduler:
        s = BeatScheduler(Newsroom(settings, model_override=scripted()), on_due=calls.append, clock=clock.now)
        made.append(s)
        s.start()
        return s

    yield make
    for s in made:
        s.shutdown()


def settle(calls: list[str], count: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while len(calls) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # and nothing more arrives


def test_a_beat_fires_at_its_cron_time_in_its_time_zone(
    schedulers: Callable[[list[str]], BeatScheduler], clock: Clock
) -> None:
    calls: list[str] = []
    s = schedulers(calls)
    assert any("beat 'bad', field 'schedule'" in e for e in s.errors)  # reported; the valid beat still runs
    assert set(s.next_runs()) == {"city-hall"}
    assert s.next_runs()["city-hall"] == datetime(2026, 11, 23, 7, tzinfo=LA)
    settle(calls, 1, timeout=0.5)
    assert calls == []  # 06:59: not yet
    clock.at = datetime(2026, 11, 23, 7, 0, 2, tzinfo=LA)
    s.scheduler.wakeup()
    settle(calls, 1)
    assert calls == ["city-hall"]
    assert s.next_runs()["city-hall"] == datetime(2026, 11, 24, 7, tzinfo=LA)


def test_runs_missed_while_stopped_are_coalesced_into_one(
    schedulers: Callable[[list[str]], BeatScheduler], clock: Clock
) -> None:
    calls: list[str] = []
    schedulers(calls).shutdown()  # Monday 06:59, then down until Thursday 08:00: four runs missed
    clock.at = datetime(2026, 11, 26, 8, 0, tzinfo=LA)
    later = schedulers(calls)
    settle(calls, 1)
    assert calls == ["city-hall"]
    assert later.next_runs()["city-hall"] == datetime(2026, 11, 27, 7, tzinfo=LA)
    later.shutdown()
    schedulers(calls)  # a restart in the same minute replays nothing
    settle(calls, 2, timeout=1)
    assert calls == ["city-hall"]


def test_two_schedulers_sharing_a_store_run_a_beat_once(
    schedulers: Callable[[list[str]], BeatScheduler], clock: Clock
) -> None:
    calls: list[str] = []
    first, second = schedulers(calls), schedulers(calls)
    clock.at = datetime(2026, 11, 23, 7, 0, 1, tzinfo=LA)
    first.scheduler.wakeup()
    second.scheduler.wakeup()
    settle(calls, 2, timeout=3)
    assert calls == ["city-hall"]
    # Both replicas asked directly, as two processes whose jobs fired together would: one runs.
    clock.at = datetime(2026, 11, 24, 7, 0, 1, tzinfo=LA)
    assert [first.fire("city-hall"), second.fire("city-hall")].count(True) == 1
    assert calls == ["city-hall", "city-hall"]


def test_latest_fire_is_the_slot_a_late_run_stands_for() -> None:
    weekdays = cron_trigger("0 7 * * 1-5", "America/Los_Angeles")
    sunday_noon = datetime(2026, 11, 29, 12, tzinfo=LA)
    assert latest_fire(weekdays, sunday_noon) == datetime(2026, 11, 27, 7, tzinfo=LA)
    every_minute = cron_trigger("* * * * *", "UTC")
    at = datetime(2026, 11, 23, 10, 15, 30, tzinfo=UTC)
    assert latest_fire(every_minute, at) == datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
