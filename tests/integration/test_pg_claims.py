"""Exactly once in PostgreSQL: threads and OS processes racing for one decision or one delivery key, as
fronts and workers on several machines would, and exactly one wins."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.synchronize import Barrier

from newsroom.database import connect
from newsroom.database.checkpoints import PostgresCheckpoints, open_postgres_checkpoints
from newsroom.database.registry import PostgresRegistry
from newsroom.database.schema import upgrade
from tests.services import postgres_url  # noqa: F401  (a fixture)

RACERS = 8


def test_threads_racing_for_one_decision_and_one_key_have_one_winner(postgres_url: str) -> None:  # noqa: F811
    upgrade(postgres_url)
    registry = PostgresRegistry(postgres_url)
    start = threading.Barrier(RACERS)

    def race(n: int) -> tuple[bool, bool]:
        start.wait()
        return (
            registry.claim_decision("story-1", 1, "approve", f"U{n}"),
            registry.claim_once("command:trigger-1"),
        )

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(race, range(RACERS)))
    decisions = [n for n, (won, _) in enumerate(results) if won]
    keys = [n for n, (_, won) in enumerate(results) if won]
    assert len(decisions) == 1 and len(keys) == 1
    decided = registry.decision_for("story-1", 1)
    assert decided is not None and decided["who"] == f"U{decisions[0]}"


def _racer(
    url: str, n: int, start: Barrier, results: multiprocessing.Queue[tuple[int, int, bool, bool]]
) -> None:
    registry = PostgresRegistry(url)  # a pool of this process's own
    start.wait(30)
    won_decision = registry.claim_decision("story-1", 1, "approve", f"P{n}")
    won_key = registry.claim_once("slot:city:2026-11-23T07:00")
    results.put((n, os.getpid(), won_decision, won_key))


def test_processes_racing_for_one_decision_and_one_slot_have_one_winner(postgres_url: str) -> None:  # noqa: F811
    upgrade(postgres_url)
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as separate fronts would be
    start = context.Barrier(4)
    results: multiprocessing.Queue[tuple[int, int, bool, bool]] = context.Queue()
    procs = [context.Process(target=_racer, args=(postgres_url, n, start, results)) for n in range(4)]
    for proc in procs:
        proc.start()
    got = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    assert len({pid for _, pid, _, _ in got}) == 4
    assert sum(won for _, _, won, _ in got) == 1
    assert sum(won for _, _, _, won in got) == 1
    winner = next(n for n, _, won, _ in got if won)
    decided = PostgresRegistry(postgres_url).decision_for("story-1", 1)
    assert decided is not None and decided["who"] == f"P{winner}"


def _forked_claim(
    registry: PostgresRegistry, saver: PostgresCheckpoints, out: multiprocessing.Queue[tuple[int, int, bool]]
) -> None:
    found = saver.get_tuple({"configurable": {"thread_id": "nobody", "checkpoint_ns": ""}})
    out.put((id(connect.pool(registry.url)), id(saver.conn), registry.claim_once("forked") and found is None))


def test_a_forked_child_uses_a_pool_of_its_own(postgres_url: str) -> None:  # noqa: F811
    """A connection shared across fork corrupts both sides: the child must make its own."""
    upgrade(postgres_url)
    registry = PostgresRegistry(postgres_url)
    saver = open_postgres_checkpoints(postgres_url)
    assert registry.claim_once("parent")
    parent_pools = (id(connect.pool(postgres_url)), id(saver.conn))
    context = multiprocessing.get_context("fork")
    out: multiprocessing.Queue[tuple[int, int, bool]] = context.Queue()
    child = context.Process(target=_forked_claim, args=(registry, saver, out))
    child.start()
    child_registry_pool, child_checkpoint_pool, worked = out.get(timeout=30)
    child.join(30)
    assert child.exitcode == 0 and worked
    assert child_registry_pool not in parent_pools and child_checkpoint_pool not in parent_pools
    assert registry.claim_once("parent again")  # the parent's pools still work after the child left
    assert saver.get_tuple({"configurable": {"thread_id": "nobody", "checkpoint_ns": ""}}) is None
