"""Versioned prompt texts, one per file (`writer.v1.md`); each run records the id and a hash of what it used."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from newsroom.models.port import RenderedPrompt

_DIR = Path(__file__).parent
_SPLIT = "\n---user---\n"


@dataclass(frozen=True)
class Prompt:
    """A system text and a user template with `str.format` placeholders."""

    id: str
    system: str
    user: str
    sha: str

    def render(self, data: Mapping[str, Any] | None = None, **values: object) -> RenderedPrompt:
        """Fill the texts with `values`; `data` is what they show in structured form (a record id, the
        numbered sentences as a list), carried along so a scripted model answers from it, not from text."""
        extra = dict(data or {})
        if clash := sorted(extra.keys() & values.keys()):
            raise ValueError(f"prompt {self.id}: {', '.join(clash)} given both as text and as data")
        return RenderedPrompt(
            self.id, self.system.format(**values), self.user.format(**values), {**values, **extra}
        )

    @property
    def fingerprint(self) -> str:
        return f"{self.id}+{self.sha}"


@cache
def load_prompt(prompt_id: str) -> Prompt:
    """Load `prompts/<prompt_id>.md`, e.g. `writer.v1`."""
    raw = (_DIR / f"{prompt_id}.md").read_text(encoding="utf-8")
    if _SPLIT not in raw:
        raise ValueError(f"prompt {prompt_id} has no '---user---' separator")
    system, user = raw.split(_SPLIT, 1)
    return Prompt(prompt_id, system.strip(), user.strip(), hashlib.sha256(raw.encode()).hexdigest()[:12])
