"""Corrections: which records correct an earlier report, what they withdraw, and what they put in its place."""

from __future__ import annotations

import re
from typing import Any

from newsroom.claims.labels import conflict_label
from newsroom.claims.language import record_language
from newsroom.claims.lexicon_en import (
    CORRECTION,
    ERROR_CUE,
    NEGATION,
    SAYS_CORRECTED,
    SCALE_WORDS,
)
from newsroom.claims.lexicon_intl import CORRECTION as FOREIGN_CORRECTION
from newsroom.claims.lexicon_intl import ERROR_CUE as FOREIGN_ERROR_CUE
from newsroom.claims.mentions import CUR, NUM, extract_mentions
from newsroom.claims.text import SENTENCES, sentences
from newsroom.claims.types import Mention
from newsroom.claims.values import values_differ

_RETRACTED = re.compile(
    rf"{NEGATION}\s+(?P<v>{CUR}?\s?{NUM}\s?(?:%|percent|{SCALE_WORDS})?|[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)*)"
)


def says_corrected(text: str) -> bool:
    """Does a sentence of the draft tell the reader an earlier report was corrected?"""
    return bool(SAYS_CORRECTED.search(text))


def is_correction(text: str) -> bool:
    """Is this record a correction of an earlier report?"""
    return bool(CORRECTION.search(text) or FOREIGN_CORRECTION.search(text))


def retracted_values(text: str) -> list[str]:
    """In a correction, the values and names it says were wrong ('..., not 25%', '..., not Alibaba')."""
    return [m.group("v").strip() for m in _RETRACTED.finditer(text)]


_CLAUSES = re.compile(r";\s+|\s+[—–]\s+")


def correction_readings(text: str) -> list[tuple[int, Mention, bool]]:
    """A correction's values as (sentence number, mention, withdrawn?): withdrawn are those after 'not', and
    those in a clause about the error ("An earlier version gave the score as 3-2."); a clause after a
    semicolon or a dash states anew ("…incorrectly described the vote; it was 4-3")."""
    out = []
    lang = record_language(text)
    for i, sentence in enumerate(SENTENCES.split(text)):
        for clause in _CLAUSES.split(sentence):
            error = bool(ERROR_CUE.search(clause) or FOREIGN_ERROR_CUE.search(clause))
            for m in extract_mentions(clause, lang):
                if m.kind != "year":
                    out.append((i, m, error or bool(re.search(rf"{NEGATION}\s*$", clause[: m.start]))))
    return out


def retracted_mentions(text: str) -> list[Mention]:
    """The values a correction withdraws (see `correction_readings`)."""
    return [m for _, m, withdrawn in correction_readings(text) if withdrawn]


def _corrected_to(wrong: Mention, at: int, readings: list[tuple[int, Mention, bool]]) -> Mention | None:
    """The value a correction puts in place of `wrong`: stated in the same sentence ("35%, not 25%"), else
    in a later one ("... gave the score as 3-2. Riverton won 3-1")."""
    for i, m, withdrawn in sorted(readings, key=lambda r: (r[0] != at, r[0] < at, r[0])):
        if not withdrawn and m.kind == wrong.kind and values_differ(m.kind, m, wrong) and i >= at:
            return m
    return None


def _label(text: str, right: Mention, earlier: list[str], wrong: Mention) -> str:
    """What the corrected figure measures, read from the correcting sentence (or, failing that, from an
    earlier report's sentence with the withdrawn figure)."""
    statements = [(s, right.text) for s in sentences(text) if right.text and right.text in s]
    statements += [(s, wrong.text) for t in earlier for s in sentences(t) if wrong.text and wrong.text in s]
    return conflict_label(statements) or "the corrected figure"


def correction_conflicts(
    sources: dict[int, dict[str, Any]], found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A correction ('…fell to 35%, not 25%') supersedes the earlier report that carried the wrong value.

    Found even when no third source carries the right value, so the explainer never repeats a corrected figure.
    """
    covered = {c.get("corrected_by") for c in found}
    out: list[dict[str, Any]] = []
    for n, src in sorted(sources.items()):
        text = str(src.get("text", ""))
        if n in covered or not is_correction(text):
            continue
        readings = correction_readings(text)
        for at, wrong, withdrawn in readings:
            right = _corrected_to(wrong, at, readings) if withdrawn else None
            earlier = [
                m
                for m, s in sorted(sources.items())
                if m != n
                and (s.get("published_at") or "") <= (src.get("published_at") or "~")
                and any(
                    x.kind == wrong.kind and not values_differ(wrong.kind, x, wrong)
                    for x in extract_mentions(s["text"], record_language(s["text"]))
                )
            ]
            if right is None or not earlier:
                continue
            wrong_label, right_label = wrong.display(), right.display()
            outlet = src.get("outlet") or f"source [{n}]"
            out.append(
                {
                    "subject": _label(text, right, [sources[m]["text"] for m in earlier], wrong),
                    "kind": wrong.kind,
                    "values": [
                        {"value": wrong_label, "citations": earlier},
                        {"value": right_label, "citations": [n]},
                    ],
                    "resolution": f"Corrected: {outlet} [{n}] corrected the earlier report of {wrong_label} to "
                    f"{right_label}; {right_label} is the value to use.",
                    "resolved_value": right_label,
                    "corrected_by": n,
                }
            )
            break  # one correction, one superseded value
    return out
