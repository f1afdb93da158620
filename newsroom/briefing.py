"""A briefing run: poll the beat's sources, ingest what is new, choose the records, run the briefing graph."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsroom.beats import Beat
from newsroom.ingest import IngestReport
from newsroom.parsers import Parsed
from newsroom.registry import StoryRegistry
from newsroom.sourcepolicy import SourcePolicy
from newsroom.store import SourceStore

log = logging.getLogger("newsroom.briefing")

IngestSource = Callable[[str, str], tuple[list[Parsed], IngestReport]]
"""Read one source for a beat (source, beat name) and store what is new: what was read, and the report."""


@dataclass
class BriefingPlan:
    """What a briefing will cover, decided before any model is asked."""

    beat: Beat
    since: datetime
    record_ids: list[str]
    added: int = 0
    failed_sources: list[dict[str, str]] = field(default_factory=list)
    policy: SourcePolicy = field(default_factory=SourcePolicy)
    policy_dropped: list[dict[str, str]] = field(default_factory=list)
    """Records the policy kept out ({record_id, title, outlet, reason}): not stored, or not chosen."""

    @property
    def since_text(self) -> str:
        return self.since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def nothing_new(self) -> dict[str, Any]:
        """The one short line a beat gets when nothing is new, as briefing JSON without a story."""
        polled = len(self.beat.sources)
        line = f"Nothing new on {self.beat.name} since {self.since_text} ({polled} source{'s' * (polled != 1)} polled)."
        if self.failed_sources:
            line += " Could not read: " + "; ".join(
                f"{f['source']} ({f['error']})" for f in self.failed_sources
            )
        return {
            "kind": "briefing",
            "story_id": None,
            "beat": self.beat.name,
            "status": "nothing_new",
            "since": self.since.isoformat(),
            "message": line,
            "items": [],
            "failed_sources": self.failed_sources,
            "policy_dropped": self.policy_dropped,
        }


def poll(ingest: IngestSource, beat: Beat) -> tuple[int, list[dict[str, str]]]:
    """Ingest each source on its own, so one dead feed never stops the others; returns (added, failed)."""
    added = 0
    failed: list[dict[str, str]] = []
    for source in beat.sources:
        try:
            parsed, report = ingest(source, beat.name)
        except Exception as exc:  # a source must never take the briefing down with it
            log.warning("beat %s: source %s failed: %s", beat.name, source, exc)
            failed.append({"source": source, "error": f"{type(exc).__name__}: {exc}"})
            continue
        added += len(report.added)
        errors = [p.error for p in parsed if p.error]
        if errors and not any(p.record for p in parsed):
            log.warning("beat %s: source %s could not be read: %s", beat.name, source, errors[0])
            failed.append({"source": source, "error": errors[0] or "unreadable"})
    return added, failed


def select(
    store: SourceStore,
    registry: StoryRegistry,
    beat: Beat,
    since: datetime,
    limit: int,
    policy: SourcePolicy | None = None,
    now: datetime | None = None,
    dropped: list[dict[str, str]] | None = None,
) -> list[str]:
    """The beat's records dated since `since`, not in a published briefing, one per syndicated group, that
    the policy admits (its domains, and fresh as of `now`); what it refused is appended to `dropped`.

    With a query, the most relevant come first; without, the newest.
    """
    briefed = registry.briefed(beat.name)
    fresh = [
        r
        for r in store.list_records(beat=beat.name)
        if (r.published_at or r.ingested_at) >= since and r.id not in briefed and not r.duplicate_of
    ]
    if policy is not None:
        fresh, refused = policy.screen(fresh, now)
        if dropped is not None:
            dropped += refused
    if not fresh:
        return []
    if beat.query:
        scores = {
            h.record.id: h.score for h in store.search(beat.query, k=max(50, 3 * len(fresh)), beat=beat.name)
        }
        fresh.sort(key=lambda r: scores.get(r.id, 0.0), reverse=True)
    else:
        fresh.sort(key=lambda r: r.published_at or r.ingested_at, reverse=True)
    return [r.id for r in fresh[:limit]]


def prepare(
    beat: Beat,
    *,
    store: SourceStore,
    registry: StoryRegistry,
    ingest: IngestSource,
    max_records: int,
    since: datetime | None = None,
    now: datetime | None = None,
    policy: SourcePolicy | None = None,
) -> BriefingPlan:
    """Poll the beat's sources, then choose at most `max_records` records dated since `since` (default:
    the beat's lookback before `now`) that the beat's source policy admits."""
    now = now or datetime.now(UTC)
    cutoff = since or now - beat.lookback
    policy = policy or SourcePolicy()
    added, failed = poll(ingest, beat)
    dropped: list[dict[str, str]] = []
    ids = select(store, registry, beat, cutoff, max_records, policy, now, dropped)
    log.info(
        "beat %s: %d new records ingested, %d chosen since %s, %d kept out by its source policy",
        beat.name,
        added,
        len(ids),
        cutoff,
        len(dropped),
    )
    return BriefingPlan(beat, cutoff, ids, added, failed, policy, dropped)


def payload(plan: BriefingPlan, story_id: str, requested_by: str) -> dict[str, Any]:
    beat = plan.beat
    return {
        "story_id": story_id,
        "topic": beat.query or f"what is new on the {beat.name} beat",
        "beat": beat.name,
        "requested_by": requested_by,
        "kind": "briefing",
        "record_ids": plan.record_ids,
        "since": plan.since.isoformat(),
        "failed_sources": plan.failed_sources,
        "policy": plan.policy.to_json(),
        "policy_dropped": plan.policy_dropped,
    }
