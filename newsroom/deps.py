"""What the agents are handed: their model, the store, an embedder and the knobs they need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsroom.llm import ModelPort
from newsroom.store import RecordStore


@dataclass
class Deps:
    """Injected into every agent; tests build one with fakes."""

    model: ModelPort
    store: RecordStore
    embed: Callable[[list[str]], np.ndarray]
    publish: Callable[[dict[str, Any]], dict[str, str]] = lambda explainer: {}
    research_k: int = 12
    max_sources: int = 12
    min_relevance: float = 0.40
    relative_relevance: float = 0.70
    named_relevance: float = 0.45  # the floor for a record that names the topic in two of its words
    audit_max_rounds: int = 2
    fact_workers: int = 2
    model_fact_sources: int = 8  # the most relevant sources get model extraction; every source gets code
    subject_similarity: float = 0.75
    party_similarity: float = 0.20  # how alike the words around two parties given one role must read
    source_chars: int = 1500
    writer_source_chars: int = (
        700  # the writer also gets the checked facts; shorter sources keep prompts small
    )
    extra: dict[str, Any] = field(default_factory=dict)
