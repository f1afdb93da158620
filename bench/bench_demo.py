"""The demo on the embedded local model: time per agent, model calls and tokens, audit, conflicts found."""

from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path

from bench.common import write
from bench.fixtures import DEMO
from newsroom.service import Newsroom, Progress
from newsroom.settings import Settings

TOPIC = "the DeepSeek funding round"


def main() -> None:
    steps: list[Progress] = []
    with tempfile.TemporaryDirectory() as tmp:
        room = Newsroom(Settings(data_dir=Path(tmp)))
        room.ingest([str(DEMO)])
        t0 = time.perf_counter()
        ex = room.explain(TOPIC, on_progress=steps.append)
        total = time.perf_counter() - t0
    usage = ex["methodology"]
    conflicts = [
        f"{c['subject']}: "
        + "; ".join(f"{v['value']} {v['citations']}" for v in c["values"])
        + (f" — {c['resolution']}" if c.get("resolution") else "")
        for c in ex["conflicts"]
    ]
    cited_faq = sum(1 for q in ex["faq"] if q["citations"])
    lines = [
        f"Machine: {platform.machine()}, 2 cores, run {time.strftime('%Y-%m-%d %H:%M')}. Model: "
        f"{', '.join(sorted(set(usage['models'].values())))}. Topic: “{TOPIC}”.",
        "",
        "| step | seconds | result |",
        "|---|---|---|",
        *[f"| {p.step} | {p.seconds:.1f} | {p.summary} |" for p in steps],
        f"| **first draft** | **{total:.1f}** | {ex['status']} |",
        "",
        f"Model calls: {usage['model_calls']}; tokens: {usage['tokens']['prompt']:,} prompt, "
        f"{usage['tokens']['completion']:,} completion.",
        f"Audit: {'passed' if ex['audit']['passed'] else 'FAILED: ' + '; '.join(ex['audit']['problems'])}.",
        f"FAQ answers with citations: {cited_faq} of {len(ex['faq'])}.",
        "",
        "Conflicts found:",
        "",
        *[f"- {c}" for c in conflicts],
    ]
    path = write(
        "demo",
        "Demo on the embedded model",
        lines,
        {"steps": [p.__dict__ for p in steps], "total_s": total, "explainer": ex},
    )
    print(path.read_text())


if __name__ == "__main__":
    main()
