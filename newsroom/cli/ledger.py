"""`newsroom costs` and `newsroom audit`: what stories cost by beat and requester, and the trail of
decisions, edits and publications a standards editor asks for."""

from __future__ import annotations

import json
import sys
from datetime import UTC
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from newsroom import audit_trail, costs
from newsroom.cli.common import app, date_option, err, open_newsroom, out

_SINCE_HELP = "From this ISO date or time (UTC unless it says otherwise), e.g. 2026-11-01."


@app.command("costs")
def costs_command(
    since: Annotated[str, typer.Option(help=_SINCE_HELP + " Stories started at or after it count.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Model tokens and cost of the stories started since a date, totalled by beat and by requester."""
    cutoff = date_option(since, "since")
    assert cutoff is not None  # a required option is never empty
    rows = open_newsroom().registry.usage(since=cutoff.astimezone(UTC).isoformat())
    found: dict[str, Any] = {
        "since": cutoff.astimezone(UTC).isoformat(),
        "total": {"stories": len({r["story_id"] for r in rows}), **costs.priced(costs.add_up(rows))},
        "by_beat": costs.totals_by(rows, "beat", missing="(no beat)"),
        "by_requester": costs.totals_by(rows, "requested_by", missing="(unknown)"),
    }
    if as_json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not rows:
        out.print(f"No model use recorded for stories started since {found['since'][:16]}.", markup=False)
        return
    for title, key in (("beat", "beat"), ("requester", "requested_by")):
        out.print(_table(f"Cost by {title} since {found['since'][:10]}", title, key, found[f"by_{title}"]))
    total = found["total"]
    out.print(
        f"Total: {total['stories']} stories, {total['calls']} model calls, {costs.tokens(total)}, "
        f"{costs.money(total)}.",
        markup=False,
        highlight=False,
    )


def _table(title: str, label: str, key: str, rows: list[dict[str, Any]]) -> Table:
    view = Table(label, "stories", "calls", "prompt tokens", "completion tokens", "cost", title=title)
    for r in rows:
        view.add_row(
            Text(str(r[key])),  # names come from Slack users and beats files: shown, never read as markup
            str(r["stories"]),
            str(r["calls"]),
            f"{r['prompt_tokens']:,}",
            f"{r['completion_tokens']:,}",
            Text(costs.money(r)),
        )
    return view


@app.command("audit")
def audit_command(
    since: Annotated[str, typer.Option(help=_SINCE_HELP)],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON Lines: one JSON object per event, oldest first.")
    ] = False,
    as_csv: Annotated[
        bool,
        typer.Option(
            "--csv", help="Print CSV with a header row; a cell that starts like a formula gets a leading '."
        ),
    ] = False,
) -> None:
    """Every decision, edit and publication since a date: who, when, which story and version, and which
    sources that version cited."""
    if as_json and as_csv:
        err.print("Choose one of --json or --csv.")
        raise typer.Exit(2)
    cutoff = date_option(since, "since")
    assert cutoff is not None  # a required option is never empty
    room = open_newsroom()
    events = audit_trail.trail(room.registry, room.graph, cutoff)
    if as_json:
        sys.stdout.write(audit_trail.to_json_lines(events))
        return
    if as_csv:
        sys.stdout.write(audit_trail.to_csv(events))
        return
    if not events:
        out.print(f"No decisions, edits or publications since {cutoff.astimezone(UTC).isoformat()[:16]}.")
        return
    view = Table("when (UTC)", "event", "story", "v", "who", "what", "sources cited", title="Audit trail")
    for e in events:
        what = e["action"] + (f": {e['note']}" if e.get("note") else "")
        view.add_row(
            e["at"][:16].replace("T", " "),
            e["event"],
            Text(f"{e['story_id']} — {e['topic']}"),
            str(e["version"]),
            Text(str(e.get("who") or "")),
            Text(what),
            Text(audit_trail.sources_text(e.get("sources") or [])),
        )
    out.print(view)
