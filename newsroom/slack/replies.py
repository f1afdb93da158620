"""What the bot says in a story's thread, shared by every feature: progress lines, failure sentences, drafts."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from newsroom.registry import StoryRegistry
from newsroom.service import Progress, StoryError
from newsroom.slack.blocks import MAX_TEXT, draft_messages
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


def claim_posting(
    registry: StoryRegistry, story_id: str, version: int, status: str = "pending_approval"
) -> bool:
    """True when this caller is to post a draft: nobody began posting it, or whoever began never recorded it
    done (their process died mid-post). Call `posted` once it is in the thread."""
    key = f"{story_id}:{version}:{status}"
    return registry.claim_once(f"posting:{key}") or registry.claim_once(f"posted:{key}")


def posted(registry: StoryRegistry, story_id: str, version: int, status: str = "pending_approval") -> None:
    registry.claim_once(f"posted:{story_id}:{version}:{status}")


def post_draft_once(
    registry: StoryRegistry, client: WebClient, channel: str, thread_ts: str, explainer: dict[str, Any]
) -> str:
    """Post a draft unless it is in the thread already (a job run again after its worker died): the posting is
    claimed in the registry before and recorded after, so a thread shows it once. "" when it was there."""
    story, version = str(explainer.get("story_id", "")), int(explainer.get("draft_version", 0))
    status = str(explainer.get("status", ""))
    if not claim_posting(registry, story, version, status):
        log.info("draft %s of %s was posted already", version, story)
        return ""
    ts = post_draft(client, channel, thread_ts, explainer)
    posted(registry, story, version, status)
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
