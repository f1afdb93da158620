"""The `newsroom` command line: a thin door onto newsroom.service."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsroom.ingest import IngestReport
from newsroom.records import RecordError, parse_date
from newsroom.service import Newsroom, hit_json
from newsroom.settings import get_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A newsroom of agents, approved by humans."
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DEMO_CORPUS = Path(__file__).parent / "demo" / "deepseek.jsonl"
_PROGRESS_MIN = 20  # below this many records a bar is noise


def _newsroom() -> Newsroom:
    return Newsroom(get_settings())


def _date_opt(value: str | None, name: str) -> datetime | None:
    try:
        return parse_date(value)
    except RecordError:
        err.print(f"[red]--{name} {value!r} is not a date; use ISO 8601 like 2026-10-01[/red]")
        raise typer.Exit(2) from None


def print_report(report: IngestReport, console: Console = out) -> None:
    dup = len(report.exact) + len(report.near)
    console.print(
        f"[bold]{len(report.added)} added[/bold], {dup} duplicates "
        f"({len(report.exact)} exact, {len(report.near)} near), {len(report.rejected)} rejected"
    )
    for d in report.near:
        console.print(
            f"  near duplicate: {d.record_id} “{d.title}” copies {d.of_id} “{d.of_title}” ({d.reason})",
            markup=False,
            highlight=False,
        )
    again = [d for d in report.exact if d.reason == "already stored"]
    if again:
        console.print(
            f"  {len(again)} records were already stored (same id and text); nothing changed for them"
        )
    for d in report.exact:
        if d.reason != "already stored":
            console.print(
                f"  exact duplicate: {d.where} “{d.title}” is already stored as {d.of_id} ({d.reason})",
                markup=False,
                highlight=False,
            )
    for r in report.rejected:
        console.print(f"  rejected: {r.where}: {r.reason}", markup=False, highlight=False)


def run_ingest(room: Newsroom, targets: list[str], beat: str | None, as_json: bool) -> IngestReport:
    parsed = room.read_targets(targets, beat)
    show_bar = len(parsed) >= _PROGRESS_MIN and err.is_terminal and not as_json
    if not show_bar:
        return room.ingest_parsed(parsed)
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=len(parsed))
        return room.ingest_parsed(parsed, on_progress=lambda n: bar.advance(task, n))


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs or feeds.")],
    beat: Annotated[str | None, typer.Option(help="Beat for records that name none.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read source records into the store; report what was added, duplicated or rejected."""
    report = run_ingest(_newsroom(), targets, beat, as_json)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(report)
    if report.rejected:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=200, help="How many records.")] = 10,
    beat: Annotated[str | None, typer.Option(help="Only this beat.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (ISO date).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (ISO date).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank stored records by meaning; a syndicated copy is folded into its original."""
    hits = _newsroom().search(
        query, k=k, beat=beat, since=_date_opt(since, "since"), until=_date_opt(until, "until")
    )
    if as_json:
        print(json.dumps([hit_json(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        out.print("No records match. Ingest some with `newsroom ingest PATH_OR_URL`.")
        return
    for n, h in enumerate(hits, 1):
        r = h.record
        date = r.published_at.date().isoformat() if r.published_at else "undated"
        copies = f"  (+{len(h.duplicates)} copies)" if h.duplicates else ""
        out.print(
            f"{n:>2}. {h.score:.3f}  {r.title} — {r.outlet}, {date}  [{r.id}]{copies}",
            markup=False,
            highlight=False,
        )


@app.command()
def demo() -> None:
    """Ingest the bundled DeepSeek corpus and search it (no keys, no network)."""
    room = _newsroom()
    out.print(f"Ingesting the demo corpus into {room.settings.data_dir} ...")
    print_report(run_ingest(room, [str(DEMO_CORPUS)], None, False))
    query = "who is investing in DeepSeek"
    out.print(f"\nSearch: {query!r}")
    for n, h in enumerate(room.search(query, k=5), 1):
        out.print(f"{n}. {h.score:.3f}  {h.record.title} — {h.record.outlet}", markup=False, highlight=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
