"""Roles read from the parse: which part a named party plays, however the sentence words it, and the
descriptions that give no role. Every sentence here is in no packet."""

from __future__ import annotations

import pytest

from newsroom.claims.roles import role_label, role_readings


def _roles(sentence: str) -> set[tuple[str, str]]:
    return {(r.role, r.names[0]) for r in role_readings(1, sentence, frozenset())}


@pytest.mark.parametrize(
    ("sentence", "role", "name"),
    [
        ("Brookfield Paving will serve as prime contractor on the bypass.", "parse:noun:contractor", "Brookfield Paving"),
        ("The county named Alder & Finch its outside auditor last week.", "parse:noun:auditor", "Alder & Finch"),
        ("The audit was led by chief examiner Priya Raman.", "parse:noun:examiner", "Priya Raman"),
        ("The turbines will be supplied by Nordvik Energy.", "parse:of:turbine", "Nordvik Energy"),
        ("Lowell Dredging, which will deepen the channel, starts in May.", "parse:of:channel", "Lowell Dredging"),
        ("The town opened a review led by its fire marshal, Hana Ostrowski.", "parse:of:review", "Hana Ostrowski"),
        ("The city retained Corbel Partners to manage the rebuild.", "parse:of:rebuild", "Corbel Partners"),
        ("The council signed a paving contract with Dunmore Asphalt.", "parse:of:contract", "Dunmore Asphalt"),
        ("The rescue effort will be coordinated by Tova Lindahl.", "parse:of:effort", "Tova Lindahl"),
    ],
)  # fmt: skip
def test_a_role_is_read_however_it_is_worded(sentence: str, role: str, name: str) -> None:
    assert (role, name) in _roles(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Dana Whitcomb, a longtime resident, spoke against the plan.",  # one of many residents
        "Analysts at Corbel Research praised the deal.",  # speaks of it, plays no part
        "Marlow Foods confirmed the sale of its bakery unit.",
        "The company, Verity Labs, declined to comment.",  # says what kind of party, not which part
    ],
)
def test_descriptions_and_comments_give_no_role(sentence: str) -> None:
    assert not {r for r, _ in _roles(sentence) if r.startswith("parse:")} - {"parse:noun:comment"}


def test_role_labels_are_short_questions() -> None:
    assert role_label("noun:contractor") == "who is the contractor"
    assert role_label("of:turbine") == "whose turbine it is"
