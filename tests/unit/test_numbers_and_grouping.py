"""Numbers written in words, ranges, and groups of facts that never hold two values from one record.
Every sentence here is written for this test and is in no packet."""

from __future__ import annotations

from newsroom.claims.conflicts import find_conflicts
from newsroom.claims.mentions import extract_mentions, same_value
from newsroom.claims.numwords import value_of
from newsroom.claims.types import Fact


def test_numbers_in_words_meet_their_digit_twins() -> None:
    words = extract_mentions("The ferry carried nineteen hundred riders and cost sixty-two million dollars.")
    digits = extract_mentions("The ferry carried 1,900 riders and cost $62 million.")
    assert [m.kind for m in words] == ["number", "money"]
    assert all(same_value(a, b) for a, b in zip(words, digits, strict=True))
    assert value_of("three-point-five billion") == 3.5e9
    assert [(m.kind, m.low) for m in extract_mentions("Fares rose nine percent.")] == [("percent", 9.0)]
    assert [(m.kind, m.low) for m in extract_mentions("a fare of four dollars and twenty cents")] == [
        ("money", 4.2)
    ]


def test_one_on_its_own_is_not_a_number() -> None:
    assert extract_mentions("One of the councillors left early; no one objected.") == []


def test_a_range_is_one_reading_that_holds_the_values_inside_it() -> None:
    [reading] = extract_mentions("The yard will employ between 300 and 340 welders.")
    assert (reading.low, reading.high) == (300.0, 340.0)
    [inside] = extract_mentions("about 320 welders")
    assert same_value(inside, reading)


def test_a_chain_of_look_alike_pairs_never_puts_two_values_of_one_record_in_one_conflict() -> None:
    # record 2 states both the fleet total (40) and the first order (12): two facts, whatever pairs say
    facts = [
        Fact(1, "boats in the fleet", "40", "The fleet will have 40 boats."),
        Fact(2, "boats in the fleet", "40", "The fleet of 40 boats starts with 12."),
        Fact(2, "boats in the first order", "12", "The fleet of 40 boats starts with 12."),
        Fact(3, "boats in the fleet", "44", "Officials put the fleet at 44 boats."),
    ]
    strong = {(0, 1): 0.9, (1, 3): 0.8, (0, 3): 0.7, (2, 3): 0.6, (0, 2): 0.5, (1, 2): 0.4}

    def strength(i: int, j: int) -> float:
        return strong.get((min(i, j), max(i, j)), 0.0)

    conflicts = find_conflicts(facts, lambda i, j: True, {}, strength=strength)
    assert len(conflicts) == 1
    sides = {v["value"]: v["citations"] for v in conflicts[0]["values"]}
    assert sides == {"40": [1, 2], "44": [3]}


def test_a_time_of_day_is_no_figure() -> None:
    from newsroom.claims.mentions import extract_mentions

    text = "The pumps failed at 6:15 a.m., power returned by 9 p.m. and 1,200 homes were affected at 14:30."
    assert [(m.kind, m.text) for m in extract_mentions(text)] == [("number", "1,200")]
