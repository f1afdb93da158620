"""The one sentence splitter the claims code reads text by, and the window of words around a value."""

from __future__ import annotations

import re

from newsroom.claims.lexicon_en import ABBREVIATIONS
from newsroom.claims.lexicon_intl import ABBREVIATIONS as FOREIGN_ABBREVIATIONS

# A sentence ends at . ! ? before a capital, except after a title or abbreviation ("Sen. Amara Okafor").
# Chinese and Japanese end a sentence at 。！？ with no space after.
SENTENCES = re.compile(
    r"(?<=[.!?])"
    + "".join(rf"(?<!\b{a}\.)" for a in (*ABBREVIATIONS, *FOREIGN_ABBREVIATIONS))
    + r"\s+(?=[A-Z\"'(])|(?<=[。！？])\s*"
)
WINDOW = 6  # words either side of a value or party that say what it is


def sentences(text: str) -> list[str]:
    """The text's sentences, stripped, empty ones left out."""
    return [s.strip() for s in SENTENCES.split(text.strip()) if s.strip()]
