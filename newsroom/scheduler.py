"""Beat briefings on a schedule. Embedded: APScheduler 3 with its SQLAlchemy job store under the data dir.
With a database: `due_slots`, which workers call every minute (a procrastinate periodic task, one per minute
across all workers).

Missed runs are coalesced into one catch-up run. Each firing claims its slot (beat + the cron time it stands
for) in the registry, next to the checkpoints: of several replicas or workers, one runs the briefing and the
others stand down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from newsroom.service import Newsroom

log = logging.getLogger("newsroom.scheduler")
_JOB_PREFIX = "beat:"
_WINDOWS = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32), timedelta(days=367))

# The job store keeps a reference to `run_beat` and the beat's name (both picklable); the process's
# scheduler tells it what to do with them.
_fire: Callable[[str], Any] | None = None


def run_beat(beat: str) -> None:
    """The stored job: hand the beat to this process's scheduler."""
    if _fire is None:
        log.warning("beat %s is due but no scheduler runs in this process", beat)
        return
    _fire(beat)


def latest_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last time at or before `now` the schedule fired: the slot a (possibly late) run stands for."""
    for window in _WINDOWS:
        last = None
        t = trigger.get_next_fire_time(None, now - window)
        while t is not None and t <= now:
            last = t
            t = trigger.get_next_fire_time(t, t + timedelta(seconds=1))
        if last is not None:
            return last
    return None


def slot_key(beat: str, slot: datetime) -> str:
    """The registry claim of one beat's slot: the same key for the embedded scheduler and the workers."""
    return f"briefing:{beat}:{slot.astimezone(UTC).isoformat()}"


def due_slots(room: Newsroom, now: datetime) -> list[str]:
    """The beats whose latest slot at `now` is due and now claimed by this caller (in any process, once).

    As with the embedded scheduler: runs missed while nothing ran are one catch-up run (only the latest slot
    is claimed), and a beat seen for the first time (or with a changed schedule) owes no past slot: it first
    runs at its next cron time.
    """
    loaded = room.beats()
    due = []
    for name, beat in sorted(loaded.beats.items()):
        slot = latest_fire(beat.trigger(), now)
        if slot is None:
            continue
        key = slot_key(name, slot)
        if room.registry.claim_once(f"beat-known:{name}:{beat.schedule}:{beat.timezone}"):
            room.registry.claim_once(key)  # the slot before the beat was known is not owed
            log.info("beat %s: scheduled (%s, %s)", name, beat.schedule, beat.timezone)
            continue
        if room.registry.claim_once(key):
            log.info("beat %s: the %s briefing is due", name, slot)
            due.append(name)
    return due


class BeatScheduler:
    """Keeps one cron job per valid beat; `on_due(beat)` runs a briefing when its slot is claimed."""

    def __init__(
        self,
        room: Newsroom,
        on_due: Callable[[str], Any] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.room = room
        self.on_due = on_due or (lambda beat: room.brief(beat, requested_by="schedule"))
        self.clock = clock
        self.errors: list[str] = []
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=room.settings.scheduler_url)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )

    def start(self) -> None:
        global _fire
        self.room.settings.data_dir.mkdir(parents=True, exist_ok=True)
        loaded = self.room.beats()
        self.errors = loaded.errors
        if not loaded.path.exists():
            log.info("no beats file at %s: no briefings are scheduled", loaded.path)
        else:
            for error in loaded.errors:
                log.error("beats file: %s", error)
        _fire = self.fire
        self.scheduler.start(paused=True)
        self._sync(loaded.beats)
        self.scheduler.resume()

    def _sync(self, beats: dict[str, Any]) -> None:
        """Add new beats, re-time changed ones, drop removed ones; an unchanged job keeps its next run,
        so runs missed while the bot was down are still due (and coalesced into one)."""
        for job in self.scheduler.get_jobs():
            if job.id.startswith(_JOB_PREFIX) and job.id[len(_JOB_PREFIX) :] not in beats:
                job.remove()
        for name, beat in beats.items():
            trigger = beat.trigger()
            job = self.scheduler.get_job(_JOB_PREFIX + name)
            if job is not None and repr(job.trigger) == repr(trigger):
                continue
            self.scheduler.add_job(
                run_beat,
                trigger,
                args=[name],
                id=_JOB_PREFIX + name,
                name=f"briefing on {name}",
                replace_existing=True,
            )

    def fire(self, beat: str) -> bool:
        """Run the beat's briefing for its current slot unless another process already has; True if run."""
        now = self.clock()
        try:
            slot = latest_fire(self.room.beat(beat).trigger(), now) or now
        except Exception as exc:
            log.error("beat %s cannot run: %s", beat, exc)
            return False
        if not self.room.registry.claim_once(slot_key(beat, slot)):
            log.info("beat %s: the %s briefing is already being run by another process", beat, slot)
            return False
        log.info("beat %s: running the briefing for %s", beat, slot)
        try:
            self.on_due(beat)
        except Exception:
            log.exception("beat %s: the briefing failed", beat)
        return True

    def next_runs(self) -> dict[str, datetime | None]:
        return {
            job.id[len(_JOB_PREFIX) :]: job.next_run_time
            for job in self.scheduler.get_jobs()
            if job.id.startswith(_JOB_PREFIX)
        }

    def shutdown(self) -> None:
        global _fire
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if _fire == self.fire:
            _fire = None
