"""Soak: 200 stories, two editors approving each at once, `kill -9` of the worker half-way and a restart,
a publication target failing 10% of the time. Counts lost publications and stuck stories; memory after
the run against after warm-up. `python -m bench.bench_soak [stories]`; writes bench/results/soak.md."""

from __future__ import annotations

import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import median, percentile, write

TOPIC = "the DeepSeek funding round"
FAIL_RATE = 0.10
WARM_UP = 20


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def worker(data: str, count: int, report: str) -> None:
    """One newsroom process: resume what a killed one left, then run every story not yet done."""
    from bench.fixtures import DEMO, DemoModel
    from newsroom.publication import PublishError
    from newsroom.service import Newsroom, PublishPending, StoryError
    from newsroom.settings import Settings

    rng, rng_lock = random.Random(), threading.Lock()
    failures = {"cms": 0, "first_try_pending": 0}

    def cms(explainer: dict[str, Any]) -> dict[str, str]:
        with rng_lock:
            fail = rng.random() < FAIL_RATE
            failures["cms"] += fail
        if fail:
            raise PublishError("publishing to the CMS failed: it answered 503 — newsroom retries by itself")
        return {"cms": f"cms://{explainer['story_id']}"}

    room = Newsroom(Settings(data_dir=Path(data)), model_override=DemoModel(), publishers={"cms": cms})
    if room.store.count() == 0:
        room.ingest([str(DEMO)])
    jobs = room.jobs
    jobs.publish_wait_s, jobs.publish_wait_max_s, jobs.publish_attempts = 0.05, 0.5, 30
    resumed = jobs.resume_unfinished()
    known = {r["story_id"]: r["status"] for r in room.registry.stories(limit=100_000)}
    seconds: list[float] = []
    marks: dict[str, float] = {}
    done_lock = threading.Lock()

    def decide(story_id: str, who: str) -> str:
        try:
            room.review(story_id, "approve", who=who)
            return "won"
        except PublishPending:
            failures["first_try_pending"] += 1
            return "won"
        except StoryError:
            return "refused"

    def one(i: int) -> None:
        story_id = f"soak-{i:03d}"
        started = time.perf_counter()
        status = known.get(story_id)
        if status is None:
            room.explain(TOPIC, story_id=story_id, requested_by="soak")
        elif status in ("running", "publishing"):
            for _ in range(600):  # resumed in the background: wait for it to reach the editor or finish
                (row,) = room.status(story_id)
                if row["status"] not in ("running", "publishing"):
                    break
                time.sleep(0.1)
        if room.show(story_id)["status"] == "pending_approval":
            with ThreadPoolExecutor(2) as editors:  # two editors click Approve at the same moment
                outcomes = list(editors.map(lambda who: decide(story_id, who), ("ed-a", "ed-b")))
            assert outcomes.count("won") <= 1, outcomes
        with done_lock:
            seconds.append(time.perf_counter() - started)
            if len(seconds) == max(1, min(WARM_UP, len(todo) // 4)):
                marks["rss_warm_mb"] = _rss_mb()
        print(json.dumps({"done": story_id}), flush=True)

    todo = [i for i in range(count) if known.get(f"soak-{i:03d}") not in ("published", "rejected")]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, todo))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        open_ = [r for r in room.registry.stories(limit=100_000) if r["status"] in ("running", "publishing")]
        if not open_:
            break
        time.sleep(0.2)
    marks["rss_end_mb"] = _rss_mb()
    Path(report).write_text(
        json.dumps(
            {"resumed": resumed, "seconds": seconds, "failures": failures, **marks, "stories": len(todo)}
        )
    )


def _verify(data: Path, count: int) -> dict[str, Any]:
    from newsroom.documents.files import file_stem
    from newsroom.registry import Registry

    registry = Registry(data / "checkpoints.sqlite")
    rows = {r["story_id"]: r["status"] for r in registry.stories(limit=100_000)}
    published = registry.published_stories()
    approved = [s for s in rows if registry.decision_for(s, 1)]
    lost = [
        s
        for s in approved
        if set(published.get(s, {})) != {"files", "cms"}
        or not (data / "published" / f"{file_stem(s)}.json").exists()
    ]
    stuck = [s for s, status in rows.items() if status in ("running", "publishing", "failed")]
    return {
        "stories": len(rows),
        "approved": len(approved),
        "published": sum(1 for s in rows.values() if s == "published"),
        "file_sets": len(list((data / "published").glob("*.json"))),
        "lost_publications": lost,
        "stuck_stories": stuck,
        "expected": count,
    }


def main(count: int = 200) -> None:
    data = Path(tempfile.mkdtemp(prefix="newsroom-soak-")) / "data"
    cmd = [sys.executable, "-m", "bench.bench_soak", "--worker", str(data), str(count)]
    started = time.perf_counter()
    first = subprocess.Popen([*cmd, str(data.parent / "first.json")], stdout=subprocess.PIPE, text=True)
    done_before_kill = 0
    assert first.stdout is not None
    for line in first.stdout:
        done_before_kill += '"done"' in line
        if done_before_kill >= count // 2:
            os.kill(first.pid, signal.SIGKILL)  # kill -9 with stories mid-run and mid-publication
            break
    first.wait()
    unfinished_at_kill = _verify(data, count)
    killed_at = time.perf_counter() - started
    second = subprocess.run([*cmd, str(data.parent / "second.json")], capture_output=True, text=True)
    if second.returncode:
        sys.stderr.write(second.stderr[-3000:])
        raise SystemExit("the restarted worker failed")
    wall = time.perf_counter() - started
    run = json.loads((data.parent / "second.json").read_text())
    result = _verify(data, count)
    seconds = run["seconds"]
    ratio = run["rss_end_mb"] / run["rss_warm_mb"]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"run {date.today().isoformat()}. Scripted model (no latency), 4 stories at a time, two editors "
        f"approving each story at the same moment, a CMS target failing {FAIL_RATE:.0%} of the time.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| stories | {result['stories']} of {count} |",
        f"| killed (SIGKILL) after | {done_before_kill} stories done, {killed_at:.0f} s |",
        f"| left unfinished by the kill | {sum(1 for s in unfinished_at_kill['stuck_stories'])} stories |",
        f"| resumed by the restarted worker at start | {len(run['resumed'])} |",
        f"| approved / published / file sets on disk | {result['approved']} / {result['published']} / "
        f"{result['file_sets']} |",
        f"| CMS failures injected (restarted worker) | {run['failures']['cms']} |",
        f"| **lost publications** | **{len(result['lost_publications'])}** |",
        f"| **stuck stories** | **{len(result['stuck_stories'])}** |",
        f"| story to decision, median / p95 (restarted worker) | {median(seconds):.2f} s / "
        f"{percentile(seconds, 95):.2f} s |",
        f"| memory after warm-up ({WARM_UP} stories) → after the run | {run['rss_warm_mb']:.0f} MB → "
        f"{run['rss_end_mb']:.0f} MB (ratio {ratio:.2f}) |",
        f"| wall time | {wall:.0f} s |",
    ]
    data_out = {"result": result, "run": {k: v for k, v in run.items() if k != "seconds"}, "ratio": ratio}
    data_out["median_s"], data_out["wall_s"], data_out["killed_after"] = (
        median(seconds),
        wall,
        done_before_kill,
    )
    print(
        write("soak", "Soak benchmark: 200 stories, a kill -9 and a restart, a flaky target", lines, data_out)
    )
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
