"""Which sentence embedder a newsroom uses (`NEWSROOM_EMBEDDER`): English MiniLM (the default) or the
multilingual e5, each as stored-text, question and text-to-text functions with the Chroma function a
store is built with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction

from newsroom import embedding, embedding_e5

Embed = Callable[[list[str]], np.ndarray]


class EmbedderMismatch(Exception):
    """A store was built with one embedder and opened with another; the message is for a person."""


@dataclass(frozen=True)
class Embedder:
    """One embedder's three uses. `similar` embeds texts compared with each other (the claims pass, how
    alike two records read); `passages` stored texts; `queries` search questions."""

    setting: str  # the NEWSROOM_EMBEDDER value
    function_name: str  # the Chroma embedding function's name, kept with every collection
    passages: Embed
    queries: Embed
    similar: Embed
    function: Callable[[], EmbeddingFunction[Documents]]
    # where unrelated texts' cosines sit: 0 for MiniLM; about 0.7 for e5, trained with a low temperature (its
    # model card: "cosine similarity scores distribute around 0.7 to 1.0"). `calibrated` maps a cosine onto
    # MiniLM's scale, so one set of relevance floors (NEWSROOM_RESEARCH_*) holds for either embedder.
    unrelated: float = 0.0

    def calibrated(self, cosine: float) -> float:
        """A cosine of this embedder on the scale relevance floors are written in (MiniLM's)."""
        return (cosine - self.unrelated) / (1.0 - self.unrelated)


MINILM = Embedder(
    "minilm",
    embedding.MiniLMEmbeddingFunction.name(),
    embedding.embed,
    embedding.embed,
    embedding.embed,
    embedding.MiniLMEmbeddingFunction,
)
MULTILINGUAL = Embedder(
    "multilingual",
    embedding_e5.E5EmbeddingFunction.name(),
    embedding_e5.passages,
    embedding_e5.queries,
    embedding_e5.queries,
    embedding_e5.E5EmbeddingFunction,
    unrelated=0.7,
)
EMBEDDERS = {e.setting: e for e in (MINILM, MULTILINGUAL)}


def embedder_named(setting: str) -> Embedder:
    """The embedder a NEWSROOM_EMBEDDER value names."""
    try:
        return EMBEDDERS[setting]
    except KeyError:
        raise ValueError(
            f"NEWSROOM_EMBEDDER={setting!r} names no embedder; use one of {', '.join(EMBEDDERS)}"
        ) from None


def setting_of(function_name: str) -> str:
    """The NEWSROOM_EMBEDDER value whose Chroma function has this name (the name itself if none)."""
    return next((e.setting for e in EMBEDDERS.values() if e.function_name == function_name), function_name)
