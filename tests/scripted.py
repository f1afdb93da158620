"""A scripted newsroom for tests: prepared model answers keyed on what the prompt contains."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from newsroom.llm import ScriptedModel
from newsroom.schemas import Framing, ResearchPlan
from newsroom.service import Newsroom
from newsroom.settings import Settings

DEMO = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "deepseek.jsonl"
CORPUS = {r["id"]: r for r in (json.loads(line) for line in DEMO.read_text().splitlines())}

# What a careful extractor would read from each record: (subject, value, quote-prefix).
FACTS: dict[str, list[tuple[str, str, str]]] = {
    "ds-01": [
        (
            "investors in DeepSeek",
            "Tencent Holdings and Alibaba Group",
            "Tencent Holdings and Alibaba Group are in advanced talks",
        )
    ],
    "ds-02": [("investors in DeepSeek", "Tencent and Alibaba", "Two of China's largest internet groups")],
    "ds-05": [
        ("investors in the round", "Tencent and CATL", "DeepSeek is raising $7.4 billion"),
        ("amount raised", "$7.4 billion", "DeepSeek is raising $7.4 billion"),
    ],
    "ds-07": [
        ("DeepSeek valuation", "$52 billion to $59 billion", "Investors in talks with DeepSeek"),
        ("investors in DeepSeek", "Tencent and Alibaba", "The people repeated that Tencent and Alibaba"),
    ],
    "ds-14": [
        ("investors in the round", "Tencent and CATL", "BEIJING (Global Newswire) - Tencent is leading"),
        ("DeepSeek valuation", "$59 billion", "One of the people said the round values"),
    ],
    "ds-09": [("cache hit rate after the update", "35%", "Teams running heavy workloads")],
}


def _sentence_number(user: str, prefix: str) -> int:
    for number, sentence in re.findall(r"^S(\d+)\. (.*)$", user, re.M):
        if prefix in sentence:
            return int(number)
    raise AssertionError(f"no sentence holds {prefix!r}")


def factcheck_answer(schema: Any, system: str, user: str) -> dict[str, Any]:
    for rid, rec in CORPUS.items():
        if rec["text"][:60] in user:
            return {
                "facts": [
                    {"subject": s, "value": v, "sentence": _sentence_number(user, q)}
                    for s, v, q in FACTS.get(rid, [])
                ]
            }
    return {"facts": []}


def numbers(user: str) -> dict[str, int]:
    """Record id -> source number, read from the SOURCES block the writer was given."""
    out = {}
    for n, title in re.findall(r"^\[(\d+)\] [^:\n]+: (.+)$", user, re.M):
        for rid, rec in CORPUS.items():
            if rec["title"] == title.strip():
                out.setdefault(rid, int(n))
    return out


def good_draft(user: str) -> dict[str, Any]:
    n = numbers(user)
    a_id = next(r for r in ("ds-02", "ds-07", "ds-01") if r in n)  # an Alibaba-side report
    a, a_date = n[a_id], CORPUS[a_id]["published_at"][:10]
    b = next(n[r] for r in ("ds-05", "ds-14") if r in n)  # a CATL-side report
    return {
        "headline": "Who is backing DeepSeek? Reports split on the co-investor",
        "dek": "Tencent appears in every account; Alibaba or CATL is the other name, depending on the outlet.",
        "story_so_far": [
            {
                "date": a_date,
                "event": "Tencent and Alibaba are reported in talks to invest.",
                "citations": [a],
            },
            {
                "date": "2026-10-20",
                "event": "A report says DeepSeek is raising $7.4 billion from Tencent and CATL.",
                "citations": [b],
            },
        ],
        "sections": [
            {
                "heading": "The round",
                "body": "DeepSeek is raising $7.4 billion, one report says.",
                "citations": [b],
            }
        ],
        "faq": [
            {
                "question": "Who is investing?",
                "answer": "Asia Markets Daily reports Tencent and Alibaba; "
                "The Compute Desk reports Tencent and CATL.",
                "citations": [a, b],
            },
            {"question": "How much?", "answer": "The Compute Desk reports $7.4 billion.", "citations": [b]},
            {
                "question": "What is it worth?",
                "answer": "Valuations of $52 billion to $59 billion were discussed.",
                "citations": [n.get("ds-07", b)],
            },
            {"question": "Who named CATL?", "answer": "The Compute Desk did.", "citations": [b]},
        ],
    }


def briefing_draft(user: str) -> dict[str, Any]:
    """A briefing a careful writer would give: each source's first sentence, cited to it."""
    items = []
    for n, body in re.findall(r"^\[(\d+)\] [^\n]+\n(.+)$", user, re.M):
        first = re.split(r"(?<=[.!?])\s+", body.strip())[0]
        items.append({"text": first, "citations": [int(n)]})
    return {"headline": "What is new on the beat", "items": items[:8], "what_to_watch": []}


def writer_answer(schema: Any, system: str, user: str) -> dict[str, Any]:
    return briefing_draft(user) if "briefing" in system else good_draft(user)


def bad_draft(user: str) -> dict[str, Any]:
    draft = good_draft(user)
    draft["faq"][1]["answer"] = "The round is worth $8 billion."  # in no source
    return draft


def scripted(writer: list[Any] | None = None, **overrides: Any) -> ScriptedModel:
    scripts: dict[str, Any] = {
        "research": lambda s, sy, u: ResearchPlan(sub_questions=["DeepSeek investors", "DeepSeek valuation"]),
        "factcheck": factcheck_answer,
        "framing": lambda s, sy, u: Framing(
            established=["Tencent is named by every outlet"], contested=["the second investor"]
        ),
        "writer": writer if writer is not None else writer_answer,
    }
    scripts.update(overrides)
    return ScriptedModel(scripts)


def demo_room(settings: Settings, model: ScriptedModel) -> Newsroom:
    room = Newsroom(settings, model_override=model)
    room.ingest([str(DEMO)])
    return room
