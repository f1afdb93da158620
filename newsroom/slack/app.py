"""Builds the Slack bot: the Newsroom it serves (the Slack publisher passed in), its context, the Bolt app."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult

from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.slack.client import web_client
from newsroom.slack.context import SlackContext
from newsroom.slack.listeners import register_listeners
from newsroom.slack.publisher import slack_publisher

if TYPE_CHECKING:
    from newsroom.models.port import ModelPort


class _TokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns it is unused; `authorize` hands it over per request."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_TokenNotice())
SLACK_TASK_PREFIX = "slack."
"""A Slack job `explain` is the queue's task `slack.explain`."""


class SlackConfigError(Exception):
    """The bot cannot start with this configuration; the message says what to set."""


def build_context(settings: Settings, model_override: ModelPort | None = None) -> SlackContext:
    """The Newsroom the bot serves, built with the publish channel as a publication target, and the one bot
    client that target and the features share. With a database, jobs are handed to the queue."""
    client = web_client(settings)
    publishers = {"slack": slack_publisher(client, settings.slack.publish_channel)}
    room = Newsroom(settings, model_override=model_override, publishers=publishers)
    deferrer = None
    if settings.database:
        from newsroom.queue.app import Deferrer

        deferrer = Deferrer(settings.database, prefix=SLACK_TASK_PREFIX)
    return SlackContext(room, settings, client, deferrer=deferrer)


def build_app(ctx: SlackContext, socket_mode: bool = False) -> App:
    """The Bolt app. No call to Slack happens here: the token is handed over per request."""
    settings = ctx.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if not token:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set: the bot needs its xoxb- token to post messages.")
    if not secret and not socket_mode:
        raise SlackConfigError(
            "SLACK_SIGNING_SECRET is not set: in HTTP mode every request from Slack is verified with it. "
            "Set it (Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode."
        )

    def authorize(**_: Any) -> AuthorizeResult:
        # One workspace, one bot token: no auth.test round trip at start-up or per request.
        return AuthorizeResult(enterprise_id=None, team_id=None, bot_token=token)

    app = App(
        # Not the bot client: Bolt copies this one for each request with the token `authorize` returns.
        client=web_client(settings, with_token=False),
        signing_secret=secret or "socket-mode-requests-are-not-signed",
        authorize=authorize,
        request_verification_enabled=not socket_mode,
        # Each listener answers Slack when it returns, from the request's own thread: with False, Bolt ran it on
        # a pool and looked every 10 ms whether it had acked (10 ms a request, more under load: bench_scale).
        # So a listener does only what its answer needs and hands the rest over after it: a job with
        # `ctx.after_ack` (claimed and queued right after the answer), a Slack call that must follow at once
        # (a modal) with `ctx.soon`.
        process_before_response=True,
        # Bolt gives the app a logger of this name at the root's level of the moment: "newsroom" itself would
        # silence every newsroom.* INFO line in a process whose logging was set up after the app was built
        name="newsroom.bolt",
    )
    register_listeners(app, ctx)
    return app
