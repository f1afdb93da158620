"""`newsroom check`: is the data dir whole? SQLite integrity, the record store readable, the published
index matching the files on disk, stories nobody is working on. With NEWSROOM_DATABASE_URL the database is
asked first (it answers, `newsroom db upgrade` has run) and the index and the stories are read from it; with
NEWSROOM_CHROMA_URL the Chroma server is asked. Each finding is a sentence."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from newsroom.documents.files import file_stem
from newsroom.registry import StoryRegistry
from newsroom.settings import Settings
from newsroom.storage import chroma_sentence, storage_sentence

_LOW_DISK = 200 * 1024 * 1024


@dataclass
class CheckReport:
    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _sqlite_ok(path: Path) -> str | None:
    """None when the database passes integrity_check, else what is wrong and what to do."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return storage_sentence(exc, path)
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        return f"{path} fails SQLite's integrity check ({detail}); restore it from a backup"
    return None


def _writable(directory: Path) -> str | None:
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".newsroom-check-"):
            pass
    except OSError as exc:
        return storage_sentence(exc, directory)
    return None


def check(settings: Settings) -> CheckReport:
    report = CheckReport()
    data = settings.data_dir
    if not data.is_dir():
        report.problems.append(
            f"the data dir {data} does not exist; ingest something or set NEWSROOM_DATA_DIR"
        )
        return report
    problem = _writable(data)
    (report.problems.append(problem) if problem else report.ok.append(f"{data} is writable"))
    free = shutil.disk_usage(data).free
    if free < _LOW_DISK:
        report.problems.append(
            f"only {free // (1024 * 1024)} MB free on the disk holding {data}; free some space"
        )
    for db in (settings.checkpoint_path, data / "scheduler.sqlite", settings.chroma_dir / "chroma.sqlite3"):
        if db.exists():
            problem = _sqlite_ok(db)
            (report.problems.append(problem) if problem else report.ok.append(f"{db} passes integrity_check"))
    if settings.database:
        _check_database(settings, report)
        return report
    _check_store(settings, report)
    if settings.checkpoint_path.exists():
        _check_published(settings, report)
    return report


def _check_database(settings: Settings, report: CheckReport) -> None:
    """The database answers and holds its tables, the store answers; the index and stories read from there."""
    from newsroom.health import chroma_check, database_check

    url = settings.database or ""
    found = database_check(url)
    (report.ok if found.ok else report.problems).append(found.sentence.rstrip("."))
    if settings.chroma_url:
        store = chroma_check(settings)
        (report.ok if store.ok else report.problems).append(store.sentence.rstrip("."))
    else:
        _check_store(settings, report)
    if not found.ok:
        return  # the index and the stories are in the database that did not answer
    from newsroom.database.registry import PostgresRegistry
    from newsroom.storage import StorageError

    try:
        _check_index(settings, report, PostgresRegistry(url))
    except StorageError as exc:
        report.problems.append(str(exc).rstrip("."))


def _check_store(settings: Settings, report: CheckReport) -> None:
    if settings.chroma_url is None and not settings.chroma_dir.exists():
        report.ok.append("no record store yet")
        return
    try:
        from newsroom.store import open_store

        count = open_store(settings).count()
    except Exception as exc:
        report.problems.append(chroma_sentence(exc, settings.chroma_dir))
        return
    report.ok.append(f"the record store is readable ({count} records)")


def _check_published(settings: Settings, report: CheckReport) -> None:
    from newsroom.registry import Registry

    try:
        _check_index(settings, report, Registry(settings.checkpoint_path))
    except sqlite3.Error as exc:
        report.problems.append(storage_sentence(exc, settings.checkpoint_path))


def _check_index(settings: Settings, report: CheckReport, registry: StoryRegistry) -> None:
    """The published index against the files on disk, and unfinished stories nobody holds."""
    index = registry.published_stories()
    rows = registry.stories(limit=1_000_000)
    missing = 0
    for story_id, targets in index.items():
        for path in (targets.get("files") or {}).values():
            if not Path(path).exists():
                missing += 1
                report.problems.append(
                    f"{path} of published story {story_id} is missing; run `newsroom retry {story_id}` "
                    "or restore it from a backup"
                )
    known = {file_stem(s) for s in index}
    directory = settings.published_dir
    orphans = [p for p in directory.glob("*.json")] if directory.is_dir() else []
    # a living story's earlier versions (`<stem>.v1.json`) belong to its stem; a stem never holds a dot
    orphans = [p for p in orphans if p.stem.split(".")[0] not in known]
    for path in orphans:
        report.problems.append(f"{path} is on disk but no story records publishing it; see `newsroom status`")
    for leftover in directory.glob(".*.tmp") if directory.is_dir() else []:
        report.problems.append(
            f"{leftover} is a temporary file left by an interrupted publication; delete it"
        )
    if not missing and not orphans:
        report.ok.append(f"the published index matches {directory} ({len(index)} stories)")
    stuck = [r["story_id"] for r in rows if r["status"] in ("running", "publishing")]
    for story_id in stuck:
        owner = registry.lease_owner(f"story:{story_id}")
        if owner is None:
            report.problems.append(
                f"story {story_id} is unfinished and nobody is working on it; `newsroom serve` resumes it "
                f"at start, or run `newsroom retry {story_id}`"
            )
