"""An editor's edit of a draft, decided by code: which fields a draft has, the edited text read back (citation
marks into citations), what the edit broke (audit and publishability problems it introduced, by field), and
the unified diff the history keeps. No model, no I/O."""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from typing import Any

from newsroom.claims.audit import audit_draft, units
from newsroom.claims.publishability import check_draft, draft_units
from newsroom.claims.types import Source

WHOLE = ""
"""The key of problems no one field holds (a disagreement no longer shown anywhere)."""

_MARK = re.compile(r"\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]")


@dataclass(frozen=True)
class EditField:
    """One editable piece of a draft: where it lives ("faq.2.answer"), what an editor calls it, its text as
    the editor sees it (a cited unit's citation marks written after it: "… billion. [6]")."""

    key: str
    label: str
    text: str
    cited: bool
    multiline: bool
    unit: int
    """Which unit of the draft it belongs to (a question and its answer share one): parts never split it."""


# (draft list, field, what an editor calls the item, multiline, carries the unit's citations)
_PARTS = (
    ("story_so_far", "event", "Story so far", True, True),
    ("sections", "heading", "Section {i} heading", False, False),
    ("sections", "body", "Section {i}", True, True),
    ("faq", "question", "Question {i}", False, False),
    ("faq", "answer", "Answer {i}", True, True),
)


def marks(citations: list[int]) -> str:
    return "".join(f"[{n}]" for n in citations)


def edit_fields(draft: dict[str, Any]) -> list[EditField]:
    """Every field an editor may change, in reading order: headline, dek, story-so-far events, section
    headings and bodies, questions and answers."""
    fields = [
        EditField("headline", "Headline", str(draft.get("headline") or ""), False, False, 0),
        EditField("dek", "Dek", str(draft.get("dek") or ""), False, False, 1),
    ]
    unit = 2
    for key in ("story_so_far", "sections", "faq"):
        for i, item in enumerate(draft.get(key) or []):
            for part, name, label, multiline, cited in _PARTS:
                if part != key:
                    continue
                text = str(item.get(name) or "")
                if cited and item.get("citations"):
                    text = f"{text} {marks(list(item['citations']))}".strip()
                if key == "story_so_far":
                    label = f"{label}, {item.get('date') or 'undated'}"
                fields.append(
                    EditField(f"{key}.{i}.{name}", label.format(i=i + 1), text, cited, multiline, unit)
                )
            unit += 1
    return fields


def read_back(value: str, cited: bool, multiline: bool) -> tuple[str, list[int] | None]:
    """An edited field as (text, citations): citation marks anywhere in a cited field become its citations,
    in the order written; None for a field that carries none."""
    text = str(value or "")
    citations: list[int] | None = None
    if cited:
        citations = []
        for m in _MARK.finditer(text):
            for n in re.findall(r"\d+", m.group(1)):
                if int(n) not in citations:
                    citations.append(int(n))
        text = re.sub(r"\s+([.,;:!?])", r"\1", _MARK.sub(" ", text))
    if multiline:
        lines = (" ".join(line.split()) for line in text.strip().splitlines())
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    return text, citations


def apply_edits(draft: dict[str, Any], values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The draft with the edited fields in `values` (key -> text as submitted) put in; returns it and the keys
    that really changed. A field submitted as it was shown is left exactly as it was."""
    out = copy.deepcopy(draft)
    changed: list[str] = []
    for f in edit_fields(draft):
        if f.key not in values or values[f.key].strip() == f.text.strip():
            continue
        text, citations = read_back(values[f.key], f.cited, f.multiline)
        if "." in f.key:
            list_key, index, name = f.key.split(".")
            item = out[list_key][int(index)]
            item[name] = text
            if citations is not None:
                item["citations"] = citations
        else:
            out[f.key] = text
        changed.append(f.key)
    return out, changed


def empty_fields(draft: dict[str, Any], keys: list[str]) -> dict[str, str]:
    """Fields an edit emptied: an edit changes words, it does not remove a unit."""
    fields = {f.key: f for f in edit_fields(draft)}
    return {
        k: f"{fields[k].label} is empty. Write something here (to drop it, ask for changes instead)."
        for k in keys
        if k in fields and not read_back(fields[k].text, fields[k].cited, fields[k].multiline)[0]
    }


def problems_by_field(
    draft: dict[str, Any],
    sources: list[Source],
    conflicts: list[dict[str, Any]],
    names: frozenset[str],
    topic: str,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The audit as the graph keeps it ({passed, problems, publishability}), and its problems by field key
    (WHOLE for those no field holds)."""
    audit = audit_draft(draft, sources, conflicts, names)
    findings = check_draft(draft, [s.text for s in sources], conflicts, topic)
    by_field: dict[str, list[str]] = {}
    labels = sorted(((label, _audit_key(label)) for label, _, _ in units(draft)), key=lambda x: -len(x[0]))
    for problem in audit["problems"]:
        key = next((k for label, k in labels if _starts(problem, label)), WHOLE)
        by_field.setdefault(key, []).append(problem)
    keys = {u.label: u.key for u in draft_units(draft)}  # "FAQ 2 answer" -> "faq.1.answer"
    for f in findings:
        by_field.setdefault(keys.get(f.unit, WHOLE), []).append(f.sentence())
    problems = audit["problems"] + [f.sentence() for f in findings]
    kept = {
        "passed": not problems,
        "problems": problems,
        "publishability": {
            "found": len(findings),
            "left": [{"unit": f.unit, "kind": f.kind, "evidence": f.evidence} for f in findings],
        },
    }
    return kept, by_field


def new_problems(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict[str, list[str]]:
    """What an edit broke: the problems of the edited draft its draft did not have. A problem the draft had
    already does not stop an editor fixing something else; it stays in the draft's audit."""
    had = {p for ps in before.values() for p in ps}
    out = {k: [p for p in ps if p not in had] for k, ps in after.items()}
    return {k: ps for k, ps in out.items() if ps}


def _starts(problem: str, label: str) -> bool:
    return problem.startswith(label) and problem[len(label) : len(label) + 1] in ("", " ", ":")


def _audit_key(label: str) -> str:
    """The field an audit problem of a unit is shown on: the one that carries the unit's citations."""
    m = re.match(r"(story-so-far item|section|FAQ) (\d+)", label)
    if not m:
        return label if label in ("headline", "dek") else WHOLE
    kind, n = m.group(1), int(m.group(2)) - 1
    return {"story-so-far item": f"story_so_far.{n}.event", "section": f"sections.{n}.body"}.get(
        kind, f"faq.{n}.answer"
    )


def draft_lines(draft: dict[str, Any]) -> list[str]:
    """The draft as lines for a diff: one per field, its citations written as marks."""
    lines = []
    for f in edit_fields(draft):
        lines += [f"{f.key}: {line}" if i == 0 else f"  {line}" for i, line in enumerate(f.text.splitlines())]
    return lines


def edit_diff(before: dict[str, Any], after: dict[str, Any], from_version: int, to_version: int) -> str:
    """A unified diff of two drafts (difflib), what the story's history keeps of an edit."""
    return "\n".join(
        difflib.unified_diff(
            draft_lines(before),
            draft_lines(after),
            fromfile=f"draft {from_version}",
            tofile=f"draft {to_version}",
            lineterm="",
        )
    )
