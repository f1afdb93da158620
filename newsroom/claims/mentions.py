"""Values read in text: numbers, amounts, percentages, tallies and dates, normalised so two can be compared."""

from __future__ import annotations

import re
from datetime import datetime

from newsroom.claims.lexicon_en import (
    CURRENCY_WORDS,
    MONTH_NAMES,
    MONTHS,
    PERCENT_WORDS,
    SCALE_WORDS,
    SCALES,
)
from newsroom.claims.mentions_intl import foreign_mentions
from newsroom.claims.numwords import spelled_numbers
from newsroom.claims.types import Mention

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
CUR = r"(?:US\$|\$|€|£|¥|USD\s?|EUR\s?|RMB\s?|CNY\s?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "money",
        re.compile(
            rf"(?P<cur>{CUR})\s?(?P<a>{NUM})(?:\s?(?P<sa>{SCALE_WORDS})\b)?"
            rf"(?:\s?(?:–|-|to|and)\s?(?:{CUR})?\s?(?P<b>{NUM}))?\s?(?P<sb>{SCALE_WORDS})?\b",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(rf"\b(?P<a>{NUM})\s?(?P<sa>{SCALE_WORDS})?\s(?P<cur>{CURRENCY_WORDS})\b", re.I),
    ),
    (
        "percent",
        re.compile(
            rf"\b(?P<a>{NUM})(?:\s?(?:–|-|to)\s?(?P<b>{NUM}))?\s?(?:{PERCENT_WORDS})",
            re.I,
        ),
    ),
    ("date", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "date",
        re.compile(
            rf"\b(?P<mon>{MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "date",
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{MONTH_NAMES})\b(?:,?\s+(?P<y>\d{{4}}))?"),
    ),
    ("date", re.compile(rf"\b(?P<mon>{MONTH_NAMES})\s+(?P<y>\d{{4}})\b")),
    ("tally", re.compile(r"\b(?P<a>\d{1,3})\s?[-–]\s?(?P<b>\d{1,3})\b(?!\s?(?:%|percent|billion|million))")),
    ("year", re.compile(r"\b(?P<y>(?:19|20)\d{2})\b")),
    # a range is one reading: "between 550 and 650 jobs" is no pair of rival figures
    ("number", re.compile(rf"\bbetween\s+(?P<a>{NUM})\s+and\s+(?P<b>{NUM})\b")),
    ("number", re.compile(rf"(?<![\w.])(?P<a>{NUM})(?:\s?(?P<sa>trillion|billion|million|thousand)\b)?")),
]


def _f(raw: str) -> float:
    return float(raw.replace(",", ""))


# A time of day ("7:42 p.m.", "5:40 a.m.", "8 pm", "14:05") is read as no figure: its parts are not counts,
# and which hour a report gives is seldom the fact in question.
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.\s?m\.?|[ap]m\b)|\b\d{1,2}:\d{2}\b", re.I)


def extract_mentions(text: str, lang: str = "en") -> list[Mention]:
    """Every checkable value in the text, longest reading first, no overlaps.

    `lang` is the language of the record the text is from (newsroom/claims/language.py): values written
    as it writes them are read first (newsroom/claims/mentions_intl.py), then English patterns read the rest.
    """
    taken: list[tuple[int, int]] = [m.span() for m in _CLOCK.finditer(text)]
    found: list[Mention] = []
    for foreign in foreign_mentions(text, lang):
        span = (foreign.start, foreign.start + len(foreign.text))
        if not any(span[0] < te and ts < span[1] for ts, te in taken):
            taken.append(span)
            found.append(foreign)
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            mention = _build(kind, m)
            if mention is None:
                continue
            taken.append((s, e))
            found.append(mention)
    for w in spelled_numbers(text):  # "eleven workers", "eighty-seven million dollars", "six percent"
        if not any(w.start < te and ts < w.end for ts, te in taken):
            taken.append((w.start, w.end))
            found.append(Mention(w.kind, w.text, w.value, w.value, start=w.start))
    return sorted(found, key=lambda x: x.start)


def _build(kind: str, m: re.Match[str]) -> Mention | None:
    g = m.groupdict()
    text, start = m.group(0), m.start()
    if kind == "money":
        scale_b = (g.get("sb") or "").lower()
        scale_a = (g.get("sa") or "").lower() or scale_b
        a = _f(g["a"]) * SCALES.get(scale_a, 1.0)
        b = _f(g["b"]) * SCALES.get(scale_b or scale_a, 1.0) if g.get("b") else a
        return Mention("money", text, min(a, b), max(a, b), start=start)
    if kind == "percent":
        a = _f(g["a"])
        b = _f(g["b"]) if g.get("b") else a
        return Mention("percent", text, min(a, b), max(a, b), start=start)
    if kind == "date":
        month = int(g["m"]) if g.get("m") else MONTHS.get((g.get("mon") or "")[:3].lower(), 0)
        day = int(g["d"]) if g.get("d") else 0
        year = int(g["y"]) if g.get("y") else 0
        if not 1 <= month <= 12 or day > 31:
            return None
        return Mention("date", text, date=(year, month, day), start=start)
    if kind == "tally":
        return Mention("tally", text, _f(g["a"]), _f(g["b"]), start=start)
    if kind == "year":
        y = float(g["y"])
        return Mention("year", text, y, y, start=start)
    a = _f(g["a"]) * SCALES.get((g.get("sa") or "").lower(), 1.0)
    b = _f(g["b"]) if g.get("b") else a
    return Mention("number", text, min(a, b), max(a, b), start=start)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(abs(a), abs(b)) * 0.005 + 1e-9


def same_value(x: Mention, y: Mention) -> bool:
    """Do two mentions state the same value? (A point inside a range counts.)"""
    if x.kind == "date" or y.kind == "date":
        if x.kind != y.kind:
            return False
        (xy, xm, xd), (yy, ym, yd) = x.date, y.date
        return xm == ym and (not xd or not yd or xd == yd) and (not xy or not yy or xy == yy)
    if x.kind == "tally" or y.kind == "tally":
        return x.kind == y.kind and _close(x.low, y.low) and _close(x.high, y.high)
    if x.low == x.high and y.low != y.high:
        return y.low - 1e-9 <= x.low <= y.high + 1e-9 or _close(x.low, y.low) or _close(x.low, y.high)
    if y.low == y.high and x.low != x.high:
        return same_value(y, x)
    return _close(x.low, y.low) and _close(x.high, y.high)


def supported_by(m: Mention, record_mentions: list[Mention], published: datetime | None) -> bool:
    """Does a record (its mentions, its publication date) state this value?"""
    if m.kind == "date" and published is not None:
        pub = Mention("date", "", date=(published.year, published.month, published.day))
        if same_value(m, pub):
            return True
    if m.kind == "year":
        if published is not None and int(m.low) == published.year:
            return True
        return any(r.kind == "date" and r.date[0] == int(m.low) for r in record_mentions) or any(
            r.kind in ("year", "number") and _close(r.low, m.low) for r in record_mentions
        )
    for r in record_mentions:
        if m.kind in ("money", "percent", "tally", "date") and r.kind == m.kind and same_value(m, r):
            return True
        if (
            m.kind == "number"
            and r.kind != "date"
            and (_close(m.low, r.low) or _close(m.low, r.high) or _bare(r, m.low))
        ):
            return True
    if m.kind == "money" and m.low != m.high:
        lo = Mention("money", "", m.low, m.low)
        hi = Mention("money", "", m.high, m.high)
        return supported_by(lo, record_mentions, published) and supported_by(hi, record_mentions, published)
    return False


def _bare(r: Mention, value: float) -> bool:
    """'7.4' written alone matches '$7.4 billion' in the record."""
    digits = re.findall(NUM, r.text)
    return any(_close(_f(d), value) for d in digits)
