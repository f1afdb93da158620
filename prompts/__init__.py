"""Versioned prompt texts, one per file (`writer.v1.md`); each run records the id and a hash of what it used."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DIR = Path(__file__).parent
_SPLIT = "\n---user---\n"


@dataclass(frozen=True)
class Prompt:
    """A system text and a user template with `str.format` placeholders."""

    id: str
    system: str
    user: str
    sha: str

    def render(self, **values: object) -> tuple[str, str]:
        return self.system.format(**values), self.user.format(**values)

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
