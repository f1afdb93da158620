"""Draft completion: code adds the disagreements and corrections a writer left out, and says so."""

from __future__ import annotations

import re
from typing import Any

from newsroom.claims.audit import shows_both_sides
from newsroom.claims.corrections import says_corrected
from newsroom.claims.finishing import correction_sentence, disagreement_sentence
from newsroom.claims.publishability import same_question, states_value
from newsroom.claims.standing import source_names
from newsroom.claims.updates import update_sentence, updated

MAX_BRIEFING_ITEMS = 8


def complete_draft(
    draft: dict[str, Any], conflicts: list[dict[str, Any]], sources: list[dict[str, Any]], topic: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """Add a cited answer, composed by code, for each disagreement or correction the writer left out.

    When the writer already asks about it ("Who is investing?") the composed sentence joins that answer
    rather than asking the same question twice. Returns the completed draft and a note per change
    (shown in the methodology).
    """
    outlets = source_names(sources)
    if "items" in draft:
        return _complete_briefing(draft, conflicts, outlets)
    faq = [dict(qa) for qa in draft.get("faq", [])]
    added: list[str] = []
    for c in conflicts:
        if any(_told(c, item) for item in [*faq, *draft.get("sections", []), *draft.get("story_so_far", [])]):
            continue
        cites = sorted({n for v in c["values"] for n in v["citations"]})
        if updated(c):
            question = f"What is the latest figure for {c['subject']}?"
            answer = update_sentence(c, outlets)
        elif c.get("resolution"):
            question = f"Was the figure for {c['subject']} corrected?"
            answer = correction_sentence(c, outlets)
        else:
            question = f"Do the sources agree on {c['subject']}?"
            answer = disagreement_sentence(c, outlets)
        answer = re.sub(r"\s*\[\d+\]", "", answer)  # the marks are drawn from the citations
        asked = next(
            (i for i, qa in enumerate(faq) if same_question(qa.get("question", ""), question, topic)), None
        )
        if asked is not None:
            qa = faq[asked]
            qa["answer"] = f"{str(qa.get('answer', '')).rstrip()} {answer}".strip()
            qa["citations"] = sorted(set(qa.get("citations", [])) | set(cites))
            added.append(
                f"FAQ {asked + 1}: code added the disagreement on {c['subject']} from the conflict list"
            )
            continue
        faq.append({"question": question, "answer": answer, "citations": cites, "composed_by": "code"})
        added.append(f"FAQ {len(faq)} (“{question}”) was composed by code from the conflict list")
    return {**draft, "faq": faq}, added


def _told(c: dict[str, Any], item: dict[str, Any]) -> bool:
    """Whether a unit already tells the reader about this conflict: an update by giving its latest figure
    with a citation; a disagreement by showing both sides; a correction only where it also says so."""
    text, cites = _text(item), item.get("citations", [])
    if updated(c):
        return bool(cites) and states_value(str(c.get("resolved_value", "")), text)
    return shows_both_sides(c, cites, text) and (not c.get("resolution") or says_corrected(text))


def _text(unit: dict[str, Any]) -> str:
    """A unit's words, whatever kind of unit it is (FAQ, section, story-so-far entry, briefing item)."""
    return " ".join(
        str(unit.get(f, "")) for f in ("date", "event", "heading", "body", "question", "answer", "text")
    )


def _complete_briefing(
    draft: dict[str, Any], conflicts: list[dict[str, Any]], outlets: dict[int, str]
) -> tuple[dict[str, Any], list[str]]:
    """A briefing flags each disagreement in an item citing both sides; code adds the ones left out."""
    items = list(draft.get("items", []))
    added: list[str] = []
    for c in conflicts:
        if any(_told(c, it) for it in items):
            continue
        cites = sorted({n for v in c["values"] for n in v["citations"]})
        text = re.sub(
            r"\s*\[\d+\]",
            "",
            update_sentence(c, outlets)
            if updated(c)
            else correction_sentence(c, outlets)
            if c.get("resolution")
            else disagreement_sentence(c, outlets),
        )
        flagged = {"text": text, "citations": cites, "composed_by": "code"}
        if len(items) < MAX_BRIEFING_ITEMS:
            items.append(flagged)
            added.append(f"item {len(items)} (on {c['subject']}) was composed by code from the conflict list")
            continue
        # A full briefing: the flag takes the place of an item telling one side only, else the last one.
        writers = [i for i, it in enumerate(items) if it.get("composed_by") != "code"]
        one_sided = [i for i in writers if set(items[i]["citations"]) <= set(cites)]
        at = (one_sided or writers or [len(items) - 1])[0 if one_sided else -1]
        items[at] = flagged
        added.append(f"item {at + 1} was replaced by code with the disagreement on {c['subject']}")
    return {**draft, "items": items}, added
