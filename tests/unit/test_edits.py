"""An editor's edit read by code: its fields, citation marks read back, what an edit broke, the diff."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroom.claims.edits import (
    WHOLE,
    apply_edits,
    edit_diff,
    edit_fields,
    new_problems,
    problems_by_field,
    read_back,
)
from newsroom.claims.types import Source

DRAFT = {
    "headline": "Ferry fares rise in March",
    "dek": "The port authority set the new fare; riders' groups dispute the date.",
    "story_so_far": [{"date": "2026-01-04", "event": "The board voted on the fare.", "citations": [1]}],
    "sections": [{"heading": "The fare", "body": "A single ticket will cost $4.50.", "citations": [1]}],
    "faq": [
        {"question": "How much is a ticket?", "answer": "A single ticket costs $4.50.", "citations": [1]},
        {"question": "When does it start?", "answer": "The authority says 3 March [2].", "citations": [2]},
    ],
}
SOURCES = [
    Source(
        1,
        "The port authority board voted to raise a single ferry ticket to $4.50.",
        datetime(2026, 1, 4, tzinfo=UTC),
    ),
    Source(2, "The new fare starts on 3 March, the authority said.", datetime(2026, 1, 5, tzinfo=UTC)),
]


def test_every_field_is_shown_with_its_citation_marks() -> None:
    fields = {f.key: f for f in edit_fields(DRAFT)}
    assert list(fields)[:2] == ["headline", "dek"]
    assert fields["faq.0.answer"].text == "A single ticket costs $4.50. [1]"
    assert fields["faq.0.question"].text == "How much is a ticket?" and not fields["faq.0.question"].cited
    assert fields["story_so_far.0.event"].label == "Story so far, 2026-01-04"
    assert fields["faq.0.question"].unit == fields["faq.0.answer"].unit != fields["faq.1.answer"].unit


def test_citation_marks_are_read_back_as_citations() -> None:
    assert read_back("Costs $4.50 [1][2] and more [2, 3].", True, True) == (
        "Costs $4.50 and more.",
        [1, 2, 3],
    )
    assert read_back("  Two\n\n\n\nparagraphs  ", True, True) == ("Two\n\nparagraphs", [])
    # a field without citations keeps brackets as text, and a one-line field one line
    assert read_back("The [1] line\nbreaks", False, False) == ("The [1] line breaks", None)


def test_a_field_submitted_as_shown_is_left_exactly_as_it_was() -> None:
    shown = {f.key: f.text for f in edit_fields(DRAFT)}
    same, changed = apply_edits(DRAFT, shown)
    assert changed == [] and same == DRAFT
    # "[2]" written inside the writer's answer survives an edit of another field untouched
    edited, changed = apply_edits(DRAFT, {**shown, "faq.0.answer": "A ticket costs $4.50. [1]"})
    assert changed == ["faq.0.answer"] and edited["faq"][1] == DRAFT["faq"][1]
    assert edited["faq"][0] == {
        "question": "How much is a ticket?",
        "answer": "A ticket costs $4.50.",
        "citations": [1],
    }
    assert DRAFT["faq"][0]["answer"] == "A single ticket costs $4.50."  # the draft given is not changed


def test_problems_are_keyed_by_the_field_at_fault_and_only_new_ones_count() -> None:
    names: frozenset[str] = frozenset()
    _, before = problems_by_field(DRAFT, SOURCES, [], names, "ferry fares")
    edited, _ = apply_edits(
        DRAFT, {"faq.0.answer": "A single ticket costs $5.20. [1]", "sections.0.body": "Dearer. [9]"}
    )
    audit, after = problems_by_field(edited, SOURCES, [], names, "ferry fares")
    broken = new_problems(before, after)
    assert "“$5.20” does not appear in its cited sources [1]" in broken["faq.0.answer"][0]
    assert "cites [9], which are not in the source list" in broken["sections.0.body"][0]
    assert not audit["passed"] and len(audit["problems"]) >= 2
    # a problem the draft had already is not the edit's
    assert new_problems(after, after) == {}


def test_a_disagreement_no_longer_shown_is_a_problem_of_the_whole_draft() -> None:
    conflict = {
        "subject": "start date",
        "values": [{"value": "3 March", "citations": [2]}, {"value": "10 March", "citations": [3]}],
    }
    sources = [*SOURCES, Source(3, "Riders were told the fare starts on 10 March.", None)]
    draft = {
        **DRAFT,
        "faq": [
            *DRAFT["faq"],
            {
                "question": "Which date?",
                "answer": "Reports differ: 3 March or 10 March.",
                "citations": [2, 3],
            },
        ],
    }
    _, before = problems_by_field(draft, sources, [conflict], frozenset(), "ferry fares")
    edited, _ = apply_edits(draft, {"faq.2.answer": "It starts on 3 March, the authority says. [2]"})
    _, after = problems_by_field(edited, sources, [conflict], frozenset(), "ferry fares")
    assert any("start date is not shown with both sides" in p for p in new_problems(before, after)[WHOLE])


def test_the_diff_names_the_versions_and_the_changed_lines() -> None:
    edited, _ = apply_edits(DRAFT, {"headline": "Ferry fares go up in March"})
    diff = edit_diff(DRAFT, edited, 3, 4).splitlines()
    assert diff[:2] == ["--- draft 3", "+++ draft 4"]
    assert "-headline: Ferry fares rise in March" in diff and "+headline: Ferry fares go up in March" in diff
    assert not [line for line in diff if line.startswith(("-faq", "+faq"))]
