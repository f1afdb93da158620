"""Publication as a step of its own: every target (the files, the publish channel, later a CMS) is recorded
done or not in the registry, so running the step again finishes only what is left."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsroom.documents.files import file_publisher
from newsroom.registry import StoryRegistry
from newsroom.storage import storage_sentence

log = logging.getLogger("newsroom.publication")
Publisher = Callable[[dict[str, Any]], dict[str, str]]


def publication_key(story: dict[str, Any]) -> str:
    """Whose targets a publication records: the story's for its first version, `<story>#v<n>` for a living
    story's later ones (each version is published to every target again)."""
    edition = int(story.get("edition") or 1)
    return str(story["story_id"]) + (f"#v{edition}" if edition > 1 else "")


class PublishError(Exception):
    """A target refused the publication; the message is a sentence for the editor (what to do)."""


class PublicationFailed(Exception):
    """One or more targets are not done; the message names each and why."""


class Publishing:
    """Runs the targets of one story's publication, skipping those already done."""

    def __init__(self, registry: StoryRegistry, directory: Path, extra: dict[str, Publisher]) -> None:
        self.registry = registry
        self.directory = directory
        self.extra = extra  # the facade's targets, given when it was built
        self._files = file_publisher(directory)
        self._lock = threading.Lock()

    def targets(self) -> dict[str, Publisher]:
        return {"files": self._files, **self.extra}

    def publish(self, explainer: dict[str, Any]) -> dict[str, str]:
        story_id = publication_key(explainer)
        if explainer.get("kind") == "briefing" and explainer.get("beat"):
            covered = [s["record_id"] for s in explainer["sources"]]
            covered += [d for s in explainer["sources"] for d in s.get("duplicates") or []]
            self.registry.mark_briefed(explainer["beat"], covered, str(explainer["story_id"]))
        done = self.registry.publication(story_id)
        out: dict[str, str] = {}
        failures: list[str] = []
        for name, target in self.targets().items():
            if done.get(name, {}).get("done"):
                out.update(done[name]["result"])
                continue
            try:
                result = target(explainer)
            except Exception as exc:
                sentence = self._sentence(name, exc)
                self.registry.record_target(story_id, name, None, sentence)
                failures.append(sentence)
                continue
            self.registry.record_target(story_id, name, result)
            out.update(result)
        if failures:
            raise PublicationFailed("; ".join(failures))
        return out

    def _sentence(self, name: str, exc: Exception) -> str:
        if isinstance(exc, PublishError):
            return str(exc)
        if name == "files" and isinstance(exc, OSError):
            return "publishing the files failed: " + storage_sentence(exc, self.directory)
        log.warning("publishing to %s failed", name, exc_info=True)
        return f"publishing to {name} failed ({type(exc).__name__}); press Retry, or ask whoever runs newsroom to check its log"
