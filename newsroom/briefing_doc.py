"""A beat briefing as readers and other systems get it: JSON from graph state, and Markdown."""

from __future__ import annotations

from typing import Any

from newsroom.explainer import _cites, explainer_json, methodology, sources_json, to_markdown


def briefing_json(state: dict[str, Any]) -> dict[str, Any]:
    """The briefing JSON contract (what `newsroom brief --json` writes and what is published)."""
    draft = state.get("draft") or {}
    return {
        "kind": "briefing",
        "story_id": state.get("story_id"),
        "beat": state.get("beat"),
        "topic": state.get("topic"),
        "since": state.get("since"),
        "requested_by": state.get("requested_by"),
        "status": state.get("status", "revising"),
        "draft_version": state.get("draft_version", 0),
        "headline": draft.get("headline", ""),
        "items": draft.get("items", []),
        "what_to_watch": draft.get("what_to_watch", []),
        "claims": state.get("claims", []),
        "conflicts": state.get("conflicts", []),
        "flagged": state.get("flagged", []),
        "sources": sources_json(state),
        "failed_sources": state.get("failed_sources", []),
        "audit": state.get("audit") or {"passed": False, "problems": ["not audited yet"]},
        "methodology": methodology(state),
        "history": state.get("history", []),
        "published": state.get("published", {}),
    }


def story_json(state: dict[str, Any]) -> dict[str, Any]:
    """Explainer or briefing JSON, by the story's kind."""
    return briefing_json(state) if state.get("kind") == "briefing" else explainer_json(state)


def briefing_markdown(b: dict[str, Any]) -> str:
    since = (b.get("since") or "")[:10]
    lines = [
        f"# {b['headline']}",
        "",
        f"*Briefing on {b['beat']}" + (f", new since {since}*" if since else "*"),
        "",
    ]
    lines += [f"- {it['text']}{_cites(it['citations'])}" for it in b["items"]]
    if b.get("what_to_watch"):
        lines += ["", "## What to watch", ""]
        lines += [f"- {w['text']}{_cites(w['citations'])}" for w in b["what_to_watch"]]
    if b["conflicts"]:
        lines += ["", "## Where the sources disagree", ""]
        for c in b["conflicts"]:
            sides = "; ".join(f"{v['value']}{_cites(v['citations'])}" for v in c["values"])
            lines.append(
                f"- **{c['subject']}**: {sides}" + (f" — {c['resolution']}" if c.get("resolution") else "")
            )
    if not b["audit"].get("passed"):
        lines += ["", "## Citation audit problems", ""] + [f"- {p}" for p in b["audit"].get("problems", [])]
    lines += ["", "## Sources", ""]
    for s in b["sources"]:
        date = (s.get("published_at") or "undated")[:10]
        title = f"[{s['title']}]({s['url']})" if s.get("url") else s["title"]
        lines.append(f"{s['n']}. {title} — {s['outlet']}, {date}")
    if b.get("failed_sources"):
        lines += ["", "Sources that could not be read this time: "]
        lines += [f"- {f['source']}: {f['error']}" for f in b["failed_sources"]]
    m = b["methodology"]
    lines += [
        "",
        f"*Drafted by newsroom from {m['records_considered']} new records, {m['records_cited']} cited; "
        f"{m['model_calls']} model calls. Every number and date was checked against the sources it cites. "
        "Approved by a human editor before publication.*",
    ]
    return "\n".join(lines) + "\n"


def render_markdown(doc: dict[str, Any]) -> str:
    return briefing_markdown(doc) if doc.get("kind") == "briefing" else to_markdown(doc)
