"""Text blocks the agents hand to models: claims, conflicts, sources."""

from __future__ import annotations

from typing import Any

from newsroom.claims.injections import redact_injections


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


def sources_block(sources: list[dict[str, Any]], chars: int) -> str:
    parts = []
    for s in sources:
        date = (s.get("published_at") or "undated")[:10]
        text = redact_injections(s["text"])  # the writer never reads an order addressed to it
        parts.append(f"[{s['n']}] {s['outlet']}, {date}: {s['title']}\n{text[:chars]}")
    return "\n\n".join(parts)
