"""Ingest under bad input: one bad record costs only itself, the summary is true, exit codes say how it went."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsroom.cli import app
from newsroom.parsers import iter_target
from newsroom.settings import IngestSettings

runner = CliRunner()
CFG = IngestSettings()


def _no_fetch(url: str) -> object:
    raise AssertionError("no network in this test")


def _line(i: int) -> str:
    return json.dumps(
        {"id": f"g{i}", "text": f"Good record number {i} about the harbour works and the levy."}
    )


def test_a_bad_date_and_deep_nesting_among_good_lines_reject_only_themselves(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    lines = [_line(i) for i in range(1, 13)]
    lines.insert(6, json.dumps({"id": "bad", "text": "x y z", "published_at": "0001-01-01T00:00:00+14:00"}))
    lines.append('{"id": "deep", "text": "t", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}")
    src.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["ingest", str(src)])
    assert result.exit_code == 1, result.output
    assert "12 added" in result.output and "2 rejected" in result.output
    assert f"{src}:7: published_at" in result.output and "out of range" in result.output
    assert f"{src}:14:" in result.output and "nested too deeply" in result.output
    again = json.loads(runner.invoke(app, ["ingest", str(src), "--json"]).output)
    assert len(again["exact_duplicates"]) == 12  # every good line was stored the first time


def test_an_empty_file_is_nothing_usable_and_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    result = runner.invoke(app, ["ingest", str(empty)])
    assert result.exit_code == 2
    assert "0 added" in result.output and "holds no records" in result.output


def test_binary_named_md_is_refused_with_a_sentence(tmp_path: Path) -> None:
    blob = tmp_path / "photo.md"
    blob.write_bytes(bytes(range(256)) * 40)
    (got,) = list(iter_target(str(blob), CFG, _no_fetch))  # type: ignore[arg-type]
    assert got.record is None and got.error and "binary" in got.error


def test_latin1_text_is_read_as_latin1_not_mojibake(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_bytes("# Café municipal\n\nLe conseil a voté à Genève ; la société paiera.".encode("latin-1"))
    (got,) = list(iter_target(str(doc), CFG, _no_fetch))  # type: ignore[arg-type]
    assert got.record is not None, got.error
    assert got.record.title == "Café municipal" and "voté à Genève" in got.record.text


def test_text_of_only_zero_width_characters_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "zw.jsonl"
    src.write_text(json.dumps({"id": "zw", "text": "\u200b\u200c\u200d\ufeff \u2060"}) + "\n")
    (got,) = list(iter_target(str(src), CFG, _no_fetch))  # type: ignore[arg-type]
    assert got.record is None and got.error and "no visible characters" in got.error


def test_a_truncated_feed_says_it_is_cut_off(tmp_path: Path) -> None:
    feed = tmp_path / "cut.rss"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>One</title>'
        b"<description>The council voted 7-2 on the levy today in a long meeting.</description></item>"
        b"<item><title>Two</title><descrip"
    )
    got = list(iter_target(str(feed), CFG.model_copy(update={"feed_fetch_articles": False}), _no_fetch))  # type: ignore[arg-type]
    assert got[0].record is not None
    assert got[1].record is None and got[1].error and "cut off or malformed" in got[1].error
