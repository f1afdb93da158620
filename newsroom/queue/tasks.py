"""The tasks a worker runs: every named Slack job, a story's resume and publication retries, and the beat tick
that defers due briefings."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

import procrastinate
from procrastinate.exceptions import JobAborted
from procrastinate.job_context import JobContext

from newsroom.jobs import Busy, PublicationPending
from newsroom.logs import bind
from newsroom.queue.app import defer
from newsroom.queue.jobs import PUBLISH, RESUME, QueueJobs
from newsroom.scheduler import due_slots
from newsroom.service import Newsroom
from newsroom.settings import QueueSettings

log = logging.getLogger("newsroom.queue")
BEAT_TICK, CLEANUP = "beats.tick", "queue.cleanup"


class JobRunner(Protocol):
    """Runs a named job (the Slack context's `run_job`); raises a BaseException when told to stop between
    steps."""

    def __call__(
        self, name: str, arguments: dict[str, Any], stopping: Callable[[], bool] | None = None
    ) -> None: ...


def register_tasks(
    app: procrastinate.App,
    room: Newsroom,
    settings: QueueSettings,
    run_job: JobRunner,
    names: Iterable[str],
    *,
    prefix: str,
    released: type[BaseException],
    brief_job: str = "brief",
) -> None:
    """Every task this worker can run, on `app`. `names` are the context's jobs, deferred as `prefix + name`;
    `released` is what `run_job` raises when a job stops because the worker is shutting down."""
    # Put back in the queue when released at shutdown (procrastinate retries an aborted job only through its
    # retry strategy); any other failure is the job's own to tell.
    back_to_queue = procrastinate.RetryStrategy(max_attempts=50, retry_exceptions=[JobAborted])
    for name in names:
        _slack_task(app, name, prefix, run_job, released, back_to_queue)

    jobs = room.jobs
    if not isinstance(jobs, QueueJobs):
        raise TypeError("a worker needs the queue's jobs (NEWSROOM_DATABASE_URL set)")
    queue_jobs: QueueJobs = jobs

    @app.task(
        name=RESUME,
        pass_context=True,
        retry=procrastinate.RetryStrategy(
            max_attempts=settings.publish_attempts,
            exponential_wait=settings.publish_wait_s,
            retry_exceptions=[Busy],
        ),
    )
    def resume(context: JobContext, story_id: str) -> None:
        with bind(story_id=story_id, job_id=context.job.id):
            queue_jobs.resume_now(story_id)

    @app.task(
        name=PUBLISH,
        pass_context=True,
        retry=procrastinate.RetryStrategy(
            max_attempts=settings.publish_attempts,
            exponential_wait=settings.publish_wait_s,
            retry_exceptions=[PublicationPending, Busy],
        ),
    )
    def publish(context: JobContext, story_id: str) -> None:
        with bind(story_id=story_id, job_id=context.job.id):
            queue_jobs.publish_now(
                story_id, last_attempt=context.job.attempts + 1 >= settings.publish_attempts
            )

    # The queue keeps what failed (for `newsroom status`) and forgets what succeeded after keep_done_h: a
    # tick a minute is 1,440 rows a day.
    @app.periodic(cron="7 * * * *", periodic_id="cleanup")
    @app.task(name=CLEANUP, lock="newsroom-cleanup")
    async def cleanup(timestamp: int) -> None:
        await forget_done(app, settings.keep_done_h)

    # One tick job per cron time across all workers (procrastinate de-duplicates periodic defers in the
    # database); `lock` keeps two ticks from claiming at once.
    @app.periodic(cron=settings.beat_cron, periodic_id="beats")
    @app.task(name=BEAT_TICK, lock="newsroom-beats")
    def tick(timestamp: int) -> None:
        for beat in due_slots(room, datetime.fromtimestamp(timestamp, UTC)):
            defer(
                app,
                prefix + brief_job,
                {
                    "beat_name": beat,
                    "who": "schedule",
                    "response_url": "",
                    # the job's identity, so a run again after a crash finishes this briefing, not a second
                    "run": uuid.uuid4().hex,
                    "requested_at": datetime.now(UTC).isoformat(),
                },
                lock=f"beat:{beat}",
            )


async def forget_done(app: procrastinate.App, hours: int) -> None:
    """Delete the jobs that succeeded more than `hours` ago; failed ones stay for whoever looks."""
    await app.job_manager.delete_old_jobs(nb_hours=hours)


def _slack_task(
    app: procrastinate.App,
    name: str,
    prefix: str,
    run_job: JobRunner,
    released: type[BaseException],
    retry: procrastinate.RetryStrategy,
) -> None:
    def run(context: JobContext, **arguments: Any) -> None:
        try:
            with bind(story_id=context.job.lock, job_id=context.job.id):
                run_job(name, arguments, stopping=context.should_abort)
        except released:
            log.info("job %s (%s) released at shutdown; it goes back to the queue", context.job.id, name)
            raise JobAborted from None

    run.__name__ = name
    app.task(name=prefix + name, pass_context=True, retry=retry)(run)
