"""What changed since a story's last published version: code compares the claims and conflicts of the published
version with those of the new run (new records, a value that moved, a disagreement that is new or settled, a
correction), hands the list to the writer, and adds every change the writer's What changed section left out.

Records are compared by id, never by their number: each run numbers its sources afresh.
"""

from __future__ import annotations

import re
from typing import Any

from newsroom.claims.audit import shows_both_sides
from newsroom.claims.finishing import correction_sentence, disagreement_sentence
from newsroom.claims.publishability import states_value
from newsroom.claims.updates import update_sentence, updated

MAX_NEW_FACTS = 3
KINDS = ("correction", "changed_value", "new_conflict", "resolved_conflict", "new_fact")
KIND_WORDS = {
    "correction": "a correction",
    "changed_value": "a changed value",
    "new_conflict": "a new disagreement",
    "resolved_conflict": "a settled disagreement",
    "new_fact": "a new fact",
}


def _ids(sources: list[dict[str, Any]]) -> dict[int, str]:
    return {int(s["n"]): str(s.get("record_id") or "") for s in sources}


def _record_ids(conflict: dict[str, Any], ids: dict[int, str]) -> set[str]:
    return {ids.get(int(n), "") for v in conflict.get("values", []) for n in v.get("citations", [])} - {""}


def _values(conflict: dict[str, Any]) -> set[str]:
    return {" ".join(str(v.get("value", "")).casefold().split()) for v in conflict.get("values", [])}


def _known(
    conflict: dict[str, Any], ids: dict[int, str], before: list[dict[str, Any]], before_ids: dict[int, str]
) -> dict[str, Any] | None:
    """The published version's disagreement this one continues: a value in common, stated by a record in common."""
    mine, records = _values(conflict), _record_ids(conflict, ids)
    for old in before:
        if mine & _values(old) and records & _record_ids(old, before_ids):
            return old
    return None


def _cites(conflict: dict[str, Any]) -> list[int]:
    return sorted({int(n) for v in conflict.get("values", []) for n in v.get("citations", [])})


def what_changed(
    previous: dict[str, Any],
    sources: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    conflicts: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The changes between the published version (`previous`, its JSON) and this run's findings, each
    {kind, subject, values, citations, sentence}: `sentence` is code's own cited telling of it."""
    before_ids = _ids(previous.get("sources", []))
    seen = set(before_ids.values()) | {
        d for s in previous.get("sources", []) for d in s.get("duplicates") or []
    }
    ids = _ids(sources)
    new = {n for n, rid in ids.items() if rid and rid not in seen}
    outlets = {int(s["n"]): str(s.get("outlet") or f"source {s['n']}") for s in sources}
    before = list(previous.get("conflicts", []))
    out: list[dict[str, Any]] = []
    for c in conflicts:
        cites = _cites(c)
        known = _known(c, ids, before, before_ids)
        if c.get("corrected_by") is not None and (int(c["corrected_by"]) in new or known is None):
            kind, sentence = "correction", correction_sentence(c, outlets)
        elif updated(c) and set(cites) & new:
            kind, sentence = "changed_value", update_sentence(c, outlets)
        elif known is None and not c.get("resolution") and set(cites) & new:
            kind, sentence = "new_conflict", disagreement_sentence(c, outlets)
        elif known is not None and not known.get("resolution") and c.get("resolution"):
            kind, sentence = "resolved_conflict", str(c["resolution"])
        else:
            continue
        out.append({**_change(kind, c, cites, sentence), "new_citations": sorted(set(cites) & new)})
    told = {n for ch in out for n in ch["citations"]}
    facts = 0
    for claim in claims:
        cites = sorted(int(n) for n in claim.get("citations", []))
        if facts >= MAX_NEW_FACTS or claim.get("status") != "supported" or not cites:
            continue
        if set(cites) <= new and not set(cites) & told:
            who = " and ".join(dict.fromkeys(outlets.get(n, f"source {n}") for n in cites))
            sentence = f"{who} reports {claim.get('subject')}: {claim.get('value')} {_marks(cites)}."
            out.append(
                {
                    "kind": "new_fact",
                    "subject": str(claim.get("subject") or ""),
                    "values": [{"value": str(claim.get("value") or ""), "citations": cites}],
                    "citations": cites,
                    "new_citations": cites,
                    "sentence": sentence,
                }
            )
            told |= set(cites)
            facts += 1
    return out


def _marks(cites: list[int]) -> str:
    return "".join(f"[{n}]" for n in cites)


def _change(kind: str, c: dict[str, Any], cites: list[int], sentence: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "subject": str(c.get("subject") or ""),
        "values": [dict(v) for v in c.get("values", [])],
        "resolved_value": c.get("resolved_value"),
        "citations": cites,
        "sentence": sentence,
    }


def changes_block(changes: list[dict[str, Any]]) -> str:
    """The changes as the writer reads them."""
    if not changes:
        return "- (code found no changed value, disagreement or correction; say what the new records add)"
    return "\n".join(f"- {KIND_WORDS[c['kind']]} on {c['subject']}: {c['sentence']}" for c in changes)


def told(change: dict[str, Any], item: dict[str, Any]) -> bool:
    """Whether a What changed item tells this change: it cites a record new since the published version (any of
    the change's, for a settled dispute) and states its values (a disagreement: both sides shown)."""
    text, cites = str(item.get("text", "")), [int(n) for n in item.get("citations", [])]
    if not set(cites) & set(change.get("new_citations") or change["citations"]):
        return False
    if change["kind"] == "new_conflict":
        return shows_both_sides(change, cites, text)
    wanted = [str(change.get("resolved_value") or "")] if change.get("resolved_value") else []
    wanted = wanted or [str(v["value"]) for v in change.get("values", [])]
    return all(states_value(v, text) for v in wanted if v)


def complete_changes(
    draft: dict[str, Any], changes: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """Add a What changed item, composed by code, for each change the writer left out; a note for each."""
    items = [dict(it) for it in draft.get("what_changed", [])]
    notes: list[str] = []
    for change in changes:
        if any(told(change, it) for it in items):
            continue
        text = re.sub(r"\s*\[\d+\]", "", change["sentence"])
        items.append({"text": text, "citations": change["citations"], "composed_by": "code"})
        notes.append(
            f"What changed item {len(items)} ({KIND_WORDS[change['kind']]} on {change['subject']}) was "
            "composed by code from the list of changes: the writer left it out"
        )
    return {**draft, "what_changed": items}, notes
