"""The per-test PostgreSQL database the service tests stand on: created empty, usable, and dropped after."""

from __future__ import annotations

import psycopg

from tests.services import ADMIN_URL, postgres_url  # noqa: F401  (a fixture)


def test_each_test_gets_an_empty_database_of_its_own(postgres_url: str) -> None:  # noqa: F811
    with psycopg.connect(postgres_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        name = conn.execute("SELECT current_database()").fetchone()
    assert name is not None and str(name[0]).startswith("newsroom_test_")
    with psycopg.connect(ADMIN_URL) as admin:
        assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name[0],)).fetchone()
