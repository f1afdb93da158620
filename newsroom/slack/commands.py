"""`/newsroom explain | status | help`: answered at once; an explainer is the `open_thread` job (the thread's
first message) then the `explain` job (the story), on a worker with a database, this process's threads without."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import Ack, App

from newsroom import costs
from newsroom.service import Progress
from newsroom.slack.blocks import MAX_TEXT, help_text
from newsroom.slack.context import SlackContext, parse, story_id_for, subcommand, thread_of
from newsroom.slack.mrkdwn import cut, escape
from newsroom.slack.replies import failure_line, post_draft_once, progress_line

log = logging.getLogger("newsroom.slack")


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"open_thread": open_thread, "explain": explain})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_explain(ack: Ack, body: dict[str, Any]) -> None:
        # Slack has its answer first (it gives up after 3 s); the request is claimed and queued right after,
        # and the thread's first message and the story are jobs.
        _, rest = parse(body.get("text", ""))
        if not rest:
            ack(text="Say what the explainer is about: `/newsroom explain the transit budget`.")
            return
        ack()
        request = str(body.get("trigger_id") or uuid.uuid4().hex)
        ctx.after_ack(
            "open_thread",
            once=body,
            queueing_lock=f"open_thread:{request}",
            channel=body["channel_id"],
            topic=rest,
            user=body["user_id"],
            request=request,
        )

    def on_status(ack: Ack, body: dict[str, Any]) -> None:
        _, rest = parse(body.get("text", ""))
        ack(text=status_text(ctx, rest or None, body.get("channel_id", "")))

    app.command("/newsroom", matchers=[subcommand("explain")])(on_explain)
    app.command("/newsroom", matchers=[subcommand("status")])(on_status)


def register_help(app: App) -> None:
    """Every `/newsroom` no feature's subcommand matched (`help`, nothing, a typo): registered last."""

    def on_help(ack: Ack) -> None:
        ack(text=help_text())

    app.command("/newsroom")(on_help)


def open_thread(
    ctx: SlackContext,
    channel: str,
    topic: str,
    user: str,
    request: str,
    beat: str | None = None,
    links: list[str] | None = None,
) -> None:
    """The `open_thread` job: the thread an explainer is written in, opened once (run again after its worker
    died, it does not open a second), then the story handed on as the `explain` job, the thread its lock.
    A channel the bot cannot post in is said to the requester in the app's messages."""
    if not ctx.room.registry.claim_once(f"thread:{request}"):
        log.info("the thread of request %s was opened already", request)
        return
    on_beat = f" on the {escape(beat)} beat" if beat else ""
    try:
        parent = ctx.client.chat_postMessage(
            channel=channel,
            text=cut(f"Explainer on “{escape(topic)}”{on_beat}, requested by <@{user}>", MAX_TEXT),
        )
    except Exception as exc:
        ctx.client.chat_postMessage(
            channel=user, text=failure_line(f"Starting the explainer in <#{channel}>", exc)
        )
        return
    story_id = story_id_for(channel, str(parent["ts"]))
    ctx.enqueue(
        "explain",
        lock=story_id,
        queueing_lock=f"explain:{story_id}",
        channel=channel,
        thread_ts=str(parent["ts"]),
        topic=topic,
        user=user,
        **({"beat": beat} if beat else {}),
        **({"links": links} if links else {}),
    )


def explain(
    ctx: SlackContext,
    channel: str,
    thread_ts: str,
    topic: str,
    user: str,
    beat: str | None = None,
    links: list[str] | None = None,
) -> None:
    """The `explain` job: the story of the thread, to its draft (`links` read first, `beat` recorded). Run again
    (its worker died), it continues the story from its last checkpoint, and a draft already posted is not
    posted twice."""
    story_id = story_id_for(channel, thread_ts)
    client = ctx.client

    def say(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    def progress(p: Progress) -> None:
        say(progress_line(p))
        ctx.step()

    if links and not ctx.room.registry.exists(story_id):  # read first: research then finds them
        say(f"Reading {len(links)} link{'s' if len(links) != 1 else ''} first …")
        try:
            report = ctx.room.ingest(links, untrusted=True)  # a Slack user's links: public addresses only
            say(cut(escape("\n".join(report.summary())), MAX_TEXT))
        except Exception as exc:
            say(failure_line("Reading the links", exc))
    try:
        if ctx.room.registry.exists(story_id):
            say("Picking the story up again from its last saved step …")
            explainer = ctx.room.continue_story(story_id)
        else:
            say("Researching the source store …")
            explainer = ctx.room.explain(
                topic, beat=beat, requested_by=f"slack:{user}", story_id=story_id, on_progress=progress
            )
    except Exception as exc:
        say(failure_line(f"The explainer on “{topic}”", exc))
        return
    post_draft_once(ctx.room.registry, client, channel, thread_ts, explainer)


def status_text(ctx: SlackContext, story: str | None, channel: str) -> str:
    """The stories of this channel only: a channel's members do not see what other channels work on."""
    rows = [r for r in ctx.room.status(story) if (thread_of(r["story_id"]) or ("",))[0] == channel]
    if not rows:
        return (
            f"There is no story {escape(story)} in this channel."
            if story
            else "No stories in this channel yet. Start one: `/newsroom explain <topic>`."
        )
    spent = _spent(ctx, [r["story_id"] for r in rows])
    lines = [
        f"• `{escape(r['story_id'])}` — {escape(r['topic'])} — {r['status'].replace('_', ' ')}"
        + (f" (draft {r['draft_version']})" if r.get("draft_version") else "")
        + (f" — {spent[r['story_id']]}" if r["story_id"] in spent else "")
        for r in rows
    ]
    pending = sum(1 for r in rows if r["status"] == "pending_approval")
    head = f"*{pending} waiting for a decision*"
    return _within(head, lines, MAX_TEXT)


def _spent(ctx: SlackContext, story_ids: list[str]) -> dict[str, str]:
    """story -> "1,234 tokens, $0.0012" (or "no price set") from the model use the registry keeps."""
    by_story: dict[str, list[dict[str, Any]]] = {}
    for row in ctx.room.registry.usage(story_ids=story_ids):
        by_story.setdefault(row["story_id"], []).append(row)
    out = {}
    for story_id, found in by_story.items():
        total = costs.priced(costs.add_up(found))
        out[story_id] = (
            f"{total['prompt_tokens'] + total['completion_tokens']:,} tokens, {costs.money(total)}"
        )
    return out


def _within(head: str, lines: list[str], limit: int) -> str:
    """The head and as many whole lines as fit in `limit` characters, then how many were left out."""
    text, shown = head, 0
    for line in lines:
        if len(text) + len(line) + 40 > limit:
            break
        text, shown = f"{text}\n{line}", shown + 1
    left = len(lines) - shown
    return text + (f"\n… and {left} more; `newsroom status` lists every story." if left else "")
