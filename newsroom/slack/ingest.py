"""`/newsroom ingest <url>` from Slack: editors only, public http(s) pages and feeds only, every refusal said."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from newsroom.slack.context import SlackContext, parse, respond, subcommand
from newsroom.slack.mrkdwn import cut, escape
from newsroom.slack.replies import failure_line

log = logging.getLogger("newsroom.slack")
_TOKEN = re.compile(r"<[^>]*>|\S+")
_HTTP = re.compile(r"https?://", re.IGNORECASE)
NOT_AN_EDITOR = (
    "Only editors can add sources from Slack; nothing was fetched. Ask an editor, or ask whoever runs "
    "newsroom to add you to NEWSROOM_SLACK_APPROVERS or NEWSROOM_SLACK_INGEST_GROUP."
)
USAGE = "Give one or more http(s) links: `/newsroom ingest https://example.org/story`."


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"ingest": ingest})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        _, rest = parse(body.get("text", ""))
        if on_ingest(ctx, ack, body, client, rest):
            ctx.after_ack("ingest", once=body, text=rest, response_url=body.get("response_url") or "")

    app.command("/newsroom", matchers=[subcommand("ingest")])(on_command)


def targets(text: str) -> tuple[list[str], list[str]]:
    """(http(s) URLs, everything else) in what a user typed; a Slack link `<url|label>` counts as its URL,
    so a label cannot disguise where the link goes."""
    urls: list[str] = []
    other: list[str] = []
    for token in _TOKEN.findall(text or ""):
        inner = token[1:-1].split("|", 1)[0] if token.startswith("<") and token.endswith(">") else token
        if _HTTP.match(inner):
            scheme, _, rest = inner.partition("://")
            urls.append(f"{scheme.lower()}://{rest}")
        elif inner:
            other.append(inner)
    return urls, other


def may_ingest(ctx: SlackContext, client: WebClient, user: str) -> bool:
    """Editors (the approvers) and members of NEWSROOM_SLACK_INGEST_GROUP; a group we cannot read grants nothing."""
    if ctx.may_decide(client, user):
        return True
    group = ctx.settings.slack.ingest_group
    if not group:
        return False
    try:
        members = client.usergroups_users_list(usergroup=group).get("users") or []
    except Exception:
        log.warning("could not read ingest group %s", group, exc_info=True)
        return False
    return user in members


def on_ingest(ctx: SlackContext, ack: Ack, body: dict[str, Any], client: WebClient, text: str) -> bool:
    """Acknowledge (or refuse) an ingest; True when the fetching should start."""
    if not may_ingest(ctx, client, body.get("user_id", "")):
        ack(text=NOT_AN_EDITOR)
        return False
    urls, other = targets(text)
    if not urls:
        ack(text=USAGE if not other else _refused(other) + " " + USAGE)
        return False
    line = f"Ingesting {', '.join(escape(u) for u in urls)} …"
    ack(text=cut(line + (" " + _refused(other) if other else ""), 3000))
    return True


def _refused(other: list[str]) -> str:
    shown = ", ".join(f"`{escape(o)}`" for o in other[:5])
    return f"Only http(s) links can be added from Slack; {shown} {'was' if len(other) == 1 else 'were'} not fetched."


def ingest(ctx: SlackContext, text: str, response_url: str) -> None:
    """The `ingest` job: fetch and store; the report comes back to the user alone."""
    urls, _ = targets(text)
    try:
        report = ctx.room.ingest(urls, untrusted=True)
        respond(response_url, cut(escape("\n".join(report.summary())), 3000))
        if report.added:  # does any of it correct or contradict a published explainer? (slack/living.py)
            ctx.enqueue("watch_published", record_ids=[r.id for r in report.added])
    except Exception as exc:
        respond(response_url, failure_line("The ingest", exc))
