"""What code reads for the conflict pass: parties by role, values paired with their counterparts."""

from __future__ import annotations

from newsroom.claims.corrections import correction_conflicts
from newsroom.claims.pairing import pair_values
from newsroom.claims.parties import party_readings
from newsroom.claims.readings import value_readings
from newsroom.embedding import embed

NONE: frozenset[str] = frozenset()


def roles(text: str, exclude: frozenset[str] = NONE) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.role, r.names) for r in party_readings(1, text, exclude)]


def test_the_party_a_role_is_given_to_in_active_passive_and_appositive_wording() -> None:
    assert roles("Meridian Homes bought the building for $3.1 million.") == [("buyer", ("Meridian Homes",))]
    assert roles("The building has been sold to Brightwater Development.") == [
        ("buyer", ("Brightwater Development",))
    ]
    assert roles("The bill's sponsor, Sen. Amara Okafor, said it would pass.") == [
        ("sponsor", ("Amara Okafor",))
    ]
    assert roles("Tencent and Alibaba are in talks to invest in DeepSeek.", frozenset({"deepseek"})) == [
        ("investor", ("Tencent", "Alibaba"))
    ]
    assert roles("The decisive goal came from Jonah Okoye in the second half.") == [
        ("scorer", ("Jonah Okoye",))
    ]


def test_a_seller_a_current_owner_and_a_name_in_passing_are_given_no_role() -> None:
    assert roles("Management sold us out in my view.") == []
    assert roles("The store will close on August 30, owner Kari Halvorsen said.") == []
    assert roles("Riverton held off a late Port Ellis surge to win the final.") == []


def test_a_per_share_price_is_not_paired_with_a_valuation_nor_a_count_with_a_different_thing() -> None:
    readings = value_readings(
        1, "Kestrel will pay $34 a share. The team of 45 researchers met."
    ) + value_readings(
        2, "The deal values the company at $3.4 billion. The planet lies 137 light-years away."
    )
    assert set(pair_values(readings, embed)) == set()


def test_counts_of_the_same_thing_pair_across_wording() -> None:
    readings = value_readings(1, "The store's 14 employees were told on Monday.") + value_readings(
        2, "The closure will cost 19 workers their jobs."
    )
    assert set(pair_values(readings, embed)) == {(0, 1), (1, 0)}


def test_a_correction_without_not_still_supersedes_the_earlier_value() -> None:
    sources = {
        1: {"text": "Riverton won the final 3-2 on Saturday.", "published_at": "2026-07-19", "outlet": "A"},
        2: {
            "text": "An earlier version of our report gave the score as 3-2. Riverton won 3-1.",
            "published_at": "2026-07-21",
            "outlet": "A",
            "title": "Correction: final score",
        },
    }
    [c] = correction_conflicts(sources, [])
    assert c["resolved_value"] == "3-1" and c["corrected_by"] == 2
    assert c["values"] == [{"value": "3-2", "citations": [1]}, {"value": "3-1", "citations": [2]}]


def test_without_a_model_the_demo_corpus_yields_the_co_investor_disagreement_and_no_false_ones() -> None:
    import json
    from pathlib import Path

    from agents import factcheck
    from newsroom.deps import Deps
    from newsroom.evaluation import NoModel
    from tests.fakes.store import FakeStore

    corpus = Path(__file__).resolve().parents[2] / "newsroom" / "demo" / "deepseek.jsonl"
    records = {r["id"]: r for r in map(json.loads, corpus.read_text().splitlines())}
    ids = ["ds-01", "ds-05", "ds-06", "ds-07", "ds-13"]  # the raise, the valuation, "Western investors"
    sources = [
        {**records[rid], "n": n, "record_id": rid, "relevance": 0.9, "outlet": records[rid]["outlet"]}
        for n, rid in enumerate(ids, 1)
    ]
    deps = Deps(model=NoModel(), store=FakeStore(), embed=embed)
    out = factcheck.run({"story_id": "s", "topic": "the DeepSeek funding round", "sources": sources}, deps)  # type: ignore[typeddict-item]
    [conflict] = out["conflicts"]
    assert conflict["subject"] == "who is investing"
    sides = {v["value"]: v["citations"] for v in conflict["values"]}
    assert sides == {"Tencent Holdings and Alibaba Group": [1], "Tencent and CATL": [3]}


def test_a_correction_notice_figure_is_paired_with_the_figure_it_corrects_even_when_another_reads_closer() -> (
    None
):
    from newsroom.claims.readings import value_readings

    readings = (
        value_readings(1, "The county approved a subsidy of up to $8.3 million for the new flights.")
        + value_readings(2, "The subsidy for the new flights is worth up to $8.3 million, officials said.")
        + value_readings(3, "An earlier version of this story misstated the cap. The county subsidy is capped at $3.8 million.")
    )  # fmt: skip
    notice = next(i for i, r in enumerate(readings) if r.n == 3)
    plain = pair_values(readings, embed)
    wider = pair_values(readings, embed, corrects={3: frozenset({1, 2})})
    assert {j for i, j in wider if i == notice} >= {0, 1}
    assert set(plain) <= set(wider)
