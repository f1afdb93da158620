"""Database faults as sentences: which database on which host, what to check, and never the password."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from psycopg_pool import PoolTimeout
from pydantic import SecretStr

from newsroom.database.connect import database_sentence, where
from newsroom.database.registry import PostgresRegistry
from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.storage import StorageError
from tests.services import free_port

URL = "postgresql://news:hunter2@db.internal:6543/newsroom"


def test_where_names_database_host_and_port_but_not_the_password() -> None:
    assert where(URL) == "database newsroom on db.internal:6543"
    assert where("host=db.internal dbname=desk password=hunter2") == "database desk on db.internal:5432"


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (
            psycopg.OperationalError('connection to server at "db.internal" failed: Connection refused'),
            "cannot be reached",
        ),
        (
            psycopg.OperationalError('FATAL:  password authentication failed for user "news" hunter2'),
            "refused the login",
        ),
        (psycopg.OperationalError('FATAL:  database "newsroom" does not exist'), "create it"),
        (psycopg.errors.UndefinedTable('relation "newsroom_leases" does not exist'), "newsroom db upgrade"),
        (PoolTimeout("couldn't get a connection after 15.00 sec"), "came free"),
        (psycopg.errors.DiskFull("could not extend file"), "disk"),
    ],
)
def test_each_fault_says_what_to_check(error: Exception, says: str) -> None:
    said = database_sentence(error, URL)
    assert says in said and "database newsroom on db.internal:6543" in said
    assert "hunter2" not in said


def test_an_unreachable_database_is_a_sentence_before_any_wait() -> None:
    url = f"postgresql://news:hunter2@127.0.0.1:{free_port()}/newsdesk"
    with pytest.raises(StorageError) as caught:
        PostgresRegistry(url)
    said = str(caught.value)
    assert "database newsdesk on 127.0.0.1" in said and "cannot be reached" in said
    assert "hunter2" not in said and "NEWSROOM_DATABASE_URL" in said


def test_the_facade_reports_an_unreachable_database_for_registry_and_graph(tmp_path: Path) -> None:
    url = f"postgresql://news:hunter2@127.0.0.1:{free_port()}/newsdesk"
    room = Newsroom(Settings(data_dir=tmp_path, database_url=SecretStr(url)))
    for opening in (lambda: room.registry, lambda: room.graph):
        with pytest.raises(StorageError, match=r"newsdesk on 127\.0\.0\.1.*cannot be reached") as caught:
            opening()
        assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("url", ["not a url", "mysql://news:hunter2@db/newsroom"])
def test_a_url_that_is_not_postgresql_says_how_to_write_one(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        PostgresRegistry(url)
    said = str(caught.value)
    assert (
        "NEWSROOM_DATABASE_URL is not a PostgreSQL URL" in said and "postgresql://USER:PASSWORD@HOST" in said
    )
    assert "hunter2" not in said
