"""Embedding speed of each embedder (NEWSROOM_EMBEDDER): the demo corpus' chunks as stored texts, and one
question at a time as searches ask. Medians of several runs, each model loaded before timing."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from bench.common import median, write
from newsroom.embedders import EMBEDDERS
from newsroom.settings import Settings
from newsroom.store import chunk_text

DEMO = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "deepseek.jsonl"
RUNS = 5
QUESTIONS = [
    "Who invested in DeepSeek's funding round?",
    "How much did DeepSeek raise and at what valuation?",
    "What did regulators say about the deal?",
    "When was the round announced?",
]


def _chunks() -> list[str]:
    store = Settings().store
    texts = [json.loads(line)["text"] for line in DEMO.read_text().splitlines() if line.strip()]
    return [c for t in texts for c in chunk_text(t, store.chunk_words, store.chunk_overlap_words)]


def main() -> None:
    chunks = _chunks()
    words = sum(len(c.split()) for c in chunks)
    rows, data = [], {}
    for name, emb in EMBEDDERS.items():
        emb.passages(chunks[:4])  # load the model outside the timings
        emb.queries(QUESTIONS[:1])
        passes = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            emb.passages(chunks)
            passes.append(time.perf_counter() - t0)
        single = []
        for _ in range(RUNS):
            for q in QUESTIONS:
                t0 = time.perf_counter()
                emb.queries([q])
                single.append(time.perf_counter() - t0)
        data[name] = {
            "chunks": len(chunks),
            "words": words,
            "chunks_median_s": median(passes),
            "chunks_per_s": len(chunks) / median(passes),
            "question_median_ms": 1000 * median(single),
        }
        rows.append(
            f"| {name} | {len(chunks)} | {median(passes):.2f} s | {len(chunks) / median(passes):.1f} | "
            f"{1000 * median(single):.1f} ms |"
        )
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    lines = [
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, OMP_NUM_THREADS={threads}; "
        f"the demo corpus ({len(chunks)} chunks, {words} words), median of {RUNS} runs.",
        "",
        "| embedder | chunks | all chunks | chunks/s | one question |",
        "|---|---|---|---|---|",
        *rows,
    ]
    print(write("embedders", "Embedding speed per embedder", lines, data))


if __name__ == "__main__":
    main()
