"""Living stories: a published explainer's next version (`update`), and records arriving after publication
that correct or contradict a value a published explainer states (`challenges`), for its thread to hear of."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from newsroom.claims.published import challenged_values
from newsroom.runs import ProgressFn, StaleDraft, StoryError

if TYPE_CHECKING:
    from newsroom.deps import Deps
    from newsroom.registry import StoryRegistry
    from newsroom.settings import Settings
    from newsroom.store import SourceStore


@dataclass(frozen=True)
class Challenge:
    """A record ingested after a story was published that corrects or contradicts a value it states."""

    story_id: str
    record_id: str
    kind: str  # "corrects" | "contradicts"
    subject: str
    value: str  # the explainer's
    new_value: str  # the record's
    sentence: str  # the explainer's, stating `value`
    outlet: str
    title: str
    url: str | None
    published_at: str | None


class LivingStories:
    """The part of the facade that keeps published explainers alive (mixed into service.Newsroom)."""

    settings: Settings
    if TYPE_CHECKING:

        @property
        def deps(self) -> Deps: ...
        @property
        def registry(self) -> StoryRegistry: ...
        @property
        def store(self) -> SourceStore: ...
        def _state(self, story_id: str) -> dict[str, Any]: ...
        def _run(self, story_id: str, payload: Any, on_progress: ProgressFn | None) -> dict[str, Any]: ...
        def _config(self, story_id: str) -> dict[str, Any]: ...
        @property
        def graph(self) -> Any: ...

    def update(
        self,
        story_id: str,
        requested_by: str = "cli",
        on_progress: ProgressFn | None = None,
        on_claimed: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        """Write a published explainer's next version from the records ingested since, with What changed, up
        to the approval point. Claimed once per (story, version): a second Update is told it is under way."""
        state = self._state(story_id)
        if not state:
            raise StoryError(f"There is no story {story_id}. `newsroom status` lists stories.")
        if state.get("kind") == "briefing":
            raise StoryError(f"Story {story_id} is a briefing; only explainers are updated.")
        editions = state.get("editions") or []
        busy = tuple(self.graph.get_state(self._config(story_id)).next or ())
        if state.get("status") != "published" or not editions or busy:
            status = str(state.get("status") or "unfinished").replace("_", " ")
            raise StoryError(
                f"Story {story_id} is {status}; only a published explainer can be updated "
                "(an update already drafted waits for its decision)."
            )
        edition = len(editions) + 1
        # once per version and published draft: two clicks make one run; after a rejected update, a new one may
        if not self.registry.claim_once(f"update:{story_id}:{edition}:{state.get('draft_version', 0)}"):
            raise StaleDraft(
                f"Version {edition} of story {story_id} was already asked for; its thread shows how it goes."
            )
        if on_claimed:
            on_claimed()
        payload = {
            "story_id": story_id,
            "topic": state["topic"],
            "beat": state.get("beat"),
            "requested_by": state.get("requested_by") or requested_by,
            "update": {
                "edition": edition,
                "since": editions[-1]["published_at"],
                "requested_by": requested_by,
            },
        }
        return self._run(story_id, payload, on_progress)

    def challenges(self, record_ids: Iterable[str], stories: int = 200) -> list[Challenge]:
        """For every published explainer (the newest `stories`), the given records that correct or contradict
        a value it states. Records it was written from, copies and records off its topic are left out."""
        wanted = list(dict.fromkeys(record_ids))
        records = [r for r in self.store.get(wanted) if not r.duplicate_of] if wanted else []
        if not records:
            return []
        found: list[Challenge] = []
        for row in self.registry.stories(status="published", limit=stories):
            if row.get("kind") != "explainer":
                continue
            state = self._state(row["story_id"])
            editions = state.get("editions") or []
            if not editions:
                continue
            # the published version's own records (an update drafted since has others), read from the store
            story = editions[-1].get("story") or {}
            listed = story.get("sources") or []
            texts = {r.id: r.text for r in self.store.get([s["record_id"] for s in listed])}
            sources = [{**s, "text": texts[s["record_id"]]} for s in listed if s["record_id"] in texts]
            if not sources:
                continue
            known = {s["record_id"] for s in listed} | {d for s in listed for d in s.get("duplicates") or []}
            fresh = [r for r in records if r.id not in known]
            on_topic = self._on_topic(state["topic"], [f"{r.title}. {r.text}" for r in fresh])
            for record, near in zip(fresh, on_topic, strict=True):
                if not near:
                    continue
                as_source = {
                    "record_id": record.id,
                    "outlet": record.outlet,
                    "published_at": record.published_at.isoformat() if record.published_at else None,
                    "text": record.text,
                }
                draft = editions[-1].get("story") or {}
                for c in challenged_values(sources, as_source, draft, self.deps.embed, self.settings.claims):
                    found.append(
                        Challenge(
                            row["story_id"],
                            record.id,
                            c["kind"],
                            c["subject"],
                            c["value"],
                            c["new_value"],
                            c["sentence"],
                            record.outlet,
                            record.title,
                            record.url,
                            as_source["published_at"],
                        )
                    )
        return found

    def _on_topic(self, topic: str, texts: list[str]) -> list[bool]:
        """Whether each text bears on the topic as research would keep it (`NEWSROOM_RESEARCH_MIN_RELEVANCE`)."""
        if not texts:
            return []
        chars = self.settings.research.source_chars
        vectors = self.deps.embed([topic, *(t[:chars] for t in texts)])
        scores = (
            vectors[1:]
            @ vectors[0]
            / (np.linalg.norm(vectors[1:], axis=1) * (float(np.linalg.norm(vectors[0])) or 1.0) + 1e-9)
        )
        return [float(s) >= self.settings.research.min_relevance for s in scores]
