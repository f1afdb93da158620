"""What agents may ask of a model (ModelPort), what they hand it (RenderedPrompt), and what it reports back."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


class ModelError(RuntimeError):
    """A model call that could not be completed; the message is for a person."""


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt as sent: its id, the system and user texts, and the values it was rendered from.

    `values` keeps what the texts were made of in structured form (a record id, the numbered sentences
    as a list, the sources with their numbers) so a test double can answer from them; endpoints send
    only `system` and `user`.
    """

    id: str
    system: str
    user: str
    values: Mapping[str, Any] = field(default_factory=dict)


class ModelPort(Protocol):
    """What agents may ask of a model."""

    def structured(self, role: str, prompt: RenderedPrompt, schema: type[T], max_tokens: int = 800) -> T: ...
    def text(self, role: str, prompt: RenderedPrompt, max_tokens: int = 800) -> str: ...
    def model_name(self, role: str) -> str: ...
    def drain_usage(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Endpoint:
    """One OpenAI-compatible endpoint a role is sent to."""

    base_url: str
    api_key: str
    model: str
    local: bool = False
    """The embedded model (our own process on CPU): slow, never hung, so it gets local_timeout_s."""


# Which story the calls made in this context belong to: one model port serves every story a process runs at
# once, so an agent draining the log must get its own story's calls, not a neighbour's. LangGraph runs each
# node in a copy of the context the run started in; a thread an agent starts itself must copy it too.
_scope: ContextVar[str | None] = ContextVar("newsroom_usage_scope", default=None)


@contextmanager
def usage_scope(story_id: str) -> Iterator[None]:
    """Model calls made inside (in this context and copies of it) are counted for `story_id`."""
    token = _scope.set(story_id)
    try:
        yield
    finally:
        _scope.reset(token)


@dataclass
class UsageLog:
    """Every call's role, model, tokens, cost and seconds, until the agent that made them drains the log;
    each call is kept for the story whose context made it (`usage_scope`)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)

    def add(self, **entry: Any) -> None:
        with self.lock:
            self.calls.append((_scope.get(), entry))

    def drain(self) -> list[dict[str, Any]]:
        """The calls made for the current story (or outside any story), in order; others stay."""
        scope = _scope.get()
        with self.lock:
            mine = [e for s, e in self.calls if s == scope]
            self.calls = [(s, e) for s, e in self.calls if s != scope]
            return mine
