"""Text blocks the agents hand to models: claims, conflicts, sources."""

from __future__ import annotations

from typing import Any

from newsroom.claims.injections import redact_injections
from newsroom.claims.language import record_language
from newsroom.claims.lexicon_intl import LANGUAGE_NAMES


def claims_block(claims: list[dict[str, Any]], limit: int = 25) -> str:
    rows = [c for c in claims if c.get("status") != "unsupported"][:limit]
    return "\n".join(f"- {c['text']} {c['citations']}" for c in rows) or "- (none)"


def conflicts_block(conflicts: list[dict[str, Any]]) -> str:
    if not conflicts:
        return "- (none found)"
    lines = []
    for c in conflicts:
        sides = "; ".join(f"{v['value']} {v['citations']}" for v in c["values"])
        line = f"- {c['subject']}: {sides}"
        if c.get("resolution"):
            line += f". {c['resolution']}"
        lines.append(line)
    return "\n".join(lines)


def sources_given(sources: list[dict[str, Any]], chars: int) -> list[dict[str, Any]]:
    """The sources as the writer is shown them: number, record id, outlet, date, title, the text it reads."""
    return [
        {
            "n": s["n"],
            "record_id": s["record_id"],
            "outlet": s["outlet"],
            "date": (s.get("published_at") or "undated")[:10],
            "title": s["title"],
            # the writer never reads an order addressed to it
            "text": redact_injections(s["text"])[:chars],
            "language": record_language(s["text"]),
        }
        for s in sources
    ]


def sources_block(given: list[dict[str, Any]]) -> str:
    """What `sources_given` returned, as the text the writer reads."""
    return "\n\n".join(
        f"[{s['n']}] {s['outlet']}, {s['date']}{_in(s.get('language', 'en'))}: {s['title']}\n{s['text']}"
        for s in given
    )


def _in(language: str) -> str:
    """', in Chinese' after a source in another language than English; nothing for English."""
    return "" if language == "en" else f", in {LANGUAGE_NAMES.get(language, language)}"
