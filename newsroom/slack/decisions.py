"""Approve / Request changes / Reject on a draft: editors only, exactly once, any replica, any time later."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from newsroom.service import PublishPending, StaleDraft, StoryError
from newsroom.slack.blocks import (
    APPROVE,
    REJECT,
    REVISE,
    REVISE_MODAL,
    decided_blocks,
    retry_blocks,
    revise_modal,
)
from newsroom.slack.context import SlackContext, thread_of
from newsroom.slack.mrkdwn import cut, escape
from newsroom.slack.replies import failure_line, post_draft, progress_line

log = logging.getLogger("newsroom.slack")
NOT_AN_EDITOR = (
    "Only editors can approve, reject or request changes on drafts; nothing was changed. "
    "Ask an editor, or ask whoever runs newsroom to add you to NEWSROOM_SLACK_APPROVERS."
)


def when(at: datetime | None = None) -> str:
    """A time every reader sees in their own zone (Slack date formatting), with an ISO fallback."""
    at = at or datetime.now(UTC)
    return (
        f"<!date^{int(at.timestamp())}^{{date_short_pretty}} at {{time}}|{at.isoformat(timespec='minutes')}>"
    )


def _where(body: dict[str, Any]) -> tuple[str, str, str]:
    """(user, channel, message ts) of a button click."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    return body["user"]["id"], channel, ts


def _value(action: dict[str, Any]) -> tuple[str, int] | None:
    try:
        value = json.loads(action.get("value") or "")
        return str(value["story_id"]), int(value["version"])
    except (ValueError, KeyError, TypeError):
        return None


def _tell(client: WebClient, channel: str, user: str, text: str) -> None:
    client.chat_postEphemeral(channel=channel, user=user, text=text)


def register(app: App, ctx: SlackContext) -> None:
    def editors_target(
        client: WebClient, action: dict[str, Any], channel: str, user: str
    ) -> tuple[str, int] | None:
        """The draft a button is for, when an editor clicked it; anyone else is told why not (None)."""
        target = _value(action)
        if target is None:
            _tell(
                client, channel, user, "That button does not belong to a newsroom draft; nothing was changed."
            )
            return None
        if not ctx.may_decide(client, user):
            _tell(client, channel, user, NOT_AN_EDITOR)
            return None
        return target

    def decide(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user, channel, message_ts = _where(body)
        target = editors_target(client, action, channel, user)
        if target is None:
            return
        story_id, version = target
        decision = "approve" if action["action_id"] == APPROVE else "reject"
        try:
            ex = ctx.room.review(story_id, decision, who=user, draft_version=version)
        except PublishPending as exc:
            # The decision is final; the publication is retried with back-off, and by Retry.
            line = f"Approved by <@{user}> at {when()}; {exc}"
            blocks = retry_blocks(line, story_id, ctx.room.show(story_id).get("headline") or "")
            client.chat_update(channel=channel, ts=message_ts, blocks=blocks, text=line)
            return
        except StoryError as exc:
            _tell(client, channel, user, f"{escape(exc)} Nothing was changed.")
            return
        except Exception as exc:
            _tell(client, channel, user, failure_line(f"The {decision}", exc))
            return
        verb = "Approved" if decision == "approve" else "Rejected"
        line = f"{verb} by <@{user}> at {when()}"
        published = ex.get("published") or {}
        if decision == "approve" and published.get("slack_channel"):
            line += f" — published in <#{published['slack_channel']}>"
        client.chat_update(channel=channel, ts=message_ts, blocks=decided_blocks(ex, line), text=line)

    def on_decision(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.background(decide, body, action, client)

    def open_modal(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()  # then open the modal at once: its trigger expires 3 s after the click
        user, channel, message_ts = _where(body)
        target = editors_target(client, action, channel, user)
        if target is None:
            return
        story_id, version = target
        try:
            current = ctx.room.show(story_id)
        except StoryError as exc:
            _tell(client, channel, user, escape(exc))
            return
        if current.get("status") != "pending_approval" or current.get("draft_version") != version:
            _tell(
                client,
                channel,
                user,
                f"That draft was superseded or decided (story is {current.get('status', '?').replace('_', ' ')},"
                f" draft {current.get('draft_version')}); nothing was changed.",
            )
            return
        client.views_open(
            trigger_id=body["trigger_id"], view=revise_modal(story_id, version, channel, message_ts)
        )

    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        if not _note(view):
            ack(response_action="errors", errors={"note": "Say what the writer should change."})
            return
        ack()
        ctx.background(revise, body, view, client)

    def revise(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        user, channel = body["user"]["id"], meta.get("channel", "")
        story_id, version, old_ts = (
            meta.get("story_id", ""),
            int(meta.get("version", 0)),
            meta.get("message_ts"),
        )
        if not ctx.may_decide(client, user):
            _tell(client, channel, user, NOT_AN_EDITOR)
            return
        thread = thread_of(story_id)
        thread_ts = thread[1] if thread else old_ts
        note = _note(view)

        def say(text: str) -> None:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

        try:
            before = ctx.room.show(story_id)
            ex = ctx.room.review(
                story_id,
                "revise",
                who=user,
                note=note,
                draft_version=version,
                on_progress=lambda p: say(progress_line(p)),
                # Said once the request is the one that counts: six submits, one notice.
                on_claimed=lambda: say(
                    cut(f"<@{user}> asked for changes: “{escape(note)}”. Rewriting …", 3000)
                ),
            )
        except StaleDraft as exc:
            _tell(client, channel, user, f"{escape(exc)} Your note was not sent.")
            return
        except Exception as exc:
            say(failure_line("The rewrite", exc))
            return
        if old_ts:
            line = (
                f"Superseded by draft {ex.get('draft_version')}: changes requested by <@{user}> at {when()}"
            )
            client.chat_update(channel=channel, ts=old_ts, blocks=decided_blocks(before, line), text=line)
        post_draft(client, channel, thread_ts, ex)

    app.action(APPROVE)(on_decision)
    app.action(REJECT)(on_decision)
    app.action(REVISE)(open_modal)
    app.view(REVISE_MODAL)(on_submit)


def _note(view: dict[str, Any]) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return " ".join(str(((values.get("note") or {}).get("text") or {}).get("value") or "").split())
