"""Approve / Request changes / Reject on a draft: editors only, exactly once, any replica, any time later."""

from __future__ import annotations

import json
import logging
import uuid
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
from newsroom.slack.mrkdwn import cut, escape, when
from newsroom.slack.replies import failure_line, post_draft_once, progress_line

log = logging.getLogger("newsroom.slack")
NOT_AN_EDITOR = (
    "Only editors can approve, reject or request changes on drafts; nothing was changed. "
    "Ask an editor, or ask whoever runs newsroom to add you to NEWSROOM_SLACK_APPROVERS."
)


def _where(body: dict[str, Any]) -> tuple[str, str, str]:
    """(user, channel, message ts) of a button click."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    return body["user"]["id"], channel, ts


def _value(value: str | None) -> tuple[str, int] | None:
    try:
        parsed = json.loads(value or "")
        return str(parsed["story_id"]), int(parsed["version"])
    except (ValueError, KeyError, TypeError):
        return None


def _tell(client: WebClient, channel: str, user: str, text: str) -> None:
    client.chat_postEphemeral(channel=channel, user=user, text=text)


def _editors_target(
    ctx: SlackContext, client: WebClient, value: str | None, channel: str, user: str
) -> tuple[str, int] | None:
    """The draft a button is for, when an editor clicked it; anyone else is told why not (None)."""
    target = _value(value)
    if target is None:
        _tell(client, channel, user, "That button does not belong to a newsroom draft; nothing was changed.")
        return None
    if not ctx.may_decide(client, user):
        _tell(client, channel, user, NOT_AN_EDITOR)
        return None
    return target


def _open_revise_modal(
    ctx: SlackContext, client: WebClient, body: dict[str, Any], action: dict[str, Any]
) -> None:
    """The Revise modal, opened for an editor on a draft still waiting; anyone else is told why not."""
    user, channel, message_ts = _where(body)
    target = _editors_target(ctx, client, action.get("value"), channel, user)
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


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"decide": decide, "revise": revise})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_decision(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        user, channel, message_ts = _where(body)
        target = _value(action.get("value"))
        ctx.after_ack(
            "decide",
            lock=target[0] if target else None,  # one story's jobs never run at once
            action_id=action["action_id"],
            value=action.get("value") or "",
            user=user,
            channel=channel,
            message_ts=message_ts,
        )

    def open_modal(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()  # the modal opens right after, on this process: its trigger expires 3 s after the click
        ctx.soon(_open_revise_modal, ctx, client, body, action)

    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        note = _note(view)
        if not note:
            ack(response_action="errors", errors={"note": "Say what the writer should change."})
            return
        ack()
        meta = json.loads(view.get("private_metadata") or "{}")
        story_id = str(meta.get("story_id", ""))
        ctx.after_ack(
            "revise",
            lock=story_id or None,
            story_id=story_id,
            version=int(meta.get("version", 0)),
            user=body["user"]["id"],
            channel=str(meta.get("channel", "")),
            message_ts=meta.get("message_ts"),
            note=note,
            run=uuid.uuid4().hex,  # the job's identity: run again after a crash, it knows it began
        )

    app.action(APPROVE)(on_decision)
    app.action(REJECT)(on_decision)
    app.action(REVISE)(open_modal)
    app.view(REVISE_MODAL)(on_submit)


def decide(ctx: SlackContext, action_id: str, value: str, user: str, channel: str, message_ts: str) -> None:
    """The `decide` job: Approve or Reject, claimed once per draft in the registry (two fronts, two clicks:
    one decision), then the story resumed to its end."""
    client = ctx.client
    target = _editors_target(ctx, client, value, channel, user)
    if target is None:
        return
    story_id, version = target
    decision = "approve" if action_id == APPROVE else "reject"
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


def revise(
    ctx: SlackContext,
    story_id: str,
    version: int,
    user: str,
    channel: str,
    message_ts: str | None,
    note: str,
    run: str = "",
) -> None:
    """The `revise` job: the editor's note claimed once per draft, the writer run again, the new draft posted
    in the thread and the old one marked superseded. Run again after its worker died (same `run`), it
    continues the rewrite it began from the last checkpoint instead of calling the note a stale one."""
    client = ctx.client
    if not ctx.may_decide(client, user):
        _tell(client, channel, user, NOT_AN_EDITOR)
        return
    thread = thread_of(story_id)
    thread_ts = thread[1] if thread else message_ts

    def say(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    began = bool(run) and not ctx.room.registry.claim_once(f"revise-run:{run}")
    try:
        before = ctx.room.show(story_id)
        # began before and got as far as claiming the change request (its worker died mid-rewrite)
        if began and (ctx.room.registry.decision_for(story_id, version) or {}).get("who") == user:
            say("Picking the rewrite up again from its last saved step …")
            ex = ctx.room.continue_story(story_id)
        else:
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
    if message_ts:
        line = f"Superseded by draft {ex.get('draft_version')}: changes requested by <@{user}> at {when()}"
        client.chat_update(channel=channel, ts=message_ts, blocks=decided_blocks(before, line), text=line)
    post_draft_once(ctx.room.registry, client, channel, thread_ts or "", ex)


def _note(view: dict[str, Any]) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return " ".join(str(((values.get("note") or {}).get("text") or {}).get("value") or "").split())
