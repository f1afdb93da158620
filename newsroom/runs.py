"""Running a story while holding its lease, and every way a run can stop as a sentence; retry and resume."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsroom.costs import usage_rows
from newsroom.documents.briefing import story_json
from newsroom.jobs import Busy, PublicationPending
from newsroom.models.port import ModelError, usage_scope
from newsroom.publication import PublicationFailed, publication_key
from newsroom.storage import StorageError, storage_sentence

if TYPE_CHECKING:
    from newsroom.deps import Deps
    from newsroom.jobs import EmbeddedJobs
    from newsroom.registry import StoryRegistry
    from newsroom.settings import Settings

log = logging.getLogger("newsroom")


class StoryError(Exception):
    """A request about a story that cannot be carried out; the message is for a person."""


class StaleDraft(StoryError):
    """A decision on a draft that has since been replaced or decided."""


class PublishPending(StoryError, PublicationPending):
    """Decided, but a publication target is not done: it is retried with back-off, by the next click,
    by `/newsroom retry` and by `newsroom retry`."""


@dataclass
class Progress:
    """One step of a run, for doors that show progress."""

    step: str
    seconds: float
    summary: str


ProgressFn = Callable[[Progress], None]


def _summary(step: str, update: dict[str, Any]) -> str:
    if step == "research":
        return f"{len(update.get('sources', []))} sources from {update.get('records_considered', 0)} records"
    if step == "factcheck":
        claims = update.get("claims", [])
        return f"{len(claims)} claims, {len(update.get('conflicts', []))} conflicts" + (
            f", {len(update['flagged'])} records flagged" if update.get("flagged") else ""
        )
    if step == "framing":
        return "angles set"
    if step == "writer":
        return "draft written"
    if step == "audit":
        audit = update.get("audit", {})
        return "passed" if audit.get("passed") else f"{len(audit.get('problems', []))} problems"
    if step == "present":
        return "waiting for an editor"
    if step == "publish":
        return "published"
    if step == "reject":
        return "rejected"
    return ""


class StoryRuns:
    """The part of the facade that runs, resumes and retries stories (mixed into service.Newsroom)."""

    settings: Settings
    status_listeners: list[Callable[[str, str], None]]
    """Called with (story id, status) each time a run leaves a story in a status (drafted, published, failed …)."""
    if TYPE_CHECKING:

        @property
        def graph(self) -> Any: ...
        @property
        def deps(self) -> Deps: ...
        @property
        def registry(self) -> StoryRegistry: ...
        @property
        def jobs(self) -> EmbeddedJobs: ...

    def _config(self, story_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": story_id}}

    def _start(
        self,
        payload: dict[str, Any],
        title: str,
        *,
        kind: str = "explainer",
        keep_payload: bool = False,
        on_progress: ProgressFn | None = None,
    ) -> dict[str, Any]:
        """Start a new story (explainer or briefing) under `payload["story_id"]` and run it to the
        approval point; `keep_payload` saves the payload so a run that dies before its first
        checkpoint can be retried from it."""
        story_id = payload["story_id"]
        if self.registry.exists(story_id) or self._state(story_id):
            raise StoryError(f"Story {story_id} already exists; use `newsroom show {story_id}`.")
        meta = json.dumps({"payload": payload}) if keep_payload else "{}"
        self.registry.add_story(story_id, title, payload["requested_by"], kind=kind, meta=meta)
        return self._run(story_id, payload, on_progress)

    def _run(self, story_id: str, payload: Any, on_progress: ProgressFn | None) -> dict[str, Any]:
        """Run or resume a story while holding its lease; every way it can stop is a sentence."""
        try:
            with self.jobs.hold(story_id):
                return self._run_held(story_id, payload, on_progress)
        except Busy:
            raise StoryError(
                f"Story {story_id} is already being worked on; its thread says when it is done."
            ) from None

    def _run_held(self, story_id: str, payload: Any, on_progress: ProgressFn | None) -> dict[str, Any]:
        started = time.perf_counter()
        step = "start"
        # The run's collaborators, built before the story is marked running (as when the graph held them).
        deps = self.deps
        self.registry.set_status(story_id, "running", self._state(story_id).get("draft_version", 0))
        try:
            with usage_scope(story_id):
                try:
                    for chunk in self.graph.stream(
                        payload, self._config(story_id), stream_mode="updates", context=deps
                    ):
                        for step, update in chunk.items():
                            if step.startswith("__"):
                                continue
                            now = time.perf_counter()
                            if on_progress:
                                on_progress(Progress(step, now - started, _summary(step, update or {})))
                            started = now
                finally:
                    self._keep_usage(story_id)
        except PublicationFailed as exc:
            self._mark(story_id, "publishing")
            self.jobs.retry_publication_later(story_id)
            raise PublishPending(str(exc)) from None
        except ModelError as exc:
            self.fail_story(story_id, f"Story {story_id} stopped: {exc}.")
            raise StoryError(self._failed_sentence(story_id, str(exc))) from None
        except (sqlite3.Error, OSError) as exc:
            sentence = storage_sentence(exc, self.settings.checkpoint_path)
            self.fail_story(story_id, sentence)
            raise StoryError(self._failed_sentence(story_id, sentence)) from None
        except StorageError as exc:
            self.fail_story(story_id, str(exc))
            raise StoryError(self._failed_sentence(story_id, str(exc))) from None
        except Exception as exc:
            log.exception("story %s failed after %s", story_id, step)
            reason = _internal_reason(exc, step)
            self.fail_story(story_id, reason)
            raise StoryError(self._failed_sentence(story_id, reason)) from None
        state = self._state(story_id)
        self.registry.set_status(story_id, state.get("status", "running"), state.get("draft_version", 0))
        self._changed(story_id, state.get("status", "running"))
        return self._explainer(story_id)

    def _keep_usage(self, story_id: str) -> None:
        """The story's model use as its checkpoint holds it, recorded for `newsroom costs` however the run
        ended; calls of a step that did not finish are not in the checkpoint, and are dropped with a line
        in the log rather than counted for the next story this process runs."""
        lost = self.deps.model.drain_usage()
        if lost:
            log.warning(
                "story %s: %d model calls (%d tokens) of a step that did not finish are not counted",
                story_id,
                len(lost),
                sum(int(c.get("prompt_tokens") or 0) + int(c.get("completion_tokens") or 0) for c in lost),
            )
        try:
            state = self._state(story_id)
            if state.get("usage"):
                self.registry.record_usage(story_id, state.get("beat"), usage_rows(state["usage"]))
        except Exception:  # the store that failed the run may fail again: the log keeps it
            log.exception("could not record the model use of story %s", story_id)

    @staticmethod
    def _failed_sentence(story_id: str, reason: str) -> str:
        return (
            f"Story {story_id} stopped: {reason.rstrip('.')}. Its progress is kept; "
            f"press Retry or run `newsroom retry {story_id}` to continue."
        )

    def _mark(self, story_id: str, status: str) -> None:
        try:
            self.registry.set_status(story_id, status, self._state(story_id).get("draft_version", 0))
        except Exception:  # the database that failed may fail again: the log keeps it
            log.exception("could not mark story %s %s", story_id, status)
        self._changed(story_id, status)

    def _changed(self, story_id: str, status: str) -> None:
        """Tell whoever listens (Slack's App Home) that a run left a story in `status`; a listener's fault
        is logged, never the story's."""
        for listener in list(self.status_listeners):
            try:
                listener(story_id, status)
            except Exception:
                log.exception("a status listener failed for story %s", story_id)

    def fail_story(self, story_id: str, sentence: str) -> None:
        """The story stopped; it stays resumable with `retry`, and never stays `running`."""
        self._mark(story_id, "failed")

    def _explainer(self, story_id: str) -> dict[str, Any]:
        """The story as JSON, with where an unfinished publication stands."""
        snapshot = self.graph.get_state(self._config(story_id))
        out = story_json(dict(snapshot.values or {}))
        if tuple(snapshot.next or ()) == ("publish",):
            # the version being published: the one after the last published (publication_key)
            edition = len(snapshot.values.get("editions") or []) + 1
            targets = self.registry.publication(publication_key({"story_id": story_id, "edition": edition}))
            out["status"] = "publishing"
            out["publication"] = {
                t: ("done" if v["done"] else v.get("error") or "not done") for t, v in targets.items()
            }
            out["published"] = {k: r for v in targets.values() if v["done"] for k, r in v["result"].items()}
        return out

    def _state(self, story_id: str) -> dict[str, Any]:
        return dict(self.graph.get_state(self._config(story_id)).values or {})

    def retry(self, story_id: str, on_progress: ProgressFn | None = None) -> dict[str, Any]:
        """Continue a story that stopped (a model failure, a crash, an unfinished publication) from its
        last saved step."""
        snapshot = self.graph.get_state(self._config(story_id))
        if not snapshot.values:
            payload = self._saved_payload(story_id)
            if payload is None:
                raise StoryError(f"There is no story {story_id}. `newsroom status` lists stories.")
            return self._run(story_id, payload, on_progress)  # died before its first checkpoint
        if _settled(snapshot):
            state = dict(snapshot.values)
            self.registry.set_status(story_id, state.get("status", "running"), state.get("draft_version", 0))
            raise StoryError(
                f"Story {story_id} has nothing to retry; it is "
                f"{str(state.get('status', 'finished')).replace('_', ' ')}."
            )
        return self._run(story_id, None, on_progress)

    def continue_story(self, story_id: str) -> dict[str, Any]:
        """Background resume (jobs): like retry, but a story with nothing left to do just reports itself."""
        snapshot = self.graph.get_state(self._config(story_id))
        if snapshot.values and _settled(snapshot):
            state = dict(snapshot.values)
            self.registry.set_status(story_id, state.get("status", "running"), state.get("draft_version", 0))
            return self._explainer(story_id)
        return self.retry(story_id)

    def _saved_payload(self, story_id: str) -> dict[str, Any] | None:
        row = next((r for r in self.registry.stories(limit=100_000) if r["story_id"] == story_id), None)
        if row is None:
            return None
        payload = json.loads(row.get("meta") or "{}").get("payload")
        if not payload:
            raise StoryError(
                f"Story {story_id} stopped before its first step was saved and cannot be continued; "
                "start it again."
            )
        return dict(payload)


def _internal_reason(exc: BaseException, step: str) -> str:
    """Why a run stopped on an unexpected exception, in words: which step, and whose fault it looks like."""
    task = next(
        (m.group(1) for n in getattr(exc, "__notes__", []) if (m := re.search(r"task with name '(\w+)'", n))),
        None,
    )
    where = f"in the {task} step" if task else f"after the {step} step"
    tb, modules = exc.__traceback__, set()
    while tb is not None:
        modules.add(tb.tb_frame.f_globals.get("__name__", "").split(".")[0])
        tb = tb.tb_next
    if modules & {"openai", "langchain_openai"}:
        return (
            f"the model endpoint {where} answered with something that is not an OpenAI-compatible answer "
            "(an HTML page or a proxy's error page?); check NEWSROOM_LLM_BASE_URL (it usually ends in /v1)"
        )
    return f"an internal error ({type(exc).__name__}) {where}; the log has the detail"


def _settled(snapshot: Any) -> bool:
    """Waiting for an editor, or finished. An empty `next` alone is not finished: a process killed after a
    step's writes were saved but before the next checkpoint leaves `next` empty with work still to do, and
    resuming applies those writes and carries on."""
    if tuple(snapshot.next or ()) == ("approval",):
        return True
    return not snapshot.next and (snapshot.values or {}).get("status") in ("published", "rejected")
