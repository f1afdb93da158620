"""After publication: does a record that arrived later correct or contradict a value a published explainer
states? Code compares it with the records the explainer was written from, the way the fact-check compares
sources (value readings paired across records, then grouped), and finds the explainer's sentence that
states the value now in question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from newsroom.claims.conflicts import find_conflicts
from newsroom.claims.corrections import correction_conflicts, is_correction
from newsroom.claims.pairing import pair_values
from newsroom.claims.publishability import draft_units, states_value, without_marks
from newsroom.claims.readings import value_readings
from newsroom.claims.types import Fact
from newsroom.settings import ClaimsSettings


def _corrects(sources: dict[int, dict[str, Any]]) -> dict[int, frozenset[int]]:
    """Each correction notice with the records published no later than it (as the fact-check pairs them)."""
    return {
        n: frozenset(
            m
            for m, o in sources.items()
            if m != n and str(o.get("published_at") or "") <= str(s.get("published_at") or "~")
        )
        for n, s in sources.items()
        if is_correction(str(s.get("text", "")))
    }


def _conflicts(
    sources: dict[int, dict[str, Any]], embed: Callable[[list[str]], np.ndarray], limits: ClaimsSettings
) -> list[dict[str, Any]]:
    readings = [r for n, s in sorted(sources.items()) for r in value_readings(n, str(s.get("text", "")))]
    facts = [
        Fact(r.n, f"{r.mention.kind}|{r.masked}", r.mention.text.strip(), r.sentence, origin="code")
        for r in readings
    ]
    pairs = pair_values(readings, embed, limits, corrects=_corrects(sources))
    found = find_conflicts(
        facts,
        lambda i, j: (i, j) in pairs or (j, i) in pairs,
        sources,
        strength=lambda i, j: pairs.get((i, j), pairs.get((j, i), 0.0)),
    )
    for c in found:
        c.pop("members", None)
    return found + correction_conflicts(sources, found)


def _stating(draft: dict[str, Any], value: str) -> str:
    """The explainer's sentence (a unit of it) that states `value`, or ''."""
    for unit in draft_units(draft):
        text = re.sub(r"\s+([.,;:!?])", r"\1", without_marks(unit.text))
        if unit.citations is not None and text and states_value(value, text):
            return text
    return ""


def challenged_values(
    published: list[dict[str, Any]],
    record: dict[str, Any],
    draft: dict[str, Any],
    embed: Callable[[list[str]], np.ndarray],
    limits: ClaimsSettings | None = None,
) -> list[dict[str, Any]]:
    """What a later record does to a published explainer's values: each
    {kind: "corrects" | "contradicts", subject, value (the explainer's), new_value, sentence (the explainer's
    that states it), evidence (the record's sentence)}. `published` are the explainer's sources with their
    text; `draft` its headline, sections, story so far and answers."""
    n = max((int(s["n"]) for s in published), default=0) + 1
    sources = {int(s["n"]): dict(s) for s in published} | {n: {**record, "n": n}}
    out: list[dict[str, Any]] = []
    for c in _conflicts(sources, embed, limits or ClaimsSettings()):
        mine = [v for v in c["values"] if n in v["citations"]]
        theirs = [v for v in c["values"] if n not in v["citations"] and v["citations"]]
        if not mine or not theirs:
            continue
        corrects = c.get("corrected_by") == n
        if c.get("resolution") and not corrects:
            continue  # settled otherwise (a correction already in the explainer's sources)
        new_value = str(c.get("resolved_value") or mine[0]["value"]) if corrects else str(mine[0]["value"])
        for side in theirs:
            sentence = _stating(draft, str(side["value"]))
            if sentence and not states_value(new_value, sentence):
                out.append(
                    {
                        "kind": "corrects" if corrects else "contradicts",
                        "subject": str(c.get("subject") or "a value"),
                        "value": str(side["value"]),
                        "new_value": new_value,
                        "sentence": sentence,
                    }
                )
                break
    return out
