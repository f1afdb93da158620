"""`newsroom worker` as an operator meets it: no database is a sentence, `--check` says whether it could run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsroom.cli.worker import NO_DATABASE
from tests.services import postgres_url  # noqa: F401  (a fixture)


def _worker(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-m", "newsroom.cli", "worker", *args],
        env={**clean, "NEWSROOM_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_database_the_worker_says_what_to_set(tmp_path: Path) -> None:
    done = _worker(tmp_path)
    assert done.returncode == 1
    assert " ".join(done.stderr.split()).count(" ".join(NO_DATABASE.split()))


def test_check_fails_before_the_queue_exists_and_passes_after_upgrade(
    tmp_path: Path,
    postgres_url: str,  # noqa: F811
) -> None:
    before = _worker(tmp_path, "--check", NEWSROOM_DATABASE_URL=postgres_url)
    assert before.returncode == 1
    assert "the job queue in the database cannot be read" in before.stderr
    assert "newsroom db upgrade" in before.stderr
    from newsroom.cli.worker import upgrade_database
    from newsroom.settings import Settings

    upgrade_database(Settings(database_url=postgres_url))  # type: ignore[arg-type]
    after = _worker(tmp_path, "--check", NEWSROOM_DATABASE_URL=postgres_url)
    assert after.returncode == 0, after.stderr
    assert "newsroom worker: ready" in after.stderr


def test_a_wrong_database_is_a_sentence_naming_no_password(tmp_path: Path) -> None:
    url = "postgresql://newsroom:s3cret-pw@127.0.0.1:1/newsroom"
    done = _worker(tmp_path, "--check", NEWSROOM_DATABASE_URL=url)
    assert done.returncode == 1
    assert "cannot be reached" in done.stderr and "127.0.0.1" in done.stderr
    assert "s3cret-pw" not in done.stderr + done.stdout
