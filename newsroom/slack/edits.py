"""Edit on a draft: editors change its words in a modal; code checks them (no model runs) and the edit becomes
the next version, posted in the thread, exactly once."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from newsroom.service import EditRefused, StaleDraft, StoryError
from newsroom.slack.blocks import EDIT, decided_blocks
from newsroom.slack.context import SlackContext, thread_of
from newsroom.slack.editblocks import EDIT_MODAL, EDIT_PART, edit_modal, modal_errors, submitted
from newsroom.slack.mrkdwn import escape, when
from newsroom.slack.replies import failure_line, post_draft_once

log = logging.getLogger("newsroom.slack")
NOT_AN_EDITOR = (
    "Only editors can edit drafts; nothing was changed. "
    "Ask an editor, or ask whoever runs newsroom to add you to NEWSROOM_SLACK_APPROVERS."
)


def _target(value: str | None) -> tuple[str, int] | None:
    try:
        parsed = json.loads(value or "")
        return str(parsed["story_id"]), int(parsed["version"])
    except (ValueError, KeyError, TypeError):
        return None


def _tell(client: WebClient, channel: str, user: str, text: str) -> None:
    client.chat_postEphemeral(channel=channel, user=user, text=text)


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"edit": save_edit})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    # The buttons answer Slack first; the modal opens or changes right after, on this process (`ctx.soon`):
    # its trigger expires 3 s after the click.
    def open_editor(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.soon(opening, body, action, client)

    def opening(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
        target = _target(action.get("value"))
        if target is None:
            _tell(
                client, channel, user, "That button does not belong to a newsroom draft; nothing was changed."
            )
            return
        if not ctx.may_decide(client, user):
            _tell(client, channel, user, NOT_AN_EDITOR)
            return
        try:
            ctx.room.editable(*target)
            ex = ctx.room.show(target[0])
        except StoryError as exc:
            _tell(client, channel, user, f"{escape(exc)} Nothing was changed.")
            return
        client.views_open(trigger_id=body["trigger_id"], view=edit_modal(ex, channel, message_ts))

    def switch_part(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.soon(switching, body, action, client)

    def switching(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        view = body.get("view") or {}
        meta = json.loads(view.get("private_metadata") or "{}")
        user = body["user"]["id"]
        if not ctx.may_decide(client, user):
            _tell(client, str(meta.get("channel", "")), user, NOT_AN_EDITOR)
            return
        try:
            ctx.room.editable(str(meta.get("story_id", "")), int(meta.get("version", 0)))
            ex = ctx.room.show(str(meta.get("story_id", "")))
        except StoryError as exc:
            _tell(client, str(meta.get("channel", "")), user, f"{escape(exc)} Nothing was changed.")
            return
        part = int(((action.get("selected_option") or {}).get("value")) or 0)
        modal = edit_modal(ex, str(meta.get("channel", "")), str(meta.get("message_ts", "")), part)
        client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=modal)

    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        story_id, version = str(meta.get("story_id", "")), int(meta.get("version", 0))
        user = body["user"]["id"]
        values = submitted(view)

        def refuse(problems: dict[str, list[str]]) -> None:
            ack(response_action="errors", errors=modal_errors(view, problems))

        first = next(iter(values), "headline")
        if not ctx.may_decide(client, user):
            refuse({first: [NOT_AN_EDITOR]})
            return
        # Checked before the answer, which carries what is wrong on the field at fault (Slack waits 3 s; the
        # checks are code over the story's own records, about 140 ms on the demo story).
        try:
            ctx.room.check_edit(story_id, version, values)
        except EditRefused as exc:
            refuse(exc.problems)
            return
        except StoryError as exc:
            refuse({first: [f"{exc} Nothing was saved."]})
            return
        except Exception:
            log.exception("checking an edit of %s failed", story_id)
            refuse(
                {first: ["The edit could not be checked because of an internal error; nothing was saved."]}
            )
            return
        ack()
        ctx.soon(hand_over, view, story_id, version, user, meta, values)

    def hand_over(
        view: dict[str, Any],
        story_id: str,
        version: int,
        user: str,
        meta: dict[str, Any],
        values: dict[str, str],
    ) -> None:
        # The same modal submitted twice (a double click, a redelivery) saves once.
        if not ctx.room.registry.claim_once(f"edit-view:{view.get('id')}:{story_id}:{version}"):
            return
        ctx.enqueue(
            "edit",
            lock=story_id or None,
            story_id=story_id,
            version=version,
            user=user,
            channel=str(meta.get("channel", "")),
            message_ts=str(meta.get("message_ts", "")),
            values=values,
            run=uuid.uuid4().hex,  # the job's identity: run again after a crash, it knows it began
        )

    app.action(EDIT)(open_editor)
    app.action(EDIT_PART)(switch_part)
    app.view(EDIT_MODAL)(on_submit)


def save_edit(
    ctx: SlackContext,
    story_id: str,
    version: int,
    user: str,
    channel: str,
    message_ts: str,
    values: dict[str, str],
    run: str = "",
) -> None:
    """The `edit` job: the edit saved as the next version (claimed once per draft), the old draft marked
    superseded and the new one posted in the thread with the usual buttons. Run again after its worker died
    (same `run`), it finishes posting the version it saved instead of calling it a stale edit."""
    client = ctx.client
    if not ctx.may_decide(client, user):
        _tell(client, channel, user, NOT_AN_EDITOR)
        return
    who = f"slack:{user}"
    began = bool(run) and not ctx.room.registry.claim_once(f"edit-run:{run}")
    try:
        before = ctx.room.show(story_id)
        ex = ctx.room.edit(story_id, version, who, values)
    except StaleDraft as exc:
        saved = _saved_by(ctx, story_id, version, who) if began else None
        if saved is None:
            _tell(client, channel, user, f"{escape(exc)} Your edit was not saved.")
            return
        before, ex = {"headline": f"Draft {version}"}, saved
    except StoryError as exc:
        _tell(client, channel, user, f"{escape(exc)} Your edit was not saved.")
        return
    except Exception as exc:
        _tell(client, channel, user, failure_line("Saving your edit", exc))
        return
    thread = thread_of(story_id)
    thread_ts = thread[1] if thread else message_ts
    if message_ts:
        line = f"Superseded by draft {ex.get('draft_version')}: edited by <@{user}> at {when()}"
        client.chat_update(channel=channel, ts=message_ts, blocks=decided_blocks(before, line), text=line)
    post_draft_once(ctx.room.registry, client, channel, thread_ts or "", ex)


def _saved_by(ctx: SlackContext, story_id: str, version: int, who: str) -> dict[str, Any] | None:
    """The story, when its next version is this editor's edit of `version` (saved by an earlier run of the job)."""
    ex = ctx.room.show(story_id)
    mine = [
        h
        for h in ex.get("history") or []
        if h.get("kind") == "edit" and h.get("version") == version + 1 and h.get("by") == who
    ]
    return ex if mine and ex.get("draft_version") == version + 1 else None
