"""Graph state: what flows between the agents, JSON-shaped so any checkpointer can keep it."""

from __future__ import annotations

import operator
from typing import Annotated, Any, NotRequired, TypedDict


def merge_dicts(left: dict[str, str] | None, right: dict[str, str] | None) -> dict[str, str]:
    """Reducer: later keys win, earlier keys stay."""
    return {**(left or {}), **(right or {})}


class StoryInput(TypedDict):
    """What a request carries in."""

    story_id: str
    """The thread id: derived by the door (CLI: random; Slack: channel + parent message)."""
    topic: str
    """What the editor asked about, in their words."""
    beat: str | None
    """Restrict research to one beat, or None for all."""
    requested_by: str
    """Who asked (a Slack user id or a local user name)."""
    kind: NotRequired[str]
    """'explainer' (the default) or 'briefing'."""
    record_ids: NotRequired[list[str]]
    """A briefing's records, chosen before the run (what is new on the beat); research numbers them."""
    since: NotRequired[str | None]
    """A briefing's cut-off (ISO time): records older than this were not considered."""
    failed_sources: NotRequired[list[dict[str, str]]]
    """A briefing's sources that could not be polled: {source, error}."""
    update: NotRequired[dict[str, Any]]
    """A living story's update run: {edition, since, requested_by} — the version being written and when the
    last one was published (records ingested after it are new); see newsroom/living.py."""
    policy: NotRequired[dict[str, Any]]
    """The source policy the story runs under (`SourcePolicy.to_json`): a beat's, or the default."""
    policy_dropped: NotRequired[list[dict[str, str]]]
    """Records the policy kept out: {record_id, title, outlet, reason} (a briefing's, before the run;
    research adds what it drops)."""
    attached: NotRequired[list[str]]
    """Records people gave this story by hand (files shared in its thread): research keeps them whatever
    their relevance, and a change request made after one was attached researches again."""


class StoryState(StoryInput, total=False):
    """Everything the graph keeps between steps (JSON values only)."""

    sources: list[dict[str, Any]]
    """Numbered source list: {n, record_id, title, outlet, url, published_at, text, duplicates, relevance,
    kind, platform, author, score, tier} (kind, platform, author, score: what kind of source, and for a post
    who wrote it where; tier: its outlet tier under the story's source policy)."""
    records_considered: int
    """How many distinct records research looked at before filtering."""
    sub_questions: list[str]
    """The research plan."""
    claims: list[dict[str, Any]]
    """Checked claims: {text, status, citations, subject, value}."""
    conflicts: list[dict[str, Any]]
    """Cross-source conflicts: {subject, values[{value, citations}], resolution}."""
    flagged: list[dict[str, Any]]
    """Records flagged to the editor (e.g. text that reads as instructions): {n, record_id, reason}."""
    framing: dict[str, Any]
    """Angles: established, contested, stakeholders, gaps."""
    draft: dict[str, Any]
    """The writer's latest draft: headline, dek, story_so_far, sections, faq."""
    audit: dict[str, Any]
    """Latest citation audit: {passed, problems[]}."""
    composed: list[str]
    """Notes on answers code added to the latest draft (disagreements the writer left out)."""
    audit_rounds: int
    """How many times the writer has rewritten after an audit failure in this draft cycle."""
    revision_note: str | None
    """An editor's change request for the writer, cleared once used."""
    draft_version: int
    """Increments with every draft shown to an editor."""
    status: str
    """pending_approval | revising | published | rejected."""
    decision: dict[str, Any] | None
    """The last human decision: {decision, who, note, at}."""
    history: Annotated[list[dict[str, Any]], operator.add]
    """Every human decision, appended (reducer: list concatenation); an editor's edit is
    {kind: "edit", by, at, version (the draft it made), diff (unified)}."""
    usage: Annotated[list[dict[str, Any]], operator.add]
    """Per model call: {role, model, prompt_tokens, completion_tokens, seconds} (reducer: concatenation)."""
    prompts_used: Annotated[dict[str, str], merge_dicts]
    """prompt id -> version + hash, for the methodology block (reducer: merge)."""
    models_used: Annotated[dict[str, str], merge_dicts]
    """role -> model name (reducer: merge)."""
    published: dict[str, str]
    """Where the approved explainer was written: {format: path}."""
    changes: list[dict[str, Any]]
    """An update's changes since the last published version, found by code (newsroom/claims/changes.py)."""
    editions: Annotated[list[dict[str, Any]], operator.add]
    """Every published version: {edition, published_at, draft_version, story} (reducer: concatenation)."""


class StoryOutput(TypedDict, total=False):
    """What a run hands back to a door (`invoke`'s result; the full state is `get_state(config).values`)."""

    story_id: str
    """The thread id the run was started with."""
    status: str
    """Where the story stands: pending_approval | revising | published | rejected."""
    draft: dict[str, Any]
    """The latest draft (see StoryState.draft)."""
    audit: dict[str, Any]
    """The latest citation audit (see StoryState.audit)."""
    conflicts: list[dict[str, Any]]
    """The cross-source conflicts found (see StoryState.conflicts)."""
