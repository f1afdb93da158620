"""A briefing plan from what it is handed (a store, a registry, an ingest function), with no Newsroom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from newsroom import briefing
from newsroom.beats import Beat
from newsroom.ingest import IngestReport
from newsroom.parsers import Parsed
from newsroom.records import SourceRecord
from newsroom.registry import StoryRegistry
from tests.fakes.store import FakeStore

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _record(rid: str, hours_ago: float, duplicate_of: str | None = None) -> SourceRecord:
    return SourceRecord(
        id=rid,
        title=rid,
        # only the oldest fresh record is about the budget, so a query visibly reorders the choice
        text="The transit budget passed." if rid == "old" else f"Words of {rid}.",
        beat="city-hall",
        published_at=NOW - timedelta(hours=hours_ago),
        duplicate_of=duplicate_of,
    )


class _Registry:
    def briefed(self, beat: str) -> set[str]:
        return {"told"}


def _beat(query: str | None) -> Beat:
    return Beat(
        name="city-hall",
        channel="#city",
        sources=("https://dead.example/feed", "https://live.example/feed"),
        query=query,
        schedule="0 8 * * *",
        timezone="UTC",
        lookback=timedelta(hours=24),
    )


def _ingest(source: str, beat: str) -> tuple[list[Parsed], IngestReport]:
    if "dead" in source:
        raise ConnectionError("no route to host")
    return [Parsed(source, record=_record("new", 1))], IngestReport(added=[_record("new", 1)])


def _plan(query: str | None) -> briefing.BriefingPlan:
    store = FakeStore(
        [
            _record("new", 1),
            _record("old", 20),
            _record("copy", 2, duplicate_of="new"),
            _record("told", 3),
            _record("stale", 30),
        ]
    )
    return briefing.prepare(
        _beat(query),
        store=store,
        registry=cast(StoryRegistry, _Registry()),
        ingest=_ingest,
        max_records=5,
        now=NOW,
    )


def test_a_plan_skips_copies_briefed_and_stale_records_and_names_the_dead_source() -> None:
    plan = _plan(None)
    assert plan.record_ids == ["new", "old"]  # newest first without a query
    assert plan.added == 1
    assert plan.since == NOW - timedelta(hours=24)
    assert [f["source"] for f in plan.failed_sources] == ["https://dead.example/feed"]
    assert "no route to host" in plan.failed_sources[0]["error"]


def test_a_query_orders_the_plan_by_relevance() -> None:
    assert _plan("budget").record_ids == ["old", "new"]
