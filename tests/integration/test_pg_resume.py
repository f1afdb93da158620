"""Cross-process resume on PostgreSQL: a story drafted to the approval point by one process is approved by
another that shares nothing with it but NEWSROOM_DATABASE_URL (not even the data dir), and published once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from newsroom.database.registry import PostgresRegistry
from newsroom.database.schema import upgrade
from newsroom.service import Newsroom, StoryError
from newsroom.settings import Settings
from tests.services import postgres_url  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "the DeepSeek funding round"
DRAFT = f"""
from newsroom.settings import Settings
from tests.fakes.scripted import demo_room, scripted

ex = demo_room(Settings(), scripted()).explain({TOPIC!r})
print(ex["story_id"], ex["status"])
"""


def _env(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_"))}
    env.update(NEWSROOM_DATABASE_URL=url, NEWSROOM_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return env


def test_drafted_in_one_process_approved_in_another_published_once(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    upgrade(postgres_url)
    drafted = subprocess.run(
        [sys.executable, "-c", DRAFT],
        capture_output=True,
        text=True,
        env=_env(postgres_url, tmp_path / "drafting"),
        timeout=180,
    )
    assert drafted.returncode == 0, drafted.stderr
    story, status = drafted.stdout.split()[-2:]
    assert status == "pending_approval"
    registry = PostgresRegistry(postgres_url)
    assert [(r["story_id"], r["status"]) for r in registry.stories()] == [(story, "pending_approval")]
    assert not (tmp_path / "drafting" / "checkpoints.sqlite").exists()  # nothing of it in SQLite

    approving = tmp_path / "approving"  # another machine: its own, empty data dir
    done = subprocess.run(
        [sys.executable, "-m", "newsroom.cli", "review", story, "--approve", "--who", "U_LATER"],
        capture_output=True,
        text=True,
        env=_env(postgres_url, approving),
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert f"Story {story} published" in done.stdout

    index = registry.published_stories()
    assert list(index) == [story] and set(index[story]["files"]) == {"md", "html", "json"}
    assert all(Path(p).is_file() and approving in Path(p).parents for p in index[story]["files"].values())
    assert registry.stories()[0]["status"] == "published"
    assert registry.publication(story)["files"]["attempts"] == 1

    # a third process (this one) sees the same story and cannot publish it twice
    room = Newsroom(Settings(data_dir=tmp_path / "third", database_url=SecretStr(postgres_url)))
    shown = room.show(story)
    assert shown["status"] == "published" and shown["history"][0]["who"] == "U_LATER"
    with pytest.raises(StoryError, match="already published"):
        room.review(story, "approve", who="U_AGAIN")
    assert registry.publication(story)["files"]["attempts"] == 1
    assert not (tmp_path / "third" / "published").exists()
