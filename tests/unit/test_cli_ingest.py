"""The CLI as a user drives it: exit codes, messages, JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsroom.cli import app

runner = CliRunner()


def test_ingest_reports_bad_lines_and_stores_good_ones(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "g1", "text": "Council approves the transit budget after a long debate."})
        + "\n{oops\n"
        + json.dumps({"id": "g2", "text": "Flu vaccinations rise across the county this season."})
        + "\n"
    )
    first = runner.invoke(app, ["ingest", str(src)])
    assert first.exit_code == 1  # something was rejected
    assert "2 added" in first.output
    assert f"rejected: {src}:2: not valid JSON" in first.output
    again = runner.invoke(app, ["ingest", str(src), "--json"])
    report = json.loads(again.output)
    assert report["added"] == [] and len(report["exact_duplicates"]) == 2

    found = runner.invoke(app, ["search", "vaccination", "--json", "--k", "1"])
    assert found.exit_code == 0
    (hit,) = json.loads(found.output)
    assert hit["id"] == "g2"
    assert {"id", "title", "outlet", "url", "published_at", "score"} <= set(hit)


def test_search_on_empty_store_says_what_to_do() -> None:
    result = runner.invoke(app, ["search", "anything"])
    assert result.exit_code == 0 and "newsroom ingest" in result.output


def test_bad_date_option_is_a_clear_error() -> None:
    result = runner.invoke(app, ["search", "x", "--since", "soon"])
    assert result.exit_code == 2 and "not a date" in result.output
