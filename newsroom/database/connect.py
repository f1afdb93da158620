"""Connections to PostgreSQL: one pool per URL, kind and process, and every failure as a sentence."""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any, Literal

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from newsroom.storage import StorageError

Kind = Literal["registry", "checkpoints"]

CONNECT_TIMEOUT_S = 5
POOL_TIMEOUT_S = 15.0
POOL_MAX = 8

# LangGraph's PostgresSaver runs its own statements (some may not run in a transaction, like CREATE INDEX
# CONCURRENTLY) and reads rows by column name; prepared statements break behind pgbouncer-like poolers.
_KWARGS: dict[Kind, dict[str, Any]] = {
    "registry": {"connect_timeout": CONNECT_TIMEOUT_S},
    "checkpoints": {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "autocommit": True,
        "prepare_threshold": 0,
        "row_factory": dict_row,
    },
}

_pools: dict[tuple[str, Kind, int], ConnectionPool[Any]] = {}
_lock = threading.Lock()


def where(url: str) -> str:
    """`database D on host:port`, never the password (for sentences and logs)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the database NEWSROOM_DATABASE_URL names"
    host = str(parts.get("host") or "localhost")
    port = str(parts.get("port") or "5432")
    return f"database {parts.get('dbname') or parts.get('user') or '(default)'} on {host}:{port}"


def _scrub(text: str, url: str) -> str:
    try:
        secret = str(conninfo_to_dict(url).get("password") or "")
    except psycopg.ProgrammingError:
        return "(the URL could not be read)"
    first = (text.strip().splitlines() or [""])[0]
    return first.replace(secret, "***") if secret else first


def _readable(url: str) -> bool:
    try:
        conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return False
    return True


def _unreachable(exc: psycopg.OperationalError) -> bool:
    """No answer at all, a connection that broke, or a server shutting down (SQLSTATE classes 08, 57P)."""
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


def database_sentence(exc: BaseException, url: str) -> str:
    """What failed with the database `url` names and what to check, from a psycopg (or pool) error."""
    place = where(url)
    text = str(exc).lower()
    detail = _scrub(str(exc), url)
    if not _readable(url):
        return (
            "NEWSROOM_DATABASE_URL is not a PostgreSQL URL newsroom can read; write it as "
            "postgresql://USER:PASSWORD@HOST:5432/DATABASE"
        )
    if isinstance(exc, psycopg.errors.UndefinedTable):
        return f"{place} has no newsroom tables yet; run `newsroom db upgrade`, then try again"
    login = ("password authentication failed", "no password supplied", "peer authentication failed")
    if any(t in text for t in login) or ("role" in text and "does not exist" in text):
        return f"{place} refused the login ({detail}); check the user and password in NEWSROOM_DATABASE_URL"
    if "database" in text and "does not exist" in text:
        return f"{place} does not exist; create it (createdb) or fix the name in NEWSROOM_DATABASE_URL"
    if isinstance(exc, PoolTimeout):
        return (
            f"no connection to {place} came free within {POOL_TIMEOUT_S:.0f} s; the server is unreachable or "
            "every connection is busy; check the server and its max_connections"
        )
    if isinstance(exc, psycopg.errors.DiskFull) or "no space left" in text:
        return f"the disk of {place} is full; free space on the database server, then try again"
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction) or "read-only" in text:
        return f"{place} accepts no writes (a read-only replica or a read-only transaction); point NEWSROOM_DATABASE_URL at the primary"
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return f"{place} refused an operation ({detail}); the user in NEWSROOM_DATABASE_URL needs rights on its tables"
    if isinstance(exc, psycopg.OperationalError) and _unreachable(exc):
        return (
            f"{place} cannot be reached ({detail}); check that PostgreSQL is running there and that "
            "NEWSROOM_DATABASE_URL names the right host and port"
        )
    return f"{place} failed ({type(exc).__name__}: {detail}); the PostgreSQL server's log says more"


def probe(url: str) -> None:
    """Connect once, now: an unreachable database is a StorageError sentence before any pool waits."""
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S):
            pass
    except (psycopg.Error, OSError) as exc:
        raise StorageError(database_sentence(exc, url)) from None


def pool(url: str, kind: Kind = "registry") -> ConnectionPool[Any]:
    """This process's pool for `url` (a fork gets its own: a connection must not cross processes)."""
    key = (url, kind, os.getpid())
    with _lock:
        found = _pools.get(key)
        if found is not None:
            return found
        probe(url)
        made: ConnectionPool[Any] = ConnectionPool(
            url,
            kwargs=dict(_KWARGS[kind]),
            min_size=1,
            max_size=POOL_MAX,
            timeout=POOL_TIMEOUT_S,
            check=ConnectionPool.check_connection,
            name=f"newsroom-{kind}",
            open=True,
        )
        _pools[key] = made
        return made


def close_pools() -> None:
    """Close this process's pools (at exit; a forked child leaves its parent's alone)."""
    with _lock:
        mine = [k for k in _pools if k[2] == os.getpid()]
        for key in mine:
            _pools.pop(key).close()


atexit.register(close_pools)
