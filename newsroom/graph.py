"""The editorial graph: research → fact-check → framing → writer → audit → (rewrite | approval) → publish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents import factcheck, framing, research, writer
from newsroom.claims.audit import audit_draft, party_names, repair_citations
from newsroom.claims.changes import complete_changes, what_changed
from newsroom.claims.compose import complete_draft
from newsroom.claims.finishing import finish_draft
from newsroom.claims.publishability import check_draft
from newsroom.claims.standing import Standing
from newsroom.claims.types import Source
from newsroom.deps import Deps
from newsroom.documents.briefing import story_json
from newsroom.records import parse_date
from newsroom.sourcepolicy import SourcePolicy
from newsroom.state import StoryInput, StoryOutput, StoryState


def route_after_research(state: StoryState) -> Literal["factcheck", "no_sources"]:
    return "factcheck" if state.get("sources") else "no_sources"


def route_after_factcheck(state: StoryState) -> Literal["framing", "writer"]:
    # A briefing says what is new, item by item: it needs no angles.
    return "writer" if state.get("kind") == "briefing" else "framing"


def route_after_audit(state: StoryState, max_rounds: int) -> Literal["writer", "present"]:
    audit = state.get("audit") or {}
    if audit.get("passed") or state.get("audit_rounds", 0) >= max_rounds:
        return "present"
    return "writer"


def route_after_decision(state: StoryState) -> Literal["publish", "reject", "writer", "research"]:
    decision = (state.get("decision") or {}).get("decision")
    if decision == "approve":
        return "publish"
    if decision == "revise":
        # a record attached since the sources were numbered (a file shared in the thread) is researched in:
        # numbered, fact-checked against the others and framed, before the writer revises
        numbered = {s.get("record_id") for s in state.get("sources", [])}
        return "research" if any(r not in numbered for r in state.get("attached") or []) else "writer"
    return "reject"


def standing(state: StoryState) -> Standing:
    """The story's sources as its source policy ranks them (a story from before policies: the default)."""
    policy = SourcePolicy.from_json(state.get("policy"))
    sources = state.get("sources", [])
    below = {
        int(s["n"])
        for s in sources
        if not policy.establishes(str(s.get("tier") or policy.tier(s.get("url"), str(s.get("kind") or ""))))
    }
    return Standing.of(sources, below, state.get("conflicts", []))


def _audit(state: StoryState, max_rounds: int) -> dict[str, Any]:
    # Every disagreement and correction is shown with both sides cited, by construction: what the writer
    # left out, code adds from the conflict list (and the methodology says so). Then the audit.
    conflicts = state.get("conflicts", [])
    draft, added = complete_draft(state.get("draft", {}), conflicts, state.get("sources", []), state["topic"])
    if state.get("update"):  # every change code found is told in What changed, by the writer or by code
        draft, told = complete_changes(draft, state.get("changes", []))
        added += told
    sources = [Source(s["n"], s["text"], parse_date(s.get("published_at"))) for s in state.get("sources", [])]
    texts = [s.text for s in sources]
    # A value stated under the wrong citation is re-cited by code to the record that holds it (and the
    # editor is told); only what no source holds goes back to the writer.
    names = party_names(state.get("claims", []), conflicts, state["topic"])
    draft, recited = repair_citations(draft, sources, names=names)
    composed = added + recited
    # What an editor would send back (cut off, loops, copies, a corrected or contested value stated as
    # fact...) goes back to the writer like audit problems; after the last round, code finishes it.
    # A value only sources below the policy's minimum tier carry (by default: only social posts) must be
    # attributed; the writer is asked, and after its last round code attributes it.
    weak = standing(state)
    findings = check_draft(draft, texts, conflicts, state["topic"], weak)
    before = len(findings)
    if findings and state.get("audit_rounds", 0) >= max_rounds:
        draft, finished = finish_draft(draft, state.get("sources", []), conflicts, state["topic"], weak)
        # finishing may drop a unit that told a disagreement: the conflict list puts it back
        draft, readded = complete_draft(draft, conflicts, state.get("sources", []), state["topic"])
        draft, recited = repair_citations(draft, sources, names=names)
        composed += finished + readded + recited
        findings = check_draft(draft, texts, conflicts, state["topic"], weak)
    audit = audit_draft(draft, sources, conflicts, names)
    problems = audit["problems"] + [f.sentence() for f in findings]
    return {
        "draft": draft,
        "composed": composed,
        "audit": {
            "passed": not problems,
            "problems": problems,
            "publishability": {
                "found": before,
                "left": [{"unit": f.unit, "kind": f.kind, "evidence": f.evidence} for f in findings],
            },
        },
    }


def _no_sources(state: StoryState) -> dict[str, Any]:
    # Nothing to write from: the editor still gets a draft that says so, and still decides.
    topic = state["topic"]
    return {
        "draft": {
            "headline": f"No sources found for “{topic}”",
            "dek": "The store holds no records on this topic.",
            "story_so_far": [],
            "sections": [],
            "faq": [],
        },
        "audit": {
            "passed": False,
            "problems": ["no records in the store bear on this topic; ingest sources first"],
        },
        "claims": [],
        "conflicts": [],
        "flagged": [],
    }


def _present(state: StoryState) -> dict[str, Any]:
    return {"status": "pending_approval", "draft_version": state.get("draft_version", 0) + 1}


def _approval(state: StoryState) -> dict[str, Any]:
    # Runs again from the top on resume: nothing before interrupt() may have side effects.
    answer = interrupt({"story_id": state["story_id"], "draft_version": state.get("draft_version", 0)})
    decision = {
        "decision": answer["decision"],
        "who": answer.get("who") or "unknown",
        "note": answer.get("note") or None,
        "at": answer.get("at") or datetime.now(UTC).isoformat(),
        "draft_version": state.get("draft_version", 0),
    }
    update: dict[str, Any] = {"decision": decision, "history": [decision]}
    if decision["decision"] == "revise":
        update.update(status="revising", revision_note=decision["note"] or "", audit_rounds=0, audit={})
        if answer.get("attached"):
            update["attached"] = list(answer["attached"])
    return update


def route_audit_in_run(state: StoryState, runtime: Runtime[Deps]) -> Literal["writer", "present"]:
    """`route_after_audit` with the run's round limit."""
    return route_after_audit(state, _deps(runtime).audit_max_rounds)


def _deps(runtime: Runtime[Deps]) -> Deps:
    # The one way a node reaches its collaborators; a caller that forgot `context=` is told so.
    if runtime.context is None:
        raise RuntimeError("the graph was run without its Deps: pass context=deps to invoke/stream")
    return runtime.context


def _research(state: StoryState, runtime: Runtime[Deps]) -> dict[str, Any]:
    found = research.run(state, _deps(runtime))
    if state.get("update"):  # a living story's next version starts a fresh draft cycle on the same thread
        found.update(audit={}, audit_rounds=0, composed=[], revision_note=None, decision=None, changes=[])
    return found


def _factcheck(state: StoryState, runtime: Runtime[Deps]) -> dict[str, Any]:
    checked = factcheck.run(state, _deps(runtime))
    editions = state.get("editions") or []
    if state.get("update") and editions:
        previous = editions[-1]["story"]
        checked["changes"] = what_changed(
            previous, state.get("sources", []), checked.get("claims", []), checked.get("conflicts", [])
        )
    return checked


def _framing(state: StoryState, runtime: Runtime[Deps]) -> dict[str, Any]:
    return framing.run(state, _deps(runtime))


def _writer(state: StoryState, runtime: Runtime[Deps]) -> dict[str, Any]:
    return writer.run(state, _deps(runtime))


def _audit_node(state: StoryState, runtime: Runtime[Deps]) -> dict[str, Any]:
    return _audit(state, _deps(runtime).audit_max_rounds)


def _publish(state: StoryState, runtime: Runtime[Deps]) -> dict[str, Any]:
    # Each publication is the story's next version; the ones before it stay listed (and their files kept).
    edition = {
        "edition": len(state.get("editions") or []) + 1,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "draft_version": state.get("draft_version", 0),
    }
    final = {**state, "status": "published", "editions": [*(state.get("editions") or []), edition]}
    story = story_json(final)
    published = _deps(runtime).publish(story)
    return {"status": "published", "published": published, "editions": [{**edition, "story": story}]}


def _reject(state: StoryState) -> dict[str, Any]:
    editions = state.get("editions") or []
    if not editions:
        return {"status": "rejected"}
    # A rejected update leaves the published version standing: it is what the story shows again.
    story = editions[-1].get("story") or {}
    fields = ("headline", "dek", "story_so_far", "sections", "faq", "what_changed")
    draft = {k: story.get(k) for k in fields if k in story}
    kept = {k: story[k] for k in ("claims", "conflicts", "flagged", "audit") if k in story}
    return {"status": "published", "draft": draft, "changes": [], **kept}


def build_graph(checkpointer: Any = None, stop_before: Sequence[str] = ()) -> Any:
    """Compile the graph; `checkpointer` keeps paused stories (SQLite in production, memory in tests).

    The graph holds no collaborators: every run is handed them as its context
    (`graph.stream(payload, config, context=deps)`), so one compiled graph serves any `Deps`.
    `stop_before` names nodes the run pauses in front of (the model-free eval stops before the
    nodes that need a model); the state it stopped with is `graph.get_state(config).values`.
    """
    g = StateGraph(StoryState, context_schema=Deps, input_schema=StoryInput, output_schema=StoryOutput)
    g.add_node("research", _research)
    g.add_node("factcheck", _factcheck)
    g.add_node("framing", _framing)
    g.add_node("writer", _writer)
    g.add_node("audit", _audit_node)
    g.add_node("no_sources", _no_sources)
    g.add_node("present", _present)
    g.add_node("approval", _approval)
    g.add_node("publish", _publish)
    g.add_node("reject", _reject)
    g.add_edge(START, "research")
    g.add_conditional_edges("research", route_after_research)
    g.add_conditional_edges("factcheck", route_after_factcheck)
    g.add_edge("framing", "writer")
    g.add_edge("writer", "audit")
    g.add_conditional_edges("audit", route_audit_in_run)
    g.add_edge("no_sources", "present")
    g.add_edge("present", "approval")
    g.add_conditional_edges("approval", route_after_decision)
    g.add_edge("publish", END)
    g.add_edge("reject", END)
    return g.compile(checkpointer=checkpointer, interrupt_before=list(stop_before) or None)
