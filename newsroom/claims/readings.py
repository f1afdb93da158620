"""What code reads from source sentences for the conflict pass: each value with the words that say what it is.

Two records disagree when they state different values *for the same thing*. Code reads, for every value,
its sentence with the values masked, the words around it, and what it measures when the words say: what
a count counts ("187 residents"), a per-unit rate ("$34 a share" is no valuation), or the kind of amount
(a valuation, revenue, profit). Which readings are about the same thing is decided in
newsroom/claims/pairing.py; named parties are read in newsroom/claims/parties.py.
"""

from __future__ import annotations

import re

from newsroom.claims.corrections import is_correction, retracted_mentions
from newsroom.claims.injections import find_injection
from newsroom.claims.labels import counted_noun
from newsroom.claims.language import record_language
from newsroom.claims.lexicon_en import IDENTIFIER_WORDS, IRREGULAR_UNITS, MONEY_MEASURES, RATE_WORDS
from newsroom.claims.lexicon_intl import MONEY_MEASURES as FOREIGN_MEASURES
from newsroom.claims.mentions import extract_mentions
from newsroom.claims.text import SENTENCES, WINDOW
from newsroom.claims.types import ValueReading

_IDENTIFIER = re.compile(rf"(?:\b[A-Z]{{2,}}|\b(?i:{IDENTIFIER_WORDS}))\s*$")
_RATE = re.compile(rf"^\s*-?\s*(?:{RATE_WORDS})[\s-]+([a-z]+)", re.I)


def _unit(kind: str, after: str, window: str = "") -> str:
    rate = _RATE.match(after)
    if kind == "money":
        if rate:
            return f"per {rate.group(1).lower()}"
        return next(
            (
                f"as {name}"
                for name, cue in MONEY_MEASURES.items()
                if cue.search(window) or FOREIGN_MEASURES[name].search(window)
            ),
            "",
        )
    if kind != "number":
        return ""
    m = re.match(r"\s*([A-Za-z][a-z-]+)", after)
    if not m:
        return ""
    word = m.group(1).lower()
    if word in IRREGULAR_UNITS:
        return word
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return ""


def value_readings(n: int, text: str) -> list[ValueReading]:
    """Every number, amount, percentage, tally and date in a record, one reading per value."""
    out = []
    lang = record_language(text)
    # what a correction withdraws is not something it states
    withdrawn = {(m.kind, m.text) for m in retracted_mentions(text)} if is_correction(text) else set()
    for sentence in SENTENCES.split(text):
        if find_injection(sentence):
            continue  # text addressed to an AI is not evidence
        mentions = [
            m
            for m in extract_mentions(sentence, lang)
            if m.kind != "year" and (m.kind, m.text) not in withdrawn
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
            unit = (counted_noun(sentence, m.text) if m.kind == "number" else "") or _unit(
                m.kind, after, window
            )
            out.append(ValueReading(n, m, sentence.strip(), masked, window, unit, lang))
    return out
