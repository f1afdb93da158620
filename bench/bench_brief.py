"""A beat briefing on the embedded local model: time per agent, model calls, audit, conflicts flagged."""

from __future__ import annotations

import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import write
from newsroom.service import Newsroom, Progress
from newsroom.settings import Settings

BEATS = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "beats.toml"
SINCE = datetime(2026, 10, 1, tzinfo=UTC)


def main() -> None:
    steps: list[Progress] = []
    with tempfile.TemporaryDirectory() as tmp:
        room = Newsroom(Settings(data_dir=Path(tmp), beats_file=BEATS))
        t0 = time.perf_counter()
        plan = room.prepare_briefing("ai-industry", since=SINCE)
        polled = time.perf_counter() - t0
        b = room.run_briefing(plan, requested_by="bench", on_progress=steps.append)
        total = time.perf_counter() - t0
    m = b["methodology"]
    lines = [
        f"Machine: {platform.machine()}, 2 cores, run {time.strftime('%Y-%m-%d %H:%M')}. Model: "
        f"{', '.join(sorted(set(m['models'].values())))}. Beat: ai-industry (newsroom/demo/beats.toml), "
        f"records since {SINCE:%Y-%m-%d}.",
        "",
        "| step | seconds | result |",
        "|---|---|---|",
        f"| poll + choose | {polled:.1f} | {plan.added} records ingested, {len(plan.record_ids)} chosen |",
        *[f"| {p.step} | {p.seconds:.1f} | {p.summary} |" for p in steps],
        f"| **briefing** | **{total:.1f}** | {b['status']} |",
        "",
        f"Model calls: {m['model_calls']}; tokens: {m['tokens']['prompt']:,} prompt, "
        f"{m['tokens']['completion']:,} completion.",
        f"Audit: {'passed' if b['audit']['passed'] else 'FAILED: ' + '; '.join(b['audit']['problems'])}.",
        f"Items: {len(b['items'])}, all cited: {all(it['citations'] for it in b['items'])}; "
        f"composed by code: {m['composed_by_code'] or 'none'}.",
        "",
        f"Headline: {b['headline']}",
        "",
        *[f"- {it['text']} {it['citations']}" for it in b["items"]],
        "",
        "Conflicts flagged:",
        "",
        *[
            f"- {c['subject']}: " + "; ".join(f"{v['value']} {v['citations']}" for v in c["values"])
            for c in b["conflicts"]
        ],
    ]
    path = write("brief", "Beat briefing on the embedded model", lines, {"total_s": total, "briefing": b})
    print(path.read_text())


if __name__ == "__main__":
    main()
