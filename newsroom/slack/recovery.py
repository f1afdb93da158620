"""Retry from Slack (`/newsroom retry <story>`, a Retry button) and what background work ended with, told in
the story's thread: a resumed draft, a finished publication, a story that stopped."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App

from newsroom.jobs import JobEvent
from newsroom.service import PublishPending, StoryError
from newsroom.slack.blocks import RETRY, retry_blocks
from newsroom.slack.context import SlackContext, parse, respond, subcommand, thread_of
from newsroom.slack.replies import claim_posting, post_draft, post_draft_once, posted

log = logging.getLogger("newsroom.slack")


def outcome_line(ex: dict[str, Any]) -> str:
    published = ex.get("published") or {}
    where = f" in <#{published['slack_channel']}>" if published.get("slack_channel") else ""
    return f"Published{where}."


def retry_story(ctx: SlackContext, story_id: str) -> tuple[str, dict[str, Any] | None, bool]:
    """(a sentence, the story, whether to offer Retry again) after retrying it."""
    try:
        ex = ctx.room.retry(story_id)
    except PublishPending as exc:
        return f"Still not published: {exc}", None, True
    except StoryError as exc:
        return str(exc), None, "nothing to retry" not in str(exc) and "There is no story" not in str(exc)
    if ex.get("status") == "published":
        return outcome_line(ex), ex, False
    return f"Story {story_id} continued; it is {str(ex.get('status', '')).replace('_', ' ')}.", ex, False


def tell(ctx: SlackContext, event: JobEvent, told: set[tuple[str, str]]) -> None:
    """What background work ended with, said in the story's thread with the bot client."""
    thread = thread_of(event.story_id)
    if thread is None:
        log.info("story %s: %s %s", event.story_id, event.outcome, event.sentence)
        return
    if (event.story_id, event.outcome) in told and event.outcome == "publish_failed":
        return  # said once; the back-off keeps trying quietly
    told.add((event.story_id, event.outcome))
    channel, thread_ts = thread
    client = ctx.client
    if event.outcome == "draft" and event.explainer:
        version = int(event.explainer.get("draft_version", 0))
        if not claim_posting(ctx.room.registry, event.story_id, version):
            return  # the draft is in the thread already (posted before the process stopped)
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text="Resumed after a restart; here is the draft."
        )
        post_draft(client, channel, thread_ts, event.explainer)
        posted(ctx.room.registry, event.story_id, version)
    elif event.outcome == "published" and event.explainer:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=outcome_line(event.explainer))
    elif event.outcome in ("failed", "publish_failed"):
        text = event.sentence or f"Story {event.story_id} stopped."
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=text, blocks=retry_blocks(text, event.story_id)
        )


def jobs(ctx: SlackContext) -> None:
    """The Retry jobs, and resumed work told in its thread (wherever the resume runs: here or a worker)."""
    ctx.add_jobs({"retry_click": clicked, "retry": retry_command})
    told: set[tuple[str, str]] = set()
    ctx.room.jobs.listeners.append(lambda event: tell(ctx, event, told))


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_retry(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        container = body.get("container") or {}
        story_id = _story_of(action.get("value"))
        ctx.after_ack(
            "retry_click",
            lock=story_id,
            value=action.get("value") or "",
            user=body["user"]["id"],
            channel=container.get("channel_id") or (body.get("channel") or {}).get("id", ""),
            message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts", ""),
        )

    def on_command(ack: Ack, body: dict[str, Any]) -> None:
        _, rest = parse(body.get("text", ""))
        if not rest:
            ack(text="Say which story: `/newsroom retry <story>` (`/newsroom status` lists them).")
            return
        ack(text=f"Retrying {rest} …")
        story_id = rest.split()[0]
        ctx.after_ack(
            "retry", once=body, lock=story_id, story_id=story_id, response_url=body.get("response_url") or ""
        )

    app.action(RETRY)(on_retry)
    app.command("/newsroom", matchers=[subcommand("retry")])(on_command)


def _story_of(value: str | None) -> str | None:
    try:
        return str(json.loads(value or "")["story_id"])
    except (ValueError, KeyError, TypeError):
        return None


def clicked(ctx: SlackContext, value: str, user: str, channel: str, message_ts: str) -> None:
    """The `retry_click` job: a Retry button pressed; the button's message says how it went."""
    client = ctx.client
    story_id = _story_of(value)
    if story_id is None:
        client.chat_postEphemeral(channel=channel, user=user, text="That button belongs to no story.")
        return
    line, ex, again = retry_story(ctx, story_id)
    line = f"Retried by <@{user}>: {line}"
    blocks = (
        retry_blocks(line, story_id)
        if again
        else [{"type": "section", "text": {"type": "mrkdwn", "text": line}}]
    )
    client.chat_update(channel=channel, ts=message_ts, text=line, blocks=blocks)
    if ex and ex.get("status") == "pending_approval":
        post_draft_once(
            ctx.room.registry, client, channel, (thread_of(story_id) or (channel, message_ts))[1], ex
        )


def retry_command(ctx: SlackContext, story_id: str, response_url: str) -> None:
    """The `retry` job (`/newsroom retry <story>`): the answer goes to whoever typed it."""
    line, _, again = retry_story(ctx, story_id)
    respond(response_url, line, retry_blocks(line, story_id) if again else None)
