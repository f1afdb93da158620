"""Whether a unit already shows a disagreement: by the records it cites or by the values it states.

A writer who states both figures but cites a copy of one side (or another record carrying the same figure)
has shown the disagreement; code must not append a second telling of it. Sentences here are in no packet.
"""

from __future__ import annotations

from typing import Any

from newsroom.claims.audit import audit_draft, shows_both_sides
from newsroom.claims.compose import complete_draft
from newsroom.claims.types import Source

TOLL = {
    "subject": "the bridge toll",
    "values": [
        {"value": "$4.50", "citations": [1]},
        {"value": "$6", "citations": [2]},
    ],
}
BUYER = {
    "subject": "who is buying the bakery",
    "kind": "parties",
    "values": [
        {"value": "Harlow Foods", "citations": [1]},
        {"value": "Brenton Mills", "citations": [2]},
    ],
}
OUTLETS = [
    {"n": 1, "outlet": "Valley Courier"},
    {"n": 2, "outlet": "Ridge Ledger"},
    {"n": 3, "outlet": "Ridge Ledger (wire copy)"},
]


def _faq(answer: str, citations: list[int]) -> dict[str, Any]:
    return {
        "headline": "h",
        "dek": "d",
        "faq": [{"question": "What will it cost?", "answer": answer, "citations": citations}],
    }


def test_stating_both_values_while_citing_a_copy_of_one_side_shows_the_disagreement() -> None:
    text = "The Courier puts the toll at $4.50 [1]; a wire copy of the Ledger's story says $6 [3]."
    assert shows_both_sides(TOLL, [1, 3], text)
    draft = _faq(text, [1, 3])
    completed, notes = complete_draft(draft, [TOLL], OUTLETS)
    assert notes == []
    assert completed["faq"] == draft["faq"]


def test_one_side_stated_and_an_unrelated_record_cited_is_still_completed_by_code() -> None:
    text = "The Courier puts the toll at $4.50 [1], and tolls elsewhere rose last year [3]."
    assert not shows_both_sides(TOLL, [1, 3], text)
    completed, notes = complete_draft(_faq(text, [1, 3]), [TOLL], OUTLETS)
    assert len(notes) == 1
    assert "$6" in " ".join(qa["answer"] for qa in completed["faq"])


def test_a_near_figure_is_not_the_other_side() -> None:
    text = "The toll will be $4.50 [1], up from $5 two years ago by another count [3]."
    assert not shows_both_sides(TOLL, [1, 3], text)


def test_both_values_with_no_citation_at_all_show_nothing() -> None:
    assert not shows_both_sides(TOLL, [], "Reports give $4.50 and $6.")


def test_named_parties_count_when_written_as_names() -> None:
    text = "Harlow Foods is the buyer, says the Courier [1]; the wire copy names Brenton Mills [3]."
    assert shows_both_sides(BUYER, [1, 3], text)
    assert not shows_both_sides(BUYER, [1, 3], "Harlow Foods is the buyer [1]; the mills [3] closed.")


def test_the_audit_accepts_a_disagreement_shown_through_a_copy() -> None:
    sources = [
        Source(1, "The toll will be $4.50 from March.", None),
        Source(2, "The toll will be $6 from March.", None),
        Source(3, "The toll will be $6 from March, the Ledger reports.", None),
    ]
    shown = _faq("The Courier says $4.50 [1]; the Ledger's wire copy says $6 [3].", [1, 3])
    assert not [p for p in audit_draft(shown, sources, [TOLL])["problems"] if "not shown" in p]
    hidden = _faq("The toll will be $4.50 [1].", [1])
    assert [p for p in audit_draft(hidden, sources, [TOLL])["problems"] if "not shown" in p]
