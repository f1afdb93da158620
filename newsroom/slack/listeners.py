"""Every Slack feature's listeners, registered on one Bolt app (the shape of Slack's bolt-python samples), and
every feature's jobs, for a worker that runs them without a Bolt app."""

from __future__ import annotations

from slack_bolt import App

from newsroom.slack import briefs, commands, decisions, edits, files, home, ingest, living, recovery
from newsroom.slack.context import SlackContext


def register_listeners(app: App, ctx: SlackContext) -> None:
    # Each `/newsroom <sub>` listener matches its own subcommand; Bolt runs the first that matches, so the
    # help answer, which matches any `/newsroom`, comes last. Each `register` adds its feature's jobs too.
    commands.register(app, ctx)
    ingest.register(app, ctx)
    briefs.register(app, ctx)
    recovery.register(app, ctx)
    decisions.register(app, ctx)
    home.register(app, ctx)
    edits.register(app, ctx)
    living.register(app, ctx)
    files.register(app, ctx)
    commands.register_help(app)
    files.register_quiet(app)  # last: every message event no feature claimed


def register_jobs(ctx: SlackContext) -> None:
    """Every feature's jobs on a context no Bolt app serves (`newsroom worker`)."""
    for feature in (commands, ingest, briefs, recovery, decisions, home, edits, living, files):
        feature.jobs(ctx)
