"""The beats file: per beat a channel, sources, an optional query, a cron schedule, a time zone, a look-back
and an optional source policy (`[beats.<name>.policy]`, see `newsroom/sourcepolicy.py`).

Every invalid entry is reported with its beat and field named; the valid beats still load.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from newsroom.sourcepolicy import check_overrides

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.I)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_KNOWN = {"channel", "sources", "query", "schedule", "timezone", "lookback", "policy"}


@dataclass(frozen=True)
class Beat:
    """One beat, validated: everything a briefing run and the scheduler need."""

    name: str
    channel: str
    sources: tuple[str, ...]
    query: str | None
    schedule: str
    timezone: str
    lookback: timedelta
    policy: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The beat's source policy fields, checked, laid over the global default (`SourcePolicy.with_overrides`)."""

    def trigger(self) -> CronTrigger:
        return cron_trigger(self.schedule, self.timezone)

    def next_run(self, now: datetime) -> datetime | None:
        return self.trigger().get_next_fire_time(None, now)


@dataclass(frozen=True)
class BeatsFile:
    beats: dict[str, Beat]
    errors: list[str]
    path: Path


_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_day(token: str) -> int:
    t = token.strip().lower()
    if t[:3] in _DAYS and len(t) >= 3:
        return _DAYS.index(t[:3])
    if t.isdigit() and 0 <= int(t) <= 7:
        return int(t) % 7
    raise ValueError(f"{token!r} is not a day of the week (0-7 or sun-sat)")


def _days_of_week(field: str) -> str:
    """Standard cron's day-of-week (0 or 7 = Sunday, 1 = Monday) as APScheduler 3's names.

    APScheduler 3 counts 0 = Monday, so "1-5" handed over as is would run Tuesday to Saturday.
    """
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else 1
        if step_text and step == 1 and step_text != "1":
            raise ValueError(f"{part!r} has a bad step")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            first, last = _cron_day(a), _cron_day(b)
            if b.strip() == "7":
                last = 7
        else:
            first = last = _cron_day(span)
            if step_text:
                last = 6
        if last < first:
            raise ValueError(f"{part!r} runs backwards")
        days |= {d % 7 for d in range(first, last + 1, step)}
    return ",".join(_DAYS[d] for d in sorted(days))


def cron_trigger(schedule: str, timezone: str) -> CronTrigger:
    """A five-field cron line with standard meaning, in the given time zone."""
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_days_of_week(weekday),
        timezone=ZoneInfo(timezone),
    )


def parse_duration(text: str) -> timedelta:
    """'2d' -> 2 days; minutes, hours, days, weeks ('90m', '12h', '2d', '1w')."""
    m = _DURATION.match(str(text))
    if not m or int(m.group(1)) == 0:
        raise ValueError(f"{text!r} is not a duration like 12h, 2d or 1w")
    return timedelta(**{_UNIT[m.group(2).lower()]: int(m.group(1))})


def _source(value: Any, base: Path) -> str:
    """URLs and social sources (`reddit:r/NAME`, `bsky:search:WORDS` …) stay as they are; a relative path is
    read relative to the beats file."""
    text = str(value).strip()
    if not text:
        raise ValueError("an empty source")
    if re.match(r"^(https?://|(reddit|hn|bsky|mastodon):)", text, re.I):
        return text
    path = Path(text).expanduser()
    return str(path if path.is_absolute() else base / path)


def _beat(name: str, raw: Any, base: Path) -> tuple[Beat | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"beat {name!r}: expected a table of settings ([beats.{name}])"]
    errors: list[str] = []

    def bad(field: str, why: str) -> None:
        errors.append(f"beat {name!r}, field {field!r}: {why}")

    for key in sorted(set(raw) - _KNOWN):
        bad(key, f"unknown field (known: {', '.join(sorted(_KNOWN))})")
    channel = str(raw.get("channel") or "").strip()
    if not channel:
        bad("channel", "missing; give the Slack channel id the briefing goes to")
    sources_raw = raw.get("sources")
    sources: list[str] = []
    if not isinstance(sources_raw, list) or not sources_raw:
        bad(
            "sources",
            "missing or empty; give a list of feed URLs, web pages, social sources, files or folders",
        )
    else:
        for i, s in enumerate(sources_raw, 1):
            try:
                sources.append(_source(s, base))
            except ValueError as exc:
                bad("sources", f"item {i} is {exc}")
    query = raw.get("query")
    if query is not None and not isinstance(query, str):
        bad("query", "must be text")
    tz = str(raw.get("timezone") or "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        bad("timezone", f"{tz!r} is not a time zone name like 'Europe/Berlin' or 'UTC'")
        tz = ""
    schedule = str(raw.get("schedule") or "").strip()
    if not schedule:
        bad("schedule", "missing; give a cron line like '0 7 * * 1-5'")
    elif tz:
        try:
            cron_trigger(schedule, tz)
        except ValueError as exc:
            bad("schedule", f"{schedule!r} is not a valid cron line ({exc})")
    lookback = timedelta(days=1)
    if "lookback" in raw:
        try:
            lookback = parse_duration(raw["lookback"])
        except ValueError as exc:
            bad("lookback", str(exc))
    policy: dict[str, Any] = {}
    if "policy" in raw:
        policy, problems = check_overrides(raw["policy"], f"beat {name!r}")
        errors += problems
    if errors:
        return None, errors
    return (
        Beat(name, channel, tuple(sources), (query or "").strip() or None, schedule, tz, lookback, policy),
        [],
    )


def load_beats(path: Path) -> BeatsFile:
    """Read and validate the beats file; a missing or unreadable file is one error, not a crash."""
    if not path.exists():
        return BeatsFile({}, [f"no beats file at {path}; see deploy/beats.example.toml"], path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return BeatsFile({}, [f"{path} is not valid TOML: {exc}"], path)
    table = data.get("beats")
    if not isinstance(table, dict) or not table:
        return BeatsFile({}, [f"{path} defines no beats (expected [beats.<name>] tables)"], path)
    beats: dict[str, Beat] = {}
    errors: list[str] = []
    for name, raw in table.items():
        beat, problems = _beat(str(name), raw, path.parent)
        errors += problems
        if beat:
            beats[beat.name] = beat
    return BeatsFile(beats, errors, path)
