"""The claims pass on one story, model-free: how long code takes to read every record (values, parties and
roles from spaCy's parse), pair them, group them into conflicts and settle corrections and updates.

The story is the demo corpus (20 records) and the largest packet of each half's kind; spaCy's model is
loaded once per process (the first run is reported apart). `python -m bench.bench_claims`.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from agents import factcheck
from bench.common import timed, write
from bench.fixtures import DEMO
from newsroom.claims.nlp import forget_parses
from newsroom.deps import Deps
from newsroom.embedding import embed
from newsroom.evaluation import NoModel

QUICK = "--quick" in sys.argv
PACKETS = Path(__file__).resolve().parents[1] / "tests" / "packets" / "dev"


class _NoStore:
    """The fact-check reads the sources it is handed; it never asks the store."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the claims pass asked the store for {name}")


def _sources(path: Path) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [
        {
            "n": n,
            "record_id": r["id"],
            "outlet": r.get("outlet", ""),
            "title": r.get("title", ""),
            "published_at": r.get("published_at"),
            "text": r["text"],
            "relevance": 1.0,
        }
        for n, r in enumerate(records, 1)
    ]


def _run(sources: list[dict[str, Any]], topic: str, deps: Deps) -> dict[str, Any]:
    forget_parses()  # each run reads the story as new: no sentence parsed in an earlier run is reused
    state: Any = {"story_id": "bench", "topic": topic, "sources": sources}
    return dict(factcheck.run(state, deps))


def main() -> None:
    reps = 3 if QUICK else 9
    deps = Deps(model=NoModel(), store=_NoStore(), embed=embed)
    stories = [("demo corpus", _sources(DEMO), "the DeepSeek funding round")]
    largest = max(PACKETS.glob("*/records.jsonl"), key=lambda p: len(p.read_text().splitlines()))
    topic = json.loads((largest.parent / "expected.json").read_text())["topics"][0]["topic"]
    stories.append((f"packet {largest.parent.name}", _sources(largest), topic))
    cold, _ = timed(lambda: _run(stories[0][1], stories[0][2], deps))
    rows: list[str] = []
    measured: dict[str, Any] = {}
    data: dict[str, Any] = {"first_run_s": cold, "stories": measured}
    for name, sources, topic in stories:
        times = []
        for _ in range(reps):
            seconds, result = timed(lambda s=sources, t=topic: _run(s, t, deps))  # type: ignore[misc]
            times.append(seconds)
        conflicts = len(result["conflicts"])
        rows.append(
            f"| {name} | {len(sources)} | {statistics.median(times) * 1000:.0f} | {max(times) * 1000:.0f} | {conflicts} |"
        )
        measured[name] = {"records": len(sources), "seconds": times, "conflicts": conflicts}
    lines = [
        f"Machine: {platform.machine()}, Python {platform.python_version()}, run {time.strftime('%Y-%m-%d')}. "
        f"Model-free: every record read by code; {reps} runs per story after a first run.",
        "",
        f"First run in a process (loads spaCy's English model and the embedder): **{cold:.2f} s**.",
        "",
        "| story | records | median ms | slowest ms | conflicts |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Must be: ≤ 1 s for a 20-record story, the model load counted once per process.",
    ]
    path = write("claims" + ("-quick" if QUICK else ""), "Claims pass benchmark", lines, data)
    print(path.read_text())


if __name__ == "__main__":
    main()
