"""The value a fact states, typed: an amount, percentage, tally, date or count, or the named parties it lists."""

from __future__ import annotations

import re
from typing import Any

from newsroom.claims.lexicon_en import PARTY_SPLIT, PREPOSITIONS, STOP_PARTY
from newsroom.claims.mentions import extract_mentions, same_value


def parties(value: str) -> frozenset[str]:
    """Named parties in a value such as 'Tencent and Alibaba' (capitalised names only)."""
    names = set()
    for part in PARTY_SPLIT.split(value):
        words = [w for w in re.findall(r"[\w'.&-]+", part) if w.lower() not in STOP_PARTY]
        # "developers in Asia" names no one: a trailing prepositional phrase is not the head of the phrase
        cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in PREPOSITIONS), len(words))
        words = words[:cut]
        # A name is the capitalised run a phrase ends on: "the battery maker CATL" -> CATL, while
        # "one of China's largest conglomerates" ends on a common noun and names no one.
        run: list[str] = []
        for w in reversed(words):
            if not w[0].isupper():
                break
            run.insert(0, w)
        if run:
            # keyed by its first word, so "Tencent Holdings" and "Tencent" are one party
            names.add(run[0].strip(".'").removesuffix("'s").casefold())
    return frozenset(names)


def typed_value(
    value: str, exclude: frozenset[str] = frozenset(), lang: str = "en"
) -> tuple[str, Any] | None:
    """('money'|'percent'|'date'|'number'|'tally', Mention) or ('parties', frozenset), or None.

    `exclude` holds names that cannot be a party to the story (its own subject: DeepSeek does not
    invest in DeepSeek).
    """
    read = extract_mentions(value, lang)
    found = [m for m in read if m.kind != "year"] or read
    if found:
        m = found[0]
        kind = "number" if m.kind == "year" else m.kind
        return kind, m
    names = parties(value)
    names = (names - exclude) or names  # never exclude a list down to nothing
    return ("parties", names) if names else None


def values_differ(kind: str, a: Any, b: Any) -> bool:
    """Do two typed values of one kind disagree? (Party lists agree when one holds the other.)"""
    if kind == "parties":
        return not (a <= b or b <= a)
    return not same_value(a, b)
