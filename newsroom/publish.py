"""Publishing an approved explainer: Markdown, HTML and JSON under the data dir's published/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from newsroom.briefing_doc import render_markdown
from newsroom.explainer import to_html


def _slug(story_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", story_id).strip("-") or "story"


def file_publisher(directory: Path) -> Any:
    """A publisher writing three files per story; writes go to a temp name first, then replace."""

    def publish(explainer: dict[str, Any]) -> dict[str, str]:
        directory.mkdir(parents=True, exist_ok=True)
        base = directory / _slug(str(explainer["story_id"]))
        out = {}
        markdown = render_markdown(explainer)
        for fmt, text in (
            ("md", markdown),
            ("html", to_html(explainer, markdown)),
            ("json", json.dumps(explainer, indent=2, ensure_ascii=False)),
        ):
            path = base.with_suffix(f".{fmt}")
            tmp = path.with_suffix(f".{fmt}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            out[fmt] = str(path)
        return out

    return publish
