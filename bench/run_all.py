"""`make bench`: run every benchmark; each writes bench/results/<name>.md and .json."""

from __future__ import annotations

import runpy
import sys

BENCHES = [
    "bench.bench_store",
    "bench.bench_graph",
    "bench.bench_slack",
    "bench.bench_claims",
    "bench.bench_embedders",
]

if __name__ == "__main__":
    for name in BENCHES:
        print(f"== {name}", flush=True)
        sys.argv = [name, *sys.argv[1:]]
        runpy.run_module(name, run_name="__main__")
