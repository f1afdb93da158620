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


def keep_previous(directory: Path, stem: str, edition: int) -> None:
    """Before version `edition + 1` replaces a story's files, copy them to `<stem>.v<edition>.*` — once, and only
    when they are that version (a publication run again must not file the new version as the old)."""
    current, kept = directory / f"{stem}.json", directory / f"{stem}.v{edition}.json"
    if edition < 1 or kept.exists() or not current.exists():
        return
    try:
        shown = int(json.loads(current.read_text(encoding="utf-8")).get("edition") or 1)
    except (ValueError, TypeError, AttributeError):
        return  # not a file newsroom wrote whole: left alone, `newsroom check` reports it
    if shown != edition:
        return
    for fmt in ("md", "html", "json"):  # JSON last, as for every file set
        if (directory / f"{stem}.{fmt}").exists():
            write_atomically(
                directory / f"{stem}.v{edition}.{fmt}", (directory / f"{stem}.{fmt}").read_text("utf-8")
            )


def file_publisher(directory: Path) -> Any:
    """A publisher writing three files per story; writing the same story again gives the same files."""

    def publish(explainer: dict[str, Any]) -> dict[str, str]:
        directory.mkdir(parents=True, exist_ok=True)
        stem = file_stem(str(explainer["story_id"]))
        edition = int(explainer.get("edition") or 1)
        if explainer.get("editions"):  # a living story: every earlier version keeps a page of its own
            keep_previous(directory, stem, edition - 1)
            explainer = {
                **explainer,
                "editions": [
                    {**e, "page": f"{stem}.v{int(e['edition'])}.html"} if int(e["edition"]) < edition else e
                    for e in explainer["editions"]
                ],
            }
        out = {}
        markdown = render_markdown(explainer)
        # JSON last: its presence is what `newsroom check` takes to mean the set is complete.
        for fmt, text in (
            ("md", markdown),
            ("html", render_html(explainer)),
            ("json", json.dumps(explainer, indent=2, ensure_ascii=False)),
        ):
            path = directory / f"{stem}.{fmt}"
            write_atomically(path, text)
            out[fmt] = str(path)
        return out

    return publish
