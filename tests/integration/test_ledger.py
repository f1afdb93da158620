"""Cost per story and the audit export, as editors and a standards editor meet them: a story drafted on an
OpenAI-compatible endpoint that reports usage shows tokens and cost per role in its methodology and in
`/newsroom status`; `newsroom costs` totals stories by beat and requester; `newsroom audit` lists every
decision, edit and publication, as JSON Lines or as CSV a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsroom.cli import app
from newsroom.documents.briefing import render_markdown
from newsroom.registry import Registry
from newsroom.service import Newsroom
from newsroom.settings import Settings, get_settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE
from newsroom.slack.server import http_server
from tests.fakes.openai import story_endpoint
from tests.fakes.scripted import DEMO, demo_room, scripted
from tests.fakes.slack import fake_slack
from tests.fakes.slackreq import command, post
from tests.integration.test_slack import button, said, slack_env, wait_drafts

PRICES = {"fake-model": {"prompt_per_1k": 1.0, "completion_per_1k": 2.0}}
PER_CALL = (11 * 1.0 + 7 * 2.0) / 1000  # the fake endpoint reports 11 prompt and 7 completion tokens a call


def _cli(*args: str) -> Result:
    get_settings.cache_clear()  # the command reads the environment this test set
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()


def test_a_story_on_an_endpoint_shows_tokens_and_cost_per_role_in_its_methodology_and_status(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with fake_slack() as slack, story_endpoint() as (model_url, calls):
        slack_env(monkeypatch, slack, tmp_path / "data")
        monkeypatch.setenv("NEWSROOM_LLM_BASE_URL", model_url)
        monkeypatch.setenv("NEWSROOM_LLM_API_KEY", "sk-test")
        monkeypatch.setenv("NEWSROOM_LLM_MODEL", "fake-model")
        monkeypatch.setenv("NEWSROOM_LLM_WRITER_MODEL", "fake-writer")  # no price set for it
        monkeypatch.setenv("NEWSROOM_LLM_PRICES", json.dumps(PRICES))
        ctx = build_context(Settings())
        room = ctx.room
        room.ingest([str(DEMO)])
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            post(url, command("explain the DeepSeek funding round"))
            draft = wait_drafts(slack, 1, timeout=120)[0]
            story = json.loads(button(draft, APPROVE))["story_id"]
            status = said(post(url, command("status", trigger="T-2")))
            doc = room.show(story)
        finally:
            room.jobs.shutdown()
            server.shutdown()
            server.server_close()
    m = doc["methodology"]
    assert m["model_calls"] == len(calls)  # every call the endpoint answered, counted once
    roles = m["by_role"]
    assert set(roles) == {"research", "factcheck", "framing", "writer"}
    for role in ("research", "factcheck", "framing"):
        n = roles[role]["calls"]
        assert (roles[role]["prompt_tokens"], roles[role]["completion_tokens"]) == (11 * n, 7 * n)
        assert roles[role]["cost_usd"] == pytest.approx(PER_CALL * n) and roles[role]["models"] == [
            "fake-model"
        ]
    writer = roles["writer"]
    assert writer["models"] == ["fake-writer"] and writer["cost_usd"] is None
    priced = len(calls) - writer["calls"]
    page = render_markdown(doc)
    assert f"writer {18 * writer['calls']:,} tokens ({11 * writer['calls']:,} prompt" in page
    assert "no price set" in page and f"${PER_CALL * roles['research']['calls']:.4f}" in page
    # /newsroom status: the story's tokens and cost, the writer's unpriced calls said as such
    expected = (
        f"{18 * len(calls):,} tokens, ${PER_CALL * priced:.4f} + {writer['calls']} "
        f"call{'s' * (writer['calls'] != 1)} with no price set"
    )
    assert story in status and expected in status, status
    # kept in the registry, where `newsroom costs` totals it
    rows = Registry(tmp_path / "data" / "checkpoints.sqlite").usage(story_ids=[story])
    assert sum(r["calls"] for r in rows) == len(calls)
    assert sum(r["cost_usd"] for r in rows) == pytest.approx(PER_CALL * priced)


def _usage(role: str, calls: int, cost: float | None) -> dict[str, object]:
    return {
        "role": role,
        "model": "m",
        "calls": calls,
        "prompt_tokens": 1000 * calls,
        "completion_tokens": 100 * calls,
        "cost_usd": cost or 0.0,
        "unpriced_calls": 0 if cost is not None else calls,
    }


def test_costs_totals_stories_by_beat_and_requester(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    registry = Registry(tmp_path / "data" / "checkpoints.sqlite")
    registry.add_story("s-city", "the transit budget", "slack:UANA")
    registry.record_usage("s-city", "city", [_usage("research", 2, 0.5), _usage("writer", 1, 1.25)])
    registry.add_story("s-schools", "briefing: schools", "cron", kind="briefing")
    registry.record_usage("s-schools", "schools", [_usage("writer", 3, None)])
    registry.add_story("s-city-2", "the bridge", "cron")
    registry.record_usage("s-city-2", "city", [_usage("writer", 1, 0.25)])
    done = _cli("costs", "--since", "2000-01-01", "--json")
    assert done.exit_code == 0, done.output
    found = json.loads(done.stdout)
    assert found["total"] | {"cost_usd": round(found["total"]["cost_usd"], 6)} == {
        "stories": 3,
        "calls": 7,
        "prompt_tokens": 7000,
        "completion_tokens": 700,
        "cost_usd": 2.0,
        "unpriced_calls": 3,
    }
    beats = {r["beat"]: (r["stories"], r["calls"], r["cost_usd"]) for r in found["by_beat"]}
    assert beats == {"city": (2, 4, 2.0), "schools": (1, 3, None)}  # no price set: null, not 0
    people = {r["requested_by"]: (r["stories"], r["cost_usd"]) for r in found["by_requester"]}
    assert people == {"slack:UANA": (1, 1.75), "cron": (2, 0.25)}
    table = _cli("costs", "--since", "2000-01-01")
    assert table.exit_code == 0 and "Cost by beat" in table.stdout and "Cost by requester" in table.stdout
    assert "schools" in table.stdout and "no price set" in table.stdout
    assert "Total: 3 stories, 7 model calls, 7,700 tokens" in table.stdout
    assert "No model use recorded" in _cli("costs", "--since", "2999-01-01").stdout
    bad = _cli("costs", "--since", "last tuesday")
    assert bad.exit_code == 2 and "is not a date; use ISO 8601" in bad.output


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Newsroom, str, str]]:
    """A story revised (with a note shaped like a formula), edited in place, approved and published."""
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    room = demo_room(Settings(), scripted())
    story = room.explain("the DeepSeek funding round", requested_by="slack:UREQ")["story_id"]
    room.review(
        story, "revise", who="slack:UEDITOR", note='=HYPERLINK("http://x.test") lead with the valuation'
    )
    between = datetime.now(UTC).isoformat()
    config = {"configurable": {"thread_id": story}}
    edit = {
        "kind": "edit",
        "by": "slack:UDESK",
        "at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),  # written by another hand
        "version": 2,
        "diff": "--- headline\n+++ headline\n-What we know\n+What we know now",
    }
    room.graph.update_state(config, {"history": [edit]}, as_node="present")  # as the Edit button records one
    room.review(story, "approve", who="slack:UEDITOR")
    try:
        yield room, story, between
    finally:
        room.jobs.shutdown()


def test_audit_lists_decisions_edits_and_publications_with_the_sources_each_version_cited(
    decided: tuple[Newsroom, str, str],
) -> None:
    room, story, between = decided
    done = _cli("audit", "--since", "2000-01-01", "--json")
    assert done.exit_code == 0, done.output
    events = [json.loads(line) for line in done.stdout.splitlines()]  # JSON Lines: one event a line
    assert [(e["event"], e["version"], e["who"], e["action"]) for e in events] == [
        ("decision", 1, "slack:UEDITOR", "revise"),
        ("edit", 2, "slack:UDESK", "edit"),
        ("decision", 2, "slack:UEDITOR", "approve"),
        ("publication", 2, "slack:UEDITOR", "published to files"),
    ]
    assert all(e["story_id"] == story and e["topic"] == "the DeepSeek funding round" for e in events)
    revise, edit, approve, published = events
    assert revise["note"].startswith("=HYPERLINK") and edit["detail"].startswith("--- headline")
    assert all(e["at"].endswith("+00:00") for e in events)  # one way of writing times, sorted as times
    cited = room.show(story)["sources"]
    assert approve["sources"] and {s["record_id"] for s in approve["sources"]} <= {
        s["record_id"] for s in cited
    }
    assert revise["sources"] and all(s["n"] and s["record_id"] for s in revise["sources"])
    assert published["sources"] == approve["sources"] and ".html" in published["detail"]
    later = _cli("audit", "--since", between, "--json").stdout.splitlines()
    assert [json.loads(line)["event"] for line in later] == ["edit", "decision", "publication"]  # not before
    table = _cli("audit", "--since", "2000-01-01")
    assert table.exit_code == 0 and "Audit trail" in table.stdout and "approve" in table.stdout


def test_audit_csv_cannot_be_run_by_a_spreadsheet(decided: tuple[Newsroom, str, str]) -> None:
    _, story, _ = decided
    done = _cli("audit", "--since", "2000-01-01", "--csv")
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["event"] for r in rows] == ["decision", "edit", "decision", "publication"]
    revise, edit, approve, _ = rows
    assert revise["note"].startswith("'=HYPERLINK")  # shown as text, never evaluated
    assert edit["detail"].startswith("'--- headline")
    assert approve["who"] == "slack:UEDITOR" and approve["story_id"] == story  # plain cells untouched
    assert approve["topic"] == "the DeepSeek funding round" and approve["version"] == "2"
    assert approve["sources"].startswith("[")
    for row in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in row.values())


def test_a_bad_since_is_a_sentence_and_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    bad = _cli("audit", "--since", "yesterday", "--csv")
    assert bad.exit_code == 2 and "--since 'yesterday' is not a date; use ISO 8601" in bad.output
    both = _cli("audit", "--since", "2026-01-01", "--csv", "--json")
    assert both.exit_code == 2 and "Choose one of --json or --csv" in both.output


def test_two_stories_drafted_at_once_each_count_only_their_own_calls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    model = scripted()
    model.latency_s = 0.05  # slow enough that the two stories' calls interleave
    room = demo_room(Settings(), model)
    try:
        with ThreadPoolExecutor(2) as pool:
            docs = list(pool.map(lambda _: room.explain("the DeepSeek funding round"), range(2)))
    finally:
        room.jobs.shutdown()
    counts = [d["methodology"]["model_calls"] for d in docs]
    assert counts[0] == counts[1] and sum(counts) == len(model.calls)  # the same story twice, same calls
    for d in docs:
        kept = room.registry.usage(story_ids=[d["story_id"]])
        assert sum(r["calls"] for r in kept) == d["methodology"]["model_calls"]
        assert {r["role"] for r in kept} == {"research", "factcheck", "framing", "writer"}
