"""What code reads from source sentences for the conflict pass: values with their context, parties with roles.

Two records disagree when they state different values *for the same thing*. Code decides "the same thing"
from evidence it can see: the kind of value, what a count counts ("187 residents" ~ "214 residents"),
the order of magnitude, a per-unit rate ("$34 a share" is no valuation), and how alike the words around
the values read — each value is paired with its closest counterpart in every other record, both ways.
Named parties are read in newsroom/roles.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from newsroom.verify import (
    SENTENCES,
    Mention,
    extract_mentions,
    find_injection,
    is_correction,
    retracted_mentions,
)

WINDOW = 6  # words either side of a value that say what it is
_MIN_SIMILARITY = 0.30  # sentence or window similarity for each other's closest counterparts
_MIN_SIMILARITY_BARE = 0.45  # a bare count ("about 40") names nothing it counts: its words must agree more
_MIN_SIMILARITY_SAME_UNIT = 0.20  # "187 residents" and "214 residents" need less of the rest to agree
_MAX_RATIO = 10.0  # reports of one quantity do not differ tenfold
_UNIT_SIMILARITY = 0.6  # "employees" ~ "workers" ~ "staff"
_MEASURES = {
    "year",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "light-year",
    "mile",
    "kilometer",
    "km",
}
_IRREGULAR_UNITS = {"people", "staff", "personnel", "children", "men", "women", "police"}
_IDENTIFIER = re.compile(
    r"(?:\b[A-Z]{2,}|\b(?i:phase|route|ward|district|section|article|chapter|stage|level|grade|tier|page|line|"
    r"bill|number|no\.|room|gate|flight|proposition|measure|item|lot|unit|precinct))\s*$"
)
_RATE = re.compile(r"^\s*-?\s*(?:a|an|per|each)[\s-]+([a-z]+)", re.I)


@dataclass(frozen=True)
class ValueReading:
    """One value in one record's sentence, with what code can tell about what it measures."""

    n: int
    mention: Mention
    sentence: str
    masked: str
    window: str
    unit: str  # what a count counts, or "per share"-style rate for money; "" when unseen


# What an amount measures, when the words around it say: a valuation is not the sum raised.
_MONEY_MEASURES = {
    "valuation": re.compile(r"\b(?:valu(?:ed|es|ing|ation|ations))\b", re.I),
    "revenue": re.compile(r"\b(?:revenues?|sales|turnover)\b", re.I),
    "profit": re.compile(r"\b(?:profits?|earnings|net income|net loss)\b", re.I),
}


def _unit(kind: str, after: str, window: str = "") -> str:
    rate = _RATE.match(after)
    if kind == "money":
        if rate:
            return f"per {rate.group(1).lower()}"
        return next((f"as {name}" for name, cue in _MONEY_MEASURES.items() if cue.search(window)), "")
    if kind != "number":
        return ""
    m = re.match(r"\s*([A-Za-z][a-z-]+)", after)
    if not m:
        return ""
    word = m.group(1).lower()
    if word in _IRREGULAR_UNITS:
        return word
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return ""


def value_readings(n: int, text: str) -> list[ValueReading]:
    """Every number, amount, percentage, tally and date in a record, one reading per value."""
    out = []
    # what a correction withdraws is not something it states
    withdrawn = {(m.kind, m.text) for m in retracted_mentions(text)} if is_correction(text) else set()
    for sentence in SENTENCES.split(text):
        if find_injection(sentence):
            continue  # text addressed to an AI is not evidence
        mentions = [
            m for m in extract_mentions(sentence) if m.kind != "year" and (m.kind, m.text) not in withdrawn
        ]
        masked = sentence
        for m in mentions:
            masked = masked.replace(m.text.strip(), "<value>", 1)
        words = masked.split()
        slots = [i for i, w in enumerate(words) if "<value>" in w]
        for k, m in enumerate(mentions):
            if m.kind == "number" and _IDENTIFIER.search(sentence[: m.start]):
                continue  # "phase 3", "SB 212", "Route 9" name things; they count nothing
            at = slots[k] if k < len(slots) else 0
            window = " ".join(words[max(0, at - WINDOW) : at + WINDOW + 1])
            after = sentence[m.start + len(m.text) :]
            out.append(ValueReading(n, m, sentence.strip(), masked, window, _unit(m.kind, after, window)))
    return out


def _magnitude_ok(a: Mention, b: Mention) -> bool:
    if a.kind not in ("money", "number"):
        return True
    x, y = abs(a.high) or 1e-9, abs(b.high) or 1e-9
    return max(x, y) / min(x, y) <= _MAX_RATIO


def pair_values(
    readings: list[ValueReading], embed: Callable[[list[str]], np.ndarray]
) -> dict[tuple[int, int], float]:
    """Pairs (i, j) of readings in different records that state a value for the same thing."""
    if not readings:
        return {}
    sent = embed([r.masked for r in readings])
    win = embed([r.window for r in readings])
    sim = np.maximum(sent @ sent.T, win @ win.T)
    units = sorted({r.unit for r in readings if r.unit and not r.unit.startswith(("per ", "as "))})
    unit_vec = dict(zip(units, embed(units), strict=True)) if units else {}

    def same_unit(a: str, b: str) -> bool | None:
        """True/False when both name a unit; None when either does not."""
        money = ("per ", "as ")
        if not a or not b:
            return None if not (a.startswith(money) or b.startswith(money)) else a == b
        if a == b:
            return True
        if a.startswith(money) or b.startswith(money) or a in _MEASURES or b in _MEASURES:
            return False
        return float(unit_vec[a] @ unit_vec[b]) >= _UNIT_SIMILARITY

    def score(i: int, j: int) -> float:
        a, b = readings[i], readings[j]
        if a.n == b.n or a.mention.kind != b.mention.kind or not _magnitude_ok(a.mention, b.mention):
            return -1.0
        unit = same_unit(a.unit, b.unit)
        if unit is False:
            return -1.0
        bare = a.mention.kind == "number" and not (a.unit and b.unit)
        floor = _MIN_SIMILARITY_SAME_UNIT if unit else _MIN_SIMILARITY_BARE if bare else _MIN_SIMILARITY
        return float(sim[i, j]) if sim[i, j] >= floor else -1.0

    return mutual_best([r.n for r in readings], score)


def mutual_best(record_of: list[int], score: Callable[[int, int], float]) -> dict[tuple[int, int], float]:
    """Pairs (i, j) from different records where each is the other's best-scoring counterpart in the
    other's record, with their score; a negative score means "never pair"."""
    by_record: dict[int, list[int]] = {}
    for i, n in enumerate(record_of):
        by_record.setdefault(n, []).append(i)
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (reading, other record) -> best counterpart
    for i, own in enumerate(record_of):
        for n, others in by_record.items():
            if n == own:
                continue
            top = max(((score(i, j), j) for j in others), default=(-1.0, -1))
            if top[0] >= 0:
                best[(i, n)] = top
    return {(i, j): s for (i, n), (s, j) in best.items() if best.get((j, record_of[i]), (0.0, -1))[1] == i}
