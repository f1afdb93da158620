"""Values written the way other languages write them, read into the same Mentions English values become.

Chinese and Japanese amounts by their units ("74亿美元" is 7.4e9, "7.4亿" 7.4e8, "1兆2000億円" 1.2e12) and
dates ("2025年3月12日") are read in any text: English writes neither. European decimal commas and
thousands dots or spaces ("7,4 Mrd. €", "1.234,5", "7 400 000") and localized dates ("12 mars 2025",
"12. März 2025") only in a record whose language writes them (newsroom/claims/language.py): in an English
record "1,234" stays one thousand two hundred thirty-four.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from newsroom.claims.lexicon_intl import (
    CJK_COUNTERS,
    CJK_CURRENCY,
    CJK_CURRENCY_BEFORE,
    CJK_PERCENT,
    CJK_UNITS,
    DECIMAL_COMMA,
    EU_CURRENCY,
    EU_OF,
    EU_ONLY_SCALES,
    EU_PERCENT,
    EU_SCALE_WORDS,
    EU_SCALES,
    LONG_SCALE,
)
from newsroom.claims.types import Mention

_Add = Callable[[re.Match[str], Mention | None], None]

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"  # CJK text writes English digits
_UNIT = "[" + "".join(CJK_UNITS) + "]"
_CJK_AMOUNT = re.compile(
    rf"(?:(?P<pre>{CJK_CURRENCY_BEFORE})\s?)?(?<![\d.,])(?P<body>(?:{_NUM}\s?{_UNIT}+\s?)+(?:\d+(?![\d.]))?)"
    rf"(?P<cur>{CJK_CURRENCY})?"
)
_CJK_PLAIN = re.compile(
    rf"(?:(?P<pre>{CJK_CURRENCY_BEFORE})\s?)?(?<![\d.,])(?P<a>{_NUM})\s?"
    rf"(?:(?P<cur>{CJK_CURRENCY})|(?P<pct>{CJK_PERCENT})|(?P<cnt>{CJK_COUNTERS}))"
)
_CJK_DATE = re.compile(r"(?:(?P<y>\d{4})\s?年\s?)?(?P<m>\d{1,2})\s?月(?:\s?(?P<d>\d{1,2})\s?[日号])?")
_CJK_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s?年")

# European digits: groups of three after dots or (non-breaking, thin) spaces, a decimal comma
_EU_NUM = r"\d{1,3}(?:(?:\.|[ \u00a0\u202f])\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_EU_AMOUNT = re.compile(
    rf"(?:(?P<pre>{EU_CURRENCY})\s?)?(?<![\d.,])(?P<a>{_EU_NUM})(?![\d])"
    rf"(?:\s?(?P<scale>{EU_SCALE_WORDS})(?![\w]))?(?:\s?{EU_OF}(?P<cur>{EU_CURRENCY})(?![\w]))?",
    re.I,
)
_EU_MARKED = re.compile(
    rf"(?<![\d.,])(?P<a>{_EU_NUM})(?![\d])\s?(?P<scale>{EU_ONLY_SCALES})(?![\w])"
    rf"(?:\s?{EU_OF}(?P<cur>{EU_CURRENCY})(?![\w]))?",
    re.I,
)
_EU_PERCENT = re.compile(rf"(?<![\d.,])(?P<a>{_EU_NUM})\s?(?:{EU_PERCENT})", re.I)
_EU_NUMERIC_DATE = re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b")
# a day, a word dateparser may know as a month, a year: "12 mars 2025", "12. März", "12 de marzo de 2025"
_EU_DATE = re.compile(
    r"\b(?P<d>\d{1,2})(?:er|\.|º|°)?\s+(?:de\s+)?(?P<mon>[^\W\d_]{3,10}\.?)(?:\s+(?:de\s+)?(?P<y>\d{4}))?\b"
)


def _cjk_value(body: str) -> float:
    """'1兆2000億' -> 1.2e12: each number times its units (万亿 is 1e4 x 1e8), summed."""
    total = 0.0
    for num, units in re.findall(rf"({_NUM})\s?({_UNIT}*)", body):
        value = float(num.replace(",", ""))
        for u in units:
            value *= CJK_UNITS[u]
        total += value
    return total


def _eu_float(raw: str) -> float:
    return float(re.sub(r"[.\s\u00a0\u202f]", "", raw).replace(",", "."))


@lru_cache(maxsize=512)
def _month_day(text: str, lang: str) -> tuple[int, int, int] | None:
    """(year or 0, month, day) when dateparser reads the words as a date in that language."""
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=[lang],
        settings={"REQUIRE_PARTS": ["day", "month"], "PREFER_DATES_FROM": "past", "STRICT_PARSING": False},
    )
    if parsed is None:
        return None
    return (parsed.year if re.search(r"\d{4}", text) else 0, parsed.month, parsed.day)


def foreign_mentions(text: str, lang: str) -> list[Mention]:
    """The values in `text` written as `lang` writes them (and CJK values, whatever the language), longest
    first, no overlaps; English patterns read what is left (newsroom/claims/mentions.py)."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], mention: Mention | None) -> None:
        s, e = m.span()
        if mention is None or s == e or any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(mention)

    if any("\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" for ch in text):
        _cjk(text, lang, add)
    if lang in DECIMAL_COMMA:
        _european(text, lang, add)
    else:  # an amount only a European language writes is read as one, whatever the record's language
        for m in _EU_MARKED.finditer(text):
            value = _eu_float(m["a"]) * EU_SCALES.get(re.sub(r"\s+", " ", m["scale"].lower()), 1.0)
            add(m, Mention("money" if m["cur"] else "number", m[0].rstrip(), value, value, start=m.start()))
    return sorted(found, key=lambda x: x.start)


def _cjk(text: str, lang: str, put: _Add) -> None:
    for m in _CJK_DATE.finditer(text):
        month, day = int(m["m"]), int(m["d"] or 0)
        if 1 <= month <= 12 and day <= 31:
            put(m, Mention("date", m[0], date=(int(m["y"] or 0), month, day), start=m.start()))
    for m in _CJK_YEAR.finditer(text):
        y = float(m["y"])
        put(m, Mention("year", m[0], y, y, start=m.start()))
    for m in _CJK_AMOUNT.finditer(text):
        body = m["body"]
        if lang != "ja" and "兆" in body:
            continue  # in Chinese 兆 is a million in some uses and a million million in others
        value = _cjk_value(body)
        kind = "money" if (m["pre"] or m["cur"]) else "number"
        put(m, Mention(kind, m[0], value, value, start=m.start()))
    for m in _CJK_PLAIN.finditer(text):
        value = float(m["a"].replace(",", ""))
        kind = "percent" if m["pct"] else "money" if (m["cur"] or m["pre"]) else "number"
        # a count keeps only its number as text: "200名" is read as the count 200
        span_text = m[0] if kind != "number" else m["a"]
        put(m, Mention(kind, span_text, value, value, start=m.start()))


def _european(text: str, lang: str, put: _Add) -> None:
    for m in _EU_NUMERIC_DATE.finditer(text):
        day, month = int(m["d"]), int(m["m"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            put(m, Mention("date", m[0], date=(int(m["y"]), month, day), start=m.start()))
    for m in _EU_DATE.finditer(text):
        if (date := _month_day(m[0], lang)) is not None:
            put(m, Mention("date", m[0], date=date, start=m.start()))
    for m in _EU_PERCENT.finditer(text):
        value = _eu_float(m["a"])
        put(m, Mention("percent", m[0], value, value, start=m.start()))
    for m in _EU_AMOUNT.finditer(text):
        scale_word = re.sub(r"\s+", " ", (m["scale"] or "").lower())
        scale = EU_SCALES.get(scale_word, 1.0)
        if scale_word.startswith("billi") and lang not in LONG_SCALE:
            scale = 1e9
        value = _eu_float(m["a"]) * scale
        raw = m["a"]
        if not (m["pre"] or m["cur"] or m["scale"]) and not re.search(r"[,.\s\u00a0\u202f]", raw):
            continue  # a plain integer reads the same in every language: English patterns read it
        if re.fullmatch(r"(?:19|20)\d{2}", raw) and not (m["pre"] or m["cur"] or m["scale"]):
            continue
        kind = "money" if (m["pre"] or m["cur"]) else "number"
        text_of = m[0].rstrip()
        put(m, Mention(kind, text_of, value, value, start=m.start()))
