"""Framing: what is established, what is contested, who the stakeholders are, what the sources leave out."""

from __future__ import annotations

from typing import Any

from agents.common import claims_block, conflicts_block
from newsroom.deps import Deps
from newsroom.schemas import Framing
from newsroom.state import StoryState
from prompts import load_prompt

PROMPT = "framing.v1"


def run(state: StoryState, deps: Deps) -> dict[str, Any]:
    prompt = load_prompt(PROMPT)
    rendered = prompt.render(
        topic=state["topic"],
        claims=claims_block(state.get("claims", []), limit=15),
        conflicts=conflicts_block(state.get("conflicts", [])),
    )
    framing = deps.model.structured("framing", rendered, Framing, max_tokens=450)
    return {
        "framing": framing.model_dump(),
        "prompts_used": {PROMPT: prompt.fingerprint},
        "models_used": {"framing": deps.model.model_name("framing")},
        "usage": deps.model.drain_usage(),
    }
