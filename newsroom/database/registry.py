"""The registry in PostgreSQL: the same contract as the SQLite one (newsroom.registry.StoryRegistry), shared
by every front and worker; claims are `INSERT … ON CONFLICT DO NOTHING`, one transaction per write."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg

from newsroom.database.connect import database_sentence, pool
from newsroom.database.schema import require
from newsroom.registry import STORY_COLUMNS, USAGE_COLUMNS, USAGE_SELECT, StoryRegistry, usage_figures
from newsroom.storage import StorageError


def _now() -> str:
    return datetime.now(UTC).isoformat()


class PostgresRegistry:
    """Small tables next to the checkpoints, in PostgreSQL; every write is one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        with self._conn() as conn:
            require(conn, url)

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection; its transaction commits when the block ends, rolls back on an error, and
        a database fault leaves as a StorageError sentence naming the database (never its password)."""
        try:
            # Looked up per use, not kept: a forked child gets a pool of its own.
            with pool(self.url, "registry").connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise StorageError(database_sentence(exc, self.url)) from None

    def add_story(
        self, story_id: str, topic: str, requested_by: str, kind: str = "explainer", meta: str = "{}"
    ) -> None:
        now = _now()
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO newsroom_stories (story_id, kind, topic, requested_by, status, created_at, "
                "updated_at, meta) VALUES (%s, %s, %s, %s, 'running', %s, %s, %s)",
                (story_id, kind, topic, requested_by, now, now, meta),
            )

    def exists(self, story_id: str) -> bool:
        with self._conn() as conn:
            found = conn.execute("SELECT 1 FROM newsroom_stories WHERE story_id = %s", (story_id,))
            return found.fetchone() is not None

    def set_status(self, story_id: str, status: str, draft_version: int) -> None:
        with self._conn() as conn:
            conn.execute(
                "UPDATE newsroom_stories SET status = %s, draft_version = %s, updated_at = %s "
                "WHERE story_id = %s",
                (status, draft_version, _now(), story_id),
            )

    def stories(self, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        sql = f"SELECT {', '.join(STORY_COLUMNS)} FROM newsroom_stories"
        args: tuple[Any, ...] = ()
        if status:
            sql += " WHERE status = %s"
            args = (status,)
        sql += " ORDER BY updated_at DESC LIMIT %s"
        with self._conn() as conn:
            rows = conn.execute(sql, (*args, limit)).fetchall()
        return [dict(zip(STORY_COLUMNS, r, strict=True)) for r in rows]

    def claim_decision(self, story_id: str, draft_version: int, decision: str, who: str) -> bool:
        """True for exactly one caller per (story, draft version), across every front and worker."""
        with self._conn() as conn:
            cur = conn.execute(
                "INSERT INTO newsroom_decisions VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (story_id, draft_version, decision, who, _now()),
            )
            return cur.rowcount == 1

    def claim_once(self, key: str) -> bool:
        """True the first time `key` is seen (a redelivered request carries the same key), anywhere."""
        with self._conn() as conn:
            cur = conn.execute(
                "INSERT INTO newsroom_deliveries VALUES (%s, %s) ON CONFLICT DO NOTHING", (key, _now())
            )
            return cur.rowcount == 1

    def claimed(self, prefix: str) -> list[str]:
        """Every key claimed with `claim_once` that starts with `prefix` (taken literally), sorted."""
        with self._conn() as conn:
            rows = conn.execute(
                'SELECT key FROM newsroom_deliveries WHERE left(key, %s) = %s ORDER BY key COLLATE "C"',
                (len(prefix), prefix),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def release_decision(self, story_id: str, draft_version: int) -> None:
        with self._conn() as conn:
            conn.execute(
                "DELETE FROM newsroom_decisions WHERE story_id = %s AND draft_version = %s",
                (story_id, draft_version),
            )

    def decision_for(self, story_id: str, draft_version: int) -> dict[str, Any] | None:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT decision, who, at FROM newsroom_decisions WHERE story_id = %s AND draft_version = %s",
                (story_id, draft_version),
            ).fetchone()
        return {"decision": row[0], "who": row[1], "at": row[2]} if row else None

    def mark_briefed(self, beat: str, record_ids: list[str], story_id: str) -> None:
        """Records a published briefing covered: the beat's next briefing leaves them out."""
        now = _now()
        with self._conn() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO newsroom_briefed VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(beat, rid, story_id, now) for rid in record_ids],
            )

    def briefed(self, beat: str) -> set[str]:
        with self._conn() as conn:
            rows = conn.execute("SELECT record_id FROM newsroom_briefed WHERE beat = %s", (beat,)).fetchall()
        return {r[0] for r in rows}

    def last_briefing(self, beat: str) -> str | None:
        """When the beat's last published briefing was published (ISO), or None."""
        with self._conn() as conn:
            row = conn.execute("SELECT max(at) FROM newsroom_briefed WHERE beat = %s", (beat,)).fetchone()
        return row[0] if row and row[0] else None

    # -- publication targets: each one done or not, so a publication resumes where it stopped -------

    def publication(self, story_id: str) -> dict[str, dict[str, Any]]:
        """target -> {done, result, error, attempts, at (the last attempt, ISO)} for one story."""
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT target, done, result, error, attempts, at FROM newsroom_publications WHERE story_id = %s",
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
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO newsroom_publications VALUES (%s, %s, %s, %s, %s, 1, %s) "
                "ON CONFLICT (story_id, target) DO UPDATE SET done = EXCLUDED.done, result = EXCLUDED.result, "
                "error = EXCLUDED.error, attempts = newsroom_publications.attempts + 1, at = EXCLUDED.at",
                (story_id, target, error is None, json.dumps(result or {}), error, _now()),
            )

    def published_stories(self) -> dict[str, dict[str, Any]]:
        """story -> target -> result, for every target recorded done (the published index)."""
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT story_id, target, result FROM newsroom_publications WHERE done"
            ).fetchall()
        out: dict[str, dict[str, Any]] = {}
        for story_id, target, result in rows:
            out.setdefault(story_id, {})[target] = json.loads(result)
        return out

    # -- leases: which process is working on a story, so a dead one's work is found and resumed -----

    def claim_lease(self, key: str, owner: str, ttl_s: float) -> bool:
        """True when `owner` now holds `key` (it was free, expired, or already theirs)."""
        now = time.time()
        with self._conn() as conn:
            cur = conn.execute(
                "INSERT INTO newsroom_leases VALUES (%s, %s, %s) ON CONFLICT (key) DO UPDATE SET "
                "owner = EXCLUDED.owner, until = EXCLUDED.until "
                "WHERE newsroom_leases.until < %s OR newsroom_leases.owner = EXCLUDED.owner",
                (key, owner, now + ttl_s, now),
            )
            return cur.rowcount == 1

    def lease_owner(self, key: str) -> tuple[str, float] | None:
        with self._conn() as conn:
            row = conn.execute("SELECT owner, until FROM newsroom_leases WHERE key = %s", (key,)).fetchone()
        return (row[0], float(row[1])) if row else None

    def release_lease(self, key: str, owner: str) -> None:
        with self._conn() as conn:
            conn.execute("DELETE FROM newsroom_leases WHERE key = %s AND owner = %s", (key, owner))

    # -- model use per story, kept so `newsroom costs` totals across stories and workers -----------------

    def record_usage(self, story_id: str, beat: str | None, rows: list[dict[str, Any]]) -> None:
        now = _now()
        with self._conn() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO newsroom_usage VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (story_id, role, model) DO UPDATE SET beat = EXCLUDED.beat, calls = EXCLUDED.calls, "
                "prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens, "
                "cost_usd = EXCLUDED.cost_usd, unpriced_calls = EXCLUDED.unpriced_calls, at = EXCLUDED.at",
                [(story_id, r["role"], r["model"], beat, *usage_figures(r), now) for r in rows],
            )

    def usage(self, since: str | None = None, story_ids: list[str] | None = None) -> list[dict[str, Any]]:
        sql = (
            f"SELECT {USAGE_SELECT} FROM newsroom_usage u "
            "JOIN newsroom_stories s ON s.story_id = u.story_id WHERE TRUE"
        )
        args: list[Any] = []
        if since:
            sql += " AND s.created_at >= %s"
            args.append(since)
        if story_ids is not None:
            sql += " AND u.story_id = ANY(%s)"
            args.append(list(story_ids))
        with self._conn() as conn:
            rows = conn.execute(sql + " ORDER BY s.created_at, u.story_id, u.role, u.model", args).fetchall()
        return [dict(zip(USAGE_COLUMNS, r, strict=True)) for r in rows]

    # -- records given to a story by hand (files shared in its thread) ----------------------------------

    def attach(self, story_id: str, record_ids: list[str], who: str) -> None:
        now = _now()
        with self._conn() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO newsroom_attached (story_id, record_id, who, at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                [(story_id, rid, who, now) for rid in record_ids],
            )

    def attached(self, story_id: str) -> list[str]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT record_id FROM newsroom_attached WHERE story_id = %s ORDER BY seq", (story_id,)
            ).fetchall()
        return [r[0] for r in rows]


def _keeps_the_contract(registry: PostgresRegistry) -> StoryRegistry:
    return registry  # mypy checks here that PostgreSQL keeps the same contract as SQLite
