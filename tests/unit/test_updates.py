"""Updates: a count that moved, told by a later report as its newest figure, settles on the latest value
with its date instead of being shown as a disagreement. Sentences here are in no packet."""

from __future__ import annotations

from typing import Any

from newsroom.claims.compose import complete_draft
from newsroom.claims.conflicts import find_conflicts
from newsroom.claims.publishability import check_draft
from newsroom.claims.types import Fact

EARLY = "Health officials counted 31 cases of measles in the county on Monday."
LATE = "The county has now confirmed 44 cases of measles, officials said Thursday."
RIVAL = "A hospital network counted 44 cases of measles in the county on Monday."


def _conflicts(early_at: str, late_text: str, late_at: str) -> list[dict[str, Any]]:
    sources = {
        1: {"n": 1, "text": EARLY, "published_at": early_at, "outlet": "County Ledger"},
        2: {"n": 2, "text": late_text, "published_at": late_at, "outlet": "Valley Post"},
    }
    facts = [Fact(1, "cases", "31", EARLY, "code"), Fact(2, "cases", "44", late_text, "code")]
    return find_conflicts(facts, lambda i, j: True, sources)


def test_a_later_report_giving_the_newer_count_is_an_update_to_the_latest_value() -> None:
    (c,) = _conflicts("2026-02-02T09:00:00Z", LATE, "2026-02-05T09:00:00Z")
    assert c["status"] == "updated" and c["resolved_value"] == "44"
    assert "2026-02-05" in c["resolution"]


def test_a_rival_count_the_same_day_stays_a_disagreement() -> None:
    (c,) = _conflicts("2026-02-02T09:00:00Z", RIVAL, "2026-02-02T11:00:00Z")
    assert c.get("status") is None and c["resolution"] is None


def test_a_later_count_that_does_not_say_it_moved_stays_a_disagreement() -> None:
    (c,) = _conflicts("2026-02-02T09:00:00Z", RIVAL, "2026-02-05T09:00:00Z")
    assert c.get("status") is None and c["resolution"] is None


def test_code_tells_the_latest_figure_when_the_writer_did_not_and_accepts_history_told_as_history() -> None:
    (c,) = _conflicts("2026-02-02T09:00:00Z", LATE, "2026-02-05T09:00:00Z")
    outlets = [{"n": 1, "outlet": "County Ledger"}, {"n": 2, "outlet": "Valley Post"}]
    silent = {"headline": "h", "dek": "d", "faq": [{"question": "Who is at risk?", "answer": "Children [1].",
                                                     "citations": [1]}]}  # fmt: skip
    completed, notes = complete_draft(silent, [c], outlets)
    assert len(notes) == 1
    added = completed["faq"][-1]
    assert added["question"].startswith("What is the latest figure") and "44" in added["answer"]
    told = {"headline": "h", "dek": "d", "faq": [{"question": "How many cases are there?", "citations": [1, 2],
            "answer": "The county first counted 31 cases; the count has since risen to 44 [2]."}]}  # fmt: skip
    assert complete_draft(told, [c], outlets)[1] == []
    assert not [f for f in check_draft(told, [EARLY, LATE], [c]) if f.kind in ("superseded", "settled")]


def test_the_earlier_count_stated_as_current_is_still_sent_back() -> None:
    (c,) = _conflicts("2026-02-02T09:00:00Z", LATE, "2026-02-05T09:00:00Z")
    stale = {"headline": "h", "dek": "d", "faq": [{"question": "How many cases are there?", "citations": [1],
             "answer": "The county has 31 cases of measles [1]."}]}  # fmt: skip
    assert [f for f in check_draft(stale, [EARLY, LATE], [c]) if f.kind == "superseded"]
