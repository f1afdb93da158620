"""What an operator asks of a running newsroom: how much work waits, what runs where, what failed, and where
the stories stand (`newsroom status --json`), read from procrastinate's tables and the registry."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsroom.health import as_sentence
from newsroom.settings import Settings

# A worker silent this long is counted as gone (procrastinate's own default; pass the queue's setting when
# workers are told another).
STALE_WORKER_S = 30.0
EMBEDDED = (
    "The job queue is embedded: stories run on threads inside `newsroom serve`, so there are no queue "
    "figures; set NEWSROOM_DATABASE_URL to share a queue between fronts and workers."
)


class QueueUnavailable(Exception):
    """The queue's figures could not be read; the message says why and what to do."""


_COUNTS = """
SELECT count(*) FILTER (WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())),
       count(*) FILTER (WHERE status = 'todo' AND scheduled_at > now()),
       count(*) FILTER (WHERE status = 'doing')
  FROM procrastinate_jobs
"""
# A waiting job waits since it was deferred (or put back for a retry), or since the time it was scheduled for.
_OLDEST = """
SELECT j.id, j.task_name, COALESCE(j.args->>'story_id', j.lock),
       EXTRACT(EPOCH FROM now() - GREATEST(j.scheduled_at, max(e.at)))::float8 AS age
  FROM procrastinate_jobs j
  LEFT JOIN procrastinate_events e
    ON e.job_id = j.id AND e.type IN ('deferred', 'deferred_for_retry', 'retried')
 WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())
 GROUP BY j.id
 ORDER BY age DESC NULLS LAST, j.id
 LIMIT 1
"""
_RUNNING = """
SELECT j.id, j.task_name, COALESCE(j.args->>'story_id', j.lock), j.worker_id, j.attempts,
       (SELECT EXTRACT(EPOCH FROM now() - max(e.at))::float8 FROM procrastinate_events e
         WHERE e.job_id = j.id AND e.type = 'started'),
       EXTRACT(EPOCH FROM now() - w.last_heartbeat)::float8
  FROM procrastinate_jobs j
  LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
 WHERE j.status = 'doing'
 ORDER BY j.id
"""
_FAILED = """
SELECT j.id, j.task_name, COALESCE(j.args->>'story_id', j.lock), max(e.at)
  FROM procrastinate_jobs j
  JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'failed'
 WHERE j.status = 'failed'
 GROUP BY j.id
HAVING max(e.at) > now() - interval '1 day'
 ORDER BY max(e.at) DESC
"""
_WORKERS = """
SELECT count(*) FILTER (WHERE last_heartbeat > now() - make_interval(secs => %(stale)s)),
       count(*) FILTER (WHERE last_heartbeat <= now() - make_interval(secs => %(stale)s))
  FROM procrastinate_workers
"""


def _seconds(value: Any) -> float | None:
    return None if value is None else round(max(0.0, float(value)), 1)


def queue_figures(url: str, timeout_s: float = 5.0, stale_s: float = STALE_WORKER_S) -> dict[str, Any]:
    """The queue as procrastinate's tables hold it now: waiting (due) and scheduled jobs, the oldest waiting
    job's age, running jobs with their story and worker, jobs that failed in the last day, live workers."""
    import psycopg

    from newsroom.database.connect import database_sentence, where

    try:
        with psycopg.connect(url, connect_timeout=max(1, round(timeout_s)), autocommit=True) as conn:
            conn.execute(f"SET statement_timeout = {int(timeout_s * 1000)}")
            if not conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()[0]:  # type: ignore[index]
                raise QueueUnavailable(
                    as_sentence(f"{where(url)} has no job queue tables yet; run `newsroom db upgrade`")
                )
            waiting, scheduled, _ = conn.execute(_COUNTS).fetchone() or (0, 0, 0)
            oldest = conn.execute(_OLDEST).fetchone()
            running = conn.execute(_RUNNING).fetchall()
            failed = conn.execute(_FAILED).fetchall()
            alive, silent = conn.execute(_WORKERS, {"stale": stale_s}).fetchone() or (0, 0)
    except psycopg.Error as exc:
        raise QueueUnavailable(
            "The queue's figures could not be read: " + as_sentence(database_sentence(exc, url))
        ) from None
    return {
        "mode": "postgresql",
        "database": where(url),
        "waiting": int(waiting),
        "scheduled": int(scheduled),
        "oldest_waiting": None
        if oldest is None
        else {"job_id": oldest[0], "task": oldest[1], "story_id": oldest[2], "seconds": _seconds(oldest[3])},
        "running": [
            {
                "job_id": r[0],
                "task": r[1],
                "story_id": r[2],
                "worker_id": r[3],
                "attempts": r[4],
                "seconds": _seconds(r[5]),
                "worker_last_seen_s": _seconds(r[6]),
                "worker_stalled": r[6] is None or float(r[6]) > stale_s,
            }
            for r in running
        ],
        "failed_last_day": len(failed),
        "failed": [
            {"job_id": r[0], "task": r[1], "story_id": r[2], "at": r[3].isoformat()} for r in failed[:20]
        ],
        "workers": {"alive": int(alive), "silent": int(silent)},
    }


def by_status(stories: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many stories stand at each status, most first."""
    return dict(Counter(s["status"] for s in stories).most_common())


def report(
    settings: Settings,
    shown: list[dict[str, Any]],
    queue: dict[str, Any] | None = None,
    counted: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """`newsroom status --json`: the queue's figures (read now when not given; a sentence when the queue is
    embedded), the stories shown, and how many stories stand at each status (over `counted`, else `shown`)."""
    if queue is None:
        queue = (
            queue_figures(settings.database)
            if settings.database
            else {"mode": "embedded", "sentence": EMBEDDED}
        )
    counted = shown if counted is None else counted
    return {
        "queue": queue,
        "stories": {"total": len(counted), "by_status": by_status(counted), "list": shown},
    }


def dumps(value: dict[str, Any]) -> str:
    """The report as JSON text (a registry row may hold dates and other non-JSON values: they become text)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
