"""`newsroom worker`: runs stories, revisions, publications and briefings from the job queue, and fires due
beat slots; no Slack server. Any number of workers share one database."""

from __future__ import annotations

from typing import Annotated

import typer

from newsroom.cli.common import app, err, fail
from newsroom.settings import Settings, get_settings
from newsroom.storage import StorageError

NO_DATABASE = (
    "newsroom worker needs NEWSROOM_DATABASE_URL (postgresql://…): workers take their jobs from the queue in "
    "that database. Without one, `newsroom serve` runs everything in one process."
)


def upgrade_database(settings: Settings) -> list[str]:
    """`newsroom db upgrade`, as serve and worker run it at start (idempotent, safe from many processes)."""
    from newsroom.database.schema import upgrade

    assert settings.database
    try:
        return upgrade(settings.database)
    except StorageError as exc:  # unreachable, refused, a newer schema: the sentence says what to do
        fail(exc)


def check_worker(settings: Settings) -> list[str]:
    """Problems that keep this worker from working, as sentences; [] when it can."""
    from newsroom.database.connect import probe
    from newsroom.queue.app import queue_app

    assert settings.database
    try:
        probe(settings.database)  # at once, not after a pool's 30 s wait
    except StorageError as exc:
        return [str(exc)]
    problems = []
    queue = queue_app(settings.database, max_connections=1)
    try:
        with queue.open():
            queue.job_manager.list_queues()
    except Exception as exc:  # unreachable, refused, or no queue tables
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems.append(f"the job queue in the database cannot be read ({reason}); run `newsroom db upgrade`")
    if problems:
        return problems
    # the record store and Slack, as a front's /readyz asks them (the database was asked above)
    from newsroom.health import failing, readiness

    checks = readiness(settings, slack=settings.slack_bot_token is not None)
    return failing([c for c in checks if c.name != "database"])


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Jobs run at once (default NEWSROOM_QUEUE_CONCURRENCY).", min=1)
    ] = None,
    check: Annotated[
        bool, typer.Option(help="Check the worker could run, then exit (0 when it can).")
    ] = False,
) -> None:
    """Run jobs from the queue until SIGTERM: the running job finishes, or goes back to the queue."""
    settings = get_settings()
    if not settings.database:
        fail(RuntimeError(NO_DATABASE))
    from newsroom.logs import setup_logging

    setup_logging(settings)
    if check:
        problems = check_worker(settings)
        for problem in problems:
            err.print(f"newsroom worker: {problem}", markup=False, highlight=False)
        if problems:
            raise typer.Exit(1)
        err.print("newsroom worker: ready", markup=False)
        return
    for line in upgrade_database(settings):
        err.print(f"newsroom: {line}", markup=False, highlight=False)

    from newsroom.queue.app import queue_app
    from newsroom.queue.tasks import register_tasks
    from newsroom.queue.worker import run_worker
    from newsroom.slack.app import SLACK_TASK_PREFIX, build_context
    from newsroom.slack.context import Released
    from newsroom.slack.listeners import register_jobs

    ctx = build_context(settings)  # the bot client and the publish channel; no Bolt app, no server
    register_jobs(ctx)
    n = concurrency or settings.queue.concurrency
    queue = queue_app(settings.database, max_connections=n + 4)
    register_tasks(
        queue,
        ctx.room,
        settings.queue,
        ctx.run_job,
        list(ctx.jobs),
        prefix=SLACK_TASK_PREFIX,
        released=Released,
    )
    # Stories left running outside any queued job (a CLI run killed, a copied data dir) and nobody's lease
    # holds: one resume job each (a queueing lock, so many workers starting at once queue one).
    resumed = ctx.room.jobs.resume_unfinished()
    if resumed:
        err.print(f"newsroom: queued the resume of {len(resumed)} unfinished stories", markup=False)
    err.print(f"newsroom: worker running {n} jobs at once; SIGTERM stops it", markup=False)
    try:
        run_worker(queue, settings.queue, n)
    finally:
        ctx.room.jobs.shutdown()
