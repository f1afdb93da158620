"""`newsroom db copy --from sqlite`: a newsroom that started embedded keeps its pending drafts and its
published index when it moves to PostgreSQL, and copying twice copies nothing twice."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner, Result

from newsroom.cli import app
from newsroom.database.registry import PostgresRegistry
from newsroom.database.schema import upgrade
from newsroom.registry import Registry
from newsroom.service import Newsroom, StoryError
from newsroom.settings import Settings, get_settings
from tests.fakes.scripted import demo_room, scripted
from tests.services import postgres_url  # noqa: F401  (a fixture)

TOPIC = "the DeepSeek funding round"


def _copy(url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, source: str = "sqlite") -> Result:
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, ["db", "copy", "--from", source, "--data-dir", str(data_dir)])


def test_a_pending_draft_moves_and_is_approved_against_postgres(
    postgres_url: str,  # noqa: F811
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedded = demo_room(settings, scripted())
    pending = embedded.explain(TOPIC)["story_id"]
    published = embedded.explain(TOPIC)["story_id"]
    embedded.review(published, "approve", who="U_BEFORE")
    assert embedded.registry.claim_once("command:seen-before-the-move")
    upgrade(postgres_url)

    first = _copy(postgres_url, settings.data_dir, monkeypatch)
    assert first.exit_code == 0, first.output
    said = first.stdout
    assert "1 story waiting for approval and 1 published" in said
    assert "registry rows copied: 2 stories, 1 decisions, 1 deliveries, 0 briefed, 1 publications" in said
    assert "skipped" not in said and "left as it was" in said

    registry = PostgresRegistry(postgres_url)
    assert {r["story_id"]: r["status"] for r in registry.stories()} == {
        pending: "pending_approval",
        published: "published",
    }
    assert not registry.claim_once("command:seen-before-the-move")  # a redelivery stays a redelivery
    moved = Newsroom(Settings(data_dir=tmp_path / "moved", database_url=SecretStr(postgres_url)))
    assert moved.show(published)["history"][0]["who"] == "U_BEFORE"
    with pytest.raises(StoryError, match="already published"):
        moved.review(published, "approve")
    done = moved.review(pending, "approve", who="U_AFTER")
    assert done["status"] == "published" and done["history"][0]["who"] == "U_AFTER"
    index = registry.published_stories()
    assert set(index) == {pending, published}
    assert all(Path(p).is_file() for p in index[pending]["files"].values())

    second = _copy(postgres_url, settings.data_dir, monkeypatch)
    assert second.exit_code == 0, second.output
    assert "0 stories waiting for approval, with 0 checkpoints and 0 pending writes" in second.stdout
    assert (
        "registry rows copied: 0 stories, 0 decisions, 0 deliveries, 0 briefed, 0 publications"
        in second.stdout
    )
    assert "skipped, already in the database: the checkpoints of 2 stories" in second.stdout
    assert registry.stories(status="published") and len(registry.stories()) == 2
    assert {r["story_id"] for r in registry.usage()} == {pending, published}  # `newsroom costs` sees them
    assert moved.show(pending)["status"] == "published"  # the old draft did not come back over it
    # a copy cut short (the published story's newest checkpoint never arrived) is finished by the next
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(
            "DELETE FROM checkpoints WHERE thread_id = %s AND checkpoint_id = "
            "(SELECT max(checkpoint_id) FROM checkpoints WHERE thread_id = %s)",
            (published, published),
        )
    third = _copy(postgres_url, settings.data_dir, monkeypatch)
    assert "0 stories waiting for approval and 1 published" in third.stdout
    assert "skipped, already in the database: the checkpoints of 1 story" in third.stdout
    assert moved.show(published)["status"] == "published"
    left = Registry(settings.checkpoint_path)
    assert {r["story_id"]: r["status"] for r in left.stories()}[pending] == "pending_approval"


def test_copy_refuses_while_an_embedded_newsroom_is_working(
    postgres_url: str,  # noqa: F811
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upgrade(postgres_url)
    Registry(settings.checkpoint_path).claim_lease("story:s-1", f"{socket.gethostname()}:{os.getpid()}", 60)
    done = _copy(postgres_url, settings.data_dir, monkeypatch)
    assert (
        done.exit_code == 1 and "is working on s-1" in done.stderr and "stop `newsroom serve`" in done.stderr
    )
    assert PostgresRegistry(postgres_url).stories() == []


def test_copy_says_what_is_wrong_with_its_arguments(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upgrade(postgres_url)
    other = _copy(postgres_url, tmp_path, monkeypatch, source="redis")
    assert other.exit_code == 2 and "use --from sqlite" in other.stderr
    empty = _copy(postgres_url, tmp_path / "nothing-here", monkeypatch)
    assert (
        empty.exit_code == 1 and "no newsroom data to copy" in empty.stderr and "--data-dir" in empty.stderr
    )
