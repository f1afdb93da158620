"""`newsroom check` on a newsroom whose state is in PostgreSQL: the database asked first, then the published
index and the unfinished stories read from it (not from a SQLite file that is not used)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsroom.database.registry import PostgresRegistry
from newsroom.database.schema import upgrade
from tests.services import postgres_url  # noqa: F401  (a fixture)


def _check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    (tmp_path / "data").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "newsroom.cli", "check"],
        env={**clean, "NEWSROOM_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_database_without_its_tables_is_named_with_the_command_to_run(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    done = _check(tmp_path, NEWSROOM_DATABASE_URL=postgres_url)
    assert done.returncode == 1, done.stdout
    assert "run `newsroom db upgrade`" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_an_unreachable_database_is_a_sentence_without_the_password(tmp_path: Path) -> None:
    done = _check(tmp_path, NEWSROOM_DATABASE_URL="postgresql://newsroom:s3cret-pw@127.0.0.1:1/newsroom")
    assert done.returncode == 1
    assert "problem:" in done.stdout and "127.0.0.1" in done.stdout
    assert "s3cret-pw" not in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_stories_and_published_files_are_checked_in_the_database(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    upgrade(postgres_url)
    registry = PostgresRegistry(postgres_url)
    registry.add_story("s-fine", "the levy", "cli")
    registry.set_status("s-fine", "pending_approval", 1)
    clean = _check(tmp_path, NEWSROOM_DATABASE_URL=postgres_url)
    assert clean.returncode == 0, clean.stdout
    assert "answers" in clean.stdout and "published index matches" in clean.stdout

    registry.add_story("s-stuck", "the budget", "cli")
    registry.set_status("s-stuck", "running", 0)  # nobody holds its lease: a worker died with it
    registry.record_target("s-gone", "files", {"json": str(tmp_path / "data" / "published" / "s-gone.json")})
    found = _check(tmp_path, NEWSROOM_DATABASE_URL=postgres_url)
    assert found.returncode == 1
    assert "story s-stuck is unfinished and nobody is working on it" in found.stdout
    assert "s-gone.json of published story s-gone is missing" in found.stdout
    assert "s-fine" not in found.stdout
