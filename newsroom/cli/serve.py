"""`newsroom serve`: the Slack bot. Without a database it also runs the stories, the beat scheduler and
background resume in this process; with NEWSROOM_DATABASE_URL it is a front only (verify, ack, claim, enqueue,
answer status from the database) and `newsroom worker` does the rest."""

from __future__ import annotations

import gc
from typing import Annotated

import typer

from newsroom.cli.common import app, err, fail
from newsroom.settings import get_settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address for HTTP mode.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for HTTP mode.")] = 3000,
) -> None:
    """Run the Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events."""
    from newsroom.cli.worker import upgrade_database
    from newsroom.health import readiness
    from newsroom.logs import setup_logging
    from newsroom.scheduler import BeatScheduler
    from newsroom.slack.app import SlackConfigError, build_app, build_context
    from newsroom.slack.briefs import on_schedule
    from newsroom.slack.server import http_server, socket_mode_handler

    settings = get_settings()
    setup_logging(settings)
    socket_mode = settings.slack_app_token is not None
    if settings.database:
        for line in upgrade_database(settings):
            err.print(f"newsroom: {line}", markup=False, highlight=False)
    ctx = build_context(settings)  # the Newsroom it serves publishes to the Slack channel too
    room = ctx.room
    try:
        bolt = build_app(ctx, socket_mode=socket_mode)
    except SlackConfigError as exc:
        fail(exc)
    scheduler = None
    if settings.database:
        err.print("newsroom: a front (NEWSROOM_DATABASE_URL is set): `newsroom worker` runs the jobs")
    else:
        # Stories a killed process left running or publishing continue from their last checkpoint; a sweep
        # finds work a replica on another host abandoned.
        resumed = room.jobs.resume_unfinished()
        if resumed:
            err.print(f"newsroom: resuming {len(resumed)} unfinished stories", markup=False)
        room.jobs.sweep_every(120)
        scheduler = BeatScheduler(room, on_due=on_schedule(ctx))
        scheduler.start()
        for beat, when in scheduler.next_runs().items():
            err.print(f"newsroom: beat {beat} next briefing at {when}", markup=False)
    # Everything loaded so far lives as long as the process: out of the collector's reach, a full collection
    # no longer walks it in the middle of a burst of requests (tens of milliseconds on this heap).
    gc.freeze()
    try:
        if settings.slack_app_token is not None:
            err.print("newsroom: Socket Mode (SLACK_APP_TOKEN is set); Ctrl-C stops")
            socket_mode_handler(bolt, settings.slack_app_token.get_secret_value()).start()
            return
        try:
            server = http_server(bolt, host, port, ready=lambda: readiness(settings, slack=True))
        except OSError as exc:
            fail(RuntimeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"))
        err.print(
            f"newsroom: HTTP mode on http://{host}:{server.server_address[1]}/slack/events; Ctrl-C stops"
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
    finally:
        if scheduler is not None:
            scheduler.shutdown()
