"""Living stories in Slack: the Update button on a published explainer and `/newsroom update <story>` (editors
only, one update run however many ask), and the `watch_published` job telling a story's thread, once per record,
that a record ingested after publication corrects or contradicts a value it states."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from newsroom.living import Challenge
from newsroom.service import StaleDraft, StoryError
from newsroom.slack.blocks import MAX_TEXT, UPDATE, update_actions
from newsroom.slack.context import SlackContext, parse, subcommand, thread_of
from newsroom.slack.mrkdwn import cut, escape, link
from newsroom.slack.replies import failure_line, post_draft_once, progress_line

log = logging.getLogger("newsroom.slack")
NOT_AN_EDITOR = (
    "Only editors can update a published story; nothing was started. Ask an editor, or ask whoever runs "
    "newsroom to add you to NEWSROOM_SLACK_APPROVERS."
)
USAGE = "Say which story to update: `/newsroom update <story id>` (`/newsroom status` lists them)."


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"update": update, "watch_published": watch_published})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_button(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        _hand_over(ctx, str(action.get("value") or ""), body["user"]["id"], channel)

    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        _, story_id = parse(body.get("text", ""))
        if not story_id or " " in story_id:
            ack(text=USAGE)
            return
        if not ctx.may_decide(client, body.get("user_id", "")):
            ack(text=NOT_AN_EDITOR)
            return
        ack(text=cut(f"Updating story `{escape(story_id)}`; its thread shows how it goes.", MAX_TEXT))
        _hand_over(ctx, story_id, body["user_id"], body.get("channel_id", ""), once=body)

    app.action(UPDATE)(on_button)
    app.command("/newsroom", matchers=[subcommand("update")])(on_command)


def _hand_over(
    ctx: SlackContext, story_id: str, user: str, channel: str, once: dict[str, Any] | None = None
) -> None:
    """The `update` job, queued once Slack has its answer (a redelivered command is not queued again)."""
    ctx.after_ack(
        "update",
        once=once,
        lock=story_id or None,  # one story's jobs never run at once
        queueing_lock=f"update:{story_id}",
        story_id=story_id,
        user=user,
        channel=channel,
    )


def update(ctx: SlackContext, story_id: str, user: str, channel: str) -> None:
    """The `update` job: an editor's Update, claimed once per (story, version) by the facade, the next version
    written in the story's thread and posted there for the same decision buttons."""
    client = ctx.client
    if not ctx.may_decide(client, user):
        client.chat_postEphemeral(channel=channel, user=user, text=NOT_AN_EDITOR)
        return
    thread = thread_of(story_id)
    where, thread_ts = thread if thread else (channel, "")

    def say(text: str) -> None:
        client.chat_postMessage(channel=where, thread_ts=thread_ts or None, text=text)

    def progress(p: Any) -> None:
        say(progress_line(p))
        ctx.step()

    try:
        ex = ctx.room.update(
            story_id,
            requested_by=f"slack:{user}",
            on_progress=progress,
            on_claimed=lambda: say(
                f"<@{user}> asked for an update: looking for records newer than the last version …"
            ),
        )
    except StaleDraft as exc:
        client.chat_postEphemeral(channel=channel, user=user, text=f"{escape(exc)} Nothing new was started.")
        return
    except StoryError as exc:
        if ctx.room.status(story_id):  # a known story: its thread hears why
            say(failure_line("The update", exc))
        else:
            client.chat_postEphemeral(channel=channel, user=user, text=escape(exc))
        return
    except Exception as exc:
        say(failure_line("The update", exc))
        return
    post_draft_once(ctx.room.registry, client, where, thread_ts, ex)


def watch_published(ctx: SlackContext, record_ids: list[str]) -> None:
    """The `watch_published` job (after an ingest or a beat poll): each record that corrects or contradicts a
    value of a published explainer is told in that story's thread, once per (story, record)."""
    try:
        found = ctx.room.challenges(record_ids)
    except Exception:
        log.exception("checking %d new records against published stories failed", len(record_ids))
        return
    for c in found:
        thread = thread_of(c.story_id)
        if thread is None or not ctx.room.registry.claim_once(f"challenge:{c.story_id}:{c.record_id}"):
            continue
        text = challenge_text(c)
        ctx.client.chat_postMessage(
            channel=thread[0],
            thread_ts=thread[1],
            text=text,
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": text}},
                update_actions(c.story_id),
            ],
            unfurl_links=False,
        )


def challenge_text(c: Challenge) -> str:
    """'A record ingested after publication contradicts a value this explainer states: …'"""
    verb = "corrects" if c.kind == "corrects" else "contradicts"
    outlet = escape(" ".join(c.outlet.split()) or "a source")
    title = link(c.url, " ".join(c.title.split())[:150] or "untitled")
    when = f", {escape(c.published_at[:10])}" if c.published_at else ""
    return cut(
        f":warning: A record ingested after publication {verb} a value this explainer states.\n"
        f"*{escape(c.subject)}*: the explainer gives *{escape(c.value)}*; {outlet} ({title}{when}) "
        f"gives *{escape(c.new_value)}*.\n"
        f"The explainer says: “{escape(c.sentence)}”\nPress Update to write the next version with it.",
        MAX_TEXT,
    )
