"""`newsroom demo`: the bundled corpus ingested and explained on the embedded defaults."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from newsroom.cli.common import app, emit, fail, open_newsroom, out, print_report, run_ingest, show_progress
from newsroom.models.port import ModelError
from newsroom.service import StoryError

DEMO_CORPUS = Path(__file__).parent.parent / "demo" / "deepseek.jsonl"


@app.command()
def demo(
    approve: Annotated[
        bool, typer.Option(help="Approve the draft at the end (publishes it locally).")
    ] = False,
) -> None:
    """Ingest the bundled DeepSeek corpus and explain the funding round on the embedded defaults."""
    room = open_newsroom()
    out.print(f"Ingesting the demo corpus into {room.settings.data_dir} ...")
    print_report(run_ingest(room, [str(DEMO_CORPUS)], None, False))
    topic = "the DeepSeek funding round"
    out.print(f"\nExplaining {topic!r} (the embedded model is slow: 10-15 minutes on 2 cores)")
    started = time.perf_counter()
    try:
        ex = room.explain(topic, requested_by="demo", on_progress=show_progress)
    except (StoryError, ModelError) as exc:
        fail(exc)
    out.print(f"  total      {time.perf_counter() - started:6.1f} s\n")
    emit(ex, room.settings.data_dir / "demo-explainer.json", room.settings.data_dir / "demo-explainer.md")
    if approve and ex["status"] == "pending_approval":
        done = room.review(ex["story_id"], "approve", who="demo")
        out.print("Published: " + ", ".join(done["published"].values()), markup=False)
