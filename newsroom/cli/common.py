"""What every `newsroom` command shares: the Typer app, the consoles, the facade, and how results are shown."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar

from newsroom.documents.briefing import render_markdown
from newsroom.ingest import IngestReport
from newsroom.publication import Publisher
from newsroom.records import RecordError, parse_date
from newsroom.service import Newsroom, Progress
from newsroom.settings import get_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A newsroom of agents, approved by humans."
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
_PROGRESS_MIN = 20  # below this many records a bar is noise


def open_newsroom() -> Newsroom:
    """The facade from the settings, with the same publication targets as `serve`."""
    settings = get_settings()
    publishers: dict[str, Publisher] = {}
    slack, token = settings.slack, settings.slack_bot_token
    if slack.publish_channel and token:
        # A retry from the command line finishes the Slack post too.
        from newsroom.slack.client import web_client
        from newsroom.slack.publisher import slack_publisher

        publishers["slack"] = slack_publisher(web_client(settings), slack.publish_channel)
    return Newsroom(settings, publishers=publishers)


def date_option(value: str | None, name: str) -> datetime | None:
    """An ISO date given as `--name`, or a usage error (exit 2) that says what was wrong."""
    try:
        return parse_date(value)
    except RecordError:
        err.print(f"[red]--{name} {value!r} is not a date; use ISO 8601 like 2026-10-01[/red]")
        raise typer.Exit(2) from None


def print_report(report: IngestReport, console: Console = out) -> None:
    head, *rest = report.summary()
    console.print(f"[bold]{head}[/bold]")
    for line in rest:
        console.print(line, markup=False, highlight=False)


def run_ingest(room: Newsroom, targets: list[str], beat: str | None, as_json: bool) -> IngestReport:
    """Ingest the targets, with a progress bar on a terminal when there are enough records to watch."""
    parsed = room.read_targets(targets, beat)
    show_bar = len(parsed) >= _PROGRESS_MIN and err.is_terminal and not as_json
    if not show_bar:
        return room.ingest_parsed(parsed)
    with Bar(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=len(parsed))
        return room.ingest_parsed(parsed, on_progress=lambda n: bar.advance(task, n))


def show_progress(p: Progress) -> None:
    """One line per step of a run, on stderr so stdout stays the result."""
    err.print(f"  {p.step:<10} {p.seconds:6.1f} s  {p.summary}", markup=False, highlight=False)


def fail(exc: Exception) -> NoReturn:
    """Say why a command could not be carried out and exit 1."""
    err.print(f"[red]{exc}[/red]")
    raise typer.Exit(1)


def emit(ex: dict[str, Any], json_file: Path | None, md_file: Path | None) -> None:
    """Print a story (explainer or briefing) as Markdown with its status; optionally write its files."""
    if json_file:
        json_file.write_text(json.dumps(ex, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if md_file:
        md_file.write_text(render_markdown(ex), encoding="utf-8")
    out.print(render_markdown(ex), markup=False, highlight=False)
    out.print(
        f"Story {ex['story_id']}: {ex['status']}"
        + (
            f' — decide with `newsroom review {ex["story_id"]} --approve | --reject | --revise "note"`'
            if ex["status"] == "pending_approval"
            else ""
        ),
        markup=False,
        highlight=False,
    )
