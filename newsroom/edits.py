"""An editor's edit of a waiting draft becomes its next version: checked by code (no model runs), claimed once
per draft, and written into the story's checkpointed state, so Approve publishes the edited text and a restart
keeps it. Mixed into service.Newsroom."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsroom.claims.audit import party_names
from newsroom.claims.edits import WHOLE, apply_edits, edit_diff, empty_fields, new_problems, problems_by_field
from newsroom.claims.types import Source
from newsroom.jobs import Busy
from newsroom.records import parse_date
from newsroom.runs import StaleDraft, StoryError
from newsroom.storage import storage_sentence

if TYPE_CHECKING:
    from newsroom.jobs import EmbeddedJobs
    from newsroom.registry import StoryRegistry
    from newsroom.settings import Settings

log = logging.getLogger("newsroom")


class EditRefused(StoryError):
    """The edit would break the draft: `problems` maps each field at fault ("faq.1.answer") to sentences."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        super().__init__(
            "The edit was not saved: " + " ".join(_sentence(p) for ps in problems.values() for p in ps)
        )


@dataclass
class CheckedEdit:
    """An edit that passed the checks, ready to become the next version."""

    story_id: str
    version: int
    before: dict[str, Any]
    draft: dict[str, Any]
    audit: dict[str, Any]
    changed: list[str]


class StoryEdits:
    """The part of the facade that edits a waiting draft in place (mixed into service.Newsroom)."""

    settings: Settings
    if TYPE_CHECKING:

        @property
        def graph(self) -> Any: ...
        @property
        def registry(self) -> StoryRegistry: ...
        @property
        def jobs(self) -> EmbeddedJobs: ...
        def _config(self, story_id: str) -> dict[str, Any]: ...
        def _explainer(self, story_id: str) -> dict[str, Any]: ...

    def editable(self, story_id: str, version: int) -> dict[str, Any]:
        """The full state of a story whose draft `version` waits for an editor; a sentence saying why not."""
        snapshot = self.graph.get_state(self._config(story_id))
        state = dict(snapshot.values or {})
        if not state:
            raise StoryError(f"There is no story {story_id}. `newsroom status` lists stories.")
        current = int(state.get("draft_version", 0))
        if version != current:
            raise StaleDraft(
                f"Draft {version} of story {story_id} was replaced by a newer one (draft {current}); "
                "edit the newest draft."
            )
        earlier = self.registry.decision_for(story_id, current)
        if earlier:
            done = "edited" if earlier.get("decision") == "edit" else f"decided ({earlier.get('decision')})"
            raise StaleDraft(
                f"Draft {current} of story {story_id} was already {done} by {earlier.get('who') or 'someone'}."
            )
        if tuple(snapshot.next or ()) != ("approval",):
            status = str(state.get("status") or "being worked on").replace("_", " ")
            raise StoryError(
                f"Story {story_id} is {status}; only a draft waiting for an editor can be edited."
            )
        if state.get("kind") == "briefing":
            raise StoryError("A briefing cannot be edited in place; use Request changes instead.")
        return state

    def check_edit(self, story_id: str, version: int, values: dict[str, str]) -> CheckedEdit:
        """The edited draft with its audit, when the edit changes something and breaks nothing the draft
        had right (citations, values in their sources, disagreements shown, publishability); EditRefused
        naming each field at fault otherwise."""
        state = self.editable(story_id, version)
        before = dict(state.get("draft") or {})
        draft, changed = apply_edits(before, values)
        if not changed:
            first = next(iter(values), "headline")
            raise EditRefused({first: ["Nothing was changed; edit a field, or press Cancel."]})
        empty = empty_fields(draft, changed)
        if empty:
            raise EditRefused({k: [v] for k, v in empty.items()})
        sources = [
            Source(int(s["n"]), str(s.get("text") or ""), parse_date(s.get("published_at")))
            for s in state.get("sources", [])
        ]
        conflicts = list(state.get("conflicts") or [])
        topic = str(state.get("topic") or "")
        names = party_names(state.get("claims") or [], conflicts, topic)
        _, had = problems_by_field(before, sources, conflicts, names, topic)
        audit, has = problems_by_field(draft, sources, conflicts, names, topic)
        broken = new_problems(had, has)
        if broken:
            # a problem of the whole draft (a disagreement no longer shown) is shown on the first field changed
            whole = broken.pop(WHOLE, [])
            if whole:
                broken[changed[0]] = broken.get(changed[0], []) + whole
            raise EditRefused(broken)
        return CheckedEdit(story_id, version, before, draft, audit, changed)

    def edit(self, story_id: str, version: int, who: str, values: dict[str, str]) -> dict[str, Any]:
        """Make an editor's edit of draft `version` the story's next version, exactly once: the draft is
        claimed like a decision (an edit submitted twice, or an edit racing an approval, counts once), and
        the history records who changed what as a unified diff. Returns the story's JSON."""
        try:
            with self.jobs.hold(story_id):
                checked = self.check_edit(story_id, version, values)
                if not self.registry.claim_decision(story_id, version, "edit", who):
                    earlier = self.registry.decision_for(story_id, version) or {}
                    raise StaleDraft(
                        f"Draft {version} of story {story_id} was already "
                        f"{'edited' if earlier.get('decision') == 'edit' else 'decided'} "
                        f"by {earlier.get('who') or 'someone'}."
                    )
                try:
                    self._save(checked, who)
                except BaseException as exc:
                    self.registry.release_decision(story_id, version)  # nothing was saved: it may be retried
                    if isinstance(exc, sqlite3.Error | OSError):
                        raise StoryError(storage_sentence(exc, self.settings.checkpoint_path)) from None
                    raise
        except Busy:
            raise StoryError(
                f"Story {story_id} is being worked on right now; try the edit again in a moment."
            ) from None
        return self._explainer(story_id)

    def _save(self, checked: CheckedEdit, who: str) -> None:
        """The edited draft as the graph's next version, as if `present` had just shown it: the story waits at
        approval again, and Approve publishes this text."""
        version = checked.version + 1
        entry = {
            "kind": "edit",
            "by": who,
            "at": datetime.now(UTC).isoformat(),
            "version": version,
            "diff": edit_diff(checked.before, checked.draft, checked.version, version),
        }
        update = {
            "draft": checked.draft,
            "audit": checked.audit,
            "draft_version": version,
            "status": "pending_approval",
            "history": [entry],
        }
        self.graph.update_state(self._config(checked.story_id), update, as_node="present")
        self.registry.set_status(checked.story_id, "pending_approval", version)
        log.info(
            "story %s: draft %s edited by %s into draft %s", checked.story_id, checked.version, who, version
        )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!", "”")) else text + "."
