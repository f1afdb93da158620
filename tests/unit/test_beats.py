"""The beats file: standard cron meaning, durations, and every invalid entry named with beat and field."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom.beats import cron_trigger, load_beats, parse_duration

LA = ZoneInfo("America/Los_Angeles")


def fires(schedule: str, start: datetime, count: int = 5) -> list[str]:
    t, out = cron_trigger(schedule, "America/Los_Angeles"), []
    at = t.get_next_fire_time(None, start)
    while at and len(out) < count:
        out.append(at.strftime("%a %H:%M"))
        at = t.get_next_fire_time(at, at + timedelta(seconds=1))
    return out


def test_weekdays_mean_what_cron_means() -> None:
    sunday = datetime(2026, 11, 22, 12, tzinfo=LA)
    assert fires("0 7 * * 1-5", sunday) == ["Mon 07:00", "Tue 07:00", "Wed 07:00", "Thu 07:00", "Fri 07:00"]
    assert fires("30 6 * * 0,6", sunday, 3) == ["Sat 06:30", "Sun 06:30", "Sat 06:30"]
    assert fires("0 9 * * 5-7", sunday, 3) == ["Fri 09:00", "Sat 09:00", "Sun 09:00"]
    assert fires("0 9 * * mon,wed", sunday, 2) == ["Mon 09:00", "Wed 09:00"]


def test_durations() -> None:
    assert parse_duration("2d") == timedelta(days=2)
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("1w") == timedelta(weeks=1)
    for bad in ("2", "two days", "0d", "-1d"):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)


def test_invalid_entries_are_named_and_valid_beats_still_load(tmp_path: Path) -> None:
    path = tmp_path / "beats.toml"
    path.write_text(
        """
[beats.city-hall]
channel = "C0123CITY"
sources = ["https://example.org/city/feed.xml", "feeds/council-minutes/"]
query = "city council budget transit"
schedule = "0 7 * * 1-5"
timezone = "America/Los_Angeles"
lookback = "2d"

[beats.health]
sources = []
schedule = "0 25 * * *"
timezone = "Mars/Olympus"
lookback = "soon"
colour = "red"
""",
        encoding="utf-8",
    )
    loaded = load_beats(path)
    assert list(loaded.beats) == ["city-hall"]
    beat = loaded.beats["city-hall"]
    assert beat.sources == ("https://example.org/city/feed.xml", str(tmp_path / "feeds/council-minutes"))
    assert beat.lookback == timedelta(days=2) and beat.query == "city council budget transit"
    fields = sorted(e.split("field ")[1].split(":")[0] for e in loaded.errors)
    assert fields == ["'channel'", "'colour'", "'lookback'", "'sources'", "'timezone'"]
    assert all(e.startswith("beat 'health', field ") for e in loaded.errors)


def test_a_bad_schedule_and_a_broken_file_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "beats.toml"
    path.write_text('[beats.x]\nchannel = "C"\nsources = ["a"]\nschedule = "0 25 * * *"\n', encoding="utf-8")
    assert (
        load_beats(path).errors[0].startswith("beat 'x', field 'schedule': '0 25 * * *' is not a valid cron")
    )
    path.write_text("[beats.x\n", encoding="utf-8")
    assert "is not valid TOML" in load_beats(path).errors[0]
    assert "no beats file at" in load_beats(tmp_path / "missing.toml").errors[0]
