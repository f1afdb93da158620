"""`newsroom worker`'s loop: procrastinate's worker (heartbeats, LISTEN/NOTIFY, graceful SIGTERM) plus the
recovery of jobs whose worker stopped answering."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

import procrastinate

from newsroom.settings import QueueSettings

log = logging.getLogger("newsroom.queue")


async def recover_stalled(app: procrastinate.App, settings: QueueSettings) -> None:
    """Every `recover_every_s`, jobs running on a worker silent for `stalled_s` (killed, frozen, its machine
    gone) go back to the queue; their story resumes from its last checkpoint on whichever worker takes them.
    Every worker runs this; a job another worker already put back is skipped."""
    while True:
        await asyncio.sleep(settings.recover_every_s)
        try:
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.stalled_s)
        except Exception:
            log.exception("looking for stalled jobs failed; trying again in %s s", settings.recover_every_s)
            continue
        for job in stalled:
            try:
                await app.job_manager.retry_job(job)
            except Exception as exc:  # put back by another worker a moment ago
                log.info("stalled job %s was not put back: %s", job.id, exc)
                continue
            log.warning(
                "job %s (%s, %s) ran on a worker silent for %s s: it is back in the queue",
                job.id,
                job.task_name,
                job.lock,
                settings.stalled_s,
            )


async def _run(app: procrastinate.App, settings: QueueSettings, concurrency: int) -> None:
    async with app.open_async():
        recovery = asyncio.create_task(recover_stalled(app, settings), name="newsroom-recover-stalled")
        try:
            await app.run_worker_async(
                name=f"{socket.gethostname()}:{os.getpid()}",
                concurrency=concurrency,
                fetch_job_polling_interval=settings.poll_s,
                abort_job_polling_interval=settings.poll_s,
                shutdown_graceful_timeout=settings.shutdown_grace_s,
                update_heartbeat_interval=settings.heartbeat_s,
                stalled_worker_timeout=settings.stalled_s,
                install_signal_handlers=True,
            )
        finally:
            recovery.cancel()


def run_worker(app: procrastinate.App, settings: QueueSettings, concurrency: int | None = None) -> None:
    """Run until SIGTERM or SIGINT: no new job is taken, the running ones finish within `shutdown_grace_s`
    or are released between two steps and go back to the queue."""
    asyncio.run(_run(app, settings, concurrency or settings.concurrency))
