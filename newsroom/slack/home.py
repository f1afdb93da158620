"""App Home: what waits for a decision, my requests, what was published, the beats, and a New explainer
modal that starts a story as `/newsroom explain` does; re-published when a story changes state."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from newsroom.service import StoryError
from newsroom.slack.context import SlackContext, thread_of
from newsroom.slack.home_blocks import (
    HOME_PAGE,
    LISTED,
    NEW_EXPLAINER,
    NEW_EXPLAINER_MODAL,
    PAGE_SIZE,
    BeatLine,
    HomeData,
    Listed,
    Waiting,
    clamp_page,
    home_view,
    new_explainer_modal,
    page_of,
    public_hosts,
    read_submission,
)

log = logging.getLogger("newsroom.slack")
VIEWER = "home-viewer:"
"""Claims (`claim_once`) naming who opened Home: their Home is refreshed when a story changes state."""
SETTLED = frozenset({"pending_approval", "published", "rejected", "failed", "publishing"})


class Permalinks:
    """Thread links by story id, asked of Slack once per process (a thread's link never changes)."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def of(self, client: WebClient, story_id: str) -> str | None:
        with self._lock:
            if story_id in self._known:
                return self._known[story_id]
        thread = thread_of(story_id)
        found: str | None = None
        if thread:
            try:
                found = str(client.chat_getPermalink(channel=thread[0], message_ts=thread[1])["permalink"])
            except Exception:  # no link is shown; the story id still is
                log.warning("no permalink for %s", story_id, exc_info=True)
                return None
        with self._lock:
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[story_id] = found
        return found


def _at(text: str | None) -> datetime:
    try:
        at = datetime.fromisoformat(str(text))
    except ValueError:
        return datetime.now(UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _beat_of(row: dict[str, Any]) -> str | None:
    if row.get("kind") == "briefing":
        return str(row.get("topic", "")).removeprefix("briefing: ") or None
    try:
        return (json.loads(row.get("meta") or "{}").get("payload") or {}).get("beat") or None
    except ValueError:
        return None


def _waiting(ctx: SlackContext, client: WebClient, row: dict[str, Any], links: Permalinks) -> Waiting:
    """A waiting draft with what the audit said; a story the checkpoints cannot show is listed by its topic."""
    headline, audit, passed = str(row.get("topic", "")), "audit status unknown", False
    try:
        ex = ctx.room.show(row["story_id"])
        headline = str(ex.get("headline") or headline)
        checked = ex.get("audit") or {}
        passed = bool(checked.get("passed"))
        left = len((checked.get("publishability") or {}).get("left") or [])
        problems = len(checked.get("problems") or [])
        audit = (
            "citation audit and publishability check passed"
            if passed
            else f"{problems} problem{'s' if problems != 1 else ''} found"
            + (f" ({left} by the publishability check)" if left else "")
        )
    except StoryError as exc:  # indexed but never checkpointed (it died before its first step)
        log.info("Home lists story %s by its topic: %s", row.get("story_id"), exc)
    except Exception:
        log.warning("could not read story %s for Home", row.get("story_id"), exc_info=True)
    return Waiting(
        story_id=row["story_id"],
        headline=headline,
        beat=_beat_of(row),
        requester=str(row.get("requested_by") or ""),
        since=_at(row.get("updated_at")),
        version=int(row.get("draft_version") or 0),
        audit=audit,
        passed=passed,
        permalink=links.of(client, row["story_id"]),
    )


def gather(
    ctx: SlackContext, client: WebClient, user: str, editor: bool, page: int, links: Permalinks
) -> HomeData:
    now = datetime.now(UTC)
    registry = ctx.room.registry
    data = HomeData(user=user, editor=editor, now=now)
    recent = registry.stories(limit=2000)

    def listed(row: dict[str, Any]) -> Listed:
        return Listed(
            row["story_id"],
            str(row.get("topic", "")),
            str(row.get("status", "")),
            _at(row.get("updated_at")),
            links.of(client, row["story_id"]),
        )

    mine = [r for r in recent if r.get("requested_by") == f"slack:{user}"]
    data.mine, data.mine_total = [listed(r) for r in mine[:LISTED]], len(mine)
    week = (now - timedelta(days=7)).isoformat()
    published = [r for r in recent if r.get("status") == "published" and str(r.get("updated_at")) >= week]
    data.published, data.published_total = [listed(r) for r in published[:LISTED]], len(published)
    if not editor:
        return data
    pending = sorted(
        registry.stories(status="pending_approval", limit=100_000), key=lambda r: str(r.get("updated_at"))
    )
    data.waiting_total = len(pending)
    data.page = clamp_page(page, len(pending))
    start = data.page * PAGE_SIZE
    data.waiting = [_waiting(ctx, client, r, links) for r in pending[start : start + PAGE_SIZE]]
    data.beats, data.beat_errors = _beats(ctx, recent, now)
    return data


def _beats(ctx: SlackContext, recent: list[dict[str, Any]], now: datetime) -> tuple[list[BeatLine], int]:
    try:
        loaded = ctx.room.beats()
    except Exception:
        log.warning("could not read the beats file for Home", exc_info=True)
        return [], 1
    lines = []
    for name, beat in sorted(loaded.beats.items()):
        last = next(
            (r for r in recent if r.get("kind") == "briefing" and r.get("topic") == f"briefing: {name}"), None
        )
        if last:
            said = f"{str(last['status']).replace('_', ' ')} {str(last.get('updated_at'))[:10]}"
        else:
            published = ctx.room.registry.last_briefing(name)
            said = f"published {published[:10]}" if published else "none yet"
        try:
            nxt = beat.next_run(now)
        except Exception:
            nxt = None
        lines.append(BeatLine(name, beat.channel, nxt, said))
    no_file = not loaded.path.exists()  # no beats set up is not an error on Home
    return lines, 0 if no_file else len(loaded.errors)


def publish(
    ctx: SlackContext, client: WebClient, user: str, page: int = 0, links: Permalinks | None = None
) -> None:
    """Build and publish one user's Home; a failure is logged (Home is redrawn next time it opens)."""
    try:
        data = gather(ctx, client, user, ctx.may_decide(client, user), page, links or Permalinks())
        client.views_publish(user_id=user, view=home_view(data))
    except Exception:
        log.exception("could not publish the Home of %s", user)


def jobs(ctx: SlackContext) -> Permalinks:
    """The Home jobs, and the refresh asked for whenever a run leaves a story in a settled status (wherever
    the run is: here or a worker). Returns the thread links they remember, for the listeners to share."""
    links = Permalinks()

    def refresh(ctx: SlackContext, story_id: str) -> None:
        """The `home_refresh` job: the Home of the story's requester and of every editor who opened Home."""
        client = ctx.client
        row = next((r for r in ctx.room.status(story_id)), None)
        users = {key.removeprefix(VIEWER) for key in ctx.room.registry.claimed(VIEWER)}
        concerned = {u for u in users if ctx.may_decide(client, u)}
        requester = str((row or {}).get("requested_by") or "")
        if requester.startswith("slack:"):
            concerned.add(requester.removeprefix("slack:"))
        for user in sorted(concerned):
            publish(ctx, client, user, 0, links)

    def changed(story_id: str, status: str) -> None:
        if status in SETTLED:
            ctx.enqueue("home_refresh", queueing_lock=f"home:{story_id}", story_id=story_id)

    ctx.add_jobs({"home_refresh": refresh})
    ctx.room.status_listeners.append(changed)
    return links


def register(app: App, ctx: SlackContext) -> None:
    links = jobs(ctx)

    # Each listener answers Slack first; Home is drawn and modals open right after (`ctx.soon`).
    def opened(user: str, client: WebClient) -> None:
        ctx.room.registry.claim_once(f"{VIEWER}{user}")
        publish(ctx, client, user, 0, links)

    def on_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return  # the Messages tab
        user = str(event.get("user") or "")
        if user:
            ctx.soon(opened, user, client)

    def on_page(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.soon(publish, ctx, client, body["user"]["id"], page_of(action.get("value")), links)

    def on_new(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()  # the modal opens right after: the trigger expires 3 s after the click
        ctx.soon(_open_modal, ctx, client, body["trigger_id"])

    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        beats = _beat_channels(ctx)
        asked = read_submission(view, set(beats), public_hosts(ctx.settings.fetch_allow))
        errors = dict(asked.errors)
        channel = beats.get(asked.beat or "") or ctx.settings.slack.explain_channel or ""
        if not errors and not channel:
            where = "beat" if beats else "topic"
            errors[where] = (
                "Pick a beat: no channel is set for explainers without one (NEWSROOM_SLACK_EXPLAIN_CHANNEL)."
                if beats
                else "No channel is set for new explainers; ask whoever runs newsroom to set "
                "NEWSROOM_SLACK_EXPLAIN_CHANNEL, or use `/newsroom explain` in a channel."
            )
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        # the same submission delivered again opens no second thread: the view is the request
        request = f"home-new:{view.get('id') or body.get('trigger_id')}"
        ctx.after_ack(
            "open_thread",
            queueing_lock=f"open_thread:{request}",
            channel=channel,
            topic=asked.topic,
            user=body["user"]["id"],
            request=request,
            beat=asked.beat,
            links=asked.links,
        )

    app.event("app_home_opened")(on_opened)
    app.action(HOME_PAGE)(on_page)
    app.action(NEW_EXPLAINER)(on_new)
    app.view(NEW_EXPLAINER_MODAL)(on_submit)


def _beat_channels(ctx: SlackContext) -> dict[str, str]:
    try:
        return {name: b.channel for name, b in ctx.room.beats().beats.items()}
    except Exception:
        log.warning("could not read the beats file", exc_info=True)
        return {}


def _open_modal(ctx: SlackContext, client: WebClient, trigger_id: str) -> None:
    client.views_open(trigger_id=trigger_id, view=new_explainer_modal(_beat_names(ctx)))


def _beat_names(ctx: SlackContext) -> list[str]:
    return sorted(_beat_channels(ctx))
