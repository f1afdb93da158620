"""Writer: the explainer, with citations constrained to the story's source numbers."""

from __future__ import annotations

from typing import Any

from agents.common import claims_block, conflicts_block, sources_block, sources_given
from newsroom.claims.changes import changes_block
from newsroom.claims.translations import checked_quotes
from newsroom.deps import Deps
from newsroom.schemas import briefing_schema, update_schema, writer_schema
from newsroom.state import StoryState
from prompts import load_prompt

PROMPT = "writer.v3"
BRIEFING_PROMPT = "briefing.v2"
UPDATE_PROMPT = "update.v1"


def _framing_line(framing: dict[str, Any]) -> str:
    parts = []
    if framing.get("established"):
        parts.append("established: " + "; ".join(framing["established"]))
    if framing.get("contested"):
        parts.append("contested: " + "; ".join(framing["contested"]))
    if framing.get("gaps"):
        parts.append("the sources leave out: " + "; ".join(framing["gaps"]))
    return " | ".join(parts) or "(none)"


def run(state: StoryState, deps: Deps) -> dict[str, Any]:
    sources = state.get("sources", [])
    given = sources_given(sources, deps.research.writer_source_chars)
    prompt = load_prompt(PROMPT)
    revision = ""
    audit = state.get("audit") or {}
    rewriting = bool(audit and not audit.get("passed") and state.get("draft"))
    if state.get("revision_note"):
        revision += f"\nThe editor asked for these changes: {state['revision_note']}\n"
    if rewriting:
        revision += (
            "\nYour previous draft failed the citation check. Fix these problems:\n"
            + "\n".join(f"- {p}" for p in audit.get("problems", [])[:12])
            + "\n"
        )
    if state.get("kind") == "briefing":
        prompt = load_prompt(BRIEFING_PROMPT)
        rendered = prompt.render(
            {"sources_given": given},
            sources=sources_block(given),
            beat=state.get("beat") or state["topic"],
            since=(state.get("since") or "the last briefing")[:16].replace("T", " "),
            claims=claims_block(state.get("claims", [])),
            conflicts=conflicts_block(state.get("conflicts", [])),
            items=f"{min(3, len(sources))}-{min(8, max(3, len(sources)))}",
            revision=revision,
        )
        schema = briefing_schema([s["n"] for s in sources])
        max_tokens = 1000
    elif update := state.get("update"):
        # A living story's next version: the explainer as it stands now, and what changed since the last one.
        prompt = load_prompt(UPDATE_PROMPT)
        changes = state.get("changes", [])
        rendered = prompt.render(
            {"sources_given": given, "change_list": changes},
            sources=sources_block(given),
            topic=state["topic"],
            claims=claims_block(state.get("claims", [])),
            conflicts=conflicts_block(state.get("conflicts", [])),
            framing=_framing_line(state.get("framing", {})),
            edition=int(update.get("edition", 2)),
            previous=int(update.get("edition", 2)) - 1,
            since=str(update.get("since") or "")[:10],
            changes=changes_block(changes),
            revision=revision,
        )
        schema = update_schema([s["n"] for s in sources])
        max_tokens = 2000
    else:
        rendered = prompt.render(
            {"sources_given": given},
            sources=sources_block(given),
            topic=state["topic"],
            claims=claims_block(state.get("claims", [])),
            conflicts=conflicts_block(state.get("conflicts", [])),
            framing=_framing_line(state.get("framing", {})),
            revision=revision,
        )
        schema = writer_schema([s["n"] for s in sources])
        max_tokens = 1600
    draft = deps.model.structured("writer", rendered, schema, max_tokens=max_tokens).model_dump()
    if "translated_quotes" in draft:
        draft, left_out = checked_quotes(draft, sources)
        draft["translation_notes"] = left_out  # said in the methodology: never left out silently
    return {
        "draft": draft,
        "audit_rounds": state.get("audit_rounds", 0) + (1 if rewriting else 0),
        "revision_note": None,
        "prompts_used": {prompt.id: prompt.fingerprint},
        "models_used": {"writer": deps.model.model_name("writer")},
        "usage": deps.model.drain_usage(),
    }
