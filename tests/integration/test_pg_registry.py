"""The registry's contract, tested once and run against both SQLite and PostgreSQL, and its faults as
sentences: what a newsroom sees is the same whichever database holds it."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from newsroom.database.registry import PostgresRegistry
from newsroom.database.schema import upgrade
from newsroom.registry import Registry, StoryRegistry
from newsroom.storage import StorageError
from tests.services import postgres_url  # noqa: F401  (a fixture)


@pytest.fixture(params=["sqlite", "postgres"])
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> StoryRegistry:
    if request.param == "sqlite":
        return Registry(tmp_path / "checkpoints.sqlite")
    url = request.getfixturevalue("postgres_url")
    upgrade(url)
    return PostgresRegistry(url)


def test_stories_are_listed_newest_first_with_every_column(registry: StoryRegistry) -> None:
    registry.add_story("s-1", "the budget", "U1", meta='{"payload": {"x": 1}}')
    time.sleep(0.002)
    registry.add_story("s-2", "briefing: city", "cron", kind="briefing")
    assert registry.exists("s-1") and not registry.exists("s-3")
    rows = registry.stories()
    assert [r["story_id"] for r in rows] == ["s-2", "s-1"]
    first = rows[1]
    assert set(first) == {
        "story_id",
        "kind",
        "topic",
        "requested_by",
        "status",
        "draft_version",
        "created_at",
        "updated_at",
        "meta",
    }
    assert (first["kind"], first["topic"], first["requested_by"], first["status"]) == (
        "explainer",
        "the budget",
        "U1",
        "running",
    )
    assert first["draft_version"] == 0 and first["meta"] == '{"payload": {"x": 1}}'
    assert isinstance(first["created_at"], str) and first["created_at"].startswith("20")
    time.sleep(0.002)
    registry.set_status("s-1", "pending_approval", 1)
    assert [r["story_id"] for r in registry.stories()] == ["s-1", "s-2"]  # touched: newest again
    assert [r["story_id"] for r in registry.stories(status="pending_approval")] == ["s-1"]
    assert registry.stories(status="pending_approval")[0]["draft_version"] == 1
    assert len(registry.stories(limit=1)) == 1


def test_a_story_id_is_added_once(registry: StoryRegistry) -> None:
    registry.add_story("s-1", "the budget", "U1")
    with pytest.raises(StorageError):  # the caller checks exists() first; a second add is a fault
        registry.add_story("s-1", "again", "U2")
    assert [r["topic"] for r in registry.stories()] == ["the budget"]


def test_a_decision_is_claimed_once_and_can_be_released(registry: StoryRegistry) -> None:
    assert registry.decision_for("s-1", 1) is None
    assert registry.claim_decision("s-1", 1, "approve", "U_A")
    assert not registry.claim_decision("s-1", 1, "reject", "U_B")
    decided = registry.decision_for("s-1", 1)
    assert decided is not None and (decided["decision"], decided["who"]) == ("approve", "U_A")
    assert registry.claim_decision("s-1", 2, "revise", "U_B")  # a new draft is a new decision
    registry.release_decision("s-1", 1)
    assert registry.decision_for("s-1", 1) is None
    assert registry.claim_decision("s-1", 1, "reject", "U_B")


def test_a_delivery_key_is_claimed_once(registry: StoryRegistry) -> None:
    assert registry.claim_once("command:abc")
    assert not registry.claim_once("command:abc")
    assert registry.claim_once("slot:city:2026-11-23T07:00")


def test_claimed_keys_are_listed_by_literal_prefix(registry: StoryRegistry) -> None:
    for key in ("home-viewer:UB", "home-viewer:UA", "home-viewers:UX", "home_viewer:UY", "x-home-viewer:UZ"):
        registry.claim_once(key)
    registry.claim_once("home-viewer:UA")  # claimed twice, listed once
    registry.claim_once("100%_off:a")
    assert registry.claimed("home-viewer:") == ["home-viewer:UA", "home-viewer:UB"]
    assert registry.claimed("100%_") == ["100%_off:a"]  # % and _ are not patterns
    assert registry.claimed("nobody:") == []


def test_briefed_records_are_remembered_per_beat(registry: StoryRegistry) -> None:
    assert registry.briefed("city") == set() and registry.last_briefing("city") is None
    registry.mark_briefed("city", ["r1", "r2"], "brief-1")
    registry.mark_briefed("city", ["r2", "r3"], "brief-2")  # r2 again: no error, no double
    registry.mark_briefed("sport", ["r9"], "brief-3")
    assert registry.briefed("city") == {"r1", "r2", "r3"}
    last = registry.last_briefing("city")
    assert last is not None and last.startswith("20")


def test_records_attached_to_a_story_are_kept_in_order_once_each(registry: StoryRegistry) -> None:
    assert registry.attached("s-1") == []
    registry.attach("s-1", ["r-b", "r-a"], "slack:U1")
    registry.attach("s-1", ["r-a", "r-c"], "slack:U2")  # r-a again: no error, no double
    registry.attach("s-2", ["r-z"], "slack:U1")
    assert registry.attached("s-1") == ["r-b", "r-a", "r-c"]
    assert registry.attached("s-2") == ["r-z"]


def test_publication_targets_count_attempts_and_only_done_ones_are_published(
    registry: StoryRegistry,
) -> None:
    registry.record_target("s-1", "slack", None, "Slack said channel_not_found")
    registry.record_target("s-1", "files", {"md": "/p/s-1.md"})
    targets = registry.publication("s-1")
    first_at = targets["slack"].pop("at")
    assert first_at.startswith("20") and targets["files"].pop("at").startswith("20")  # when, for the audit
    assert targets == {
        "slack": {"done": False, "result": {}, "error": "Slack said channel_not_found", "attempts": 1},
        "files": {"done": True, "result": {"md": "/p/s-1.md"}, "error": None, "attempts": 1},
    }
    assert registry.published_stories() == {"s-1": {"files": {"md": "/p/s-1.md"}}}
    time.sleep(0.002)
    registry.record_target("s-1", "slack", {"ts": "1.2"})
    slack = registry.publication("s-1")["slack"]
    assert slack.pop("at") > first_at  # the last attempt's time
    assert slack == {
        "done": True,
        "result": {"ts": "1.2"},
        "error": None,
        "attempts": 2,
    }
    assert registry.published_stories() == {"s-1": {"files": {"md": "/p/s-1.md"}, "slack": {"ts": "1.2"}}}
    assert registry.publication("s-2") == {}


def test_a_lease_is_held_by_one_owner_until_it_expires(registry: StoryRegistry) -> None:
    assert registry.lease_owner("story:s-1") is None
    assert registry.claim_lease("story:s-1", "host:1", 60)
    assert not registry.claim_lease("story:s-1", "host:2", 60)
    assert registry.claim_lease("story:s-1", "host:1", 60)  # renewed by its holder
    owner = registry.lease_owner("story:s-1")
    assert owner is not None and owner[0] == "host:1" and owner[1] > time.time() + 50
    registry.release_lease("story:s-1", "host:2")  # not theirs: nothing happens
    assert registry.lease_owner("story:s-1") is not None
    assert registry.claim_lease("story:s-2", "host:1", -1)  # already expired
    assert registry.claim_lease("story:s-2", "host:2", 60)  # so another may take it
    registry.release_lease("story:s-1", "host:1")
    assert registry.lease_owner("story:s-1") is None


def test_a_database_without_tables_says_to_run_db_upgrade(postgres_url: str) -> None:  # noqa: F811
    with pytest.raises(StorageError) as caught:
        PostgresRegistry(postgres_url)
    said = str(caught.value)
    assert "has no newsroom tables yet" in said and "newsroom db upgrade" in said
    assert postgres_url.rsplit("/", 1)[1] in said and "127.0.0.1:5432" in said


def test_a_fault_in_use_is_a_sentence_naming_the_database(postgres_url: str) -> None:  # noqa: F811
    upgrade(postgres_url)
    registry = PostgresRegistry(postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP TABLE newsroom_leases")
    with pytest.raises(StorageError) as caught:
        registry.claim_lease("story:s-1", "me", 60)
    assert "newsroom db upgrade" in str(caught.value) and "Traceback" not in str(caught.value)
    assert registry.claim_once("still:works")  # the pool's connection survived the failed statement


def _usage(role: str, model: str, calls: int, cost: float, unpriced: int = 0) -> dict[str, object]:
    return {
        "role": role,
        "model": model,
        "calls": calls,
        "prompt_tokens": 100 * calls,
        "completion_tokens": 10 * calls,
        "cost_usd": cost,
        "unpriced_calls": unpriced,
    }


def test_model_use_is_kept_per_story_and_role_and_read_back_by_date_or_story(
    registry: StoryRegistry,
) -> None:
    registry.add_story("s-1", "the budget", "slack:U1")
    registry.record_usage("s-1", "city", [_usage("research", "m-a", 1, 0.5)])
    # The story ran on: its totals so far replace the earlier ones, and a new role is added.
    registry.record_usage(
        "s-1", "city", [_usage("research", "m-a", 2, 1.0), _usage("writer", "m-b", 3, 0, 3)]
    )
    registry.record_usage(
        "s-1", "city", [_usage("research", "m-a", 2, 1.0), _usage("writer", "m-b", 3, 0, 3)]
    )
    time.sleep(0.002)
    registry.add_story("s-2", "briefing: schools", "cron", kind="briefing")
    registry.record_usage("s-2", None, [_usage("writer", "m-b", 1, 0.25)])
    rows = registry.usage()
    assert [(r["story_id"], r["role"], r["calls"]) for r in rows] == [
        ("s-1", "research", 2),
        ("s-1", "writer", 3),
        ("s-2", "writer", 1),
    ]
    first = rows[0]
    assert (first["beat"], first["requested_by"], first["kind"], first["topic"]) == (
        "city",
        "slack:U1",
        "explainer",
        "the budget",
    )
    assert (first["prompt_tokens"], first["completion_tokens"], first["cost_usd"]) == (200, 20, 1.0)
    assert rows[1]["unpriced_calls"] == 3 and rows[2]["beat"] is None
    second_created = registry.stories()[0]["created_at"]
    assert [r["story_id"] for r in registry.usage(since=second_created)] == ["s-2"]
    assert [r["role"] for r in registry.usage(story_ids=["s-1"])] == ["research", "writer"]
    assert registry.usage(story_ids=[]) == [] and registry.usage(since="2999-01-01") == []
