"""Research: plan sub-questions, retrieve, merge and rank, keep what bears on the topic, number the sources."""

from __future__ import annotations

from typing import Any

import numpy as np

from newsroom.deps import Deps
from newsroom.records import parse_date
from newsroom.schemas import ResearchPlan
from newsroom.sourcepolicy import SourcePolicy
from newsroom.state import StoryState
from newsroom.store import SearchHit
from prompts import load_prompt

PROMPT = "research.v1"


def _story_likeness(
    best: dict[str, tuple[float, Any]], topic_scores: dict[str, float], top: float, deps: Deps
) -> dict[str, float]:
    """How much each candidate reads like the story itself: the cosine of its text with the mean of the
    story's clearest records (those the topic finds best, within `core_relevance` of the top)."""
    ids = list(best)
    texts = [
        f"{best[r][1].record.title}. {best[r][1].record.text[: deps.research.source_chars]}" for r in ids
    ]
    embed, scale = (deps.embedder.similar, deps.embedder.calibrated) if deps.embedder else (deps.embed, float)
    vectors = embed(texts)
    ranked = sorted(range(len(ids)), key=lambda i: -topic_scores.get(ids[i], 0.0))
    core = [i for i in ranked if topic_scores.get(ids[i], 0.0) >= top * deps.research.core_relevance][
        : deps.research.core_records
    ]
    if not core:
        return {}
    centre = vectors[core].mean(axis=0)
    centre = centre / (float(np.linalg.norm(centre)) or 1.0)
    return {rid: scale(float(v @ centre)) for rid, v in zip(ids, vectors, strict=True)}


def _numbered(hits: list[Any], scores: dict[str, float], policy: SourcePolicy) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "record_id": h.record.id,
            "title": h.record.title,
            "outlet": h.record.outlet,
            "url": h.record.url,
            "published_at": h.record.published_at.isoformat() if h.record.published_at else None,
            "text": h.record.text,
            "duplicates": h.duplicates,
            "relevance": round(scores.get(h.record.id, 0.0), 4),
            "kind": h.record.kind,
            "platform": h.record.platform,
            "author": h.record.author,
            "score": h.record.score,
            "tier": policy.tier_of(h.record),
        }
        for n, h in enumerate(hits, 1)
    ]


def chosen(state: StoryState, deps: Deps) -> dict[str, Any]:
    """A briefing: the records were chosen before the run (what is new on the beat); number them by date."""
    policy = SourcePolicy.from_json(state.get("policy"))
    # chosen under the same policy already (`briefing.select`); screened again so no path skips it
    records, dropped = policy.screen(deps.store.get(list(state.get("record_ids") or [])))
    records.sort(key=lambda r: (r.published_at.isoformat() if r.published_at else "", r.id))
    hits = [SearchHit(r, 1.0, deps.store.duplicates_of(r.id), "") for r in records]
    return {
        "sources": _numbered(hits, {}, policy),
        "policy_dropped": [*(state.get("policy_dropped") or []), *dropped],
        "records_considered": len(state.get("record_ids") or []),
        "sub_questions": [],
        "models_used": {},
    }


def _attached(state: StoryState, deps: Deps) -> list[SearchHit]:
    """Records people gave the story by hand: kept whatever their relevance or the source cap, since an
    editor who shared a file in the thread asked for it to be used."""
    ids = [r for r in state.get("attached") or [] if r]
    return [SearchHit(r, 1.0, deps.store.duplicates_of(r.id), "") for r in deps.store.get(ids)] if ids else []


def run(state: StoryState, deps: Deps) -> dict[str, Any]:
    if state.get("kind") == "briefing":
        return chosen(state, deps)
    prompt = load_prompt(PROMPT)
    rendered = prompt.render(topic=state["topic"])
    plan = deps.model.structured("research", rendered, ResearchPlan, max_tokens=200)
    questions = [q.strip() for q in plan.sub_questions if q.strip()][:3]
    policy = SourcePolicy.from_json(state.get("policy"))
    best: dict[str, tuple[float, Any]] = {}
    topic_scores: dict[str, float] = {}
    dropped: dict[str, dict[str, str]] = {}
    for i, query in enumerate([state["topic"], *questions]):
        for hit in deps.store.search(query, k=deps.research.k, beat=state.get("beat")):
            rid = hit.record.id
            reason = policy.refusal(hit.record.url)
            if reason:  # a blocked or not-allowed domain never reaches a story
                r = hit.record
                dropped[rid] = {"record_id": rid, "title": r.title, "outlet": r.outlet, "reason": reason}
                continue
            if i == 0:
                topic_scores[rid] = hit.score
            if rid not in best or hit.score > best[rid][0]:
                best[rid] = (hit.score, hit)
    pinned = _attached(state, deps)
    if not best and not pinned:
        return {
            "sources": [],
            "policy_dropped": list(dropped.values()),
            "records_considered": 0,
            "sub_questions": questions,
            "prompts_used": {PROMPT: prompt.fingerprint},
            "models_used": {"research": deps.model.model_name("research")},
            "usage": deps.model.drain_usage(),
        }
    # Relevance is judged against the editor's topic; sub-questions only widen recall.
    top = max(topic_scores.values(), default=max((s for s, _ in best.values()), default=0.0))
    floor = max(deps.research.min_relevance, top * deps.research.relative_relevance)
    story = _story_likeness(best, topic_scores, top, deps) if best else {}
    kept = [
        hit
        for rid, (_, hit) in best.items()
        # a record reading like the story's clearest records is about it, however the topic is worded; one
        # the topic finds must read somewhat like them too: sharing a place or a company name is not enough
        if story.get(rid, 1.0) >= deps.research.story_relevance
        or (topic_scores.get(rid, 0.0) >= floor and story.get(rid, 1.0) >= deps.research.story_floor)
    ]
    # A living story's update: records ingested after the last published version are what it is about, so
    # none of them is crowded out by the records that version already had.
    since = parse_date((state.get("update") or {}).get("since"))
    fresh = {h.record.id for h in kept if since is not None and h.record.ingested_at > since}
    kept.sort(key=lambda h: (h.record.id not in fresh, -topic_scores.get(h.record.id, 0.0)))
    kept = kept[: deps.research.max_sources]
    kept += [h for h in pinned if h.record.id not in {k.record.id for k in kept}]
    kept.sort(key=lambda h: (h.record.published_at.isoformat() if h.record.published_at else "", h.record.id))
    sources = _numbered(kept, topic_scores, policy)
    for s in sources:
        if s["record_id"] in fresh:
            s["new"] = True
    return {
        "sources": sources,
        "policy_dropped": list(dropped.values()),
        "records_considered": len(best),
        "sub_questions": questions,
        "prompts_used": {PROMPT: prompt.fingerprint},
        "models_used": {"research": deps.model.model_name("research")},
        "usage": deps.model.drain_usage(),
    }
