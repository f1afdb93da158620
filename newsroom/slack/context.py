"""What every Slack feature is handed: the facade, the settings, the one bot client, story ids, the workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient

from newsroom.service import Newsroom
from newsroom.settings import Settings

log = logging.getLogger("newsroom.slack")


@dataclass
class SlackContext:
    """What every Slack feature needs: the one facade, the settings, the bot's client, and who may decide."""

    room: Newsroom
    settings: Settings
    client: WebClient
    """The bot's own client (built once, by `client.web_client`), for work no Slack request carries a client
    for: scheduled briefings, resumed stories told in their thread. Listeners use the client Bolt hands them."""
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

    def first_delivery(self, body: dict[str, Any]) -> bool:
        """False for a redelivered command: it carries the same trigger id and must not start a second story."""
        trigger = body.get("trigger_id")
        return not trigger or self.room.registry.claim_once(f"command:{trigger}")


def story_id_for(channel: str, parent_ts: str) -> str:
    """A story is its Slack thread: any replica, or a restarted one, finds it again from the message."""
    return f"slack-{channel}-{parent_ts}"


def thread_of(story_id: str) -> tuple[str, str] | None:
    """(channel, parent ts) of a Slack story; None for stories started elsewhere."""
    if not story_id.startswith("slack-"):
        return None
    channel, _, ts = story_id.removeprefix("slack-").rpartition("-")
    return (channel, ts) if channel and ts else None


def parse(text: str) -> tuple[str, str]:
    """('explain', 'the transit budget') from the command's text; ('', '') when empty."""
    sub, _, rest = (text or "").strip().partition(" ")
    return sub.casefold(), " ".join(rest.split())


def subcommand(name: str) -> Callable[..., bool]:
    """A Bolt listener matcher: this `/newsroom` listener answers `/newsroom <name> …` only, so each feature
    registers its own subcommand and none dispatches to another."""

    def matches(body: dict[str, Any]) -> bool:
        return parse(body.get("text", ""))[0] == name

    matches.__name__ = f"subcommand_{name}"
    return matches
