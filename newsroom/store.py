"""The source store: records and their chunk vectors in Chroma (embedded or server), searchable by meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from newsroom.embedders import MINILM, Embedder, EmbedderMismatch, embedder_named, setting_of
from newsroom.records import SourceRecord
from newsroom.settings import Settings, StoreSettings

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n{2,}")
_NO_DATE = -1


@dataclass
class PreparedRecord:
    """A record with its chunks embedded, ready to be compared and stored."""

    record: SourceRecord
    chunks: list[str]
    chunk_vectors: np.ndarray
    vector: np.ndarray


@dataclass
class SearchHit:
    """A record found by a search, with its best chunk's cosine similarity."""

    record: SourceRecord
    score: float
    duplicates: list[str] = field(default_factory=list)
    best_chunk: str = ""


@dataclass
class Neighbor:
    record_id: str
    similarity: float


class Search(Protocol):
    """Rank stored records by meaning: the one signature of a search, whoever offers it (store, facade)."""

    def __call__(
        self,
        query: str,
        k: int = 10,
        beat: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]: ...


class RecordStore(Protocol):
    """What the agents may ask of the record store (they only read): all a test double must offer."""

    def get(self, ids: list[str]) -> list[SourceRecord]: ...
    def duplicates_of(self, record_id: str) -> list[str]: ...
    @property
    def search(self) -> Search: ...  # a property so the signature is written once, in Search


class SourceStore(RecordStore, Protocol):
    """What the rest of newsroom may ask of the record store: reading as the agents do, ingest's writes
    and duplicate look-ups, listings for briefings."""

    def prepare(self, records: list[SourceRecord]) -> list[PreparedRecord]: ...
    def add(self, prepared: list[PreparedRecord]) -> None: ...
    def find_by_hash(self, content_hash: str) -> SourceRecord | None: ...
    def find_by_url(self, canonical: str) -> SourceRecord | None: ...
    def nearest(self, vector: np.ndarray, k: int) -> list[Neighbor]: ...
    def mark_duplicate(self, record_id: str, original_id: str) -> None: ...
    def list_records(
        self, beat: str | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> list[SourceRecord]: ...
    def count(self) -> int: ...


def chunk_text(text: str, words_per_chunk: int, overlap: int) -> list[str]:
    """Sentence-aligned chunks of about `words_per_chunk` words, overlapping by ~`overlap` words."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in sentences:
        n = len(sentence.split())
        if current and count + n > words_per_chunk:
            chunks.append(" ".join(current))
            tail: list[str] = []
            tail_words = 0
            for prev in reversed(current):
                tail_words += len(prev.split())
                if tail_words > overlap:
                    break
                tail.insert(0, prev)
            current, count = tail, sum(len(s.split()) for s in tail)
        if n > words_per_chunk:  # one very long "sentence": cut it by words
            words = sentence.split()
            for i in range(0, len(words), words_per_chunk):
                chunks.append(" ".join(words[i : i + words_per_chunk]))
            current, count = [], 0
            continue
        current.append(sentence)
        count += n
    if current:
        chunks.append(" ".join(current))
    return chunks or [text.strip()]


def _ts(dt: datetime | None) -> int:
    return int(dt.timestamp()) if dt else _NO_DATE


def _meta(record: SourceRecord) -> dict[str, Any]:
    return {
        "url": record.url or "",
        "canonical_url": record.canonical_url or "",
        "title": record.title,
        "outlet": record.outlet,
        "published_at": record.published_at.isoformat() if record.published_at else "",
        "published_ts": _ts(record.published_at),
        "beat": record.beat,
        "content_hash": record.content_hash,
        "ingested_at": record.ingested_at.isoformat(),
        "duplicate_of": record.duplicate_of or "",
        "kind": record.kind,
        "platform": record.platform,
        "author": record.author,
        # Chroma keeps no None: a record without a score has no such key (a Reddit score can be negative)
        **({"score": record.score} if record.score is not None else {}),
    }


def _record(record_id: str, document: str, meta: dict[str, Any]) -> SourceRecord:
    return SourceRecord(
        id=record_id,
        url=meta.get("url") or None,
        title=str(meta.get("title") or ""),
        outlet=str(meta.get("outlet") or ""),
        published_at=meta.get("published_at") or None,
        beat=str(meta.get("beat") or ""),
        text=document,
        ingested_at=datetime.fromisoformat(str(meta["ingested_at"]))
        if meta.get("ingested_at")
        else datetime.now(UTC),
        duplicate_of=str(meta.get("duplicate_of") or "") or None,
        kind=str(meta.get("kind") or ""),
        platform=str(meta.get("platform") or ""),
        author=str(meta.get("author") or ""),
        score=_score(meta.get("score")),
    )


def _score(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _where(beat: str | None, since: datetime | None, until: datetime | None) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if beat:
        clauses.append({"beat": beat})
    if since:
        clauses.append({"published_ts": {"$gte": _ts(since)}})
    if until:
        clauses.append({"published_ts": {"$lte": _ts(until)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaSourceStore:
    """Two collections: one entry per record (full text, mean vector) and one per chunk."""

    def __init__(self, client: Any, settings: StoreSettings, embedder: Embedder = MINILM) -> None:
        self._settings = settings
        self._embedder = embedder
        ef = embedder.function()
        config = {
            "hnsw": {
                "space": "cosine",
                "ef_search": settings.hnsw_ef_search,
                "ef_construction": settings.hnsw_ef_construction,
                "max_neighbors": settings.hnsw_max_neighbors,
            }
        }
        prefix = settings.collection_prefix
        _same_embedder(client, f"{prefix}_records", embedder)
        self._records = client.get_or_create_collection(
            f"{prefix}_records", embedding_function=ef, configuration=config
        )
        self._chunks = client.get_or_create_collection(
            f"{prefix}_chunks", embedding_function=ef, configuration=config
        )

    # -- writing -------------------------------------------------------------------------------

    def prepare(self, records: list[SourceRecord]) -> list[PreparedRecord]:
        all_chunks = [
            chunk_text(r.text, self._settings.chunk_words, self._settings.chunk_overlap_words)
            for r in records
        ]
        flat = [c for chunks in all_chunks for c in chunks]
        vectors = self._embedder.passages(flat)
        out: list[PreparedRecord] = []
        pos = 0
        for record, chunks in zip(records, all_chunks, strict=True):
            cv = vectors[pos : pos + len(chunks)]
            pos += len(chunks)
            mean = cv.mean(axis=0)
            out.append(PreparedRecord(record, chunks, cv, mean / max(float(np.linalg.norm(mean)), 1e-12)))
        return out

    def add(self, prepared: list[PreparedRecord]) -> None:
        if not prepared:
            return
        # Chunks first: a record only becomes visible once its chunks are searchable.
        ids, docs, metas, vecs = [], [], [], []
        for p in prepared:
            base = _meta(p.record)
            for i, (chunk, vec) in enumerate(zip(p.chunks, p.chunk_vectors, strict=True)):
                ids.append(f"{p.record.id}::{i}")
                docs.append(chunk)
                metas.append(
                    {
                        "record_id": p.record.id,
                        "chunk": i,
                        "beat": base["beat"],
                        "published_ts": base["published_ts"],
                        "duplicate_of": base["duplicate_of"],
                    }
                )
                vecs.append(vec.tolist())
        self._chunks.upsert(ids=ids, documents=docs, metadatas=metas, embeddings=vecs)
        self._records.add(
            ids=[p.record.id for p in prepared],
            documents=[p.record.text for p in prepared],
            metadatas=[_meta(p.record) for p in prepared],
            embeddings=[p.vector.tolist() for p in prepared],
        )

    def mark_duplicate(self, record_id: str, original_id: str) -> None:
        self._records.update(ids=[record_id], metadatas=[{"duplicate_of": original_id}])
        got = self._chunks.get(where={"record_id": record_id}, include=[])
        if got["ids"]:
            self._chunks.update(ids=got["ids"], metadatas=[{"duplicate_of": original_id}] * len(got["ids"]))

    # -- reading -------------------------------------------------------------------------------

    def get(self, ids: list[str]) -> list[SourceRecord]:
        if not ids:
            return []
        got = self._records.get(ids=ids, include=["documents", "metadatas"])
        by_id = {
            i: _record(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def _first(self, where: dict[str, Any]) -> SourceRecord | None:
        got = self._records.get(where=where, limit=1, include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return _record(got["ids"][0], (got["documents"] or [""])[0], (got["metadatas"] or [{}])[0])

    def find_by_hash(self, content_hash: str) -> SourceRecord | None:
        return self._first({"content_hash": content_hash})

    def find_by_url(self, canonical: str) -> SourceRecord | None:
        return self._first({"canonical_url": canonical}) if canonical else None

    def duplicates_of(self, record_id: str) -> list[str]:
        return list(self._records.get(where={"duplicate_of": record_id}, include=[])["ids"])

    def nearest(self, vector: np.ndarray, k: int) -> list[Neighbor]:
        total = self._records.count()
        if total == 0:
            return []
        res = self._records.query(
            query_embeddings=[vector.tolist()], n_results=min(k, total), include=["distances"]
        )
        return [
            Neighbor(i, self._embedder.calibrated(1.0 - float(d)))
            for i, d in zip(res["ids"][0], (res["distances"] or [[]])[0], strict=True)
        ]

    def search(
        self,
        query: str,
        k: int = 10,
        beat: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        total = self._chunks.count()
        if total == 0 or k <= 0:
            return []
        qv = self._embedder.queries([query])[0]
        res = self._chunks.query(
            query_embeddings=[qv.tolist()],
            n_results=min(total, max(k * 8, 40)),
            where=_where(beat, since, until),
            include=["distances", "metadatas", "documents"],
        )
        best: dict[str, tuple[float, str]] = {}
        members: dict[str, set[str]] = {}
        for meta, dist, doc in zip(
            (res["metadatas"] or [[]])[0],
            (res["distances"] or [[]])[0],
            (res["documents"] or [[]])[0],
            strict=True,
        ):
            rid = str(meta["record_id"])
            # A syndicated copy counts for its original: one source, not two.
            owner = str(meta.get("duplicate_of") or "") or rid
            members.setdefault(owner, set()).add(rid)
            score = self._embedder.calibrated(1.0 - float(dist))
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, doc or "")
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:k]
        records = {r.id: r for r in self.get([rid for rid, _ in ranked])}
        hits = []
        for rid, (score, chunk) in ranked:
            if rid in records:
                dups = sorted(set(self.duplicates_of(rid)) | (members[rid] - {rid}))
                hits.append(SearchHit(records[rid], round(score, 4), dups, chunk))
        return hits

    def list_records(
        self, beat: str | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> list[SourceRecord]:
        got = self._records.get(where=_where(beat, since, until), include=["documents", "metadatas"])
        recs = [
            _record(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]
        return sorted(recs, key=lambda r: (r.published_at or datetime.min.replace(tzinfo=UTC), r.id))

    def count(self) -> int:
        return int(self._records.count())


def _same_embedder(client: Any, name: str, wanted: Embedder) -> None:
    """Refuse a store built with another embedder: its vectors and the questions' would not be comparable
    (both are 384-d, so Chroma would answer, wrongly)."""
    try:
        existing = client.get_collection(name)
    except Exception:
        return  # a new store: it is built with the wanted embedder
    ef = (existing.configuration_json or {}).get("embedding_function") or {}
    built = setting_of(str(ef.get("name") or MINILM.function_name))
    if built != wanted.setting:
        raise EmbedderMismatch(
            f"the record store was built with the {built} embedder and NEWSROOM_EMBEDDER is "
            f"{wanted.setting}: set NEWSROOM_EMBEDDER={built}, or use another data dir (or collection "
            f"prefix) and ingest the sources again with the {wanted.setting} embedder"
        )


def chroma_client(settings: Settings) -> Any:
    """Embedded PersistentClient under the data dir, or HttpClient when NEWSROOM_CHROMA_URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlsplit

        url = urlsplit(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def open_store(settings: Settings) -> ChromaSourceStore:
    """The configured store."""
    return ChromaSourceStore(chroma_client(settings), settings.store, embedder_named(settings.embedder))
