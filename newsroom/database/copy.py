"""`newsroom db copy --from sqlite`: an embedded newsroom's data dir copied into PostgreSQL, so drafts
waiting for an editor can be approved after the move and the published index comes along. The data dir is
only read. Running it again copies nothing twice: a story whose last checkpoint is already in the database
is left alone, and registry rows that are there already are kept as the database has them."""

from __future__ import annotations

import socket
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from langgraph.checkpoint.base import CheckpointTuple
from langgraph.checkpoint.sqlite import SqliteSaver

from newsroom.database.checkpoints import PostgresCheckpoints, open_postgres_checkpoints
from newsroom.database.connect import database_sentence, pool
from newsroom.database.registry import PostgresRegistry
from newsroom.registry import STORY_COLUMNS
from newsroom.storage import StorageError, storage_sentence

# table -> its columns, in the order both schemas share (leases are not copied: they belong to processes)
TABLES: dict[str, tuple[str, ...]] = {
    "stories": STORY_COLUMNS,
    "decisions": ("story_id", "draft_version", "decision", "who", "at"),
    "deliveries": ("key", "at"),
    "briefed": ("beat", "record_id", "story_id", "at"),
    "publications": ("story_id", "target", "done", "result", "error", "attempts", "at"),
    "usage": (
        "story_id",
        "role",
        "model",
        "beat",
        "calls",
        "prompt_tokens",
        "completion_tokens",
        "cost_usd",
        "unpriced_calls",
        "at",
    ),
    "attached": ("story_id", "record_id", "who", "at"),
}
# Tables a data dir made by an older newsroom may not have: nothing of theirs to copy.
_ADDED_LATER = {"usage", "attached"}


@dataclass
class CopyReport:
    """What was copied and what was left, in counts; `lines()` says it."""

    stories: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """status -> stories whose checkpoints were copied"""
    checkpoints: int = 0
    writes: int = 0
    already: int = 0
    """stories whose last checkpoint was in the database already"""
    rows: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    """table -> rows left out because the database has that key already"""
    leases: int = 0

    def lines(self, source: Path) -> list[str]:
        waiting = self.stories.get("pending_approval", 0)
        others = ", ".join(
            f"{n} {s.replace('_', ' ')}" for s, n in sorted(self.stories.items()) if s != "pending_approval"
        )
        out = [
            f"copied from {source}: {_stories(waiting)} waiting for approval"
            + (f" and {others}" if others else "")
            + f", with {self.checkpoints} checkpoints and {self.writes} pending writes",
            "registry rows copied: " + ", ".join(f"{n} {t}" for t, n in self.rows.items()),
        ]
        if self.already or any(self.kept.values()):
            kept = ", ".join(f"{n} {t}" for t, n in self.kept.items() if n)
            out.append(
                f"skipped, already in the database: the checkpoints of {_stories(self.already)}"
                + (f"; rows: {kept}" if kept else "")
            )
        if self.leases:
            out.append(
                f"skipped by design: {self.leases} expired leases (they belong to processes, not stories)"
            )
        out.append(f"{source} is left as it was; once the database serves, move it aside")
        return out


def _stories(n: int) -> str:
    return f"{n} {'story' if n == 1 else 'stories'}"


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StorageError(
            f"there is no newsroom data to copy in {path.parent} ({path.name} is missing); "
            "name the data dir with --data-dir"
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=5)
        conn.execute("SELECT count(*) FROM stories").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(storage_sentence(exc, path)) from None
    return conn


def _refuse_live_work(conn: sqlite3.Connection, path: Path) -> int:
    """Copying under a running embedded newsroom would copy half a story: a live lease stops it.
    Returns how many (expired) leases are left behind."""
    rows = conn.execute("SELECT key, owner, until FROM leases").fetchall()
    live = [(k, o) for k, o, until in rows if until > time.time()]
    if live:
        key, owner = live[0]
        raise StorageError(
            f"{path} is in use: {owner} is working on {key.removeprefix('story:')} "
            f"({len(live)} live lease{'s' if len(live) != 1 else ''}); stop `newsroom serve` on "
            f"{socket.gethostname() if owner.startswith(socket.gethostname()) else 'its host'}, then copy"
        )
    return len(rows)


def _copy_thread(tuples: list[CheckpointTuple], target: PostgresCheckpoints) -> tuple[int, int]:
    """One story's checkpoints, oldest first, each with its parent and pending writes."""
    writes = 0
    for item in reversed(tuples):  # list() gives newest first
        conf = item.config["configurable"]
        parent = (item.parent_config or {}).get("configurable", {}).get("checkpoint_id")
        put_config: dict[str, Any] = {
            "configurable": {"thread_id": conf["thread_id"], "checkpoint_ns": conf.get("checkpoint_ns", "")}
        }
        if parent:
            put_config["configurable"]["checkpoint_id"] = parent
        saved = target.put(
            put_config,  # type: ignore[arg-type]
            item.checkpoint,
            item.metadata,
            dict(item.checkpoint["channel_versions"]),
        )
        by_task: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for task_id, channel, value in item.pending_writes or []:
            by_task[task_id].append((channel, value))
        for task_id, task_writes in by_task.items():
            target.put_writes(saved, task_writes, task_id)
            writes += len(task_writes)
    return len(tuples), writes


def _copy_checkpoints(conn: sqlite3.Connection, url: str, report: CopyReport) -> None:
    source = SqliteSaver(conn)
    source.is_setup = True  # read only: its tables exist, and setup() would try to write
    target = open_postgres_checkpoints(url)
    statuses = dict(conn.execute("SELECT story_id, status FROM stories").fetchall())
    # one story at a time: a newsroom's whole history need not fit in memory
    for (thread_id,) in conn.execute("SELECT DISTINCT thread_id FROM checkpoints ORDER BY 1").fetchall():
        tuples = list(source.list({"configurable": {"thread_id": thread_id}}))
        latest = tuples[0].config
        if target.get_tuple(latest) is not None:
            report.already += 1
            continue
        checkpoints, writes = _copy_thread(tuples, target)
        report.checkpoints += checkpoints
        report.writes += writes
        report.stories[statuses.get(thread_id, "not in the story index")] += 1


def _copy_rows(conn: sqlite3.Connection, url: str, report: CopyReport) -> None:
    try:
        with pool(url).connection() as pg:  # one transaction: the registry arrives whole or not at all
            _insert_rows(conn, pg, report)
    except psycopg.Error as exc:
        raise StorageError(database_sentence(exc, url)) from None


def _insert_rows(conn: sqlite3.Connection, pg: psycopg.Connection[Any], report: CopyReport) -> None:
    for table, columns in TABLES.items():
        copied = kept = 0
        if (
            table in _ADDED_LATER
            and not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
        ):
            report.rows[table] = report.kept[table] = 0
            continue
        for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall():
            values = list(row)
            if table == "publications":
                values[2] = bool(values[2])
            cur = pg.execute(
                f"INSERT INTO newsroom_{table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING",
                values,
            )
            copied += cur.rowcount
            kept += 1 - cur.rowcount
        report.rows[table] = copied
        report.kept[table] = kept


def copy_from_sqlite(data_dir: Path, url: str) -> list[str]:
    """Copy the data dir's checkpoints and registry into the database; lines saying what was done."""
    path = data_dir / "checkpoints.sqlite"
    conn = _read_only(path)
    try:
        PostgresRegistry(url)  # says to run `newsroom db upgrade` when the tables are not there
        report = CopyReport(leases=_refuse_live_work(conn, path))
        _copy_checkpoints(conn, url, report)
        _copy_rows(conn, url, report)
    except sqlite3.Error as exc:
        raise StorageError(storage_sentence(exc, path)) from None
    finally:
        conn.close()
    return report.lines(data_dir)
