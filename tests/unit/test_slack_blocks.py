"""Block Kit builders are pure: Slack's limits hold and nothing is silently dropped."""

from __future__ import annotations

import json
from typing import Any

from newsroom.slack.blocks import (
    APPROVE,
    EDIT,
    MAX_BLOCKS,
    MAX_TEXT,
    REJECT,
    REVISE,
    draft_messages,
    revise_modal,
    split_text,
)


def explainer(n_faq: int = 4, answer: str = "Reports differ.") -> dict[str, Any]:
    return {
        "story_id": "slack-C1-1700000000.000100",
        "draft_version": 2,
        "headline": "Who backs DeepSeek?",
        "dek": "Accounts differ.",
        "story_so_far": [{"date": "2026-10-06", "event": "Talks reported.", "citations": [1]}],
        "sections": [],
        "faq": [{"question": f"Q{i}?", "answer": answer, "citations": [1, 2]} for i in range(n_faq)],
        "claims": [],
        "conflicts": [
            {
                "subject": "investors",
                "values": [
                    {"value": "Tencent and Alibaba", "citations": [1]},
                    {"value": "Tencent and CATL", "citations": [2]},
                ],
                "resolution": None,
            }
        ],
        "flagged": [],
        "audit": {"passed": False, "problems": ["FAQ 1: “$8 billion” does not appear"]},
        "sources": [
            {
                "n": 1,
                "title": "Talks",
                "outlet": "Asia Markets Daily",
                "url": "https://a.example/1",
                "published_at": "2026-10-06T00:00:00+00:00",
            },
            {"n": 2, "title": "Round", "outlet": "Compute Desk", "url": None, "published_at": None},
        ],
    }


def all_text(messages: list[list[dict[str, Any]]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


def test_draft_has_content_conflicts_audit_sources_and_buttons() -> None:
    (blocks,) = draft_messages(explainer())
    text = all_text([blocks])
    assert "Who backs DeepSeek?" in text and "*The story so far*" in text
    assert "Tencent and Alibaba <https://a.example/1|[1]>; Tencent and CATL [2]" in text
    assert "Citation audit problems" in text and "$8 billion" in text
    assert "1. <https://a.example/1|Talks> — Asia Markets Daily, 2026-10-06" in text
    actions = blocks[-1]
    assert [e["action_id"] for e in actions["elements"]] == [APPROVE, EDIT, REVISE, REJECT]
    assert json.loads(actions["elements"][0]["value"]) == {
        "story_id": "slack-C1-1700000000.000100",
        "version": 2,
    }


def test_long_text_is_split_at_word_boundaries_never_truncated() -> None:
    text = ("word " * 2000).strip()
    pieces = split_text(text)
    assert all(len(p) <= MAX_TEXT for p in pieces) and len(pieces) == 4
    assert " ".join(pieces) == text


def test_long_explainers_become_several_messages_within_the_limits() -> None:
    long_answer = "A long answer with many words. " * 120
    messages = draft_messages(explainer(n_faq=5, answer=long_answer))
    for blocks in messages:
        assert len(blocks) <= MAX_BLOCKS
        for b in blocks:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= MAX_TEXT
    assert all_text(messages).count("many") == 5 * 120  # every word of every answer is there
    assert messages[-1][-1]["type"] == "actions"


def test_more_than_fifty_blocks_spill_into_a_second_message() -> None:
    ex = explainer()
    ex["sections"] = [{"heading": f"S{i}", "body": "b", "citations": [1]} for i in range(60)]
    messages = draft_messages(ex)
    assert len(messages) == 2 and all(len(m) <= MAX_BLOCKS for m in messages)
    assert "continued in the next message" in all_text(messages[:1])
    assert all(f"*S{i}*" in all_text(messages) for i in range(60))


def test_revise_modal_carries_the_story_and_draft() -> None:
    modal = revise_modal("s1", 3, "C1", "171.1")
    assert json.loads(modal["private_metadata"]) == {
        "story_id": "s1",
        "version": 3,
        "channel": "C1",
        "message_ts": "171.1",
    }
    assert modal["blocks"][0]["element"]["type"] == "plain_text_input"


def test_sources_show_kind_and_tier_and_the_policy_is_named() -> None:
    ex = explainer()
    ex["sources"][0] |= {"kind": "news", "tier": "established outlet"}
    ex["sources"][1] |= {"kind": "social", "platform": "reddit", "author": "gpu<b>", "tier": "social"}
    ex["methodology"] = {
        "policy": {
            "summary": "the ai beat's policy (blocking tabloid.example)",
            "dropped": 1,
            "dropped_records": [{"reason": "blocked domain tabloid.example"}],
        }
    }
    text = all_text(list(draft_messages(ex)))
    assert "Asia Markets Daily, 2026-10-06 · news · tier: established outlet" in text
    assert "Compute Desk, undated · social post by u/gpu&lt;b&gt; · tier: social" in text
    assert "the ai beat's policy (blocking tabloid.example); it kept 1 record out: 1 (blocked domain" in text
    # a story drafted before policies has no policy line
    assert "Sources were chosen" not in all_text(list(draft_messages(explainer())))
