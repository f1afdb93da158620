"""Quotes the writer translated from sources in other languages: kept only when the original words are in
the source it names, and marked "(translated)" wherever the draft quotes them."""

from __future__ import annotations

import re
from typing import Any

from newsroom.claims.language import record_language

MARK = "(translated)"
_UNIT_FIELDS = ("headline", "dek", "event", "heading", "body", "question", "answer")


def _squeeze(text: str) -> str:
    return " ".join(text.split()).strip(" \"'“”「」『』«»")


def checked_quotes(draft: dict[str, Any], sources: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """The draft with only the translated quotes whose original its source holds (a source not in English),
    each translation quoted in the draft marked "(translated)"; and a sentence per quote left out."""
    by_n = {int(s["n"]): str(s.get("text") or "") for s in sources}
    kept, notes = [], []
    for q in draft.get("translated_quotes") or []:
        n, original, translation = (
            int(q.get("source", 0)),
            _squeeze(str(q.get("original", ""))),
            _squeeze(str(q.get("translation", ""))),
        )
        text = by_n.get(n, "")
        if not (original and translation) or original not in " ".join(text.split()):
            notes.append(
                f"a translated quote attributed to [{n}] was left out: its original is not in that source"
            )
        elif record_language(text) == "en":
            notes.append(f"a translated quote attributed to [{n}] was left out: that source is in English")
        else:
            kept.append({"source": n, "translation": translation, "original": original,
                         "language": record_language(text)})  # fmt: skip
    out = {**draft, "translated_quotes": kept}
    for key, value in draft.items():
        if isinstance(value, str) and key in _UNIT_FIELDS:
            out[key] = _marked(value, kept)
        elif isinstance(value, list) and key != "translated_quotes":
            out[key] = [
                {
                    f: _marked(v, kept) if f in _UNIT_FIELDS and isinstance(v, str) else v
                    for f, v in unit.items()
                }
                if isinstance(unit, dict)
                else unit
                for unit in value
            ]
    return out, notes


def _marked(text: str, quotes: list[dict[str, Any]]) -> str:
    """Each quoted translation in `text` followed by "(translated)", once."""
    for q in quotes:
        quoted = re.compile(rf"([\"“]){re.escape(q['translation'])}([\"”])(?!\s*\(translated\))")
        text = quoted.sub(lambda m: f"{m[0]} {MARK}", text)
    return text
