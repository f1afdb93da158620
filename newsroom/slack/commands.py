"""`/newsroom explain | ingest | status | retry | help`: acknowledged at once, long work on the story workers."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from newsroom.service import Progress, StoryError
from newsroom.slack import ingest as slack_ingest
from newsroom.slack.app import SlackContext, story_id_for, thread_of
from newsroom.slack.blocks import MAX_TEXT, draft_messages, help_text
from newsroom.slack.mrkdwn import cut, escape

log = logging.getLogger("newsroom.slack")

_STEP = {
    "research": "Research",
    "factcheck": "Fact-check",
    "framing": "Framing",
    "writer": "Writing",
    "audit": "Citation audit",
    "present": "Draft ready",
    "no_sources": "Research",
}


def parse(text: str) -> tuple[str, str]:
    """('explain', 'the transit budget') from the command's text; ('', '') when empty."""
    sub, _, rest = (text or "").strip().partition(" ")
    return sub.casefold(), " ".join(rest.split())


def progress_line(p: Progress) -> str:
    return f"{_STEP.get(p.step, p.step)}: {escape(p.summary)} ({p.seconds:.0f} s)"


def post_draft(client: WebClient, channel: str, thread_ts: str, explainer: dict[str, Any]) -> str:
    """Post the draft in its thread; returns the ts of the message that carries the buttons."""
    ts = ""
    for blocks in draft_messages(explainer):
        resp = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            blocks=blocks,
            text=cut(
                f"Draft {explainer.get('draft_version', 0)}: {escape(explainer.get('headline', ''))}",
                MAX_TEXT,
            ),
        )
        ts = str(resp.get("ts", ""))
    return ts


def failure_line(what: str, exc: Exception) -> str:
    """A sentence for the thread; the detail goes to the log, never a stack trace to the channel."""
    if isinstance(exc, StoryError):
        return cut(f"{what} did not finish: {escape(exc)}", MAX_TEXT)
    log.exception("%s failed", what)
    return (
        f"{what} did not finish because of an internal error ({type(exc).__name__}). Try again; "
        "if it keeps failing, ask whoever runs newsroom to check its log."
    )


def register(app: App, ctx: SlackContext) -> None:
    def first_delivery(body: dict[str, Any]) -> bool:
        # A redelivered command carries the same trigger id: it must not start a second story.
        trigger = body.get("trigger_id")
        return not trigger or ctx.room.registry.claim_once(f"command:{trigger}")

    def on_command(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        # Acknowledge first (Slack gives up after 3 s); long work goes to the story workers.
        sub, rest = parse(body.get("text", ""))
        if sub == "explain" and rest:
            ack()
            if first_delivery(body):
                channel, user = body["channel_id"], body["user_id"]
                parent = client.chat_postMessage(
                    channel=channel,
                    text=cut(f"Explainer on “{escape(rest)}”, requested by <@{user}>", MAX_TEXT),
                )
                ctx.background(explain, ctx, client, channel, str(parent["ts"]), rest, user)
        elif sub == "ingest":
            if slack_ingest.on_ingest(ctx, ack, body, client, respond, rest) and first_delivery(body):
                ctx.background(slack_ingest.ingest, ctx, rest, respond)
        elif sub == "brief" and rest:
            try:
                beat = ctx.room.beat(rest)
            except StoryError as exc:
                ack(text=escape(exc))
                return
            ack(text=f"Briefing on {beat.name} requested; it will appear in <#{beat.channel}>.")
            if first_delivery(body):
                from newsroom.slack.briefs import run_briefing

                ctx.background(run_briefing, ctx, client, beat.name, f"<@{body['user_id']}>", respond)
        elif sub == "brief":
            names = ", ".join(sorted(ctx.room.beats().beats)) or "none configured"
            ack(text=f"Say which beat: `/newsroom brief <beat>` (beats: {names}).")
        elif sub == "retry" and rest:
            ack(text=f"Retrying {rest} …")
            if first_delivery(body):
                from newsroom.slack.recovery import retry_command

                ctx.background(retry_command, ctx, rest.split()[0], respond)
        elif sub == "retry":
            ack(text="Say which story: `/newsroom retry <story>` (`/newsroom status` lists them).")
        elif sub == "status":
            ack(text=status_text(ctx, rest or None, body.get("channel_id", "")))
        elif sub == "explain":
            ack(text="Say what the explainer is about: `/newsroom explain the transit budget`.")
        else:
            ack(text=help_text())

    app.command("/newsroom")(on_command)


def explain(
    ctx: SlackContext, client: WebClient, channel: str, thread_ts: str, topic: str, user: str
) -> None:
    story_id = story_id_for(channel, thread_ts)

    def say(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    say("Researching the source store …")
    try:
        explainer = ctx.room.explain(
            topic,
            requested_by=f"slack:{user}",
            story_id=story_id,
            on_progress=lambda p: say(progress_line(p)),
        )
    except Exception as exc:
        say(failure_line(f"The explainer on “{topic}”", exc))
        return
    post_draft(client, channel, thread_ts, explainer)


def status_text(ctx: SlackContext, story: str | None, channel: str) -> str:
    """The stories of this channel only: a channel's members do not see what other channels work on."""
    rows = [r for r in ctx.room.status(story) if (thread_of(r["story_id"]) or ("",))[0] == channel]
    if not rows:
        return (
            f"There is no story {escape(story)} in this channel."
            if story
            else "No stories in this channel yet. Start one: `/newsroom explain <topic>`."
        )
    lines = [
        f"• `{escape(r['story_id'])}` — {escape(r['topic'])} — {r['status'].replace('_', ' ')}"
        + (f" (draft {r['draft_version']})" if r.get("draft_version") else "")
        for r in rows
    ]
    pending = sum(1 for r in rows if r["status"] == "pending_approval")
    return f"*{pending} waiting for a decision*\n" + "\n".join(lines)
