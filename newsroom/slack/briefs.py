"""Beat briefings in Slack: `/newsroom brief <beat>` and the scheduler both post to the beat's channel."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from newsroom.beats import Beat
from newsroom.service import Progress, StoryError
from newsroom.slack.context import SlackContext, parse, respond, story_id_for, subcommand, thread_of
from newsroom.slack.mrkdwn import escape
from newsroom.slack.replies import (
    claim_posting,
    failure_line,
    post_draft,
    post_draft_once,
    posted,
    progress_line,
)

log = logging.getLogger("newsroom.slack")


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"brief": run_briefing})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def on_command(ack: Ack, body: dict[str, Any]) -> None:
        _, rest = parse(body.get("text", ""))
        if not rest:
            names = ", ".join(sorted(ctx.room.beats().beats)) or "none configured"
            ack(text=f"Say which beat: `/newsroom brief <beat>` (beats: {names}).")
            return
        try:
            beat = ctx.room.beat(rest)
        except StoryError as exc:
            ack(text=escape(exc))
            return
        ack(text=f"Briefing on {beat.name} requested; it will appear in <#{beat.channel}>.")
        ctx.after_ack(
            "brief",
            once=body,
            lock=f"beat:{beat.name}",
            beat_name=beat.name,
            who=f"<@{body['user_id']}>",
            response_url=body.get("response_url") or "",
            **run_arguments(),
        )

    app.command("/newsroom", matchers=[subcommand("brief")])(on_command)


def run_arguments() -> dict[str, str]:
    """What makes one `brief` job itself: a run id and when it was asked for, so the job run again after its
    worker died finds the briefing it had begun instead of opening a second thread."""
    return {"run": uuid.uuid4().hex, "requested_at": datetime.now(UTC).isoformat()}


def run_briefing(
    ctx: SlackContext, beat_name: str, who: str, response_url: str = "", run: str = "", requested_at: str = ""
) -> None:
    """The `brief` job. Poll, choose, draft and post: a parent message in the beat channel, progress and draft
    in its thread.

    Nothing new gives one short line in the channel and no thread. `who` is a Slack mention or "schedule";
    the editor who asked is told on `response_url` when the beat's channel cannot be posted in. Run again
    (same `run`), it finishes the briefing it began, or does nothing when that one is done.
    """
    beat = ctx.room.beat(beat_name)
    try:
        if run and not ctx.room.registry.claim_once(f"brief-run:{run}") and _resumed(ctx, beat, requested_at):
            return
        _run(ctx, ctx.client, beat, who)
    except SlackApiError as exc:
        line = (
            f"The briefing on {beat_name} could not be posted in <#{beat.channel}> "
            f"({exc.response.get('error', 'Slack refused it')}). Invite the bot to that channel "
            "(`/invite @newsroom`) or fix the beat's channel in the beats file, then try again."
        )
        log.error("%s", line)
        if response_url:
            respond(response_url, line)


def _resumed(ctx: SlackContext, beat: Beat, since: str) -> bool:
    """A run of this job began before (its worker died): finish the briefing it began, if it got as far as
    one, and say True; False when it had not begun one (the job starts afresh)."""
    registry = ctx.room.registry
    ours = [
        row
        for row in registry.stories(limit=200)
        if row["kind"] == "briefing"
        and row["topic"] == f"briefing: {beat.name}"
        and (thread_of(row["story_id"]) or ("",))[0] == beat.channel
        and str(row["created_at"]) >= since
    ]
    for row in ours:
        story_id = str(row["story_id"])
        lease = registry.lease_owner(f"story:{story_id}")
        if lease is not None and lease[1] >= time.time():
            continue  # a live run (a resume) holds it and tells its thread
        if row["status"] == "running":
            _continue(ctx, ctx.client, beat, story_id, drafted=False)
        elif row["status"] == "pending_approval" and claim_posting(
            registry, story_id, int(row["draft_version"])
        ):
            _continue(ctx, ctx.client, beat, story_id, drafted=True)
    return bool(ours)


def _continue(ctx: SlackContext, client: WebClient, beat: Beat, story_id: str, drafted: bool) -> None:
    channel, thread_ts = thread_of(story_id) or (beat.channel, "")
    client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text="Picking the briefing up again from its last saved step …"
    )
    if drafted:  # the posting is claimed already
        explainer = ctx.room.show(story_id)
        post_draft(client, channel, thread_ts, explainer)
        posted(ctx.room.registry, story_id, int(explainer.get("draft_version", 0)))
        return
    try:
        result = ctx.room.continue_story(story_id)
    except Exception as exc:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=failure_line(f"The briefing on {beat.name}", exc)
        )
        return
    post_draft_once(ctx.room.registry, client, channel, thread_ts, result)


def _run(ctx: SlackContext, client: WebClient, beat: Beat, who: str) -> None:
    beat_name, channel = beat.name, beat.channel
    label = "scheduled" if who == "schedule" else f"requested by {who}"
    try:
        plan = ctx.room.prepare_briefing(beat)
    except Exception as exc:
        client.chat_postMessage(channel=channel, text=failure_line(f"The briefing on {beat_name}", exc))
        return
    if plan.record_ids:  # does any of it correct or contradict a published explainer? (slack/living.py)
        ctx.enqueue("watch_published", record_ids=list(plan.record_ids))
    if not plan.record_ids:
        client.chat_postMessage(channel=channel, text=plan.nothing_new()["message"])
        return
    parent = client.chat_postMessage(
        channel=channel,
        text=f"Briefing on {beat_name} ({label}): {len(plan.record_ids)} new records since {plan.since_text}",
    )
    thread_ts = str(parent["ts"])

    def say(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    def progress(p: Progress) -> None:
        say(progress_line(p))
        ctx.step()

    try:
        result = ctx.room.run_briefing(
            plan,
            requested_by="schedule" if who == "schedule" else f"slack:{who.strip('<@>')}",
            story_id=story_id_for(channel, thread_ts),
            on_progress=progress,
        )
    except Exception as exc:
        say(failure_line(f"The briefing on {beat_name}", exc))
        return
    post_draft_once(ctx.room.registry, client, channel, thread_ts, result)


def on_schedule(ctx: SlackContext) -> Callable[[str], None]:
    """What the scheduler runs when a beat's slot is claimed in this process."""

    def due(beat_name: str) -> None:
        run_briefing(ctx, beat_name, "schedule")

    return due
