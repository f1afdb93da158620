"""What the agents are handed: their model, the store, an embedder and the knobs they need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsroom.embedders import Embedder
from newsroom.models.port import ModelPort
from newsroom.settings import ClaimsSettings, ResearchSettings
from newsroom.store import RecordStore


@dataclass
class Deps:
    """Injected into every agent; tests build one with fakes.

    It reaches the graph's nodes as the run's context (`graph.stream(..., context=deps)`), never through
    the compiled graph, so one graph serves any Deps and none of this is checkpointed.
    """

    model: ModelPort
    store: RecordStore
    embed: Callable[[list[str]], np.ndarray]
    # what compares texts in different languages (the multilingual embedder); None: such texts are not compared
    embed_across: Callable[[list[str]], np.ndarray] | None = None
    # the store's embedder: research judges how alike records read with it (it reads every language the
    # store holds), on the scale of the relevance floors; None: `embed`, as it is
    embedder: Embedder | None = None
    publish: Callable[[dict[str, Any]], dict[str, str]] = lambda explainer: {}
    # the knobs, from settings (`NEWSROOM_RESEARCH_*`, `NEWSROOM_CLAIMS_*`); defaults when a test builds Deps
    research: ResearchSettings = field(default_factory=ResearchSettings)
    claims: ClaimsSettings = field(default_factory=ClaimsSettings)
    audit_max_rounds: int = 2
    extra: dict[str, Any] = field(default_factory=dict)
