"""What changed between a published version and its update, as code finds it (claims/changes.py), and what a
later record does to a published explainer's values (claims/published.py). Sentences here are in no packet."""

from __future__ import annotations

from typing import Any

from newsroom.claims.changes import complete_changes, told, what_changed
from newsroom.claims.published import challenged_values
from newsroom.embedding import embed

OLD = {"n": 1, "record_id": "r-old", "outlet": "Valley Post", "published_at": "2026-03-01T09:00:00Z"}
RIVAL = {"n": 2, "record_id": "r-rival", "outlet": "Hill Times", "published_at": "2026-03-01T10:00:00Z"}
LATE = {"n": 3, "record_id": "r-late", "outlet": "Valley Post", "published_at": "2026-03-09T09:00:00Z"}


def _published(conflicts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "sources": [{"n": 1, "record_id": "r-old"}, {"n": 2, "record_id": "r-rival"}],
        "conflicts": conflicts or [],
    }


def _moved() -> dict[str, Any]:
    return {
        "subject": "shelter beds",
        "values": [{"value": "120", "citations": [1]}, {"value": "160", "citations": [3]}],
        "status": "updated",
        "resolved_value": "160",
        "resolution": "Updated: 120 was an earlier figure; 160 is the latest (reported 2026-03-09).",
    }


def _disputed(a: list[int], b: list[int]) -> dict[str, Any]:
    return {
        "subject": "cost of the shelter",
        "values": [{"value": "$4 million", "citations": a}, {"value": "$6 million", "citations": b}],
        "resolution": None,
    }


def test_a_moved_value_and_a_new_disagreement_are_changes_each_told_with_new_records_cited() -> None:
    changes = what_changed(_published(), [OLD, RIVAL, LATE], [], [_moved(), _disputed([1], [3])])
    assert [c["kind"] for c in changes] == ["changed_value", "new_conflict"]
    assert "120" in changes[0]["sentence"] and "160" in changes[0]["sentence"]
    assert all(3 in c["citations"] for c in changes)


def test_a_disagreement_the_published_version_already_showed_is_no_change() -> None:
    known = _disputed([1], [2])
    # the same dispute, one more record joining a side: nothing a reader of v1 did not know
    assert what_changed(_published([known]), [OLD, RIVAL, LATE], [], [_disputed([1, 3], [2])]) == []
    # no new record at all: nothing changed, whatever the run found
    assert what_changed(_published(), [OLD, RIVAL], [], [_disputed([1], [2])]) == []


def test_a_dispute_settled_since_is_a_resolved_change() -> None:
    settled = {**_disputed([1], [2]), "resolution": "Corrected: …", "resolved_value": "$6 million"}
    changes = what_changed(_published([_disputed([1], [2])]), [OLD, RIVAL], [], [settled])
    assert [c["kind"] for c in changes] == ["resolved_conflict"]


def test_a_fact_only_new_records_state_is_a_new_fact_and_old_facts_are_not() -> None:
    claims = [
        {"subject": "opening date", "value": "April 2", "status": "supported", "citations": [3]},
        {"subject": "operator", "value": "Hope Trust", "status": "supported", "citations": [1, 3]},
        {"subject": "beds", "value": "99", "status": "unsupported", "citations": [3]},
    ]
    changes = what_changed(_published(), [OLD, RIVAL, LATE], claims, [])
    assert [(c["kind"], c["subject"]) for c in changes] == [("new_fact", "opening date")]


def test_code_adds_only_the_changes_the_writer_left_out_and_says_so() -> None:
    changes = what_changed(_published(), [OLD, RIVAL, LATE], [], [_moved(), _disputed([1], [3])])
    draft = {"what_changed": [{"text": "The count of shelter beds rose from 120 to 160.", "citations": [3]}]}
    completed, notes = complete_changes(draft, changes)
    assert len(completed["what_changed"]) == 2 and len(notes) == 1
    added = completed["what_changed"][1]
    assert added["composed_by"] == "code" and "$4 million" in added["text"] and "$6 million" in added["text"]
    assert "[" not in added["text"] and added["citations"] == [1, 3]
    assert "a new disagreement" in notes[0]
    assert complete_changes(completed, changes)[1] == []  # told now: nothing more added


def test_an_item_citing_no_new_record_or_missing_the_new_value_does_not_tell_the_change() -> None:
    (change,) = what_changed(_published(), [OLD, RIVAL, LATE], [], [_moved()])
    assert not told(change, {"text": "Beds rose from 120 to 160.", "citations": [1]})
    assert not told(change, {"text": "The count of beds changed.", "citations": [3]})
    assert told(change, {"text": "Beds now number 160.", "citations": [3]})


PUBLISHED_SOURCES = [
    {
        "n": 1,
        "record_id": "r-a",
        "outlet": "Lakeside Gazette",
        "published_at": "2026-05-01T08:00:00Z",
        "text": "The lakeside ferry service carried 48,000 passengers in April, the harbour authority said.",
    },
]
DRAFT = {
    "headline": "The ferry's busy spring",
    "faq": [
        {
            "question": "How many people used the ferry?",
            "answer": "The ferry carried 48,000 passengers in April [1].",
            "citations": [1],
        }
    ],
}


def test_a_later_correction_of_a_value_the_explainer_states_is_found_with_its_sentence() -> None:
    record = {
        "record_id": "r-fix",
        "outlet": "Lakeside Gazette",
        "published_at": "2026-05-04T08:00:00Z",
        "text": "Correction: An earlier article said the ferry carried 48,000 passengers in April. "
        "It carried 41,000 passengers, not 48,000.",
    }
    (found,) = challenged_values(PUBLISHED_SOURCES, record, DRAFT, embed)
    assert found["kind"] == "corrects" and found["new_value"].startswith("41,000")
    assert "48,000" in found["value"] and found["sentence"] == "The ferry carried 48,000 passengers in April."


def test_a_later_record_on_another_figure_or_agreeing_challenges_nothing() -> None:
    agreeing = {
        "record_id": "r-same",
        "outlet": "Harbour News",
        "published_at": "2026-05-05T08:00:00Z",
        "text": "About 48,000 passengers rode the lakeside ferry in April, according to the harbour authority.",
    }
    other = {
        "record_id": "r-other",
        "outlet": "Harbour News",
        "published_at": "2026-05-05T08:00:00Z",
        "text": "The harbour authority plans to buy 2 new boats for the ferry next year.",
    }
    assert challenged_values(PUBLISHED_SOURCES, agreeing, DRAFT, embed) == []
    assert challenged_values(PUBLISHED_SOURCES, other, DRAFT, embed) == []
