"""Beat briefings in Slack: `/newsroom brief <beat>` and the scheduler both post to the beat's channel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from newsroom.beats import Beat
from newsroom.service import Progress, StoryError
from newsroom.slack.context import SlackContext, parse, respond, story_id_for, subcommand
from newsroom.slack.mrkdwn import escape
from newsroom.slack.replies import failure_line, post_draft, progress_line

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
        if ctx.first_delivery(body):
            ctx.enqueue(
                "brief",
                lock=f"beat:{beat.name}",
                beat_name=beat.name,
                who=f"<@{body['user_id']}>",
                response_url=body.get("response_url") or "",
            )

    app.command("/newsroom", matchers=[subcommand("brief")])(on_command)


def run_briefing(ctx: SlackContext, beat_name: str, who: str, response_url: str = "") -> None:
    """The `brief` job. Poll, choose, draft and post: a parent message in the beat channel, progress and draft
    in its thread.

    Nothing new gives one short line in the channel and no thread. `who` is a Slack mention or "schedule";
    the editor who asked is told on `response_url` when the beat's channel cannot be posted in.
    """
    beat = ctx.room.beat(beat_name)
    try:
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


def _run(ctx: SlackContext, client: WebClient, beat: Beat, who: str) -> None:
    beat_name, channel = beat.name, beat.channel
    label = "scheduled" if who == "schedule" else f"requested by {who}"
    try:
        plan = ctx.room.prepare_briefing(beat)
    except Exception as exc:
        client.chat_postMessage(channel=channel, text=failure_line(f"The briefing on {beat_name}", exc))
        return
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
    post_draft(client, channel, thread_ts, result)


def on_schedule(ctx: SlackContext) -> Callable[[str], None]:
    """What the scheduler runs when a beat's slot is claimed in this process."""

    def due(beat_name: str) -> None:
        run_briefing(ctx, beat_name, "schedule")

    return due
