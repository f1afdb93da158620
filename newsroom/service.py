"""The one facade every door (CLI, Slack, scheduler) calls: ingest, search, explain, review, show, status."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from langgraph.types import Command

from newsroom import briefing
from newsroom.beats import Beat, BeatsFile, load_beats
from newsroom.briefing import BriefingPlan
from newsroom.checkpoint import open_checkpointer
from newsroom.deps import Deps
from newsroom.edits import EditRefused as EditRefused
from newsroom.edits import StoryEdits
from newsroom.fetchguard import FetchPolicy, guarded_fetcher, iter_url
from newsroom.graph import build_graph
from newsroom.ingest import IngestReport, collect, ingest_parsed
from newsroom.jobs import EmbeddedJobs
from newsroom.living import LivingStories
from newsroom.models.factory import build_model
from newsroom.models.port import ModelPort
from newsroom.parsers import Fetcher, Parsed
from newsroom.politeness import politeness
from newsroom.publication import Publisher, Publishing
from newsroom.registry import Registry, StoryRegistry
from newsroom.runs import Progress as Progress
from newsroom.runs import ProgressFn as ProgressFn
from newsroom.runs import PublishPending as PublishPending
from newsroom.runs import StaleDraft as StaleDraft
from newsroom.runs import StoryError as StoryError
from newsroom.runs import StoryRuns
from newsroom.settings import Settings
from newsroom.sourcepolicy import PolicyError, ScreenedFetcher, SourcePolicy, default_policy, screen_parsed
from newsroom.storage import StorageError, chroma_sentence, lazy_store, storage_sentence
from newsroom.store import Search, SearchHit, SourceStore, open_store

log = logging.getLogger("newsroom")


@dataclass
class Newsroom(StoryRuns, StoryEdits, LivingStories):
    """Holds the configured collaborators; each is built on first use and injected everywhere."""

    settings: Settings
    store_override: SourceStore | None = None
    fetch_override: Fetcher | None = None
    model_override: ModelPort | None = None
    publishers: Mapping[str, Publisher] = field(default_factory=dict)
    """Publication targets besides the files (the publish channel, later a CMS), by name: passed in by
    whoever builds the room (`serve` passes the Slack channel), fixed from then on."""
    status_listeners: list[Callable[[str, str], None]] = field(default_factory=list)
    """Told (story id, status) when a run leaves a story in a status: the Slack Home refreshes on it."""

    @cached_property
    def store(self) -> SourceStore:
        if self.store_override:
            return self.store_override
        try:
            return open_store(self.settings)
        except Exception as exc:
            raise StorageError(chroma_sentence(exc, self.settings.chroma_dir)) from None

    def fetcher(self, named: Iterable[str] = (), untrusted: bool = False) -> Fetcher:
        """The operator's fetcher may reach the hosts it names; a Slack user's, only public addresses."""
        if self.fetch_override:
            return self.fetch_override
        policy = FetchPolicy.from_setting(
            self.settings.fetch_allow, () if untrusted else named, detail=not untrusted
        )
        polite = politeness(self.settings.web, self.settings.data_dir, self.settings.ingest.user_agent)
        return guarded_fetcher(self.settings.ingest, policy, polite)

    @cached_property
    def jobs(self) -> EmbeddedJobs:
        """Work that must finish: on the queue when there is a database (any worker runs it), else threads here."""
        if self.settings.database:
            from newsroom.queue.jobs import QueueJobs

            # The lease lapses before a silent worker's job is handed to another (stalled_s), so the story is
            # free for it even when the dead worker was on another host.
            queue = self.settings.queue
            return QueueJobs(self, lease_s=queue.stalled_s * 0.75, url=self.settings.database, settings=queue)
        return EmbeddedJobs(self)

    @cached_property
    def model(self) -> ModelPort:
        return self.model_override or build_model(self.settings.llm, self.settings.data_dir)

    @cached_property
    def registry(self) -> StoryRegistry:
        """In PostgreSQL when NEWSROOM_DATABASE_URL is set (shared by every front and worker), else in the
        SQLite file next to the checkpoints."""
        if self.settings.database:
            from newsroom.database.registry import PostgresRegistry

            return PostgresRegistry(self.settings.database)
        try:
            return Registry(self.settings.checkpoint_path)
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(storage_sentence(exc, self.settings.checkpoint_path)) from None

    @cached_property
    def publishing(self) -> Publishing:
        return Publishing(self.registry, self.settings.published_dir, dict(self.publishers))

    @cached_property
    def deps(self) -> Deps:
        """What every agent is handed: the model, the store, the embedder and the publisher."""
        from newsroom.embedders import MINILM, MULTILINGUAL, embedder_named

        return Deps(
            model=self.model,
            # Opened on first use: `show` of a published story needs no record store.
            store=lazy_store(lambda: self.store, self.settings.chroma_dir),
            # the claims floors are MiniLM cosines; across languages the multilingual embedder compares
            embed=MINILM.similar,
            embed_across=MULTILINGUAL.similar,
            embedder=embedder_named(self.settings.embedder),
            publish=self.publishing.publish,
            research=self.settings.research,
            claims=self.settings.claims,
            audit_max_rounds=self.settings.audit_max_rounds,
        )

    @cached_property
    def graph(self) -> Any:
        try:
            saver = open_checkpointer(self.settings)
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(storage_sentence(exc, self.settings.checkpoint_path)) from None
        return build_graph(saver)

    # -- records ---------------------------------------------------------------------------------

    @cached_property
    def default_policy(self) -> SourcePolicy:
        """The global default source policy (`NEWSROOM_POLICY_*`); what `explain` applies."""
        try:
            return default_policy(**self.settings.policy.model_dump())
        except PolicyError as exc:
            raise StoryError(f"The source policy in the settings is not valid: {exc}.") from None

    def source_policy(self, beat: Beat | None = None) -> SourcePolicy:
        """A beat's source policy (its `policy` table over the default), or the default."""
        if beat is None or not beat.policy:
            return self.default_policy
        return self.default_policy.with_overrides(beat.name, beat.policy)

    def read_targets(
        self,
        targets: Iterable[str],
        beat: str | None = None,
        untrusted: bool = False,
        policy: SourcePolicy | None = None,
    ) -> list[Parsed]:
        """Every record the targets stand for; `untrusted` targets (a Slack user's) are public URLs only;
        with a `policy`, what it refuses is not fetched."""
        targets = list(targets)
        fetch = self.fetcher(targets, untrusted)
        if policy is not None:
            fetch = ScreenedFetcher(fetch, policy)
        if untrusted:
            return [p for t in targets for p in iter_url(t, self.settings.ingest, fetch, self.settings.web)]
        return collect(targets, self.settings, fetch, {"beat": beat} if beat else {})

    def ingest(
        self,
        targets: Iterable[str],
        beat: str | None = None,
        on_progress: Callable[[int], None] | None = None,
        untrusted: bool = False,
    ) -> IngestReport:
        """Read and store the targets; for a beat, under its source policy (or the default, for a beat the
        beats file does not name): a refused domain is not fetched, and a record from one is rejected."""
        policy = self.source_policy(self.beats().beats.get(beat)) if beat and not untrusted else None
        parsed = self.read_targets(targets, beat, untrusted, policy)
        if policy is not None:
            parsed = screen_parsed(parsed, policy)[0]
        return ingest_parsed(parsed, self.store, self.settings, on_progress)

    def ingest_parsed(
        self, parsed: list[Parsed], on_progress: Callable[[int], None] | None = None
    ) -> IngestReport:
        return ingest_parsed(parsed, self.store, self.settings, on_progress)

    @property
    def search(self) -> Search:
        """The store's search: records ranked by meaning, a syndicated copy folded into its original."""
        return self.store.search

    # -- stories ---------------------------------------------------------------------------------

    def explain(
        self,
        topic: str,
        beat: str | None = None,
        requested_by: str = "cli",
        story_id: str | None = None,
        on_progress: ProgressFn | None = None,
    ) -> dict[str, Any]:
        """Run a new story to the approval point; returns the explainer JSON."""
        topic = " ".join(topic.split())
        if not topic:
            raise StoryError('Say what the explainer is about, e.g. `newsroom explain "the transit budget"`.')
        story_id = story_id or f"story-{uuid.uuid4().hex[:10]}"
        payload: dict[str, Any] = {
            "story_id": story_id,
            "topic": topic,
            "beat": beat,
            "requested_by": requested_by,
            "policy": self.default_policy.to_json(),
        }
        payload["attached"] = self.registry.attached(story_id)  # records given before it started
        # The payload is kept: a story whose process died before its first checkpoint starts again from it.
        return self._start(payload, topic, on_progress=on_progress, keep_payload=True)

    # -- beats -----------------------------------------------------------------------------------

    def beats(self) -> BeatsFile:
        return load_beats(self.settings.beats_path)

    def beat(self, name: str) -> Beat:
        loaded = self.beats()
        if name in loaded.beats:
            return loaded.beats[name]
        own = [e for e in loaded.errors if e.startswith(f"beat {name!r}")]
        if own:
            raise StoryError(f"Beat {name!r} is not valid: " + "; ".join(own))
        known = ", ".join(sorted(loaded.beats)) or "none"
        extra = f" ({loaded.errors[0]})" if not loaded.beats and loaded.errors else ""
        raise StoryError(f"There is no beat {name!r} in {loaded.path}; known beats: {known}{extra}.")

    def prepare_briefing(
        self, beat: str | Beat, since: datetime | None = None, now: datetime | None = None
    ) -> BriefingPlan:
        """Poll the beat's sources, ingest what is new, and choose the records a briefing would cover, as
        the beat's source policy allows."""
        chosen = beat if isinstance(beat, Beat) else self.beat(beat)
        policy = self.source_policy(chosen)
        refused: list[dict[str, str]] = []
        plan = briefing.prepare(
            chosen,
            # Opened on first use, as `self.store` was: the poll comes first whether or not the store opens.
            store=lazy_store(lambda: self.store, self.settings.chroma_dir),
            registry=self.registry,
            ingest=lambda source, name: self._ingest_source(source, name, policy, refused),
            max_records=self.settings.briefing_max_records,
            since=since,
            now=now,
            policy=policy,
        )
        plan.policy_dropped[:0] = refused
        return plan

    def _ingest_source(
        self, source: str, beat: str, policy: SourcePolicy, refused: list[dict[str, str]]
    ) -> tuple[list[Parsed], IngestReport]:
        """One of a beat's sources read and stored under its policy (see `ingest`): what the poll is handed;
        a record refused (a feed's entry from a blocked domain) is also named in `refused`."""
        parsed, refusals = screen_parsed(self.read_targets([source], beat=beat, policy=policy), policy)
        refused += refusals
        return parsed, self.ingest_parsed(parsed)

    def run_briefing(
        self,
        plan: BriefingPlan,
        requested_by: str = "cli",
        story_id: str | None = None,
        on_progress: ProgressFn | None = None,
    ) -> dict[str, Any]:
        """Draft the briefing a plan describes, to the approval point; nothing new gives one line, no story."""
        if not plan.record_ids:
            return plan.nothing_new()
        story_id = story_id or f"brief-{plan.beat.name}-{uuid.uuid4().hex[:8]}"
        payload = briefing.payload(plan, story_id, requested_by)
        return self._start(payload, f"briefing: {plan.beat.name}", kind="briefing", on_progress=on_progress)

    def brief(
        self,
        beat: str,
        since: datetime | None = None,
        requested_by: str = "cli",
        on_progress: ProgressFn | None = None,
    ) -> dict[str, Any]:
        return self.run_briefing(self.prepare_briefing(beat, since), requested_by, on_progress=on_progress)

    def show(self, story_id: str) -> dict[str, Any]:
        if not self._state(story_id):
            raise StoryError(f"There is no story {story_id}. `newsroom status` lists stories.")
        return self._explainer(story_id)

    def review(
        self,
        story_id: str,
        decision: str,
        who: str = "cli",
        note: str | None = None,
        draft_version: int | None = None,
        on_progress: ProgressFn | None = None,
        on_claimed: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        """Record an editor's decision and resume the story: approve, reject, or revise with a note."""
        if decision not in ("approve", "reject", "revise"):
            raise StoryError(f"Unknown decision {decision!r}: use approve, reject or revise.")
        if decision == "revise" and not (note or "").strip():
            raise StoryError("A change request needs a note saying what to change.")
        snapshot = self.graph.get_state(self._config(story_id))
        state = dict(snapshot.values or {})
        if not state:
            raise StoryError(f"There is no story {story_id}. `newsroom status` lists stories.")
        current = int(state.get("draft_version", 0))
        if draft_version is not None and draft_version != current:
            raise StaleDraft(
                f"That draft of story {story_id} was replaced by a newer one (version {current})."
            )
        earlier = self.registry.decision_for(story_id, current)
        if tuple(snapshot.next or ()) == ("publish",) and earlier:
            # Approved, publication unfinished: the decision is final; the click finishes the publication.
            if decision != "approve":
                raise StaleDraft(
                    f"Draft {current} of story {story_id} was already approved by "
                    f"{earlier.get('who') or 'someone'}; its publication is being finished."
                )
            try:
                return self._run(story_id, None, on_progress)
            except PublishPending:
                raise
            except StoryError as exc:
                raise StaleDraft(
                    f"Draft {current} of story {story_id} was already approved by "
                    f"{earlier.get('who') or 'someone'}; {exc}"
                ) from None
        if not snapshot.next:
            raise StoryError(
                f"Story {story_id} is already {state.get('status', 'finished')}; it cannot be decided again."
            )
        if earlier:  # decided, perhaps still being carried out by another click or replica
            raise StaleDraft(
                f"Draft {current} of story {story_id} was already decided "
                f"({earlier['decision']} by {earlier.get('who') or 'someone'})."
            )
        if tuple(snapshot.next) != ("approval",):
            raise StoryError(
                f"Story {story_id} is not waiting for a decision (it stopped before "
                f"{', '.join(snapshot.next)}); run `newsroom retry {story_id}` to finish the draft."
            )
        if not self.registry.claim_decision(story_id, current, decision, who):
            earlier = self.registry.decision_for(story_id, current) or {}
            raise StaleDraft(
                f"Draft {current} of story {story_id} was already decided "
                f"({earlier.get('decision', 'decided')} by {earlier.get('who', 'someone')})."
            )
        if on_claimed:
            on_claimed()
        answer: dict[str, Any] = {
            "decision": decision,
            "who": who,
            "note": note,
            "at": datetime.now(UTC).isoformat(),
        }
        if decision == "revise":  # files shared in the thread since: the revision researches them in
            answer["attached"] = self.registry.attached(story_id)
        try:
            return self._run(story_id, Command(resume=answer), on_progress)
        except Exception:
            if self._state(story_id).get("draft_version", 0) == current and self.graph.get_state(
                self._config(story_id)
            ).next == ("approval",):
                self.registry.release_decision(
                    story_id, current
                )  # nothing happened: the click may be retried
            raise

    def status(self, story_id: str | None = None) -> list[dict[str, Any]]:
        if story_id:
            return [s for s in self.registry.stories(limit=1000) if s["story_id"] == story_id]
        return self.registry.stories()


def hit_json(hit: SearchHit) -> dict[str, Any]:
    r = hit.record
    return {
        "id": r.id,
        "title": r.title,
        "outlet": r.outlet,
        "url": r.url,
        "published_at": r.published_at.isoformat() if r.published_at else None,
        "score": hit.score,
        "beat": r.beat,
        "duplicates": hit.duplicates,
    }
