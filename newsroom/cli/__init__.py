"""The `newsroom` command line: a thin door onto newsroom.service, one module per command group."""

from __future__ import annotations

import sys

# isort: off
# Importing a command module registers its commands on `app`; this order is `newsroom --help`'s.
from newsroom.cli import records, stories, demo, serve, worker, beats, check, evaluate, db, ledger  # noqa: F401

# isort: on
from newsroom.cli.check import storage_fault
from newsroom.cli.common import app, err


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click handles its own exits; anything else arrives here
        sentence = storage_fault(exc)
        if sentence is None:
            raise
        err.print(sentence, markup=False, highlight=False)
        sys.exit(1)


__all__ = ["app", "main"]
