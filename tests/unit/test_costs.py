"""What a story's model use costs: per role, in tokens and dollars at the prices set, never a made-up number;
and every call counted for the story that made it, however many stories a process runs at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context

import pytest

from newsroom import costs
from newsroom.documents.explainer import methodology, usage_sentence
from newsroom.models.port import UsageLog, usage_scope
from newsroom.settings import Settings


def _call(role: str, prompt: int, completion: int, cost: float | None, model: str = "m") -> dict[str, object]:
    return {
        "role": role,
        "model": model,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "cost_usd": cost,
    }


def test_prices_come_from_one_json_setting_and_cost_per_1k_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().llm.prices == {}  # empty by default: no cost is invented
    monkeypatch.setenv(
        "NEWSROOM_LLM_PRICES", '{"gpt-4o-mini": {"prompt_per_1k": 0.15, "completion_per_1k": 0.6}}'
    )
    price = Settings().llm.prices["gpt-4o-mini"]
    assert price.cost(2000, 1000) == pytest.approx(0.9)
    monkeypatch.setenv("NEWSROOM_LLM_PRICES", '{"m": {"prompt_per_1k": -1, "completion_per_1k": 0}}')
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        Settings()


def test_per_role_tokens_and_cost_with_a_role_that_has_no_price() -> None:
    usage = [
        _call("research", 100, 10, 0.002),
        _call("writer", 1000, 500, None, model="strong"),
        _call("research", 50, 5, 0.001),
    ]
    roles = costs.by_role(usage)
    assert list(roles) == ["research", "writer"]  # the pipeline's order, not the calls'
    assert roles["research"] | {"cost_usd": round(roles["research"]["cost_usd"], 6)} == {
        "models": ["m"],
        "calls": 2,
        "prompt_tokens": 150,
        "completion_tokens": 15,
        "cost_usd": 0.003,
        "unpriced_calls": 0,
    }
    assert roles["writer"]["cost_usd"] is None and costs.money(roles["writer"]) == "no price set"
    assert costs.money(roles["research"]) == "$0.0030"
    total = costs.priced(costs.add_up(costs.usage_rows(usage)))
    assert costs.money(total) == "$0.0030 + 1 call with no price set"
    assert costs.tokens(total) == "1,665 tokens (1,150 prompt, 515 completion)"
    assert costs.money({"calls": 0, "cost_usd": 12.5, "unpriced_calls": 0}) == "$12.50"


def test_the_methodology_names_each_roles_tokens_and_cost() -> None:
    m = methodology({"usage": [_call("framing", 300, 40, 0.01), _call("writer", 10, 2, None)]})
    assert m["tokens"] == {"prompt": 310, "completion": 42}
    assert m["by_role"]["framing"]["cost_usd"] == 0.01 and m["by_role"]["writer"]["cost_usd"] is None
    sentence = usage_sentence(m)
    assert "framing 340 tokens (300 prompt, 40 completion), $0.0100" in sentence
    assert "writer 12 tokens (10 prompt, 2 completion), no price set" in sentence
    assert sentence.endswith(
        "Total: 352 tokens (310 prompt, 42 completion), $0.0100 + 1 call with no price set."
    )
    assert usage_sentence(methodology({})) == ""  # a story with no model calls says nothing of them


def test_totals_by_beat_and_requester() -> None:
    rows = [
        {
            "story_id": "a",
            "beat": "city",
            "requested_by": "U1",
            **costs.usage_rows([_call("writer", 10, 1, 0.5)])[0],
        },
        {
            "story_id": "a",
            "beat": "city",
            "requested_by": "U1",
            **costs.usage_rows([_call("research", 5, 1, 0.25)])[0],
        },
        {
            "story_id": "b",
            "beat": None,
            "requested_by": "U2",
            **costs.usage_rows([_call("writer", 7, 3, None)])[0],
        },
    ]
    by_beat = costs.totals_by(rows, "beat", missing="(no beat)")
    assert [(r["beat"], r["stories"], r["calls"], r["cost_usd"]) for r in by_beat] == [
        ("city", 1, 2, 0.75),
        ("(no beat)", 1, 1, None),
    ]


def test_each_story_drains_only_its_own_calls_though_one_port_serves_both() -> None:
    log = UsageLog()
    both = threading.Barrier(2)
    drained: dict[str, list[dict[str, object]]] = {}

    def story(story_id: str) -> None:
        with usage_scope(story_id):
            contexts = [copy_context() for _ in range(3)]
            with ThreadPoolExecutor(3) as pool:  # an agent's own threads carry the story along
                list(pool.map(lambda c: c.run(log.add, role="factcheck", story=story_id), contexts))
            both.wait()  # both stories' calls are in the log before either drains
            drained[story_id] = log.drain()

    threads = [threading.Thread(target=story, args=(s,)) for s in ("s-1", "s-2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [c["story"] for c in drained["s-1"]] == ["s-1"] * 3
    assert [c["story"] for c in drained["s-2"]] == ["s-2"] * 3
    log.add(role="research")  # outside any story (the eval, a test): drained outside any story
    assert log.drain() == [{"role": "research"}]


def test_status_shows_each_storys_tokens_and_cost_within_one_slack_message() -> None:
    from types import SimpleNamespace

    from newsroom.slack.blocks import MAX_TEXT
    from newsroom.slack.commands import status_text

    stories = [
        {
            "story_id": f"slack-CNEWS-{i}.000",
            "topic": f"the <!channel> budget story number {i} " + "with a long topic " * 8,
            "status": "pending_approval",
            "draft_version": 1,
        }
        for i in range(200)
    ]
    usage = [
        {"story_id": "slack-CNEWS-0.000", **costs.usage_rows([_call("writer", 1200, 300, 0.0042)])[0]},
        {"story_id": "slack-CNEWS-1.000", **costs.usage_rows([_call("writer", 10, 5, None)])[0]},
    ]
    asked: list[list[str]] = []

    def usage_of(story_ids: list[str]) -> list[dict[str, object]]:
        asked.append(story_ids)
        return [u for u in usage if u["story_id"] in story_ids]

    room = SimpleNamespace(status=lambda story: stories, registry=SimpleNamespace(usage=usage_of))
    text = status_text(SimpleNamespace(room=room), None, "CNEWS")  # type: ignore[arg-type]
    lines = text.splitlines()
    assert len(text) <= MAX_TEXT and lines[0] == "*200 waiting for a decision*"
    assert lines[1].endswith("— 1,500 tokens, $0.0042") and lines[2].endswith("— 15 tokens, no price set")
    assert (
        not lines[3].endswith("tokens") and "no price set" not in lines[3]
    )  # no calls recorded: nothing said
    assert "&lt;!channel&gt;" in lines[1]  # a topic's markup stays inert
    shown = len(lines) - 2
    assert lines[-1] == f"… and {200 - shown} more; `newsroom status` lists every story."
    assert len(asked) == 1  # one registry read for the whole list
