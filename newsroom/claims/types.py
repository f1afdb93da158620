"""The typed records the claims modules hand each other: values found in text, sources, facts, readings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Mention:
    """A number, amount, percentage, tally or date found in text, normalised for comparison."""

    kind: str
    text: str
    low: float = 0.0
    high: float = 0.0
    date: tuple[int, int, int] = (0, 0, 0)  # (year or 0, month, day or 0)
    start: int = 0

    def display(self) -> str:
        return self.text.strip()


@dataclass
class Source:
    """What the audit needs to know about one numbered source."""

    n: int
    text: str
    published_at: datetime | None


@dataclass
class Fact:
    """A value one source attaches to a subject (from the model or from code)."""

    n: int
    subject: str
    value: str
    quote: str
    origin: str = "model"
    lang: str = "en"  # the language of the record it is read from: how its value's digits are read


@dataclass(frozen=True)
class ValueReading:
    """One value in one record's sentence, with what code can tell about what it measures."""

    n: int
    mention: Mention
    sentence: str
    masked: str
    window: str
    unit: str  # what a count counts, or "per share"-style rate for money; "" when unseen
    lang: str = "en"  # the record's language (newsroom/claims/language.py)


@dataclass(frozen=True)
class PartyReading:
    """The named party (or list of parties) a sentence gives a role to."""

    n: int
    role: str
    names: tuple[str, ...]
    sentence: str
    masked: str  # the words around the party, the party masked
