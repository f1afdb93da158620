"""Publishing an approved explainer: Markdown, HTML and JSON under the data dir's published/."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from newsroom.documents.briefing import render_markdown
from newsroom.documents.html import render_html


def file_stem(story_id: str) -> str:
    """A file name for a story id, one per id: when the id has characters a file name should not (the dot
    of a Slack timestamp), a hash of the whole id keeps two ids from ever sharing a stem."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", story_id).strip("-") or "story"
    if slug != story_id:
        slug += "-" + hashlib.sha256(story_id.encode("utf-8")).hexdigest()[:10]
    return slug


def write_atomically(path: Path, text: str) -> None:
    """A unique temporary file beside `path`, synced, then renamed over it: a reader (or a crash) sees the
    old file or the new one, never half of one, and concurrent writers never share a temporary name."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_publisher(directory: Path) -> Any:
    """A publisher writing three files per story; writing the same story again gives the same files."""

    def publish(explainer: dict[str, Any]) -> dict[str, str]:
        directory.mkdir(parents=True, exist_ok=True)
        stem = file_stem(str(explainer["story_id"]))
        if explainer.get(
            "editions"
        ):  # a living story: each version also under its own name, kept as published
            explainer = {
                **explainer,
                "editions": [
                    {**e, "page": f"{stem}.v{int(e['edition'])}.html"} for e in explainer["editions"]
                ],
            }
        names = [stem] + ([f"{stem}.v{int(explainer['edition'])}"] if explainer.get("editions") else [])
        out = {}
        markdown = render_markdown(explainer)
        # JSON last: its presence is what `newsroom check` takes to mean the set is complete.
        for name in reversed(names):  # the version's own files first, the story's current page last
            for fmt, text in (
                ("md", markdown),
                ("html", render_html(explainer)),
                ("json", json.dumps(explainer, indent=2, ensure_ascii=False)),
            ):
                path = directory / f"{name}.{fmt}"
                write_atomically(path, text)
                if name == stem:
                    out[fmt] = str(path)
        return out

    return publish
