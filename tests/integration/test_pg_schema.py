"""`newsroom db upgrade`: creates every table newsroom keeps in PostgreSQL, says what it did, and is safe to
run again and from several processes at once (serve and worker both run it at start)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner, Result

from newsroom.database.registry import PostgresRegistry
from newsroom.database.schema import REGISTRY_VERSION, upgrade
from newsroom.settings import get_settings
from newsroom.storage import StorageError
from tests.services import free_port, postgres_url  # noqa: F401  (a fixture)


def _db(*args: str) -> Result:
    from newsroom.cli import app  # here, not at the top: the spawned racers need not import every command

    return CliRunner().invoke(app, ["db", *args])


def _schema(url: str) -> dict[str, Any]:
    """What a second upgrade must leave as it was: tables and columns, indexes, recorded versions."""
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY 1, 2"
        ).fetchall()
        indexes = conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        versions = conn.execute("SELECT component, version FROM newsroom_schema ORDER BY 1").fetchall()
        migrations = conn.execute("SELECT count(*), count(DISTINCT v) FROM checkpoint_migrations").fetchone()
    return {"columns": columns, "indexes": indexes, "versions": versions, "migrations": migrations}


def _racer(url: str, start: Barrier, out: multiprocessing.Queue[list[str]]) -> None:
    start.wait(30)
    out.put(upgrade(url))


def test_upgrade_creates_everything_then_finds_it_up_to_date(postgres_url: str) -> None:  # noqa: F811
    first = upgrade(postgres_url)
    assert first == [
        f"registry tables: migrated from version 0 to {REGISTRY_VERSION}",
        first[1],
        f"job queue tables: created (procrastinate {first[2].split('procrastinate ')[1]}",
    ]
    assert first[1].startswith("checkpoint tables: created (LangGraph migrations 0-")
    made = _schema(postgres_url)
    tables = {t for t, _, _ in made["columns"]}
    assert {"newsroom_stories", "newsroom_decisions", "newsroom_leases", "newsroom_publications"} <= tables
    assert {"checkpoints", "checkpoint_writes", "checkpoint_blobs", "procrastinate_jobs"} <= tables
    again = upgrade(postgres_url)
    assert all("up to date" in line for line in again), again
    assert _schema(postgres_url) == made


def test_upgrades_from_several_processes_at_once_make_one_schema(postgres_url: str) -> None:  # noqa: F811
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(3)
    out: multiprocessing.Queue[list[str]] = context.Queue()
    procs = [context.Process(target=_racer, args=(postgres_url, start, out)) for _ in range(3)]
    for proc in procs:
        proc.start()
    said = [out.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(30)
    assert [p.exitcode for p in procs] == [0, 0, 0], said
    # one process did the work while the others waited for the lock and then found nothing to do
    assert sorted(sum("up to date" in line for line in lines) for lines in said) == [0, 3, 3], said
    made = _schema(postgres_url)
    assert made["migrations"] is not None and made["migrations"][0] == made["migrations"][1]
    assert [c for c, _ in made["versions"]] == ["checkpoints", "procrastinate", "registry"]
    upgrade(postgres_url)
    assert _schema(postgres_url) == made


def test_the_command_prints_what_it_did(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", postgres_url)
    get_settings.cache_clear()
    first = _db("upgrade")
    assert first.exit_code == 0, first.output
    assert f"registry tables: migrated from version 0 to {REGISTRY_VERSION}" in first.stdout
    assert "job queue tables: created" in first.stdout
    again = _db("upgrade")
    assert again.exit_code == 0 and again.stdout.count("up to date") == 3


def test_upgrade_without_a_database_url_says_how_to_set_one() -> None:
    done = _db("upgrade")
    assert done.exit_code == 1 and "NEWSROOM_DATABASE_URL is not set" in done.stderr
    assert (done.stdout == "" and done.exception is None) or isinstance(done.exception, SystemExit)


def test_upgrade_of_an_unreachable_database_is_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", f"postgresql://news:hunter2@127.0.0.1:{free_port()}/desk")
    get_settings.cache_clear()
    done = _db("upgrade")
    assert done.exit_code == 1 and "database desk on 127.0.0.1" in done.stderr
    assert "cannot be reached" in done.stderr and "hunter2" not in done.output


def test_versions_out_of_step_are_sentences(postgres_url: str) -> None:  # noqa: F811
    upgrade(postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE newsroom_schema SET version = '99' WHERE component = 'registry'")
    with pytest.raises(StorageError, match="version 99, newer than this newsroom knows"):
        upgrade(postgres_url)  # an older newsroom must not touch a newer one's tables
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE newsroom_schema SET version = '0' WHERE component = 'registry'")
    with pytest.raises(
        StorageError,
        match=rf"older than this newsroom needs \({REGISTRY_VERSION}\); run `newsroom db upgrade`",
    ):
        PostgresRegistry(postgres_url)


def test_a_database_upgraded_before_usage_was_kept_gets_its_table(postgres_url: str) -> None:  # noqa: F811
    upgrade(postgres_url)
    with psycopg.connect(
        postgres_url, autocommit=True
    ) as conn:  # as a newsroom of registry version 1 left it
        conn.execute("DROP TABLE newsroom_usage")
        conn.execute("DROP TABLE newsroom_attached")  # migration 3 came later still
        conn.execute("UPDATE newsroom_schema SET version = '1' WHERE component = 'registry'")
    assert f"registry tables: migrated from version 1 to {REGISTRY_VERSION}" in upgrade(postgres_url)
    registry = PostgresRegistry(postgres_url)
    registry.add_story("s-1", "the budget", "U1")
    row = {"role": "writer", "model": "m", "calls": 1, "prompt_tokens": 5, "completion_tokens": 2}
    registry.record_usage("s-1", None, [row | {"cost_usd": 0.0, "unpriced_calls": 1}])
    assert [r["calls"] for r in registry.usage()] == [1]
