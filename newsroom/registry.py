"""The story index and exactly-once claims: the contract every registry keeps (`StoryRegistry`) and the
embedded one, in the checkpointer's SQLite file (`Registry`); `newsroom.database.registry` keeps it in PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from newsroom.storage import StorageError, storage_sentence

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
  story_id TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'explainer', topic TEXT NOT NULL,
  requested_by TEXT, status TEXT NOT NULL, draft_version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS decisions (
  story_id TEXT NOT NULL, draft_version INTEGER NOT NULL, decision TEXT NOT NULL, who TEXT,
  at TEXT NOT NULL, PRIMARY KEY (story_id, draft_version)
);
CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS briefed (
  beat TEXT NOT NULL, record_id TEXT NOT NULL, story_id TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY (beat, record_id)
);
CREATE TABLE IF NOT EXISTS publications (
  story_id TEXT NOT NULL, target TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0,
  result TEXT NOT NULL DEFAULT '{}', error TEXT, attempts INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL,
  PRIMARY KEY (story_id, target)
);
CREATE TABLE IF NOT EXISTS leases (key TEXT PRIMARY KEY, owner TEXT NOT NULL, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS usage (
  story_id TEXT NOT NULL, role TEXT NOT NULL, model TEXT NOT NULL, beat TEXT, calls INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,
  unpriced_calls INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (story_id, role, model)
);
CREATE TABLE IF NOT EXISTS attached (
  story_id TEXT NOT NULL, record_id TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY (story_id, record_id)
);
"""


class StoryRegistry(Protocol):
    """What the rest of newsroom asks of a registry; SQLite and PostgreSQL keep the same contract, and
    every fault is a StorageError whose message is a sentence."""

    def add_story(
        self, story_id: str, topic: str, requested_by: str, kind: str = "explainer", meta: str = "{}"
    ) -> None: ...
    def exists(self, story_id: str) -> bool: ...
    def set_status(self, story_id: str, status: str, draft_version: int) -> None: ...
    def stories(self, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first: story_id, kind, topic, requested_by, status, draft_version, created_at,
        updated_at (ISO text) and meta (JSON text)."""
        ...

    def claim_decision(self, story_id: str, draft_version: int, decision: str, who: str) -> bool:
        """True for exactly one caller per (story, draft version), across threads and processes."""
        ...

    def claim_once(self, key: str) -> bool:
        """True the first time `key` is seen, in any process."""
        ...

    def claimed(self, prefix: str) -> list[str]:
        """Every key claimed with `claim_once` that starts with `prefix` (taken literally), sorted."""
        ...

    def release_decision(self, story_id: str, draft_version: int) -> None: ...
    def decision_for(self, story_id: str, draft_version: int) -> dict[str, Any] | None: ...
    def mark_briefed(self, beat: str, record_ids: list[str], story_id: str) -> None: ...
    def briefed(self, beat: str) -> set[str]: ...
    def last_briefing(self, beat: str) -> str | None: ...
    def publication(self, story_id: str) -> dict[str, dict[str, Any]]: ...
    def record_target(
        self, story_id: str, target: str, result: dict[str, str] | None, error: str | None = None
    ) -> None: ...
    def published_stories(self) -> dict[str, dict[str, Any]]: ...
    def claim_lease(self, key: str, owner: str, ttl_s: float) -> bool:
        """True when `owner` now holds `key` (it was free, expired, or already theirs); `until` is
        seconds since the epoch (time.time())."""
        ...

    def lease_owner(self, key: str) -> tuple[str, float] | None: ...
    def release_lease(self, key: str, owner: str) -> None: ...
    def record_usage(self, story_id: str, beat: str | None, rows: list[dict[str, Any]]) -> None:
        """A story's model use so far, per (role, model) as `costs.usage_rows` sums it: each row replaces the
        one recorded before (the story's usage log only grows), so recording twice changes nothing."""
        ...

    def usage(self, since: str | None = None, story_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Usage rows (story_id, role, model, beat, calls, prompt_tokens, completion_tokens, cost_usd,
        unpriced_calls) with their story's kind, topic, requested_by and created_at: of stories created at
        or after `since` (ISO), or of the stories named."""
        ...

    # records given to a story by hand (files shared in its thread), in the order given: research keeps them
    def attach(self, story_id: str, record_ids: list[str], who: str) -> None: ...
    def attached(self, story_id: str) -> list[str]: ...


# A story row as every registry returns it (and as `newsroom db copy` moves it), in the schemas' order.
STORY_COLUMNS = (
    "story_id",
    "kind",
    "topic",
    "requested_by",
    "status",
    "draft_version",
    "created_at",
    "updated_at",
    "meta",
)
USAGE_COLUMNS = (
    "story_id",
    "role",
    "model",
    "beat",
    "calls",
    "prompt_tokens",
    "completion_tokens",
    "cost_usd",
    "unpriced_calls",
    "kind",
    "topic",
    "requested_by",
    "created_at",
)


USAGE_SELECT = ", ".join(
    f"{'s' if c in ('kind', 'topic', 'requested_by', 'created_at') else 'u'}.{c}" for c in USAGE_COLUMNS
)


def usage_figures(row: dict[str, Any]) -> tuple[int, int, int, float, int]:
    """The figures of a usage row in the tables' order."""
    return (
        int(row["calls"]),
        int(row["prompt_tokens"]),
        int(row["completion_tokens"]),
        float(row["cost_usd"] or 0),
        int(row["unpriced_calls"]),
    )


def _sentences(cls: type) -> type:
    """Every public method of `cls` turns an SQLite fault into a StorageError naming the file."""
    for name, fn in list(vars(cls).items()):
        if callable(fn) and not name.startswith("_"):

            def wrapped(self: Registry, *args: Any, __fn: Any = fn, **kwargs: Any) -> Any:
                try:
                    return __fn(self, *args, **kwargs)
                except sqlite3.Error as exc:
                    raise StorageError(storage_sentence(exc, self.path)) from None

            wrapped.__name__, wrapped.__doc__ = fn.__name__, fn.__doc__
            setattr(cls, name, wrapped)
    return cls


@_sentences
class Registry:
    """Small tables next to the checkpoints; every write is one transaction."""

    def __init__(self, path: Path, timeout_s: float = 5.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(
            str(path), check_same_thread=False, timeout=timeout_s, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def add_story(
        self, story_id: str, topic: str, requested_by: str, kind: str = "explainer", meta: str = "{}"
    ) -> None:
        now = datetime.now(UTC).isoformat()
        with self._lock:
            self._conn.execute(
                "INSERT INTO stories (story_id, kind, topic, requested_by, status, created_at, updated_at, meta)"
                " VALUES (?, ?, ?, ?, 'running', ?, ?, ?)",
                (story_id, kind, topic, requested_by, now, now, meta),
            )

    def exists(self, story_id: str) -> bool:
        with self._lock:
            return (
                self._conn.execute("SELECT 1 FROM stories WHERE story_id=?", (story_id,)).fetchone()
                is not None
            )

    def set_status(self, story_id: str, status: str, draft_version: int) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE stories SET status=?, draft_version=?, updated_at=? WHERE story_id=?",
                (status, draft_version, datetime.now(UTC).isoformat(), story_id),
            )

    def stories(self, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        sql = "SELECT story_id, kind, topic, requested_by, status, draft_version, created_at, updated_at, meta FROM stories"
        args: tuple[Any, ...] = ()
        if status:
            sql += " WHERE status=?"
            args = (status,)
        sql += " ORDER BY updated_at DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, (*args, limit)).fetchall()
        return [dict(zip(STORY_COLUMNS, r, strict=True)) for r in rows]

    def claim_decision(self, story_id: str, draft_version: int, decision: str, who: str) -> bool:
        """True for exactly one caller per (story, draft version), across threads and processes."""
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO decisions VALUES (?, ?, ?, ?, ?)",
                    (story_id, draft_version, decision, who, datetime.now(UTC).isoformat()),
                )
                return True
            except sqlite3.IntegrityError:
                return False

    def claim_once(self, key: str) -> bool:
        """True the first time `key` is seen (a redelivered request carries the same key), in any process."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO deliveries VALUES (?, ?)", (key, datetime.now(UTC).isoformat())
            )
            return cur.rowcount == 1

    def claimed(self, prefix: str) -> list[str]:
        """Every key claimed with `claim_once` that starts with `prefix` (taken literally), sorted."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key FROM deliveries WHERE substr(key, 1, ?) = ? ORDER BY key", (len(prefix), prefix)
            ).fetchall()
        return [r[0] for r in rows]

    def release_decision(self, story_id: str, draft_version: int) -> None:
        with self._lock:
            self._conn.execute(
                "DELETE FROM decisions WHERE story_id=? AND draft_version=?", (story_id, draft_version)
            )

    def decision_for(self, story_id: str, draft_version: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT decision, who, at FROM decisions WHERE story_id=? AND draft_version=?",
                (story_id, draft_version),
            ).fetchone()
        return {"decision": row[0], "who": row[1], "at": row[2]} if row else None

    def mark_briefed(self, beat: str, record_ids: list[str], story_id: str) -> None:
        """Records a published briefing covered: the beat's next briefing leaves them out."""
        now = datetime.now(UTC).isoformat()
        with self._lock:
            self._conn.executemany(
                "INSERT OR IGNORE INTO briefed VALUES (?, ?, ?, ?)",
                [(beat, rid, story_id, now) for rid in record_ids],
            )

    def briefed(self, beat: str) -> set[str]:
        with self._lock:
            rows = self._conn.execute("SELECT record_id FROM briefed WHERE beat=?", (beat,)).fetchall()
        return {r[0] for r in rows}

    def last_briefing(self, beat: str) -> str | None:
        """When the beat's last published briefing was published (ISO), or None."""
        with self._lock:
            row = self._conn.execute("SELECT MAX(at) FROM briefed WHERE beat=?", (beat,)).fetchone()
        return row[0] if row and row[0] else None

    # -- publication targets: each one done or not, so a publication resumes where it stopped -------

    def publication(self, story_id: str) -> dict[str, dict[str, Any]]:
        """target -> {done, result, error, attempts, at (the last attempt, ISO)} for one story."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT target, done, result, error, attempts, at FROM publications WHERE story_id=?",
                (story_id,),
            ).fetchall()
        return {
            r[0]: {
                "done": bool(r[1]),
                "result": json.loads(r[2]),
                "error": r[3],
                "attempts": r[4],
                "at": r[5],
            }
            for r in rows
        }

    def record_target(
        self, story_id: str, target: str, result: dict[str, str] | None, error: str | None = None
    ) -> None:
        """One attempt at one target: done with its result, or failed with a sentence."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO publications VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT(story_id, target) DO "
                "UPDATE SET done=excluded.done, result=excluded.result, error=excluded.error, "
                "attempts=publications.attempts + 1, at=excluded.at",
                (
                    story_id,
                    target,
                    int(error is None),
                    json.dumps(result or {}),
                    error,
                    datetime.now(UTC).isoformat(),
                ),
            )

    def published_stories(self) -> dict[str, dict[str, Any]]:
        """story -> target -> result, for every target recorded done (the published index)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT story_id, target, result FROM publications WHERE done=1"
            ).fetchall()
        out: dict[str, dict[str, Any]] = {}
        for story_id, target, result in rows:
            out.setdefault(story_id, {})[target] = json.loads(result)
        return out

    # -- leases: which process is working on a story, so a dead one's work is found and resumed -----

    def claim_lease(self, key: str, owner: str, ttl_s: float) -> bool:
        """True when `owner` now holds `key` (it was free, expired, or already theirs)."""
        now = time.time()
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO leases VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET owner=excluded.owner, "
                "until=excluded.until WHERE leases.until < ? OR leases.owner = excluded.owner",
                (key, owner, now + ttl_s, now),
            )
            return cur.rowcount == 1

    def lease_owner(self, key: str) -> tuple[str, float] | None:
        with self._lock:
            row = self._conn.execute("SELECT owner, until FROM leases WHERE key=?", (key,)).fetchone()
        return (row[0], row[1]) if row else None

    def release_lease(self, key: str, owner: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM leases WHERE key=? AND owner=?", (key, owner))

    # -- model use per story, kept so `newsroom costs` totals across stories, restarts and workers -------

    def record_usage(self, story_id: str, beat: str | None, rows: list[dict[str, Any]]) -> None:
        now = datetime.now(UTC).isoformat()
        with self._lock:
            self._conn.executemany(
                "INSERT INTO usage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(story_id, role, model) DO "
                "UPDATE SET beat=excluded.beat, calls=excluded.calls, prompt_tokens=excluded.prompt_tokens, "
                "completion_tokens=excluded.completion_tokens, cost_usd=excluded.cost_usd, "
                "unpriced_calls=excluded.unpriced_calls, at=excluded.at",
                [(story_id, r["role"], r["model"], beat, *usage_figures(r), now) for r in rows],
            )

    def usage(self, since: str | None = None, story_ids: list[str] | None = None) -> list[dict[str, Any]]:
        sql = f"SELECT {USAGE_SELECT} FROM usage u JOIN stories s ON s.story_id = u.story_id WHERE 1=1"
        args: list[Any] = []
        if since:
            sql += " AND s.created_at >= ?"
            args.append(since)
        if story_ids is not None:
            sql += f" AND u.story_id IN ({', '.join('?' * len(story_ids))})" if story_ids else " AND 0"
            args += story_ids
        with self._lock:
            rows = self._conn.execute(
                sql + " ORDER BY s.created_at, u.story_id, u.role, u.model", args
            ).fetchall()
        return [dict(zip(USAGE_COLUMNS, r, strict=True)) for r in rows]

    def attach(self, story_id: str, record_ids: list[str], who: str) -> None:
        now = datetime.now(UTC).isoformat()
        with self._lock:
            self._conn.executemany(
                "INSERT OR IGNORE INTO attached VALUES (?, ?, ?, ?)",
                [(story_id, rid, who, now) for rid in record_ids],
            )

    def attached(self, story_id: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT record_id FROM attached WHERE story_id=? ORDER BY at, rowid", (story_id,)
            ).fetchall()
        return [r[0] for r in rows]


def _keeps_the_contract(sqlite: Registry) -> StoryRegistry:
    return sqlite  # mypy checks here that the SQLite registry keeps the contract
