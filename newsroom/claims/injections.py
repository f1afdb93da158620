"""Records that try to give orders: found (a sentence spoken to an AI, or a known attack phrase) and redacted."""

from __future__ import annotations

from newsroom.claims.addressees import addressed_passages
from newsroom.claims.lexicon_en import INJECTION
from newsroom.claims.text import SENTENCES

REDACTED = "[A passage addressed to AI systems was removed here; the editor has been told.]"


def redact_injections(text: str) -> str:
    """The text with every sentence that addresses an AI replaced by a note: models never read the order."""
    addressed = [a.text for a in addressed_passages(text)]
    if not addressed and not INJECTION.search(text):
        return text
    parts = SENTENCES.split(text)

    def speaks_to_ai(part: str) -> bool:
        core = part.strip()
        return bool(INJECTION.search(part)) or any(a in core or (core and core in a) for a in addressed)

    return " ".join(REDACTED if speaks_to_ai(p) else p for p in parts)


def find_injection(text: str) -> str | None:
    """The passage of a record that reads as an instruction to an AI, if any: a sentence that speaks to
    an AI system and gives it an order (newsroom/claims/addressees.py), or a known attack phrase."""
    m = INJECTION.search(text)
    if m:
        start = max(0, m.start() - 40)
        return text[start : m.end() + 60].strip()
    addressed = addressed_passages(text)
    return addressed[0].text[:240] if addressed else None
