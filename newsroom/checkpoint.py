"""Where paused stories live: one place chooses the checkpointer (PostgreSQL when NEWSROOM_DATABASE_URL is
set, else SQLite under the data dir)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from newsroom.settings import Settings


def open_sqlite_checkpointer(path: Path) -> SqliteSaver:
    """A SqliteSaver on its own connection; safe to share across this process's threads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=5)
    conn.execute("PRAGMA journal_mode=WAL")
    saver = SqliteSaver(conn)
    saver.setup()
    return saver


def open_checkpointer(settings: Settings) -> Any:
    """PostgresSaver on this process's pool when a database is set (its tables made by `newsroom db
    upgrade`), else the SQLite file under the data dir; a database that cannot be used is a StorageError."""
    if settings.database:
        from newsroom.database.checkpoints import open_postgres_checkpoints

        return open_postgres_checkpoints(settings.database)
    return open_sqlite_checkpointer(settings.checkpoint_path)
