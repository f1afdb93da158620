"""Cross-process resume on PostgreSQL: a story drafted to the approval point by one process is approved by
others that share nothing with it but NEWSROOM_DATABASE_URL (not even the data dir), and published once."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from multiprocessing.synchronize import Barrier
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


def _click(
    url: str,
    data_dir: Path,
    who: str,
    story: str,
    start: Barrier,
    said: multiprocessing.Queue[tuple[str, str]],
) -> None:
    room = Newsroom(Settings(data_dir=data_dir, database_url=SecretStr(url)))
    room.graph, room.registry  # noqa: B018  (opened before the race: the race is the decision, not start-up)
    start.wait(60)
    try:
        said.put((who, room.review(story, "approve", who=who)["status"]))
    except StoryError as exc:
        said.put((who, f"{type(exc).__name__}: {exc}"))


def _env(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_"))}
    env.update(NEWSROOM_DATABASE_URL=url, NEWSROOM_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return env


def test_drafted_in_one_process_approved_from_two_others_at_once_published_once(
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

    # two other machines, each with its own empty data dir, click approve at the same moment
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    said: multiprocessing.Queue[tuple[str, str]] = context.Queue()
    fronts = [
        context.Process(target=_click, args=(postgres_url, tmp_path / who, who, story, start, said))
        for who in ("U_LEFT", "U_RIGHT")
    ]
    for front in fronts:
        front.start()
    done = dict(said.get(timeout=120) for _ in fronts)
    for front in fronts:
        front.join(30)
    outcomes = list(done.values())
    assert outcomes.count("published") == 1, done
    # the other was told the draft was decided (or, had it come in after the publication, published)
    other = next(o for o in outcomes if o != "published")
    assert other.startswith(("StaleDraft: ", "StoryError: ")) and "already" in other, done
    decided = registry.decision_for(story, 1)
    assert decided is not None and done[decided["who"]] == "published"
    who = decided["who"]

    index = registry.published_stories()
    assert list(index) == [story] and set(index[story]["files"]) == {"md", "html", "json"}
    assert all(
        Path(p).is_file() and (tmp_path / who) in Path(p).parents for p in index[story]["files"].values()
    )
    assert registry.stories()[0]["status"] == "published"
    assert registry.publication(story)["files"]["attempts"] == 1  # published once, by the one who decided
    assert not (tmp_path / ("U_RIGHT" if who == "U_LEFT" else "U_LEFT") / "published").exists()

    # a third process (this one) sees the same story and cannot publish it twice
    room = Newsroom(Settings(data_dir=tmp_path / "third", database_url=SecretStr(postgres_url)))
    shown = room.show(story)
    assert shown["status"] == "published" and shown["history"][0]["who"] == who
    with pytest.raises(StoryError, match="already published"):
        room.review(story, "approve", who="U_AGAIN")
    assert registry.publication(story)["files"]["attempts"] == 1
    assert not (tmp_path / "third" / "published").exists()
