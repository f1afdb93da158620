"""`newsroom ingest` and `newsroom search`: records into the store, and found again by meaning."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newsroom.cli.common import app, date_option, open_newsroom, out, print_report, run_ingest
from newsroom.service import hit_json


@app.command()
def ingest(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, http(s) URLs or feeds, and social sources: reddit:r/NAME, reddit:search:WORDS, "
            "hn:item:NUMBER, bsky:search:WORDS, bsky:author:HANDLE, mastodon:tag:INSTANCE/TAG or a post's link."
        ),
    ],
    beat: Annotated[str | None, typer.Option(help="Beat for records that name none.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read source records into the store; report what was added, duplicated or rejected."""
    report = run_ingest(open_newsroom(), targets, beat, as_json)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


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
    hits = open_newsroom().search(
        query, k=k, beat=beat, since=date_option(since, "since"), until=date_option(until, "until")
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
