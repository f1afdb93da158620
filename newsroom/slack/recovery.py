"""Retry from Slack (`/newsroom retry <story>`, a Retry button) and what background work ended with, told in
the story's thread: a resumed draft, a finished publication, a story that stopped."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from newsroom.jobs import JobEvent
from newsroom.service import PublishPending, StoryError
from newsroom.slack.blocks import RETRY, retry_blocks
from newsroom.slack.context import SlackContext, parse, subcommand, thread_of
from newsroom.slack.replies import post_draft

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


def register(app: App, ctx: SlackContext) -> None:
    told: set[tuple[str, str]] = set()

    def on_event(event: JobEvent) -> None:
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
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text="Resumed after a restart; here is the draft."
            )
            post_draft(client, channel, thread_ts, event.explainer)
        elif event.outcome == "published" and event.explainer:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=outcome_line(event.explainer))
        elif event.outcome in ("failed", "publish_failed"):
            text = event.sentence or f"Story {event.story_id} stopped."
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=text, blocks=retry_blocks(text, event.story_id)
            )

    ctx.room.jobs.listeners.append(on_event)

    def on_retry(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.background(clicked, body, action, client)

    def clicked(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
        try:
            story_id = str(json.loads(action.get("value") or "")["story_id"])
        except (ValueError, KeyError, TypeError):
            client.chat_postEphemeral(channel=channel, user=user, text="That button belongs to no story.")
            return
        line, ex, again = retry_story(ctx, story_id)
        line = f"Retried by <@{user}>: {line}"
        blocks = (
            retry_blocks(line, story_id)
            if again
            else [{"type": "section", "text": {"type": "mrkdwn", "text": line}}]
        )
        client.chat_update(channel=channel, ts=ts, text=line, blocks=blocks)
        if ex and ex.get("status") == "pending_approval":
            post_draft(client, channel, (thread_of(story_id) or (channel, ts))[1], ex)

    def on_command(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _, rest = parse(body.get("text", ""))
        if not rest:
            ack(text="Say which story: `/newsroom retry <story>` (`/newsroom status` lists them).")
            return
        ack(text=f"Retrying {rest} …")
        if ctx.first_delivery(body):
            ctx.background(retry_command, ctx, rest.split()[0], respond)

    app.action(RETRY)(on_retry)
    app.command("/newsroom", matchers=[subcommand("retry")])(on_command)


def retry_command(ctx: SlackContext, story_id: str, respond: Respond) -> None:
    """`/newsroom retry <story>`: the answer goes to whoever typed it."""
    line, _, again = retry_story(ctx, story_id)
    if again:
        respond(text=line, blocks=retry_blocks(line, story_id), response_type="ephemeral")
    else:
        respond(text=line, response_type="ephemeral")
