"""Sources from Slack: `/newsroom ingest <url>` and the **Explain this** message shortcut (the linked page ingested,
then an explainer in a new thread). Editors only, public http(s) pages and feeds only, every refusal said."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from newsroom.slack.blocks import MAX_TEXT
from newsroom.slack.context import SlackContext, parse, respond, story_id_for, subcommand
from newsroom.slack.mrkdwn import cut, escape, link
from newsroom.slack.replies import failure_line

log = logging.getLogger("newsroom.slack")
_TOKEN = re.compile(r"<[^>]*>|\S+")
_HTTP = re.compile(r"https?://", re.IGNORECASE)
NOT_AN_EDITOR = (
    "Only editors can add sources from Slack; nothing was fetched. Ask an editor, or ask whoever runs "
    "newsroom to add you to NEWSROOM_SLACK_APPROVERS or NEWSROOM_SLACK_INGEST_GROUP."
)
USAGE = "Give one or more http(s) links: `/newsroom ingest https://example.org/story`."
EXPLAIN_THIS = "explain_this"
"""The message shortcut's callback id (deploy/slack-manifest.yaml)."""
NO_LINK = (
    "That message links to no article, so there is nothing to explain from it. Use *Explain this* on a "
    "message with an http(s) link, or type `/newsroom explain <topic>`."
)
_TOPIC_CHARS = 200


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"ingest": ingest, "explain_link": explain_link, "explain_page": explain_page})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        _, rest = parse(body.get("text", ""))
        if on_ingest(ctx, ack, body, client, rest):
            ctx.after_ack("ingest", once=body, text=rest, response_url=body.get("response_url") or "")

    app.command("/newsroom", matchers=[subcommand("ingest")])(on_command)

    def on_explain_this(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        # Slack has its answer first; who asked, which link, and whether it was asked before are looked at
        # right after, and the thread's first message and the story are jobs.
        ack()
        ctx.soon(explain_this, ctx, body, client)

    app.shortcut(EXPLAIN_THIS)(on_explain_this)


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
    return ctx.may_add_sources(client, user)


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


def explain_this(ctx: SlackContext, body: dict[str, Any], client: WebClient) -> None:
    """The Explain this shortcut, right after Slack has its answer: an editor's message with a link starts the
    `explain_link` job once; anyone else, or a message without a link, is told privately."""
    if not ctx.first_delivery(body):
        return  # redelivered: the first delivery started the story
    channel = str((body.get("channel") or {}).get("id") or "")
    user = str((body.get("user") or {}).get("id") or "")
    message = body.get("message") or {}

    def tell(text: str) -> None:
        client.chat_postEphemeral(channel=channel, user=user, text=text)

    if not may_ingest(ctx, client, user):
        tell(NOT_AN_EDITOR)
        return
    urls, other = targets(str(message.get("text") or ""))
    if not urls:
        tell(NO_LINK)
        return
    if not ctx.room.registry.claim_once(f"explain-this:{channel}:{message.get('ts')}"):
        tell("An explainer on that message was already started; its thread is in this channel.")
        return
    words = " ".join(o for o in other if not o.startswith(("@", "#", "!")))
    request = str(body.get("trigger_id") or f"{channel}:{message.get('ts')}")
    ctx.enqueue(
        "explain_link",
        queueing_lock=f"open_thread:{request}",
        channel=channel,
        url=urls[0],
        words=words,
        user=user,
        request=request,
    )


def explain_link(ctx: SlackContext, channel: str, url: str, words: str, user: str, request: str) -> None:
    """The `explain_link` job: the story's thread opened once, then the `explain_page` job, the thread its lock."""
    if not ctx.room.registry.claim_once(f"thread:{request}"):
        return  # opened already (this job ran before, on a worker that died after posting)
    parent = ctx.client.chat_postMessage(
        channel=channel,
        text=cut(f"Explainer on the article at {link(url, url)}, requested by <@{user}>", MAX_TEXT),
    )
    story_id = story_id_for(channel, str(parent["ts"]))
    ctx.enqueue(
        "explain_page",
        lock=story_id,
        queueing_lock=f"explain:{story_id}",
        channel=channel,
        thread_ts=str(parent["ts"]),
        url=url,
        words=words,
        user=user,
    )


def explain_page(ctx: SlackContext, channel: str, thread_ts: str, url: str, words: str, user: str) -> None:
    """The `explain_page` job: the page read through the guarded fetcher (public addresses only) and attached
    to the story, the topic taken from its title (else the message's words), then the `explain` job's work.
    Run again after the story started, it continues the story."""
    story_id = story_id_for(channel, thread_ts)

    def say(text: str) -> None:
        ctx.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=cut(text, MAX_TEXT))

    if not ctx.room.registry.exists(story_id):  # run again after the explainer started: it continues alone
        say("Reading the linked page …")
        try:
            report = ctx.room.ingest_parsed(ctx.room.read_targets([url], untrusted=True))
        except Exception as exc:
            say(failure_line("Reading the linked page", exc))
            return
        ids = [r.id for r in report.added] + [d.of_id for d in report.exact + report.near]
        records = ctx.room.store.get(ids[:1]) if ids else []
        if records:
            ctx.room.registry.attach(story_id, ids[:1], f"slack:{user}")
            topic = " ".join(records[0].title.split())[:_TOPIC_CHARS] or words
        else:
            why = report.rejected[0].reason if report.rejected else "it held no article text"
            if not words:
                say(
                    f"The linked page could not be read ({escape(why)}), and the message has no words to "
                    "explain instead; nothing was started."
                )
                return
            say(
                f"The linked page could not be read ({escape(why)}); the explainer is on the message's words."
            )
            topic = words[:_TOPIC_CHARS]
        ctx.client.chat_update(
            channel=channel,
            ts=thread_ts,
            text=cut(f"Explainer on “{escape(topic)}”, requested by <@{user}>", MAX_TEXT),
        )
    else:
        topic = words or url
    ctx.jobs["explain"](ctx, channel=channel, thread_ts=thread_ts, topic=topic, user=user)
