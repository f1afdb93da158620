"""`newsroom brief` and `newsroom beats`: beat briefings from the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from newsroom.cli.common import app, date_option, emit, err, fail, open_newsroom, out, show_progress
from newsroom.models.port import ModelError
from newsroom.service import StoryError


@app.command()
def brief(
    beat: Annotated[str, typer.Argument(help="The beat's name in the beats file.")],
    since: Annotated[
        str | None,
        typer.Option(help="Brief records dated from this ISO time (default: the beat's lookback)."),
    ] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the briefing JSON here.")] = None,
    md_file: Annotated[Path | None, typer.Option("--md", help="Write the Markdown here.")] = None,
) -> None:
    """Poll a beat's sources and draft a briefing on what is new; it then waits for an editor's decision."""
    room = open_newsroom()
    cutoff = date_option(since, "since")
    try:
        plan = room.prepare_briefing(beat, cutoff)
        err.print(
            f"Polled {len(plan.beat.sources)} source{'s' * (len(plan.beat.sources) != 1)}: "
            f"{plan.added} new records stored, "
            f"{len(plan.record_ids)} to brief since {plan.since_text}",
            markup=False,
        )
        for failed in plan.failed_sources:
            err.print(f"  could not read {failed['source']}: {failed['error']}", markup=False)
        result = room.run_briefing(plan, requested_by="cli", on_progress=show_progress)
    except (StoryError, ModelError) as exc:
        fail(exc)
    if result["status"] == "nothing_new":
        if json_file:
            json_file.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        out.print(result["message"], markup=False, highlight=False)
        return
    emit(result, json_file, md_file)


@app.command()
def beats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the beats as JSON.")] = False,
) -> None:
    """List the beats in the beats file, their sources and next run times; invalid entries are named."""
    room = open_newsroom()
    loaded = room.beats()
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {
            "beat": b.name,
            "channel": b.channel,
            "schedule": b.schedule,
            "timezone": b.timezone,
            "lookback_hours": b.lookback.total_seconds() / 3600,
            "query": b.query,
            "sources": list(b.sources),
            "policy": room.source_policy(b).summary(),
            "next_run": (nxt.isoformat() if (nxt := b.next_run(now)) else None),
        }
        for b in loaded.beats.values()
    ]
    if as_json:
        out.print_json(json.dumps({"beats": rows, "errors": loaded.errors, "file": str(loaded.path)}))
    else:
        out.print(f"Beats file: {loaded.path}", markup=False)
        for r in rows:
            out.print(
                f"\n{r['beat']} → {r['channel']}: '{r['schedule']}' ({r['timezone']}), next run {r['next_run']}",
                markup=False,
            )
            for s in r["sources"]:
                out.print(f"  - {s}", markup=False, highlight=False)
            out.print(f"  sources chosen under {r['policy']}", markup=False, highlight=False)
    for e in loaded.errors:
        err.print(f"[yellow]{e}[/yellow]")
    if not rows:
        raise typer.Exit(1)
