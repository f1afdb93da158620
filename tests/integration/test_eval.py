"""`newsroom eval` on tests/packets: every packet runs and is scored, the halves apart, without a model."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from newsroom.cli import app
from newsroom.evaluation import run_packet
from newsroom.packets import load_packet
from newsroom.schemas import Framing, RecordFacts, ResearchPlan
from newsroom.settings import Settings
from tests.fakes.scripted import ScriptedModel, Values

PACKETS = Path(__file__).resolve().parents[1] / "packets"
DEV = PACKETS / "dev"
runner = CliRunner()
# The packets the current conflict pass was written beside: it must not lose what it finds there. The
# packets written since (dev and test halves) are measured in docs/eval-no-model.md, not gated here: the
# figures on them are what the claims rewrite (issue 14) has to raise.
FIRST_EIGHT = (
    "city-council-transit-levy",
    "courts-creek-verdict",
    "health-alzheimers-trial",
    "local-business-hardware-closing",
    "markets-northgate-takeover",
    "science-exoplanet-water",
    "sports-league-final",
    "tech-policy-ai-procurement",
)


def test_model_free_eval_runs_every_packet_and_reports_each_half(tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = runner.invoke(
        app, ["eval", str(PACKETS), "--no-model", "--json", str(out), "--md", str(tmp_path / "e.md")]
    )
    report = json.loads(out.read_text())
    assert report["overall"]["errors"] == 0, result.output
    assert report["overall"]["stories"] >= 8
    assert set(report["halves"]) >= {"dev"}
    assert (result.exit_code == 1) == bool(report["missed"])
    markdown = (tmp_path / "e.md").read_text()
    assert "| all |" in markdown and "Must-be figures, dev half" in markdown
    for name in FIRST_EIGHT:
        figures = report["packets"][name]
        assert figures["conflict_recall"] == 1.0, name
        assert figures["conflict_precision"] == 1.0, name
        assert figures["corrections_ok"] in (None, 1.0), name
        assert figures["duplicates_as_one"] == 1.0, name
        assert figures["injections_followed"] == 0 and figures["irrelevant_retrieved"] == 0, name
        assert figures["injections_flagged"] in (None, 1.0), name
    # What the claims pass reaches on each half today (docs/eval-no-model.md): a change that loses ground
    # on either half fails here; raising the floors is part of raising the figures. Each half gained three
    # cross-language packets (#19): dev 72.2/67.0 → 68.0/64.8 with them, test 56.7/50.0 → 55.6/51.9.
    for half, recall, precision in (("dev", 0.66, 0.62), ("test", 0.53, 0.48)):
        figures = report["halves"][half]
        assert figures["conflict_recall"] >= recall, (half, figures["conflict_recall"])
        assert figures["conflict_precision"] >= precision, (half, figures["conflict_precision"])
        assert figures["long_labels"] == 0, half


def test_a_planted_conflict_the_records_do_not_hold_is_reported_missed_and_fails_the_run(
    tmp_path: Path,
) -> None:
    packet = tmp_path / "p"
    shutil.copytree(DEV / "sports-league-final", packet)
    expected = json.loads((packet / "expected.json").read_text())
    expected["topics"][0]["conflicts"].append(
        {
            "subject": "the kick-off time",
            "kind": "number",
            "sides": [{"value": "7", "records": ["sp-01"]}, {"value": "8", "records": ["sp-02"]}],
        }
    )
    (packet / "expected.json").write_text(json.dumps(expected))
    result = runner.invoke(app, ["eval", str(packet), "--no-model"])
    assert result.exit_code == 1
    assert "missed conflict: the kick-off time (7 vs 8)" in result.output


def test_a_broken_packet_is_named_with_what_is_wrong(tmp_path: Path) -> None:
    packet = tmp_path / "broken"
    shutil.copytree(DEV / "courts-creek-verdict", packet)
    expected = json.loads((packet / "expected.json").read_text())
    expected["topics"][0]["relevant"].append("ct-99")
    (packet / "expected.json").write_text(json.dumps(expected))
    result = runner.invoke(app, ["eval", str(packet), "--no-model"])
    assert result.exit_code == 1
    assert "packet 'broken'" in result.output and "ct-99" in result.output
    assert "Traceback" not in result.output


def _first_sentences(prompt_id: str, values: Values, schema: object) -> dict[str, object]:
    """A careful scripted writer: one FAQ answer per dated source, its first sentence, cited to it."""
    faq, events = [], []
    for source in values["sources_given"]:
        body = source["text"].split("\n", 1)[0]
        if source["date"] == "undated" or not body:
            continue
        first = re.split(r"(?<=[.!?])\s+", body.strip())[0]
        faq.append({"question": "What does this outlet report?", "answer": first, "citations": [source["n"]]})
        events.append({"date": source["date"], "event": first, "citations": [source["n"]]})
    section = {"heading": "What is reported", "body": faq[0]["answer"], "citations": faq[0]["citations"]}
    return {
        "headline": "What the sources say",
        "dek": "Each answer is one source's own first sentence.",
        "story_so_far": events[:3],
        "sections": [section],
        "faq": faq[:6],
    }


def test_full_mode_runs_the_graph_to_the_editor_and_scores_the_draft(settings: Settings) -> None:
    model = ScriptedModel(
        {
            "research": lambda *_: ResearchPlan(sub_questions=[]),
            "factcheck": lambda *_: RecordFacts(facts=[]),
            "framing": lambda *_: Framing(),
            "writer": _first_sentences,
        }
    )
    [score] = run_packet(load_packet(DEV / "courts-creek-verdict"), settings, model)
    assert score.error is None and score.status == "pending_approval"
    assert score.found == score.planted == 3
    assert score.citations > 0 and score.citations_valid == score.citations
    assert score.unsupported == [] and score.irrelevant_cited == []
    assert score.injected == score.injected_flagged == 1 and score.injections_followed == []
    assert score.model_calls >= 3 and score.tokens > 0
    # the record's order to AI systems reached no model: it was removed before any prompt was written
    assert not any("ignore previous instructions" in c["user"] for c in model.calls)
    assert any("removed here" in c["user"] for c in model.calls if c["role"] == "writer")
