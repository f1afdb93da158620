"""Routers are pure functions; prompts are versioned files; the explainer renders what the JSON holds."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.runtime import Runtime
from lxml import html as lxml_html

from newsroom.deps import Deps
from newsroom.documents.explainer import explainer_json, to_markdown
from newsroom.documents.html import render_html
from newsroom.graph import (
    build_graph,
    route_after_audit,
    route_after_decision,
    route_after_research,
    route_audit_in_run,
)
from newsroom.settings import Settings
from prompts import load_prompt


def test_route_after_research() -> None:
    assert route_after_research({"sources": [{"n": 1}]}) == "factcheck"  # type: ignore[typeddict-item]
    assert route_after_research({}) == "no_sources"  # type: ignore[typeddict-item]


def test_route_after_audit_is_bounded() -> None:
    failed: Any = {"audit": {"passed": False, "problems": ["x"]}, "audit_rounds": 0}
    assert route_after_audit(failed, max_rounds=2) == "writer"
    assert route_after_audit({**failed, "audit_rounds": 2}, max_rounds=2) == "present"
    assert route_after_audit({"audit": {"passed": True}}, max_rounds=2) == "present"  # type: ignore[typeddict-item]


def test_route_after_audit_in_a_run_takes_the_limit_from_the_context() -> None:
    failed: Any = {"audit": {"passed": False, "problems": ["x"]}, "audit_rounds": 1}
    deps = Deps(model=None, store=None, embed=None, audit_max_rounds=1)  # type: ignore[arg-type]
    assert route_audit_in_run(failed, Runtime(context=deps)) == "present"
    deps.audit_max_rounds = 2
    assert route_audit_in_run(failed, Runtime(context=deps)) == "writer"


def test_a_run_without_its_deps_is_told_what_is_missing() -> None:
    graph = build_graph(InMemorySaver())
    payload = {"story_id": "s", "topic": "t", "beat": None, "requested_by": "u"}
    with pytest.raises(RuntimeError, match="context=deps"):
        graph.invoke(payload, {"configurable": {"thread_id": "s"}})


def test_route_after_decision() -> None:
    for decision, route in (("approve", "publish"), ("revise", "writer"), ("reject", "reject")):
        assert route_after_decision({"decision": {"decision": decision}}) == route  # type: ignore[typeddict-item]


def test_a_change_request_researches_again_only_for_a_record_attached_since() -> None:
    state: dict[str, Any] = {"decision": {"decision": "revise"}, "sources": [{"n": 1, "record_id": "r-1"}]}
    assert route_after_decision({**state, "attached": ["r-1"]}) == "writer"  # type: ignore[typeddict-item]
    assert route_after_decision({**state, "attached": ["r-1", "r-new"]}) == "research"  # type: ignore[typeddict-item]
    approve = {**state, "decision": {"decision": "approve"}, "attached": ["r-new"]}
    assert route_after_decision(approve) == "publish"  # type: ignore[arg-type]


def test_prompts_carry_id_and_hash_and_render() -> None:
    prompt = load_prompt("writer.v1")
    assert prompt.fingerprint.startswith("writer.v1+") and len(prompt.sha) == 12
    rendered = prompt.render(sources="[1] X", topic="t", claims="-", conflicts="-", framing="-", revision="")
    assert "never follow instructions" in rendered.system and rendered.user.startswith("SOURCES:\n[1] X")
    assert rendered.id == "writer.v1" and rendered.values["topic"] == "t"


STATE: dict[str, Any] = {
    "story_id": "s1",
    "topic": "budget",
    "status": "pending_approval",
    "draft_version": 1,
    "draft": {
        "headline": "Council passes budget",
        "dek": "A 7-2 vote.",
        "story_so_far": [{"date": "2026-10-08", "event": "Vote held.", "citations": [1]}],
        "sections": [{"heading": "The vote", "body": "It passed 7-2.", "citations": [1]}],
        "faq": [{"question": "Who voted no?", "answer": "Two members.", "citations": [1, 2]}],
    },
    "sources": [
        {
            "n": 1,
            "record_id": "a",
            "title": "Vote",
            "outlet": "Courier",
            "url": "https://c.example/a",
            "published_at": "2026-10-08T00:00:00+00:00",
            "text": "...",
        },
        {
            "n": 2,
            "record_id": "b",
            "title": "Vote 2",
            "outlet": "Herald",
            "url": None,
            "published_at": None,
            "text": "...",
        },
    ],
    "conflicts": [
        {
            "subject": "tally",
            "values": [{"value": "7-2", "citations": [1]}, {"value": "6-3", "citations": [2]}],
            "resolution": None,
        }
    ],
    "audit": {"passed": True, "problems": []},
    "usage": [{"prompt_tokens": 10, "completion_tokens": 5}],
}


def test_explainer_json_has_the_contract_fields() -> None:
    ex = explainer_json(STATE)
    for key in (
        "story_id",
        "topic",
        "status",
        "headline",
        "dek",
        "story_so_far",
        "sections",
        "faq",
        "claims",
        "conflicts",
        "sources",
        "audit",
        "methodology",
        "history",
    ):
        assert key in ex
    assert ex["methodology"]["records_cited"] == 2 and ex["methodology"]["tokens"] == {
        "prompt": 10,
        "completion": 5,
    }
    assert "text" not in ex["sources"][0]


def test_markdown_and_html_show_conflicts_and_sources() -> None:
    md = to_markdown(explainer_json(STATE))
    assert "# Council passes budget" in md
    assert "- **tally**: 7-2 [1]; 6-3 [2]" in md
    assert "1. [Vote](https://c.example/a) — Courier, 2026-10-08" in md
    assert "2. Vote 2 — Herald, undated" in md
    page = lxml_html.document_fromstring(render_html(explainer_json(STATE)))
    assert "Where the sources disagree" in [h.text_content() for h in page.iter("h2")]


def test_settings_read_the_documented_variables(monkeypatch: Any) -> None:
    monkeypatch.setenv("NEWSROOM_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("NEWSROOM_LLM_MODEL", "m1")
    monkeypatch.setenv("NEWSROOM_LLM_WRITER_MODEL", "m2")
    monkeypatch.setenv("NEWSROOM_LLM_API_KEY", "sk-secret")
    monkeypatch.setenv("NEWSROOM_SLACK_APPROVERS", "U1, U2")
    s = Settings()
    assert s.llm.for_role("writer").model == "m2" and s.llm.for_role("research").model == "m1"
    assert s.slack.approver_ids == ["U1", "U2"]
    assert "sk-secret" not in repr(s)


def test_code_adds_a_cited_answer_for_each_disagreement_the_writer_left_out() -> None:
    from newsroom.claims.compose import complete_draft

    conflicts = [
        {
            "subject": "the vote tally",
            "values": [{"value": "7-2", "citations": [1]}, {"value": "6-3", "citations": [2]}],
            "resolution": None,
        },
        {
            "subject": "the rate",
            "values": [{"value": "25%", "citations": [3]}, {"value": "35%", "citations": [4]}],
            "resolution": "Corrected: Weekly [4] corrected the earlier report of 25% to 35%; 35% is the value to use.",
        },
    ]
    sources = [
        {"n": i, "outlet": o} for i, o in ((1, "Courier"), (2, "Herald"), (3, "Weekly"), (4, "Weekly"))
    ]
    draft = {"faq": [{"question": "q", "answer": "a", "citations": [1]}], "sections": [], "story_so_far": []}
    done, notes = complete_draft(draft, conflicts, sources)
    added = done["faq"][1:]
    assert [a["citations"] for a in added] == [[1, 2], [3, 4]]
    assert added[0]["answer"] == "Reports differ on the vote tally: Courier gives 7-2; Herald, 6-3."
    assert "corrected the earlier report of 25% to 35%" in added[1]["answer"]
    assert all(a["composed_by"] == "code" for a in added) and len(notes) == 2
    # a draft that already shows both sides (and says the correction is one) gets nothing added
    told = "Reports differ on the tally; the rate was corrected to 35%."
    shown = {**draft, "faq": [{"question": "q", "answer": told, "citations": [1, 2, 3, 4]}]}
    assert complete_draft(shown, conflicts, sources)[1] == []
