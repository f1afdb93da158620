"""A scripted newsroom for tests: a model that answers from the values a prompt was rendered from.

Answers are keyed by prompt id and the prompt's values (the record id, the numbered sentences, the sources
with their numbers and record ids), never by reading the rendered text, so a reworded prompt breaks no test.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from newsroom.models.port import ModelError, RenderedPrompt, UsageLog
from newsroom.schemas import Framing, ResearchPlan
from newsroom.service import Newsroom
from newsroom.settings import Settings

T = TypeVar("T", bound=BaseModel)
Values = Mapping[str, Any]
# A script answers (prompt id, the prompt's values, the schema asked for, None for text); an exception it
# returns is raised as the model's failure.
ScriptFn = Callable[[str, Values, "type[BaseModel] | None"], Any]
Script = list[Any] | ScriptFn


class ScriptedModel:
    """Per role, a list of prepared answers or a script function; records every call in `calls`."""

    def __init__(self, scripts: dict[str, Script], latency_s: float = 0.0) -> None:
        self.scripts = scripts
        self.latency_s = latency_s
        self.calls: list[dict[str, Any]] = []
        self._usage = UsageLog()
        self._lock = threading.Lock()

    def _next(self, role: str, prompt: RenderedPrompt, schema: type[BaseModel] | None) -> Any:
        with self._lock:
            self.calls.append(
                {
                    "role": role,
                    "prompt": prompt.id,
                    "schema": schema.__name__ if schema else None,
                    "system": prompt.system,
                    "user": prompt.user,
                    "values": prompt.values,
                }
            )
            script = self.scripts.get(role)
            if script is None:
                raise ModelError(f"the scripted model has no answers for the {role} role")
            if callable(script):
                answer = script(prompt.id, prompt.values, schema)
            elif script:
                answer = script.pop(0)
            else:
                raise ModelError(f"the scripted model ran out of answers for the {role} role")
        if self.latency_s:
            time.sleep(self.latency_s)
        if isinstance(answer, Exception):
            raise answer
        self._usage.add(
            role=role,
            model=self.model_name(role),
            prompt_tokens=len((prompt.system + prompt.user).split()),
            completion_tokens=len(str(answer).split()),
            seconds=self.latency_s,
        )
        return answer

    def structured(self, role: str, prompt: RenderedPrompt, schema: type[T], max_tokens: int = 800) -> T:
        answer = self._next(role, prompt, schema)
        if isinstance(answer, schema):
            return answer
        if isinstance(answer, BaseModel):
            answer = answer.model_dump()
        try:
            return schema.model_validate(answer)
        except ValidationError as exc:
            raise ModelError(
                f"the {role} model's answer did not fit the expected form: {exc.errors()[0]['msg']}"
            ) from None

    def text(self, role: str, prompt: RenderedPrompt, max_tokens: int = 800) -> str:
        return str(self._next(role, prompt, None))

    def model_name(self, role: str) -> str:
        return f"scripted-{role}"

    def drain_usage(self) -> list[dict[str, Any]]:
        return self._usage.drain()


DEMO = Path(__file__).resolve().parents[2] / "newsroom" / "demo" / "deepseek.jsonl"
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


def _sentence_number(sentences: list[str], prefix: str) -> int:
    for number, sentence in enumerate(sentences, 1):
        if prefix in sentence:
            return number
    raise AssertionError(f"no sentence holds {prefix!r}")


def factcheck_answer(prompt_id: str, values: Values, schema: Any = None) -> dict[str, Any]:
    """What a careful extractor reads from the record: FACTS, pointing at the sentences that hold them."""
    sentences = values["sentences"]
    return {
        "facts": [
            {"subject": s, "value": v, "sentence": _sentence_number(sentences, q)}
            for s, v, q in FACTS.get(values["record_id"], [])
        ]
    }


def numbers(values: Values) -> dict[str, int]:
    """Record id -> source number for every demo record the writer was given, and for a demo record under
    the same title as one given (ds-02 and ds-03 are one report: either one's number cites it)."""
    out: dict[str, int] = {}
    for source in values["sources_given"]:
        for rid, rec in CORPUS.items():
            if rec["title"] == source["title"].strip():
                out.setdefault(rid, source["n"])
    return out


def good_draft(values: Values) -> dict[str, Any]:
    n = numbers(values)
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


def briefing_draft(values: Values) -> dict[str, Any]:
    """A briefing a careful writer would give: each source's first sentence, cited to it."""
    items = []
    for source in values["sources_given"]:
        body = source["text"].split("\n", 1)[0].strip()
        if body:
            first = re.split(r"(?<=[.!?])\s+", body)[0]
            items.append({"text": first, "citations": [source["n"]]})
    return {"headline": "What is new on the beat", "items": items[:8], "what_to_watch": []}


def update_draft(values: Values) -> dict[str, Any]:
    """A living story's next version as a careful writer gives it: the draft, and each change code found told
    in What changed with its citations."""
    changed = [
        {"text": re.sub(r"\s*\[\d+\]", "", c["sentence"]), "citations": c["citations"]}
        for c in values.get("change_list", [])
    ]
    first = values["sources_given"][0]["n"]
    return {
        **good_draft(values),
        "what_changed": changed or [{"text": "Nothing moved.", "citations": [first]}],
    }


def writer_answer(prompt_id: str, values: Values, schema: Any = None) -> dict[str, Any]:
    if prompt_id.startswith("update"):
        return update_draft(values)
    return briefing_draft(values) if prompt_id.startswith("briefing") else good_draft(values)


def bad_draft(values: Values) -> dict[str, Any]:
    draft = good_draft(values)
    draft["faq"][1]["answer"] = "The round is worth $8 billion."  # in no source
    return draft


def scripted(writer: Script | None = None, **overrides: Script) -> ScriptedModel:
    scripts: dict[str, Script] = {
        "research": lambda *_: ResearchPlan(sub_questions=["DeepSeek investors", "DeepSeek valuation"]),
        "factcheck": factcheck_answer,
        "framing": lambda *_: Framing(
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
