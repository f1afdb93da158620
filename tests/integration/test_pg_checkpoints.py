"""The PostgreSQL checkpointer's faults are sentences, as SQLite's are: a run that loses its database
stops with words naming the database (never its password), not a psycopg traceback."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr

from newsroom.database.checkpoints import open_postgres_checkpoints
from newsroom.database.schema import upgrade
from newsroom.service import Newsroom, StoryError
from newsroom.settings import Settings
from newsroom.storage import StorageError
from tests.fakes.scripted import scripted
from tests.services import postgres_url  # noqa: F401  (a fixture)

CONFIG = {"configurable": {"thread_id": "story-1", "checkpoint_ns": ""}}


def test_a_database_never_upgraded_says_so_to_every_door(postgres_url: str, tmp_path: Path) -> None:  # noqa: F811
    room = Newsroom(Settings(data_dir=tmp_path, database_url=SecretStr(postgres_url)))
    for opening in (lambda: room.graph, lambda: room.status()):
        with pytest.raises(StorageError, match="has no newsroom tables yet; run `newsroom db upgrade`"):
            opening()


def test_checkpoint_faults_in_use_are_sentences(postgres_url: str) -> None:  # noqa: F811
    upgrade(postgres_url)
    saver = open_postgres_checkpoints(postgres_url)
    assert saver.get_tuple(CONFIG) is None and list(saver.list(CONFIG)) == []  # type: ignore[arg-type]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP TABLE checkpoints")
    name = postgres_url.rsplit("/", 1)[1]
    for call in (lambda: saver.get_tuple(CONFIG), lambda: list(saver.list(CONFIG))):  # type: ignore[arg-type]
        with pytest.raises(StorageError) as caught:
            call()
        assert f"database {name} on 127.0.0.1:5432" in str(caught.value)


def test_a_run_whose_database_disk_fills_stops_with_a_sentence(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    upgrade(postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        # the server refuses the next checkpoint as a full disk would (SQLSTATE 53100)
        conn.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$"
        )
        conn.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON checkpoints FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    room = Newsroom(
        Settings(data_dir=tmp_path, database_url=SecretStr(postgres_url)), model_override=scripted()
    )
    with pytest.raises(StoryError) as caught:
        room.explain("municipal bond ratings", story_id="story-lost")
    said = str(caught.value)
    assert said.startswith("Story story-lost stopped: the disk of database newsroom_test_")
    assert "is full" in said and "progress is kept" in said and "Traceback" not in said
    assert [(r["story_id"], r["status"]) for r in room.status()] == [("story-lost", "failed")]
