"""A Chinese and an English report of one funding round: the value they share is one fact, the amount they
disagree on is a conflict; code reads both, the multilingual embedder says which sentences match."""

from __future__ import annotations

from typing import Any

from agents import factcheck
from newsroom.deps import Deps
from newsroom.embedders import MULTILINGUAL
from newsroom.embedding import embed
from newsroom.schemas import RecordFacts
from tests.fakes.scripted import ScriptedModel
from tests.fakes.store import FakeStore

EN = (
    "Hangzhou-based Qinglan Robotics said on Tuesday it had raised $7.4 billion in a funding round led by "
    "Tencent. The round values the company at $30 billion, according to a person familiar with the deal."
)
ZH_SAME_ROUND_OTHER_AMOUNT = (
    "总部位于杭州的青岚机器人周二表示，公司完成了一轮由腾讯领投的68亿美元融资。"
    "知情人士称，本轮融资后公司估值为300亿美元。"
)
ZH_SAME_AMOUNT = "总部位于杭州的青岚机器人周二表示，公司完成了一轮由腾讯领投的74亿美元融资。"


def _conflicts(texts: dict[int, str], across: bool = True) -> list[dict[str, Any]]:
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
    deps = Deps(
        model=ScriptedModel({"factcheck": lambda *_: RecordFacts()}),
        store=FakeStore(),
        embed=embed,
        embed_across=MULTILINGUAL.similar if across else None,
    )
    return list(
        factcheck.run({"story_id": "s", "topic": "the Qinglan funding round", "sources": sources}, deps)[
            "conflicts"
        ]
    )


def _sides(c: dict[str, Any]) -> dict[str, list[int]]:
    return {v["value"]: v["citations"] for v in c["values"]}


def test_a_different_amount_for_the_round_across_languages_is_one_conflict_and_the_shared_valuation_is_none() -> (
    None
):
    conflicts = _conflicts({1: EN, 2: ZH_SAME_ROUND_OTHER_AMOUNT})
    assert [_sides(c) for c in conflicts] == [{"$7.4 billion": [1], "68亿美元": [2]}]


def test_the_same_amount_in_chinese_and_english_is_no_conflict() -> None:
    assert _conflicts({1: EN, 2: ZH_SAME_AMOUNT}) == []


def test_without_a_multilingual_embedder_records_in_different_languages_are_not_compared() -> None:
    assert _conflicts({1: EN, 2: ZH_SAME_ROUND_OTHER_AMOUNT}, across=False) == []


def test_two_chinese_reports_of_different_amounts_are_compared_by_the_multilingual_embedder() -> None:
    one = "总部位于杭州的青岚机器人周二表示，公司完成了一轮由腾讯领投的74亿美元融资。"
    other = "青岚机器人本周完成了由腾讯领投的新一轮68亿美元融资，知情人士透露。"
    conflicts = _conflicts({1: one, 2: other})
    assert [_sides(c) for c in conflicts] == [{"74亿美元": [1], "68亿美元": [2]}]


def test_a_german_correction_settles_the_amount_it_corrects() -> None:
    report = "Das Fintech Qinglan hat in einer Finanzierungsrunde 36 Mio. Euro eingesammelt, teilte es mit."
    correction = (
        "Korrektur: In einer früheren Version dieses Artikels hieß es, Qinglan habe 36 Mio. Euro eingesammelt. "
        "Richtig ist: Das Unternehmen hat 42 Mio. Euro erhalten."
    )
    english = "Qinglan raised €42 million in a funding round, the company said on Tuesday."
    (c,) = _conflicts({1: report, 2: english, 3: correction})
    assert c["resolution"] and c.get("corrected_by") == 3
