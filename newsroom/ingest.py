"""Ingest: parse targets, drop exact duplicates, link near-duplicates, store the rest; report every line."""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsroom.parsers import Fetcher, Parsed, iter_target
from newsroom.records import SourceRecord, text_overlap
from newsroom.settings import Settings
from newsroom.store import PreparedRecord, SourceStore

log = logging.getLogger("newsroom.ingest")
BATCH = 32
_MIN_LENGTH_RATIO = 0.3  # a short quote inside a long article is not a copy of it


@dataclass
class Duplicate:
    where: str
    record_id: str
    title: str
    of_id: str
    of_title: str
    reason: str


@dataclass
class Rejected:
    where: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest did: every input record lands in exactly one list."""

    added: list[SourceRecord] = field(default_factory=list)
    exact: list[Duplicate] = field(default_factory=list)
    near: list[Duplicate] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The report in plain sentences: a headline count, then every near copy, duplicate and rejection."""
        dup = len(self.exact) + len(self.near)
        lines = [
            f"{len(self.added)} added, {dup} duplicates ({len(self.exact)} exact, {len(self.near)} near), "
            f"{len(self.rejected)} rejected"
        ]
        lines += [
            f"  near duplicate: {d.record_id} “{d.title}” copies {d.of_id} “{d.of_title}” ({d.reason})"
            for d in self.near
        ]
        again = [d for d in self.exact if d.reason == "already stored"]
        if again:
            lines.append(
                f"  {len(again)} records were already stored (same id and text); nothing changed for them"
            )
        lines += [
            f"  exact duplicate: {d.where} “{d.title}” is already stored as {d.of_id} ({d.reason})"
            for d in self.exact
            if d.reason != "already stored"
        ]
        lines += [f"  rejected: {r.where}: {r.reason}" for r in self.rejected]
        return lines

    @property
    def exit_code(self) -> int:
        """0 every record stored (or already there), 1 some rejected, 2 nothing usable."""
        if not self.rejected:
            return 0
        return 1 if self.added or self.exact or self.near else 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": [{"id": r.id, "title": r.title} for r in self.added],
            "exact_duplicates": [d.__dict__ for d in self.exact],
            "near_duplicates": [d.__dict__ for d in self.near],
            "rejected": [r.__dict__ for r in self.rejected],
        }


def collect(
    targets: Iterable[str], settings: Settings, fetch: Fetcher, defaults: dict[str, Any]
) -> list[Parsed]:
    """Parse every target up front, so the work ahead has a known size."""
    return [p for t in targets for p in iter_target(t, settings.ingest, fetch, defaults, settings.web)]


def _born(r: SourceRecord) -> datetime:
    return r.published_at or r.ingested_at or datetime.now(UTC)


class _Ingestor:
    def __init__(self, store: SourceStore, settings: Settings, report: IngestReport) -> None:
        self.store = store
        self.cfg = settings.store
        self.report = report
        self.seen_ids: dict[str, SourceRecord] = {}
        self.seen_hashes: dict[str, SourceRecord] = {}
        self.seen_urls: dict[str, SourceRecord] = {}
        # Stored records re-pointed at a newcomer: written only after the newcomer is stored.
        self.pending_marks: list[tuple[str, str]] = []

    def _exact(self, where: str, record: SourceRecord) -> bool:
        """Report and skip an exact duplicate or an id clash; True when the record is done with."""
        same_id = self.seen_ids.get(record.id) or next(iter(self.store.get([record.id])), None)
        if same_id is not None:
            if same_id.content_hash == record.content_hash:
                self.report.exact.append(
                    Duplicate(where, record.id, record.title, same_id.id, same_id.title, "already stored")
                )
            else:
                self.report.rejected.append(
                    Rejected(
                        where,
                        f"id {record.id!r} already belongs to a different record "
                        f"({same_id.title!r}); give this one another id",
                    )
                )
            return True
        other = self.seen_hashes.get(record.content_hash) or self.store.find_by_hash(record.content_hash)
        reason = "same text"
        url = record.canonical_url
        if other is None and url:
            other = self.seen_urls.get(url) or self.store.find_by_url(url)
            reason = "same URL"
        if other is not None:
            self.report.exact.append(Duplicate(where, record.id, record.title, other.id, other.title, reason))
            return True
        return False

    def _remember(self, record: SourceRecord) -> None:
        self.seen_ids[record.id] = record
        self.seen_hashes[record.content_hash] = record
        if record.canonical_url:
            self.seen_urls[record.canonical_url] = record

    def _is_copy(self, a: SourceRecord, b: SourceRecord) -> float:
        la, lb = len(a.text.split()), len(b.text.split())
        if min(la, lb) / max(la, lb, 1) < _MIN_LENGTH_RATIO:
            return 0.0
        return text_overlap(a.text, b.text)

    def _near(self, where: str, p: PreparedRecord, batch: list[PreparedRecord]) -> None:
        """Link p to the record it copies, if any (the earlier-published one is the original)."""
        candidates: dict[str, tuple[float, SourceRecord]] = {}
        for nb in self.store.nearest(p.vector, self.cfg.near_dup_candidates):
            if nb.similarity >= self.cfg.near_dup_min_cosine:
                for rec in self.store.get([nb.record_id]):
                    candidates[rec.id] = (nb.similarity, rec)
        for q in batch:
            sim = float(np.dot(p.vector, q.vector))
            if sim >= self.cfg.near_dup_min_cosine:
                candidates[q.record.id] = (sim, q.record)
        best: tuple[float, SourceRecord] | None = None
        for _, rec in candidates.values():
            overlap = self._is_copy(p.record, rec)
            if overlap >= self.cfg.near_dup_min_overlap and (best is None or overlap > best[0]):
                best = (overlap, rec)
        if best is None:
            return
        overlap, other = best
        original = self._original_of(other, batch)
        if _born(p.record) < _born(original):
            # The newcomer was published first: it becomes the original, the stored copy points to it.
            self._repoint(original, p.record.id, batch)
            self.report.near.append(
                Duplicate(
                    where,
                    original.id,
                    original.title,
                    p.record.id,
                    p.record.title,
                    f"{overlap:.0%} of wording shared; the new record was published first",
                )
            )
        else:
            p.record.duplicate_of = original.id
            self.report.near.append(
                Duplicate(
                    where,
                    p.record.id,
                    p.record.title,
                    original.id,
                    original.title,
                    f"{overlap:.0%} of wording shared",
                )
            )

    def _original_of(self, rec: SourceRecord, batch: list[PreparedRecord]) -> SourceRecord:
        if not rec.duplicate_of:
            return rec
        for q in batch:
            if q.record.id == rec.duplicate_of:
                return q.record
        found = self.store.get([rec.duplicate_of])
        return found[0] if found else rec

    def _repoint(self, old: SourceRecord, new_id: str, batch: list[PreparedRecord]) -> None:
        in_batch = {q.record.id: q.record for q in batch}
        followers = (
            [old.id]
            + [q.record.id for q in batch if q.record.duplicate_of == old.id]
            + self.store.duplicates_of(old.id)
        )
        for rid in dict.fromkeys(followers):
            if rid in in_batch:
                in_batch[rid].duplicate_of = new_id
            else:
                self.pending_marks.append((rid, new_id))

    def run_batch(self, items: list[Parsed]) -> None:
        """Store a batch; when it fails, each record alone, so one bad record costs only itself."""
        try:
            self._store_batch(items)
        except Exception as exc:
            self._forget([i.record for i in items if i.record is not None])
            if len(items) == 1:
                self.report.rejected.append(Rejected(items[0].where, _why_not_stored(exc)))
                return
            for item in items:
                self.run_batch([item])

    def _forget(self, records: list[SourceRecord]) -> None:
        self.pending_marks.clear()
        for r in records:
            if self.seen_ids.get(r.id) is r:
                del self.seen_ids[r.id]
            if self.seen_hashes.get(r.content_hash) is r:
                del self.seen_hashes[r.content_hash]
            if r.canonical_url and self.seen_urls.get(r.canonical_url) is r:
                del self.seen_urls[r.canonical_url]

    def _store_batch(self, items: list[Parsed]) -> None:
        fresh: list[tuple[str, SourceRecord]] = []
        for item in items:
            assert item.record is not None
            record = item.record
            record.duplicate_of = None  # computed here, never taken from input
            if not self._exact(item.where, record):
                self._remember(record)
                fresh.append((item.where, record))
        prepared = self.store.prepare([r for _, r in fresh])
        done: list[PreparedRecord] = []
        for (where, _), p in zip(fresh, prepared, strict=True):
            self._near(where, p, done)
            done.append(p)
        self.store.add(done)
        for rid, new_id in self.pending_marks:
            self.store.mark_duplicate(rid, new_id)
        self.pending_marks.clear()
        self.report.added.extend(p.record for p in done)


def _why_not_stored(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "the record is nested too deeply to store"
    if isinstance(exc, OverflowError):
        return f"a value in the record is out of range ({exc})"
    if isinstance(exc, OSError | sqlite3.Error):
        text = str(exc).lower()
        if getattr(exc, "errno", None) == errno.ENOSPC or "full" in text:
            return "not stored: the disk holding the record store is full; free space and ingest again"
        if (
            "readonly" in text
            or "read-only" in text
            or getattr(exc, "errno", None) in (errno.EACCES, errno.EROFS)
        ):
            return "not stored: the record store is not writable; fix its permissions and ingest again"
    log.warning("storing a record failed", exc_info=True)
    return f"not stored ({type(exc).__name__}: {str(exc)[:200]}); nothing already stored was changed"


def ingest_parsed(
    parsed: list[Parsed],
    store: SourceStore,
    settings: Settings,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Store every good record; failures are reported, never raised, and nothing stored is touched."""
    report = IngestReport()
    worker = _Ingestor(store, settings, report)
    batch: list[Parsed] = []
    for item in parsed:
        if item.record is None:
            report.rejected.append(Rejected(item.where, item.error or "unreadable"))
            if on_progress:
                on_progress(1)
            continue
        batch.append(item)
        if len(batch) >= BATCH:
            worker.run_batch(batch)
            if on_progress:
                on_progress(len(batch))
            batch = []
    if batch:
        worker.run_batch(batch)
        if on_progress:
            on_progress(len(batch))
    return report
