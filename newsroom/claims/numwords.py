"""Numbers written in words ("eleven workers", "eighty-seven million dollars", "two-point-one billion",
"six percent", "seven dollars and ten cents"), read into values so they meet their digit twins."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsroom.claims.lexicon_en import NOT_ALONE, NUMBER_SCALES, NUMBER_TENS, NUMBER_UNITS, SPELLED_CURRENCY

_UNITS = {w: i for i, w in enumerate(NUMBER_UNITS)}
_TENS = {w: 10 * i for i, w in enumerate(NUMBER_TENS) if i > 1}
_SCALES = NUMBER_SCALES
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "point", "dozen"], key=len, reverse=True))
# a run of number words, joined by spaces, hyphens and "and" ("one hundred and twenty", "two-point-one")
RUN = re.compile(rf"\b(?:{_WORD})(?:(?:[\s-]+(?:and[\s-]+)?)(?:{_WORD}))*\b", re.I)
_CURRENCY = re.compile(rf"^\s+({SPELLED_CURRENCY})\b(?:\s+and\s+(?P<cents>[\w\s-]+?)\s+cents?\b)?", re.I)
_PERCENT = re.compile(r"^\s*(?:percent|per\s+cent)\b", re.I)


@dataclass(frozen=True)
class Spelled:
    """A number found in words: its kind (number, money, percent), value, and where it stands."""

    kind: str
    value: float
    start: int
    end: int
    text: str


def value_of(words: str) -> float | None:
    """'eighty-seven million' -> 87e6; 'two-point-one billion' -> 2.1e9; None when it is no number."""
    tokens = [t for t in re.split(r"[\s-]+", words.casefold()) if t and t != "and"]
    total, current, decimals, seen = 0.0, 0.0, "", False
    in_decimals = False
    for t in tokens:
        if t == "point":
            in_decimals = True
            continue
        if in_decimals and t in _UNITS and _UNITS[t] < 10:
            decimals += str(_UNITS[t])
            continue
        if t in _UNITS:
            current += _UNITS[t]
        elif t in _TENS:
            current += _TENS[t]
        elif t == "dozen":
            current = (current or 1) * 12
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in _SCALES:
            number = current + (float("0." + decimals) if decimals else 0.0)
            total += (number or 1) * _SCALES[t]
            current, decimals, in_decimals = 0.0, "", False
        else:
            return None
        seen = True
    if not seen:
        return None
    return total + current + (float("0." + decimals) if decimals else 0.0)


def spelled_numbers(text: str) -> list[Spelled]:
    """Every number written in words; "one" alone is left out ("one of the", "no one")."""
    out: list[Spelled] = []
    for m in RUN.finditer(text):
        if out and m.start() < out[-1].end:
            continue  # "ten" in "seven dollars and ten cents" is part of the amount
        words = m.group(0)
        if words.casefold() in NOT_ALONE:
            continue
        value = value_of(words)
        if value is None:
            continue
        after = text[m.end() :]
        end, kind = m.end(), "number"
        if cur := _CURRENCY.match(after):
            kind, end = "money", m.end() + cur.end()
            cents = value_of(cur.group("cents") or "") if cur.group("cents") else None
            value += (cents or 0) / 100
        elif pct := _PERCENT.match(after):
            kind, end = "percent", m.end() + pct.end()
        out.append(Spelled(kind, value, m.start(), end, text[m.start() : end]))
    return out
