"""The publishability check and code finishing, on a ferry-fare story written for these tests alone."""

from __future__ import annotations

from typing import Any

from newsroom.claims.finishing import correction_sentence, disagreement_sentence, finish_draft
from newsroom.claims.publishability import check_draft

SOURCES = [
    {
        "n": 1,
        "outlet": "Harbor Ledger",
        "text": "The Tidewater Ferry Authority voted on Monday to raise the single fare to $4.50 from May 1. "
        "Board members said rising diesel prices and a backlog of hull repairs left them little choice "
        "after three years without an increase.",
    },
    {
        "n": 2,
        "outlet": "Bay Courier",
        "text": "Riders will pay $4.25 for a single crossing from May 1, the authority said. The ferry "
        "carried 9,100 passengers a day in March.",
    },
    {"n": 3, "outlet": "Harbor Ledger", "text": "Correction: the new single fare is $4.25, not $4.50."},
    {
        "n": 4,
        "outlet": "Coast Radio",
        "text": "Councillor Ines Varga opposed the rise; Councillor Tom Reyes backed it.",
    },
]
TEXTS = [str(s["text"]) for s in SOURCES]
OUTLETS = {int(s["n"]): str(s["outlet"]) for s in SOURCES}
CORRECTED = {
    "subject": "the new single fare",
    "kind": "money",
    "values": [{"value": "$4.50", "citations": [1]}, {"value": "$4.25", "citations": [2, 3]}],
    "resolution": "Corrected by Harbor Ledger [3]",
    "resolved_value": "$4.25",
    "corrected_by": 3,
}
OPEN = {
    "subject": "who opposed the rise",
    "kind": "parties",
    "values": [{"value": "Ines Varga", "citations": [4]}, {"value": "Tom Reyes", "citations": [2]}],
    "resolution": None,
}


def draft(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "headline": "Ferry fares rise in May",
        "dek": "The authority says costs left it no choice.",
        "story_so_far": [
            {"date": "2026-04-02", "event": "The board voted to raise fares.", "citations": [1]}
        ],
        "sections": [{"heading": "Why", "body": "Diesel and repairs drove the decision.", "citations": [1]}],
        "faq": [
            {
                "question": "When does the new fare start?",
                "answer": "The new fare starts May 1.",
                "citations": [2],
            }
        ],
    }
    return base | parts


def kinds(d: dict[str, Any], conflicts: list[dict[str, Any]] | None = None) -> list[str]:
    return [f.kind for f in check_draft(d, TEXTS, conflicts or [], "the ferry fare rise")]


def test_a_clean_draft_has_no_findings() -> None:
    assert kinds(draft()) == []


def test_a_dek_cut_off_mid_sentence_is_found() -> None:
    assert kinds(draft(dek="The authority says costs left it no")) == ["truncated"]


def test_a_headline_ending_on_a_dangling_word_is_cut_off_and_a_short_question_is_not() -> None:
    assert kinds(draft(headline="Ferry fares rise as the")) == ["truncated"]
    faq = [{"question": "Who?", "answer": "The Tidewater Ferry Authority voted the rise.", "citations": [1]}]
    assert kinds(draft(faq=faq)) == []


def test_letters_of_a_script_no_source_uses_are_found() -> None:
    found = check_draft(draft(dek="The authority says costs票价 left it no choice."), TEXTS, [])
    assert [(f.kind, f.evidence) for f in found] == [("foreign_script", "票价")]


def test_the_same_sentence_in_two_units_is_a_loop() -> None:
    faq = [
        {"question": "Why?", "answer": "Diesel and repairs drove the decision.", "citations": [1]},
    ]
    assert "repeated" in kinds(draft(faq=faq))


def test_twenty_words_of_a_source_outside_quotation_marks_are_copied_prose() -> None:
    copied = (
        "Board members said rising diesel prices and a backlog of hull repairs left them little choice "
        "after three years without an increase."
    )
    assert kinds(draft(sections=[{"heading": "Why", "body": copied, "citations": [1]}])) == ["copied"]
    quoted = f"Harbor Ledger reported: “{copied}”"
    assert kinds(draft(sections=[{"heading": "Why", "body": quoted, "citations": [1]}])) == []


def test_a_corrected_value_stated_as_fact_is_found_and_one_told_as_corrected_is_not() -> None:
    wrong = draft(faq=[{"question": "What is the fare?", "answer": "The fare is $4.50.", "citations": [1]}])
    assert kinds(wrong, [CORRECTED]) == ["superseded"]
    told = "Harbor Ledger first reported $4.50, then corrected the fare to $4.25."
    right = draft(faq=[{"question": "What is the fare?", "answer": told, "citations": [1, 3]}])
    assert kinds(right, [CORRECTED]) == []


def test_one_side_of_an_open_disagreement_stated_as_settled_is_found_unless_attributed() -> None:
    settled = draft(sections=[{"heading": "Votes", "body": "Ines Varga opposed the rise.", "citations": [4]}])
    assert kinds(settled, [OPEN]) == ["settled"]
    attributed = "Ines Varga opposed the rise, according to Coast Radio."
    assert kinds(draft(sections=[{"heading": "V", "body": attributed, "citations": [4]}]), [OPEN]) == []


def test_citation_marks_written_twice_are_found() -> None:
    answer = "The new fare starts May 1 [2]. [2]"
    faq = [{"question": "When does the new fare start?", "answer": answer, "citations": [2]}]
    assert kinds(draft(faq=faq)) == ["citation_marks"]


def test_two_questions_asking_one_thing_and_an_answer_to_another_question_are_found() -> None:
    faq = [
        {
            "question": "Why did the board raise the fare to $4.50?",
            "answer": "The board cited diesel costs.",
            "citations": [1],
        },
        {
            "question": "Why did the board raise the fare to $4.25?",
            "answer": "The board cited repairs.",
            "citations": [2],
        },
        {
            "question": "How many passengers ride daily?",
            "answer": "Councillors split on it.",
            "citations": [4],
        },
    ]
    assert sorted(kinds(draft(faq=faq))) == ["off_question", "same_question"]


def test_length_limits_are_found() -> None:
    long_answer = "The fare starts in May. It rises. Riders pay more. Passes stay."
    faq = [{"question": "When does the fare start?", "answer": long_answer, "citations": [2]}]
    assert kinds(draft(headline="Ferry " * 20 + "fares", faq=faq)) == ["too_long", "too_long"]
    assert kinds(draft(dek="The fare rises. It starts in May.")) == ["too_long"]


def test_composed_sentences_read_as_prose_and_cite_both_sides() -> None:
    assert disagreement_sentence(OPEN, OUTLETS) == (
        "Reports differ on who opposed the rise: Coast Radio names Ines Varga [4]; Bay Courier, Tom Reyes [2]."
    )
    assert correction_sentence(CORRECTED, OUTLETS) == (
        "Harbor Ledger first reported the new single fare as $4.50 [1], then corrected it to $4.25 [3]."
    )


def test_code_finishes_a_draft_so_no_finding_is_left_and_says_what_it_changed() -> None:
    bad = draft(
        headline="Ferry fare rises to $4.50 as the",
        dek="The authority says costs left it no",
        sections=[
            {
                "heading": "Why",
                "body": "Board members said rising diesel prices and a backlog of hull repairs left them little "
                "choice after three years without an increase. Diesel drove it. Diesel drove it.",
                "citations": [1],
            }
        ],
        faq=[
            {
                "question": "What is the new fare?",
                "answer": "The new fare is $4.50 from May 1 [1][1]",
                "citations": [1],
            },
            {"question": "Who opposed the rise?", "answer": "Ines Varga opposed the rise.", "citations": [4]},
        ],
    )
    assert len(check_draft(bad, TEXTS, [CORRECTED, OPEN], "the ferry fare rise")) >= 6
    finished, notes = finish_draft(bad, SOURCES, [CORRECTED, OPEN], "the ferry fare rise")
    assert check_draft(finished, TEXTS, [CORRECTED, OPEN], "the ferry fare rise") == []
    assert finished["faq"][1]["answer"] == "Ines Varga opposed the rise, according to Coast Radio."
    assert finished["sections"][0]["body"].startswith("Harbor Ledger reported: “Board members said")
    assert notes and all(":" in n for n in notes)
    assert 3 in finished["faq"][0]["citations"] or "$4.50" not in finished["faq"][0]["answer"]
