"""Builds the Bolt app: credentials, the Web API client, and one `register(app, ctx)` per feature."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.slack.client import web_client

log = logging.getLogger("newsroom.slack")


class _TokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns it is unused; `authorize` hands it over per request."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_TokenNotice())


class SlackConfigError(Exception):
    """The bot cannot start with this configuration; the message says what to set."""


@dataclass
class SlackContext:
    """What every Slack feature needs: the one facade, the settings, and who may decide."""

    room: Newsroom
    settings: Settings
    # Stories run here, not in Bolt's listener pool: Bolt runs every ack on that pool too, and long work
    # there left new commands unacknowledged after 3 s (5 stories at once was enough; bench_slack.py).
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsroom-story")
    )

    def background(self, fn: Callable[..., None], *args: Any) -> None:
        def run() -> None:
            try:
                fn(*args)
            except Exception:  # the work reports its own failures to Slack; this is the last net
                log.exception("background work failed")

        self.workers.submit(run)

    def may_decide(self, client: WebClient, user: str) -> bool:
        slack = self.settings.slack
        if user in slack.approver_ids:
            return True
        if slack.approver_group:
            try:
                members = client.usergroups_users_list(usergroup=slack.approver_group).get("users") or []
            except Exception:  # a group we cannot read grants nothing
                log.warning("could not read approver group %s", slack.approver_group, exc_info=True)
                return False
            return user in members
        return False


def story_id_for(channel: str, parent_ts: str) -> str:
    """A story is its Slack thread: any replica, or a restarted one, finds it again from the message."""
    return f"slack-{channel}-{parent_ts}"


def thread_of(story_id: str) -> tuple[str, str] | None:
    """(channel, parent ts) of a Slack story; None for stories started elsewhere."""
    if not story_id.startswith("slack-"):
        return None
    channel, _, ts = story_id.removeprefix("slack-").rpartition("-")
    return (channel, ts) if channel and ts else None


def build_app(
    room: Newsroom, settings: Settings, socket_mode: bool = False, ctx: SlackContext | None = None
) -> App:
    """The Bolt app. No call to Slack happens here: the token is handed over per request."""
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
        client=web_client(settings, with_token=False),
        signing_secret=secret or "socket-mode-requests-are-not-signed",
        authorize=authorize,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=32, thread_name_prefix="newsroom-ack"),
        name="newsroom",
    )
    ctx = ctx or SlackContext(room, settings)
    from newsroom.slack import commands, decisions, publisher, recovery

    commands.register(app, ctx)
    decisions.register(app, ctx)
    publisher.register(app, ctx)
    recovery.register(app, ctx)
    return app
