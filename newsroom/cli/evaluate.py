"""`newsroom eval`: score the newsroom on labelled story packets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsroom.cli.common import app, err, fail, open_newsroom, out
from newsroom.eval_report import details, phrasing_figures, phrasing_lines, rows, to_json, to_markdown
from newsroom.eval_score import TopicScore
from newsroom.evaluation import check_phrasings, run_eval
from newsroom.models.port import ModelError
from newsroom.packets import PacketError, load_packets, load_phrasings


def _story_line(s: TopicScore) -> None:
    if s.error:
        err.print(f"  {s.packet}: failed: {s.error}", markup=False, highlight=False)
        return
    err.print(
        f"  {s.packet}: conflicts {s.found}/{s.planted} found, {s.reported - s.correct} not planted; "
        f"corrections {s.corrections_ok}/{s.corrections}; {s.seconds:.1f} s",
        markup=False,
        highlight=False,
    )


@app.command("eval")
def eval_(
    packets_dir: Annotated[Path, typer.Argument(help="A packet folder, or a folder of packet folders.")],
    json_file: Annotated[Path | None, typer.Option("--json", help="Write every figure as JSON here.")] = None,
    md_file: Annotated[
        Path | None, typer.Option("--md", help="Write the results table as Markdown here.")
    ] = None,
    no_model: Annotated[
        bool,
        typer.Option(
            "--no-model", help="Score only what needs no model (retrieval, dedupe, conflicts by code)."
        ),
    ] = False,
) -> None:
    """Run every packet's topics in a fresh store and score them; exits 1 when a must-be figure is missed."""
    try:
        packets = load_packets(packets_dir)
        phrasings = load_phrasings(packets_dir) if packets_dir.is_dir() else []
    except PacketError as exc:
        fail(exc)
    room = open_newsroom()
    model = None if no_model else room.model
    err.print(
        f"Evaluating {len(packets)} packets "
        f"({'model-free' if model is None else 'model: ' + model.model_name('writer')})",
        markup=False,
    )
    try:
        scores, note = run_eval(packets, room.settings, model, on_story=_story_line)
    except ModelError as exc:
        fail(exc)
    header, table = rows(scores)
    view = Table(*header, title=f"newsroom eval ({note['mode']})")
    for r in table:
        view.add_row(*r)
    # piped or in CI the console is 80 columns wide; the table is wider and is read whole
    (out if out.is_terminal else Console(width=200)).print(view)
    result = to_json(scores, note)
    phrasing = phrasing_figures(check_phrasings(phrasings))
    result["injection_phrasings"] = phrasing
    markdown = to_markdown(scores, note)
    if phrasing:
        markdown += "\n" + "\n".join(phrasing_lines(phrasing)) + "\n"
    for f in phrasing.values():
        if f["flagged"] < f["addressed_to_ai"]:
            result["missed"].append(
                f"{f['addressed_to_ai'] - f['flagged']} sentences addressed to an AI were not flagged"
            )
    for path, text in (
        (json_file, json.dumps(result, indent=2, ensure_ascii=False) + "\n"),
        (md_file, markdown),
    ):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for line in details(scores) + phrasing_lines(phrasing):
        out.print(line, markup=False, highlight=False)
    if result["missed"]:
        err.print("[red]Missed: " + "; ".join(result["missed"]) + "[/red]")
        raise typer.Exit(1)
    out.print("All must-be figures met.")
