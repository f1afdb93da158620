"""`newsroom db`: the PostgreSQL schema (`upgrade`) and moving an embedded newsroom into it (`copy`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsroom.cli.common import app, err, fail, out
from newsroom.settings import get_settings
from newsroom.storage import StorageError

db = typer.Typer(
    no_args_is_help=True,
    help="The PostgreSQL database NEWSROOM_DATABASE_URL names: create or upgrade its tables, copy a data dir in.",
)
app.add_typer(db, name="db")


def _database() -> str:
    url = get_settings().database
    if not url:
        err.print(
            "NEWSROOM_DATABASE_URL is not set: newsroom keeps everything in SQLite under the data dir, which "
            "needs no upgrade. Set it to postgresql://USER:PASSWORD@HOST:5432/DATABASE to use PostgreSQL.",
            markup=False,
        )
        raise typer.Exit(1)
    return url


@db.command()
def upgrade() -> None:
    """Create or upgrade every table newsroom keeps in the database (safe to run again, and at once from
    several processes); `serve` and `worker` run it at start."""
    from newsroom.database.schema import upgrade as upgrade_schema

    try:
        lines = upgrade_schema(_database())
    except StorageError as exc:
        fail(exc)
    for line in lines:
        out.print(line, markup=False, highlight=False)


@db.command()
def copy(
    source: Annotated[str, typer.Option("--from", help="Where the data is now: `sqlite` (a data dir).")],
    data_dir: Annotated[
        Path | None, typer.Option(help="The data dir to copy from (default: NEWSROOM_DATA_DIR).")
    ] = None,
) -> None:
    """Copy an embedded newsroom (its drafts waiting for approval, every story's checkpoints, the registry
    and the published index) into the database; the data dir is only read, and a second run copies nothing
    twice. Stop `newsroom serve` on that data dir first."""
    from newsroom.database.copy import copy_from_sqlite

    if source != "sqlite":
        err.print(
            f"--from {source!r} is not a source newsroom can copy from; use --from sqlite", markup=False
        )
        raise typer.Exit(2)
    url = _database()
    try:
        lines = copy_from_sqlite(data_dir or get_settings().data_dir, url)
    except StorageError as exc:
        fail(exc)
    for line in lines:
        out.print(line, markup=False, highlight=False)
