"""The queue forgets what succeeded (a beat tick a minute is 1,440 rows a day) and keeps what failed."""

from __future__ import annotations

import asyncio

import psycopg

from newsroom.database.schema import upgrade
from newsroom.queue.app import defer, queue_app
from newsroom.queue.tasks import forget_done
from tests.services import postgres_url  # noqa: F401  (a fixture)


def test_succeeded_jobs_older_than_the_setting_are_deleted_and_failed_ones_kept(
    postgres_url: str,  # noqa: F811
) -> None:
    upgrade(postgres_url)
    app = queue_app(postgres_url)
    with app.open():
        for topic in ("old and done", "new and done", "old and failed"):
            assert defer(app, "slack.explain", {"topic": topic})
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        ids = {t: i for i, t in conn.execute("SELECT id, args->>'topic' FROM procrastinate_jobs").fetchall()}
        conn.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE args->>'topic' LIKE '%done'")
        conn.execute("UPDATE procrastinate_jobs SET status = 'failed' WHERE args->>'topic' LIKE '%failed'")
        conn.execute(
            "UPDATE procrastinate_events SET at = now() - interval '73 hours' WHERE job_id = ANY(%s)",
            ([ids["old and done"], ids["old and failed"]],),
        )

    async def cleanup() -> None:
        async with app.open_async():
            await forget_done(app, 72)

    asyncio.run(cleanup())
    with psycopg.connect(postgres_url) as conn:
        left = sorted(t for (t,) in conn.execute("SELECT args->>'topic' FROM procrastinate_jobs").fetchall())
    assert left == ["new and done", "old and failed"]
