"""Storage faults as sentences: which file or directory, what went wrong, and what to do about it."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from newsroom.store import SourceStore


class StorageError(Exception):
    """A file or directory newsroom keeps its data in failed; the message is for a person."""


def storage_sentence(exc: BaseException, path: Path) -> str:
    """What went wrong with `path` and what to do, from an sqlite3 or OS error."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "database or disk is full" in text or "no space" in text:
        return f"the disk holding {path} is full; free some space, then try again"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "readonly" in text or "read-only" in text:
        return (
            f"newsroom may not write to {path} (permission denied or a read-only disk); "
            f"fix its permissions (the user running newsroom needs write access), then try again"
        )
    if "locked" in text or "busy" in text:
        return (
            f"{path} is locked by another process (another newsroom, or a backup holding it); "
            "wait for it to finish or stop it, then try again"
        )
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return (
            f"{path} is damaged (not a readable SQLite database); restore it from a backup, "
            "or move it aside to start with no stories; `newsroom check` says more"
        )
    if "unable to open" in text or code == errno.ENOENT:
        return f"{path} cannot be opened; check that its directory exists and is writable"
    if "disk i/o" in text or code == errno.EIO:
        return f"reading or writing {path} failed (a disk error); check the disk, then restore from a backup"
    return f"{path} could not be used ({type(exc).__name__}: {exc}); `newsroom check` says more"


def chroma_sentence(exc: BaseException, directory: Path) -> str:
    from newsroom.embedders import EmbedderMismatch

    if isinstance(exc, EmbedderMismatch):
        return str(exc)
    if isinstance(exc, (OSError, sqlite3.Error)):
        return storage_sentence(exc, directory)
    return (
        f"the record store in {directory} cannot be read ({type(exc).__name__}); restore it from a "
        "backup, or move it aside and ingest the sources again"
    )


class _LazyStore:
    """Opens the record store on first use, and turns a store that cannot open into a sentence."""

    def __init__(self, opener: Callable[[], SourceStore], directory: Path) -> None:
        self._opener = opener
        self._directory = directory

    def __getattr__(self, name: str) -> Any:
        try:
            store = self._opener()
        except StorageError:
            raise
        except Exception as exc:
            raise StorageError(chroma_sentence(exc, self._directory)) from None
        return getattr(store, name)


def lazy_store(opener: Callable[[], SourceStore], directory: Path) -> SourceStore:
    return cast("SourceStore", _LazyStore(opener, directory))
