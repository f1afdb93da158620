"""Beat briefings on a schedule: APScheduler 3 with its SQLAlchemy job store under the data dir.

Missed runs are coalesced into one catch-up run. APScheduler has no cross-process locking, so each
firing claims its slot (beat + the cron time it stands for) in the registry, next to the checkpoints:
of several replicas sharing that store, one runs the briefing and the others stand down.
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
        key = f"briefing:{beat}:{slot.astimezone(UTC).isoformat()}"
        if not self.room.registry.claim_once(key):
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
