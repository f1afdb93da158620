"""A beat briefing as readers and other systems get it: JSON from graph state, and Markdown."""

from __future__ import annotations

from typing import Any

from newsroom.documents.explainer import (
    checks,
    checks_markdown,
    cites,
    counts_line,
    envelope,
    explainer_json,
    policy_sentence,
    to_markdown,
    usage_sentence,
)
from newsroom.documents.markup import md_escape, md_text


def briefing_json(state: dict[str, Any]) -> dict[str, Any]:
    """The briefing JSON contract (what `newsroom brief --json` writes and what is published)."""
    draft = state.get("draft") or {}
    return {
        "kind": "briefing",
        **envelope(state),
        "since": state.get("since"),
        "headline": draft.get("headline", ""),
        "items": draft.get("items", []),
        "what_to_watch": draft.get("what_to_watch", []),
        **checks(state),
        "failed_sources": state.get("failed_sources", []),
    }


def story_json(state: dict[str, Any]) -> dict[str, Any]:
    """Explainer or briefing JSON, by the story's kind."""
    return briefing_json(state) if state.get("kind") == "briefing" else explainer_json(state)


def briefing_markdown(b: dict[str, Any]) -> str:
    since = (b.get("since") or "")[:10]
    lines = [
        f"# {md_text(b['headline'])}",
        "",
        f"*Briefing on {md_escape(b['beat'])}" + (f", new since {since}*" if since else "*"),
        "",
        md_escape(counts_line(b)),
        "",
    ]
    lines += [f"- {md_text(it['text'])}{cites(it['citations'])}" for it in b["items"]]
    if b.get("what_to_watch"):
        lines += ["", "## What to watch", ""]
        lines += [f"- {md_text(w['text'])}{cites(w['citations'])}" for w in b["what_to_watch"]]
    lines += ["", *checks_markdown(b)]
    if b.get("failed_sources"):
        lines += ["", "Sources that could not be read this time: "]
        lines += [f"- {md_escape(f['source'])}: {md_escape(f['error'])}" for f in b["failed_sources"]]
    m = b["methodology"]
    lines += [
        "",
        f"*Drafted by newsroom from {m['records_considered']} new records, {m['records_cited']} cited; "
        f"{m['model_calls']} model calls.{md_escape(usage_sentence(m))} Every number and date was checked "
        "against the sources it cites. "
        + (md_escape(policy_sentence(b)) + " " if policy_sentence(b) else "")
        + "Approved by a human editor before publication.*",
    ]
    return "\n".join(lines) + "\n"


def render_markdown(doc: dict[str, Any]) -> str:
    return briefing_markdown(doc) if doc.get("kind") == "briefing" else to_markdown(doc)
