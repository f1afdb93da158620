"""An in-memory record store for tests: the SourceStore protocol over a dict, cosine over any embedder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np

from newsroom.records import SourceRecord
from newsroom.settings import StoreSettings
from newsroom.store import Neighbor, PreparedRecord, SearchHit, chunk_text

Embed = Callable[[list[str]], np.ndarray]
_WORD = re.compile(r"\w+")


def word_embed(texts: list[str], dims: int = 256) -> np.ndarray:
    """A trivial embedder: hashed bag of lower-cased words, unit length. No model to load, same input
    same vector, and texts sharing words come out close: enough for tests about what a store returns."""
    out = np.zeros((len(texts), dims), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in _WORD.findall(text.lower()):
            out[row, int(hashlib.blake2b(word.encode(), digest_size=4).hexdigest(), 16) % dims] += 1.0
        norm = float(np.linalg.norm(out[row]))
        if norm:
            out[row] /= norm
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def _ts(dt: datetime | None) -> int:
    return int(dt.timestamp()) if dt else -1  # undated records fall outside any `since`, as in Chroma


class FakeStore:
    """Records and their chunk vectors in dicts. Searches like ChromaSourceStore (best chunk per record,
    a syndicated copy counted for its original, beat and date filters) without Chroma or a model.

    `FakeStore(records)` holds records as given; pass `embed=newsroom.embedding.embed` for the real
    embedder's similarities.
    """

    def __init__(
        self,
        records: Iterable[SourceRecord] = (),
        embed: Embed = word_embed,
        settings: StoreSettings | None = None,
    ) -> None:
        self.embed = embed
        self.settings = settings or StoreSettings()
        self.records: dict[str, SourceRecord] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.chunks: dict[str, list[tuple[str, np.ndarray]]] = {}
        self.add(self.prepare(list(records)))

    # -- writing -------------------------------------------------------------------------------

    def prepare(self, records: list[SourceRecord]) -> list[PreparedRecord]:
        out = []
        for record in records:
            chunks = chunk_text(record.text, self.settings.chunk_words, self.settings.chunk_overlap_words)
            vectors = self.embed(chunks)
            out.append(PreparedRecord(record, chunks, vectors, _unit(vectors.mean(axis=0))))
        return out

    def add(self, prepared: list[PreparedRecord]) -> None:
        for p in prepared:
            self.records[p.record.id] = p.record
            self.vectors[p.record.id] = p.vector
            self.chunks[p.record.id] = [(c, _unit(v)) for c, v in zip(p.chunks, p.chunk_vectors, strict=True)]

    def mark_duplicate(self, record_id: str, original_id: str) -> None:
        if record_id in self.records:
            self.records[record_id] = self.records[record_id].model_copy(update={"duplicate_of": original_id})

    # -- reading -------------------------------------------------------------------------------

    def get(self, ids: list[str]) -> list[SourceRecord]:
        return [self.records[i] for i in ids if i in self.records]

    def find_by_hash(self, content_hash: str) -> SourceRecord | None:
        return next((r for r in self.records.values() if r.content_hash == content_hash), None)

    def find_by_url(self, canonical: str) -> SourceRecord | None:
        if not canonical:
            return None
        return next((r for r in self.records.values() if r.canonical_url == canonical), None)

    def duplicates_of(self, record_id: str) -> list[str]:
        return [r.id for r in self.records.values() if r.duplicate_of == record_id]

    def nearest(self, vector: np.ndarray, k: int) -> list[Neighbor]:
        sims = [(rid, float(np.dot(_unit(vector), v))) for rid, v in self.vectors.items()]
        return [Neighbor(rid, s) for rid, s in sorted(sims, key=lambda x: x[1], reverse=True)[:k]]

    def _matches(
        self, r: SourceRecord, beat: str | None, since: datetime | None, until: datetime | None
    ) -> bool:
        ts = _ts(r.published_at)
        return (
            (not beat or r.beat == beat)
            and (since is None or ts >= _ts(since))
            and (until is None or ts <= _ts(until))
        )

    def search(
        self,
        query: str,
        k: int = 10,
        beat: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        if k <= 0 or not self.records:
            return []
        qv = _unit(self.embed([query])[0])
        best: dict[str, tuple[float, str]] = {}
        members: dict[str, set[str]] = {}
        for rid, record in self.records.items():
            if not self._matches(record, beat, since, until):
                continue
            owner = record.duplicate_of or rid  # a syndicated copy counts for its original
            members.setdefault(owner, set()).add(rid)
            for chunk, vec in self.chunks[rid]:
                score = float(np.dot(qv, vec))
                if owner not in best or score > best[owner][0]:
                    best[owner] = (score, chunk)
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:k]
        return [
            SearchHit(
                self.records[rid],
                round(score, 4),
                sorted(set(self.duplicates_of(rid)) | (members[rid] - {rid})),
                chunk,
            )
            for rid, (score, chunk) in ranked
            if rid in self.records
        ]

    def list_records(
        self, beat: str | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> list[SourceRecord]:
        recs = [r for r in self.records.values() if self._matches(r, beat, since, until)]
        return sorted(recs, key=lambda r: (r.published_at or datetime.min.replace(tzinfo=UTC), r.id))

    def count(self) -> int:
        return len(self.records)
