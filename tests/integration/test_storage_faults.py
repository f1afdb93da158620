"""Storage faults as a person meets them: a locked, read-only, damaged database, a damaged record store.
Each is a sentence naming the file and what to do; nothing already stored is damaged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from newsroom import cli
from newsroom.check import check
from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.fakes.scripted import demo_room, scripted

TOPIC = "the DeepSeek funding round"


def _published_room(settings: Settings) -> tuple[Newsroom, str]:
    room = demo_room(settings, scripted())
    story = room.explain(TOPIC)["story_id"]
    room.review(story, "approve", who="ed")
    return room, story


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["newsroom", *args])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out + captured.err


def test_a_locked_checkpoint_database_is_a_sentence_not_a_30_second_traceback(settings: Settings) -> None:
    _published_room(settings)
    holder = sqlite3.connect(settings.checkpoint_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "explain", TOPIC],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{settings.checkpoint_path} is locked by another process" in done.stderr, done.stderr


def test_a_read_only_database_still_reads_and_a_write_is_a_sentence(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _published_room(settings)
    real = sqlite3.connect

    def read_only(path: str, **kw: object) -> sqlite3.Connection:  # what a read-only disk gives SQLite
        return real(f"file:{path}?mode=ro", uri=True, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("newsroom.registry.sqlite3.connect", read_only)
    code, said = _cli(monkeypatch, capsys, "status")
    assert code == 0 and "published" in said  # reading still works
    code, said = _cli(monkeypatch, capsys, "explain", TOPIC)
    assert code == 1 and "Traceback" not in said
    assert f"newsroom may not write to {settings.checkpoint_path}" in said and "permissions" in said


@pytest.mark.skipif(
    hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0, reason="root ignores modes"
)
def test_a_read_only_data_dir_is_a_sentence(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _published_room(settings)
    settings.data_dir.chmod(0o500)
    try:
        code, said = _cli(monkeypatch, capsys, "explain", TOPIC)
    finally:
        settings.data_dir.chmod(0o700)
    assert code == 1 and "Traceback" not in said and str(settings.data_dir) in said


def test_a_damaged_checkpoint_file_is_named_and_check_says_restore(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _published_room(settings)
    for extra in settings.data_dir.glob("checkpoints.sqlite-*"):
        extra.unlink()
    settings.checkpoint_path.write_bytes(b"this is not a database" * 100)
    code, said = _cli(monkeypatch, capsys, "status")
    assert code == 1 and "Traceback" not in said
    assert f"{settings.checkpoint_path} is damaged" in said and "backup" in said
    report = check(settings)
    assert any(str(settings.checkpoint_path) in p for p in report.problems)


def test_a_damaged_record_store_leaves_published_stories_readable_and_check_names_it(
    settings: Settings,
) -> None:
    _, story = _published_room(settings)
    assert check(settings).problems == []
    (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"garbage" * 1000)
    fresh = Newsroom(settings)
    assert fresh.show(story)["status"] == "published"  # no record store needed to show a story
    problems = check(settings).problems
    assert any(str(settings.chroma_dir) in p for p in problems), problems
