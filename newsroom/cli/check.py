"""`newsroom check` and the last net of every command: a storage fault is a sentence, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from newsroom.check import check
from newsroom.cli.common import app, out
from newsroom.settings import get_settings
from newsroom.storage import StorageError, storage_sentence


@app.command(name="check")
def check_cmd(
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only what is wrong.")] = False,
) -> None:
    """Verify the data dir: SQLite integrity, the record store, the published index, unfinished stories."""
    report = check(get_settings())
    if not quiet:
        for line in report.ok:
            out.print(f"ok: {line}", markup=False, highlight=False)
    for line in report.problems:
        out.print(f"problem: {line}", markup=False, highlight=False)
    if report.problems:
        raise typer.Exit(1)
    out.print("The data dir is in order.")


def storage_fault(exc: BaseException) -> str | None:
    """The sentence for a storage fault that escaped a command, or None for anything else."""
    if isinstance(exc, StorageError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):  # the checkpoints are the SQLite file commands touch most
        return storage_sentence(exc, get_settings().checkpoint_path)
    if isinstance(exc, OSError):
        path = getattr(exc, "filename", None)
        return storage_sentence(exc, Path(path) if path else get_settings().data_dir)
    return None
