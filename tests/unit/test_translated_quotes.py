"""The writer translates quotes from sources in other languages and marks them; the original words are kept
in the source list, and a quote whose original its source does not hold is left out, saying so."""

from __future__ import annotations

from typing import Any

from agents import writer
from newsroom.deps import Deps
from newsroom.documents.explainer import explainer_json, to_markdown
from newsroom.documents.html import render_html
from newsroom.embedding import embed
from tests.fakes.scripted import ScriptedModel
from tests.fakes.store import FakeStore

ZH = "青岚机器人创始人周二表示：“我们不会出售公司。”公司完成了一轮由腾讯领投的74亿美元融资。"
EN = "Qinglan Robotics raised $7.4 billion in a round led by Tencent, the company said on Tuesday."
SOURCES = [
    {"n": 1, "record_id": "en-1", "title": "Qinglan raises", "outlet": "Wire", "url": "https://w.example/1",
     "published_at": "2026-10-20T00:00:00+00:00", "text": EN, "duplicates": []},
    {"n": 2, "record_id": "zh-1", "title": "青岚融资", "outlet": "财经日报", "url": "https://c.example/2",
     "published_at": "2026-10-20T00:00:00+00:00", "text": ZH, "duplicates": []},
]  # fmt: skip


def _draft(quotes: list[dict[str, Any]]) -> dict[str, Any]:
    answer = 'Its founder said "We will not sell the company" [2].'
    return {
        "headline": "Qinglan raises $7.4 billion",
        "dek": "Tencent led the round.",
        "story_so_far": [{"date": "2026-10-20", "event": "Qinglan raised $7.4 billion.", "citations": [1]}],
        "sections": [{"heading": "The round", "body": "Tencent led it.", "citations": [1, 2]}],
        "faq": [
            {"question": "Will it sell?", "answer": answer, "citations": [2]},
            {"question": "How much?", "answer": "$7.4 billion.", "citations": [1]},
            {"question": "Who led?", "answer": "Tencent.", "citations": [1]},
            {"question": "When?", "answer": "On Tuesday.", "citations": [1]},
        ],
        "translated_quotes": quotes,
    }


def _write(quotes: list[dict[str, Any]]) -> tuple[dict[str, Any], ScriptedModel]:
    model = ScriptedModel({"writer": lambda prompt_id, values, schema: _draft(quotes)})
    deps = Deps(model=model, store=FakeStore(), embed=embed)
    state = {"story_id": "s", "topic": "Qinglan", "sources": SOURCES}
    update = writer.run(state, deps)  # type: ignore[arg-type]
    return {**state, **update, "records_considered": 2}, model


def test_a_quote_from_a_chinese_source_is_marked_translated_and_its_original_is_in_the_source_list() -> None:
    state, model = _write(
        [{"source": 2, "translation": "We will not sell the company", "original": "我们不会出售公司。"}]
    )
    (call,) = model.calls
    assert call["prompt"] == "writer.v3"
    assert "财经日报, 2026-10-20, in Chinese" in call["user"]  # the writer is told the source's language
    doc = explainer_json(state)
    assert doc["faq"][0]["answer"] == 'Its founder said "We will not sell the company" (translated) [2].'
    assert doc["sources"][1]["quoted_in_translation"] == [
        {"translation": "We will not sell the company", "original": "我们不会出售公司。", "language": "zh"}
    ]
    listed = to_markdown(doc).split("## Sources")[1]
    assert (
        "quoted in translation: “We will not sell the company” — original \\(Chinese\\): “我们不会出售公司。”"
        in listed
    )
    assert "original (Chinese): “我们不会出售公司。”" in render_html(doc)
    assert "quoted_in_translation" not in doc["sources"][0]


def test_a_translated_quote_whose_original_the_source_does_not_hold_is_left_out_and_said() -> None:
    state, _ = _write(
        [
            {
                "source": 2,
                "translation": "We will not sell the company",
                "original": "我们永远不会出售公司。",
            },
            {"source": 1, "translation": "raised", "original": "raised"},  # an English source needs none
        ]
    )
    doc = explainer_json(state)
    assert not any("quoted_in_translation" in s for s in doc["sources"])
    assert "(translated)" not in doc["faq"][0]["answer"]
    notes = doc["methodology"]["composed_by_code"]
    assert any("[2]" in n and "not in that source" in n for n in notes)
    assert any("[1]" in n and "in English" in n for n in notes)


def test_a_draft_quoting_nothing_in_translation_is_as_before(tmp_path: Any) -> None:
    state, _ = _write([])
    doc = explainer_json(state)
    assert doc["faq"][0]["answer"] == 'Its founder said "We will not sell the company" [2].'
    assert "quoted in translation" not in to_markdown(doc)
