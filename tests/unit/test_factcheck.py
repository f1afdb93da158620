"""Fact-check agent: the model labels facts in its own words; code decides which ones disagree."""

from __future__ import annotations

from typing import Any

from agents import factcheck
from newsroom.deps import Deps
from newsroom.embedding import embed
from newsroom.schemas import ExtractedFact, RecordFacts
from tests.fakes.scripted import ScriptedModel, Values
from tests.fakes.store import FakeStore

TEXTS = {
    1: "Tencent and Alibaba are the two strategic investors at the table, people familiar said.",
    2: "The reported round, with Tencent and CATL as backers, has split the open-source community.",
    3: "Alibaba was not part of the final group of investors. Tencent and CATL did not comment.",
    4: "Two of China's largest internet groups, Tencent and Alibaba, held talks in October.",
}
# What the embedded model answered on the demo corpus: the same list under different labels.
LABELS = {
    1: [("the strategic investors", "Tencent and Alibaba", 1)],
    2: [("backers", "Tencent and CATL", 1)],
    3: [("final group of investors", "Alibaba", 1), ("comment", "Tencent and CATL", 2)],
    4: [("internet groups", "Tencent and Alibaba", 1)],
}


def answer(prompt_id: str, values: Values, schema: Any) -> RecordFacts:
    n = values["n"]
    return RecordFacts(facts=[ExtractedFact(subject=s, value=v, sentence=i) for s, v, i in LABELS[n]])


def run() -> dict[str, Any]:
    sources = [
        {
            "n": n,
            "record_id": f"r{n}",
            "outlet": f"Outlet {n}",
            "published_at": None,
            "text": t,
            "relevance": 0.9,
        }
        for n, t in TEXTS.items()
    ]
    deps = Deps(model=ScriptedModel({"factcheck": answer}), store=FakeStore(), embed=embed)
    return factcheck.run({"story_id": "s", "topic": "the DeepSeek funding round", "sources": sources}, deps)


def test_synonymous_labels_meet_and_the_differing_party_lists_are_one_conflict_with_both_sides_cited() -> (
    None
):
    conflicts = run()["conflicts"]
    assert len(conflicts) == 1
    sides = {v["value"]: v["citations"] for v in conflicts[0]["values"]}
    assert sides == {"Tencent and Alibaba": [1], "Tencent and CATL": [2]}


def test_a_sentence_that_denies_a_name_is_not_a_side() -> None:
    cited = {c for conflict in run()["conflicts"] for v in conflict["values"] for c in v["citations"]}
    assert 3 not in cited


def _code_only(texts: dict[int, str], topic: str) -> list[dict[str, Any]]:
    sources = [
        {
            "n": n,
            "record_id": f"r{n}",
            "outlet": f"Outlet {n}",
            "published_at": None,
            "text": t,
            "relevance": 0.9,
        }
        for n, t in texts.items()
    ]
    deps = Deps(model=ScriptedModel({"factcheck": lambda *_: RecordFacts()}), store=FakeStore(), embed=embed)
    return list(factcheck.run({"story_id": "s", "topic": topic, "sources": sources}, deps)["conflicts"])


def test_two_records_naming_different_contractors_for_one_job_disagree() -> None:
    conflicts = _code_only(
        {
            1: "Brookfield Paving will serve as general contractor for the Route 9 bypass, the state said.",
            2: "Harrow Civil has been named general contractor for the Route 9 bypass, according to the filing.",
        },
        "the Route 9 bypass",
    )
    (c,) = [c for c in conflicts if c["subject"] == "who is the contractor"]
    assert {v["value"]: v["citations"] for v in c["values"]} == {
        "Brookfield Paving": [1],
        "Harrow Civil": [2],
    }


def test_partners_one_record_names_together_hold_the_role_together() -> None:
    conflicts = _code_only(
        {
            1: "Brookfield Paving will serve as general contractor for the Route 9 bypass, the state said.",
            2: "Harrow Civil has been named general contractor for the Route 9 bypass, according to the filing.",
            3: "Brookfield Paving and Harrow Civil will share the work as joint general contractors.",
        },
        "the Route 9 bypass",
    )
    assert not [c for c in conflicts if c["subject"] == "who is the contractor"]
