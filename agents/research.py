"""Research: plan sub-questions, retrieve, merge and rank, keep what bears on the topic, number the sources."""

from __future__ import annotations

import re
from typing import Any

from newsroom.deps import Deps
from newsroom.schemas import ResearchPlan
from newsroom.state import StoryState
from newsroom.store import SearchHit
from prompts import load_prompt

PROMPT = "research.v1"


_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "and",
        "or",
        "with",
        "about",
        "from",
        "by",
        "what",
        "who",
        "how",
        "why",
        "is",
        "are",
        "was",
    ]
)


def _stems(text: str) -> frozenset[str]:
    """Crude stems of a text's words ("closing" ~ "close", "Halvorsen's" ~ "Halvorsen")."""
    words = (w.removesuffix("'s") for w in re.findall(r"[a-z][\w'-]+", text.casefold()))
    return frozenset(w[:4] for w in words if w not in _STOP and len(w) > 2)


def _numbered(hits: list[Any], scores: dict[str, float]) -> list[dict[str, Any]]:
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
        }
        for n, h in enumerate(hits, 1)
    ]


def chosen(state: StoryState, deps: Deps) -> dict[str, Any]:
    """A briefing: the records were chosen before the run (what is new on the beat); number them by date."""
    records = deps.store.get(list(state.get("record_ids") or []))
    records.sort(key=lambda r: (r.published_at.isoformat() if r.published_at else "", r.id))
    hits = [SearchHit(r, 1.0, deps.store.duplicates_of(r.id), "") for r in records]
    return {
        "sources": _numbered(hits, {}),
        "records_considered": len(state.get("record_ids") or []),
        "sub_questions": [],
        "models_used": {},
    }


def run(state: StoryState, deps: Deps) -> dict[str, Any]:
    if state.get("kind") == "briefing":
        return chosen(state, deps)
    prompt = load_prompt(PROMPT)
    rendered = prompt.render(topic=state["topic"])
    plan = deps.model.structured("research", rendered, ResearchPlan, max_tokens=200)
    questions = [q.strip() for q in plan.sub_questions if q.strip()][:3]
    best: dict[str, tuple[float, Any]] = {}
    topic_scores: dict[str, float] = {}
    for i, query in enumerate([state["topic"], *questions]):
        for hit in deps.store.search(query, k=deps.research.k, beat=state.get("beat")):
            rid = hit.record.id
            if i == 0:
                topic_scores[rid] = hit.score
            if rid not in best or hit.score > best[rid][0]:
                best[rid] = (hit.score, hit)
    if not best:
        return {
            "sources": [],
            "records_considered": 0,
            "sub_questions": questions,
            "prompts_used": {PROMPT: prompt.fingerprint},
            "models_used": {"research": deps.model.model_name("research")},
            "usage": deps.model.drain_usage(),
        }
    # Relevance is judged against the editor's topic; sub-questions only widen recall.
    top = max(topic_scores.values(), default=max(s for s, _ in best.values()))
    floor = max(deps.research.min_relevance, top * deps.research.relative_relevance)
    words = _stems(state["topic"])
    kept = [
        hit
        for rid, (_, hit) in best.items()
        if topic_scores.get(rid, 0.0) >= floor
        # a record naming the story in two of the topic's own words is kept on a lower, absolute floor
        or (
            topic_scores.get(rid, 0.0) >= deps.research.named_relevance
            and len(words & _stems(hit.record.text)) >= 2
        )
    ]
    kept.sort(key=lambda h: topic_scores.get(h.record.id, 0.0), reverse=True)
    kept = kept[: deps.research.max_sources]
    kept.sort(key=lambda h: (h.record.published_at.isoformat() if h.record.published_at else "", h.record.id))
    sources = _numbered(kept, topic_scores)
    return {
        "sources": sources,
        "records_considered": len(best),
        "sub_questions": questions,
        "prompts_used": {PROMPT: prompt.fingerprint},
        "models_used": {"research": deps.model.model_name("research")},
        "usage": deps.model.drain_usage(),
    }
