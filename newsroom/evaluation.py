"""The evaluation harness: each packet into a fresh store, each topic through the graph, every story scored.

Full mode runs the graph with the configured model up to the approval point. Model-free mode runs the
same graph stopped before the nodes that need a model — so what runs is retrieval on the topic alone,
dedupe, the deterministic conflict and correction pass, injection flagging — and scores only that.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from newsroom.claims.injections import find_injection
from newsroom.claims.types import Source
from newsroom.documents.briefing import story_json
from newsroom.eval_score import TopicScore, score_topic
from newsroom.graph import build_graph
from newsroom.models.port import ModelError, ModelPort, RenderedPrompt
from newsroom.packets import Packet, Phrasing, Topic
from newsroom.records import parse_date
from newsroom.schemas import RecordFacts, ResearchPlan
from newsroom.service import Newsroom, StoryError
from newsroom.settings import Settings

T = TypeVar("T", bound=BaseModel)


class NoModel:
    """The model port for model-free runs: research searches the topic alone, fact-check is code alone."""

    def structured(self, role: str, prompt: RenderedPrompt, schema: type[T], max_tokens: int = 800) -> T:
        if schema in (ResearchPlan, RecordFacts):
            return schema()
        raise ModelError(f"the model-free evaluation has no model for the {role} role")

    def text(self, role: str, prompt: RenderedPrompt, max_tokens: int = 800) -> str:
        raise ModelError(f"the model-free evaluation has no model for the {role} role")

    def model_name(self, role: str) -> str:
        return "none"

    def drain_usage(self) -> list[dict[str, Any]]:
        return []


# The nodes that need a model: a model-free run stops in front of them. `no_sources` is there too, so a
# topic with no records stops where research left it rather than with a "no sources" draft.
MODEL_NODES = ("framing", "writer", "no_sources")


def _check_only(room: Newsroom, graph: Any, n: int, topic: Topic) -> dict[str, Any]:
    """Research and the code fact-check through the graph, stopped before the model's nodes: the story
    JSON as far as it goes."""
    config = {"configurable": {"thread_id": f"eval-{n}"}}
    payload = {"story_id": "eval", "topic": topic.topic, "beat": None, "requested_by": "eval"}
    graph.invoke(payload, config, context=room.deps)
    state = dict(graph.get_state(config).values)
    state["status"] = "checked"
    state["usage"] = []
    return story_json(state)


def _sources(room: Newsroom, story: dict[str, Any]) -> list[Source]:
    by_id = {r.id: r for r in room.store.get([s["record_id"] for s in story.get("sources", [])])}
    return [
        Source(s["n"], by_id[s["record_id"]].text, parse_date(s.get("published_at")))
        for s in story.get("sources", [])
        if s["record_id"] in by_id
    ]


def run_packet(
    packet: Packet,
    settings: Settings,
    model: ModelPort | None,
    on_story: Callable[[TopicScore], None] | None = None,
) -> list[TopicScore]:
    """Ingest the packet into a fresh temporary store and score every topic; `model=None` is model-free."""
    scores = []
    with tempfile.TemporaryDirectory(
        prefix=f"newsroom-eval-{packet.name}-", ignore_cleanup_errors=True
    ) as tmp:
        local = settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None, "beats_file": None})
        room = Newsroom(local, model_override=model or NoModel())
        report = room.ingest([str(packet.records_file)])
        stored = {r.id: r.duplicate_of for r in room.store.get(packet.record_ids)}
        # In memory: a model-free story is read once, where it stopped, and never resumed.
        graph = build_graph(InMemorySaver(), stop_before=MODEL_NODES)
        for n, topic in enumerate(packet.topics):
            started = time.perf_counter()
            try:
                if report.rejected:
                    raise StoryError("records.jsonl: " + "; ".join(r.reason for r in report.rejected))
                story = (
                    _check_only(room, graph, n, topic)
                    if model is None
                    else room.explain(topic.topic, requested_by="eval")
                )
                score = score_topic(
                    packet,
                    topic,
                    story,
                    _sources(room, story),
                    stored,
                    model is not None,
                    time.perf_counter() - started,
                )
            except (StoryError, ModelError) as exc:
                score = TopicScore(
                    packet.name,
                    topic.topic,
                    "full" if model else "no-model",
                    half=packet.half,
                    error=str(exc),
                )
                score.seconds = round(time.perf_counter() - started, 2)
            scores.append(score)
            if on_story:
                on_story(score)
    return scores


def run_eval(
    packets: list[Packet],
    settings: Settings,
    model: ModelPort | None,
    on_story: Callable[[TopicScore], None] | None = None,
) -> tuple[list[TopicScore], dict[str, Any]]:
    """Score every packet; returns the scores and a note of how they were made (mode, model, time)."""
    note = {
        "mode": "full" if model else "no-model",
        "model": ", ".join(
            sorted({model.model_name(r) for r in ("research", "factcheck", "framing", "writer")})
        )
        if model
        else "none",
        "at": datetime.now(UTC).isoformat(),
        "packets": [p.name for p in packets],
    }
    scores = [s for p in packets for s in run_packet(p, settings, model, on_story)]
    return scores, note


def check_phrasings(phrasings: list[Phrasing]) -> list[tuple[Phrasing, bool]]:
    """Each labelled sentence with whether the injection detector flags it."""
    return [(p, find_injection(p.text) is not None) for p in phrasings]
