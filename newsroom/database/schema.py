"""The one place newsroom's PostgreSQL schema is created or upgraded: the registry tables (numbered
migrations, recorded in `newsroom_schema`), LangGraph's checkpoint tables and procrastinate's job queue.
Idempotent and safe to run from several processes at once: an advisory lock lets one work at a time."""

from __future__ import annotations

import time
from typing import Any

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from procrastinate import __version__ as procrastinate_version
from procrastinate.schema import SchemaManager
from psycopg.rows import DictRow, dict_row

from newsroom.database.connect import CONNECT_TIMEOUT_S, database_sentence, where
from newsroom.storage import StorageError

# pg_advisory_lock key: any constant no other program on the database uses ("newsroom" in ASCII).
LOCK_KEY = 0x6E657773726F6F6D
LOCK_WAIT_S = 120.0

# The registry's migrations, in order; a change to the tables is a new entry, never an edit of a shipped one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE newsroom_stories (
      story_id TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'explainer', topic TEXT NOT NULL,
      requested_by TEXT, status TEXT NOT NULL, draft_version INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX newsroom_stories_updated ON newsroom_stories (updated_at DESC);
    CREATE INDEX newsroom_stories_status ON newsroom_stories (status, updated_at DESC);
    CREATE TABLE newsroom_decisions (
      story_id TEXT NOT NULL, draft_version INTEGER NOT NULL, decision TEXT NOT NULL, who TEXT,
      at TEXT NOT NULL, PRIMARY KEY (story_id, draft_version)
    );
    CREATE TABLE newsroom_deliveries (key TEXT PRIMARY KEY, at TEXT NOT NULL);
    CREATE TABLE newsroom_briefed (
      beat TEXT NOT NULL, record_id TEXT NOT NULL, story_id TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (beat, record_id)
    );
    CREATE TABLE newsroom_publications (
      story_id TEXT NOT NULL, target TEXT NOT NULL, done BOOLEAN NOT NULL DEFAULT FALSE,
      result TEXT NOT NULL DEFAULT '{}', error TEXT, attempts INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL,
      PRIMARY KEY (story_id, target)
    );
    CREATE TABLE newsroom_leases (key TEXT PRIMARY KEY, owner TEXT NOT NULL, until DOUBLE PRECISION NOT NULL);
    """,
    # 2: model use per story and (role, model), for `newsroom costs`
    """
    CREATE TABLE newsroom_usage (
      story_id TEXT NOT NULL, role TEXT NOT NULL, model TEXT NOT NULL, beat TEXT, calls INTEGER NOT NULL,
      prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
      unpriced_calls INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (story_id, role, model)
    );
    """,
    # 3: records given to a story by hand (files shared in its thread), for its research
    """
    CREATE TABLE newsroom_attached (
      story_id TEXT NOT NULL, record_id TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL,
      seq BIGSERIAL, PRIMARY KEY (story_id, record_id)
    );
    """,
)
REGISTRY_VERSION = len(MIGRATIONS)

_VERSIONS = """
CREATE TABLE IF NOT EXISTS newsroom_schema (
  component TEXT PRIMARY KEY, version TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""


def _version(conn: psycopg.Connection[Any], component: str) -> str | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute("SELECT version FROM newsroom_schema WHERE component = %s", (component,)).fetchone()
    return str(row["version"]) if row else None


def _record(conn: psycopg.Connection[DictRow], component: str, version: str) -> None:
    conn.execute(
        "INSERT INTO newsroom_schema (component, version) VALUES (%s, %s) ON CONFLICT (component) "
        "DO UPDATE SET version = EXCLUDED.version, applied_at = now()",
        (component, version),
    )


def _registry(conn: psycopg.Connection[DictRow], url: str) -> str:
    current = int(_version(conn, "registry") or 0)
    if current > REGISTRY_VERSION:
        raise StorageError(
            f"{where(url)} holds registry tables at version {current}, newer than this "
            f"newsroom knows ({REGISTRY_VERSION}); run a newsroom at least as new as the one that upgraded it"
        )
    if current == REGISTRY_VERSION:
        return f"registry tables: up to date (version {current})"
    for number in range(current + 1, REGISTRY_VERSION + 1):
        with conn.transaction():  # a migration lands whole or not at all
            conn.execute(MIGRATIONS[number - 1])
            _record(conn, "registry", str(number))
    return f"registry tables: migrated from version {current} to {REGISTRY_VERSION}"


def _checkpoints(conn: psycopg.Connection[DictRow]) -> str:
    def applied() -> int:
        if conn.execute("SELECT to_regclass('checkpoint_migrations') AS t").fetchone() == {"t": None}:
            return -1
        row = conn.execute("SELECT max(v) AS v FROM checkpoint_migrations").fetchone()
        return -1 if row is None or row["v"] is None else int(row["v"])

    before = applied()
    PostgresSaver(conn).setup()  # LangGraph's own migrations (some run outside a transaction)
    after = applied()
    _record(conn, "checkpoints", str(after))
    if before == after:
        return f"checkpoint tables: up to date (LangGraph migration {after})"
    if before < 0:
        return f"checkpoint tables: created (LangGraph migrations 0-{after})"
    return f"checkpoint tables: LangGraph migrations {before + 1}-{after} applied"


def _queue(conn: psycopg.Connection[DictRow]) -> str:
    exists = conn.execute("SELECT to_regclass('procrastinate_jobs') AS t").fetchone() != {"t": None}
    if not exists:
        with conn.transaction():
            conn.execute(SchemaManager.get_schema())
            _record(conn, "procrastinate", procrastinate_version)
        return f"job queue tables: created (procrastinate {procrastinate_version})"
    applied = _version(conn, "procrastinate")
    if applied is None:
        return "job queue tables: present, created outside newsroom (left as they are)"
    if applied != procrastinate_version:
        return (
            f"job queue tables: created by procrastinate {applied}, {procrastinate_version} is installed; "
            "apply procrastinate's migrations between them (`procrastinate schema --migrations-path` lists them)"
        )
    return f"job queue tables: up to date (procrastinate {applied})"


def _lock(conn: psycopg.Connection[DictRow], url: str) -> None:
    """Take the upgrade lock, trying now and then rather than waiting inside one statement: a session
    blocked in pg_advisory_lock counts as a running transaction, which CREATE INDEX CONCURRENTLY (in
    LangGraph's migrations) waits for while its own session holds the lock, and PostgreSQL would then
    end one of them as a deadlock."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while not _row(conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (LOCK_KEY,)).fetchone())["got"]:
        if time.monotonic() > deadline:
            raise StorageError(
                f"another process has been upgrading {where(url)} for over {LOCK_WAIT_S:.0f} s; "
                "wait for it to finish (or find it in pg_stat_activity), then try again"
            )
        time.sleep(0.1)


def _row(row: DictRow | None) -> DictRow:
    assert row is not None  # a SELECT without FROM returns one row
    return row


def upgrade(url: str) -> list[str]:
    """Create or bring up to date every table newsroom keeps in `url`; lines saying what was done."""
    try:
        with psycopg.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, row_factory=dict_row
        ) as conn:
            _lock(conn, url)
            try:
                conn.execute(_VERSIONS)
                return [_registry(conn, url), _checkpoints(conn), _queue(conn)]
            finally:
                if not conn.closed and not conn.broken:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    except psycopg.Error as exc:
        raise StorageError(database_sentence(exc, url)) from None


def require(conn: psycopg.Connection[Any], url: str) -> None:
    """A StorageError saying to run `newsroom db upgrade` unless the registry tables are this version."""
    try:
        version = _version(conn, "registry")
    except psycopg.errors.UndefinedTable:
        version = None
    if version is None:
        raise StorageError(
            f"{where(url)} has no newsroom tables yet; run `newsroom db upgrade`, then try again"
        )
    if int(version) < REGISTRY_VERSION:
        raise StorageError(
            f"{where(url)} holds registry tables at version {version}, older than this newsroom needs "
            f"({REGISTRY_VERSION}); run `newsroom db upgrade`, then try again"
        )
