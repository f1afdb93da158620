"""The one facade every door (CLI, Slack, scheduler) calls: ingest, search, explain, review."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from newsroom.ingest import IngestReport, collect, ingest_parsed
from newsroom.parsers import Fetcher, Parsed, http_fetcher
from newsroom.settings import Settings
from newsroom.store import SearchHit, SourceStore, open_store


@dataclass
class Newsroom:
    """Holds the configured collaborators; each is built on first use and injected everywhere."""

    settings: Settings
    store_override: SourceStore | None = None
    fetch_override: Fetcher | None = None

    @cached_property
    def store(self) -> SourceStore:
        return self.store_override or open_store(self.settings)

    @cached_property
    def fetch(self) -> Fetcher:
        return self.fetch_override or http_fetcher(self.settings.ingest)

    # -- records ---------------------------------------------------------------------------------

    def read_targets(self, targets: Iterable[str], beat: str | None = None) -> list[Parsed]:
        return collect(targets, self.settings, self.fetch, {"beat": beat} if beat else {})

    def ingest(
        self,
        targets: Iterable[str],
        beat: str | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        return ingest_parsed(self.read_targets(targets, beat), self.store, self.settings, on_progress)

    def ingest_parsed(
        self, parsed: list[Parsed], on_progress: Callable[[int], None] | None = None
    ) -> IngestReport:
        return ingest_parsed(parsed, self.store, self.settings, on_progress)

    def search(
        self,
        query: str,
        k: int = 10,
        beat: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        return self.store.search(query, k=k, beat=beat, since=since, until=until)


def hit_json(hit: SearchHit) -> dict[str, Any]:
    r = hit.record
    return {
        "id": r.id,
        "title": r.title,
        "outlet": r.outlet,
        "url": r.url,
        "published_at": r.published_at.isoformat() if r.published_at else None,
        "score": hit.score,
        "beat": r.beat,
        "duplicates": hit.duplicates,
    }
