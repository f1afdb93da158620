"""Fronts and workers on one PostgreSQL database, as processes: (a) stories per minute with 1, 2 and 4 workers
and a fixed-latency model (0.5 s a call), (b) Slack ack p99 at 50 concurrent commands with fronts separate from
workers, (c) seconds from a worker's SIGKILL to its story resuming on another worker.

Needs PostgreSQL (NEWSROOM_BENCH_POSTGRES, default postgresql://postgres@127.0.0.1:5432/postgres): a database of
its own is created and dropped. `python -m bench.bench_scale --stories 4 --workers 1,2` runs it small.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.common import median, percentile, write
from bench.fakes import SECRET, FakeSlack, command, fake_slack, signed
from bench.fixtures import DEMO

ADMIN = os.environ.get("NEWSROOM_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    """A plausible answer for each agent's schema: citations from the prompt, no numbers the sources lack."""
    schema = body.get("response_format", {}).get("json_schema", {}).get("name", "")
    prompt = body["messages"][-1]["content"]
    if schema == "ResearchPlan":
        return {"sub_questions": ["Who is investing in DeepSeek?"]}
    if schema == "RecordFacts":
        return {"facts": []}
    if schema == "Framing":
        return {"established": ["A round is under way."]}
    found = re.search(r"^\[(\d+)\] [^,\n]+, (\d{4}-\d{2}-\d{2}):", prompt, re.M)
    n, date = found.groups() if found else ("1", "2026-10-01")
    cites = sorted({int(x) for x in re.findall(r"^\[(\d+)\]", prompt, re.M)})[:4] or [int(n)]
    return {
        "headline": "What we know about the DeepSeek round",
        "dek": "Outlets agree Tencent is involved and differ on the rest.",
        "story_so_far": [{"date": date, "event": "The first report appears.", "citations": [int(n)]}],
        "sections": [
            {"heading": "The reports", "body": "Reports differ on the co-investor.", "citations": cites}
        ],
        "faq": [
            {"question": q, "answer": "Reports differ on this point.", "citations": cites}
            for q in ("Who?", "What?", "Why?", "What next?")
        ],
    }


@contextmanager
def slow_model(latency_s: float) -> Iterator[str]:
    """An OpenAI-compatible endpoint on loopback answering every call after `latency_s`; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            time.sleep(latency_s)
            content = json.dumps(_answer(body))
            raw = json.dumps(
                {
                    "id": "bench",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "bench-model",
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": content},
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            ).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the worker that asked was killed (part c)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def database() -> Iterator[str]:
    name = f"newsroom_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Topology:
    """Fronts and workers started as `newsroom serve` / `newsroom worker` processes on one database."""

    def __init__(self, env: dict[str, str], logs: Path, db: str) -> None:
        self.env, self.logs, self.db = env, logs, db
        self.procs: list[subprocess.Popen[bytes]] = []

    def _start(self, name: str, *args: str, nice: int = 0) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsroom.cli", *args],
            env=self.env,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
            stdout=(self.logs / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def front(self, name: str) -> str:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = self._start(name, "serve", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        wait(lambda: _up(url), f"front {name} did not start (see {self.logs})", proc)
        return url

    def worker(self, name: str, concurrency: int, nice: int = 0) -> subprocess.Popen[bytes]:
        before = self.last_worker()
        proc = self._start(name, "worker", "--concurrency", str(concurrency), nice=nice)
        wait(lambda: self.last_worker() > before, f"worker {name} did not start (see {self.logs})", proc)
        return proc

    def last_worker_after(self, proc: subprocess.Popen[bytes]) -> tuple[int, subprocess.Popen[bytes]]:
        """(worker id in the database, process) of a worker just started."""
        return self.last_worker(), proc

    def running(self, workers: list[tuple[int, subprocess.Popen[bytes]]]) -> subprocess.Popen[bytes]:
        """The process of the worker running the one story job."""
        with psycopg.connect(self.db, autocommit=True) as conn:
            row = conn.execute(
                "SELECT worker_id FROM procrastinate_jobs WHERE task_name = 'slack.explain' AND status = 'doing'"
            ).fetchone()
        if row is None:
            raise RuntimeError("no story job is running")
        return next(proc for wid, proc in workers if wid == row[0])

    def last_worker(self) -> int:
        try:
            with psycopg.connect(self.db, autocommit=True) as conn:
                row = conn.execute("SELECT coalesce(max(id), 0) FROM procrastinate_workers").fetchone()
                return int(row[0]) if row else 0
        except psycopg.errors.UndefinedTable:
            return 0

    def stop(self, procs: list[subprocess.Popen[bytes]] | None = None) -> None:
        for proc in procs if procs is not None else self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs if procs is not None else self.procs:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def wait(
    ok: Callable[[], Any], what: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 600
) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(what)
        time.sleep(0.05)


def _reached(slack: FakeSlack, goal: int) -> bool:
    return drafts(slack) >= goal


def drafts(slack: FakeSlack) -> int:
    return sum(
        1
        for b in slack.of("chat.postMessage")
        if any(x.get("type") == "actions" for x in b.get("blocks") or [])
    )


def fire(urls: list[str], texts: list[str]) -> list[float]:
    """Every command at once (spread over the fronts) from a process of its own (`bench/loadgen.py`): the
    time each took to be acknowledged."""
    bodies = [command(t, trigger=f"bench-{i}-{time.time_ns()}") for i, t in enumerate(texts)]
    requests = [
        {"url": f"{urls[i % len(urls)]}/slack/events", "body": b, "headers": signed(b)}
        for i, b in enumerate(bodies)
    ]
    out = subprocess.run(
        [sys.executable, "-m", "bench.loadgen"],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return [float(x) for x in json.loads(out.stdout)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=12, help="stories per throughput run")
    parser.add_argument("--workers", default="1,2,4", help="worker counts for the throughput runs")
    parser.add_argument("--concurrency", type=int, default=1, help="jobs each worker runs at once")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds the fake model takes per call")
    parser.add_argument("--commands", type=int, default=50, help="concurrent commands for the ack figure")
    parser.add_argument("--bursts", type=int, default=5, help="bursts of those commands, 2 s apart")
    parser.add_argument("--stalled-s", type=float, default=None, help="NEWSROOM_QUEUE_STALLED_S for (c)")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp, fake_slack() as slack, slow_model(args.latency) as model:
        logs = Path(tmp) / "logs"
        logs.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_"))}
        env.update(
            NEWSROOM_DATA_DIR=str(Path(tmp) / "data"),
            NEWSROOM_LLM_BASE_URL=model,
            NEWSROOM_LLM_API_KEY="sk-bench",
            NEWSROOM_LLM_MODEL="bench-model",
            NEWSROOM_SLACK_API_URL=slack.api_url,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
        )
        if args.stalled_s is not None:
            env.update(
                NEWSROOM_QUEUE_STALLED_S=str(args.stalled_s),
                NEWSROOM_QUEUE_HEARTBEAT_S=str(max(args.stalled_s / 4, 0.2)),
                NEWSROOM_QUEUE_RECOVER_EVERY_S=str(max(args.stalled_s / 4, 0.2)),
            )
        subprocess.run([sys.executable, "-m", "newsroom.cli", "ingest", str(DEMO)], env=env, check=True)
        throughput: dict[str, float] = {}
        for n in counts:
            with database() as db:
                env["NEWSROOM_DATABASE_URL"] = db
                top = Topology(env, logs, db)
                try:
                    front = top.front(f"front-{n}")
                    for i in range(n):
                        top.worker(f"worker-{n}-{i}", args.concurrency)
                    goal = drafts(slack) + args.stories
                    t0 = time.perf_counter()
                    fire([front], [f"explain story {i}" for i in range(args.stories)])
                    wait(partial(_reached, slack, goal), "the stories were not all drafted")
                    took = time.perf_counter() - t0
                finally:
                    top.stop()
            throughput[str(n)] = args.stories / took * 60
            print(f"{n} worker(s): {throughput[str(n)]:.1f} stories/min ({took:.1f} s)", flush=True)
        with database() as db:
            env["NEWSROOM_DATABASE_URL"] = db
            top = Topology(env, logs, db)
            try:
                fronts = [top.front("front-a"), top.front("front-b")]

                def bursts(label: str) -> dict[str, float]:
                    lat: list[float] = []
                    for burst in range(args.bursts):
                        lat += fire(fronts, [f"explain {label} {burst}-{i}" for i in range(args.commands)])
                        time.sleep(2.0)  # the claims and the queueing of one burst done before the next
                    return {
                        "p50_ms": median(lat) * 1000,
                        "p99_ms": percentile(lat, 99) * 1000,
                        "max_ms": max(lat) * 1000,
                    }

                fire(fronts, ["help"] * 5)
                fire(
                    fronts, [f"explain warm-up {i}" for i in range(args.commands)]
                )  # pools opened, not measured
                time.sleep(2.0)
                # the workers on hosts of their own: none on this one while the fronts answer (the jobs wait)
                ack = {"workers_elsewhere": bursts("apart")}
                # one host standing for two: a worker at the lowest CPU priority runs the queued stories
                top.worker("worker-ack", args.concurrency, nice=19)
                ack["worker_niced_here"] = bursts("beside")
                print("ack", ack, flush=True)
            finally:
                top.stop()
        with database() as db:
            env["NEWSROOM_DATABASE_URL"] = db
            top = Topology(env, logs, db)
            try:
                front = top.front("front-kill")
                pair = [top.last_worker_after(top.worker(f"worker-kill-{i}", 1)) for i in range(2)]
                seen = len(slack.of("chat.postMessage"))
                fire([front], ["explain the DeepSeek funding round"])
                wait(lambda: any(t.startswith("Fact-check") for t in _texts(slack, seen)), "no story started")
                victim = top.running(pair)
                victim.send_signal(signal.SIGKILL)
                killed = time.perf_counter()
                victim.wait()
                wait(
                    lambda: any("Picking the story up" in t for t in _texts(slack, seen)), "no story resumed"
                )
                resume_s = time.perf_counter() - killed
                print(f"resumed {resume_s:.1f} s after SIGKILL", flush=True)
            finally:
                top.stop()
    stalled = args.stalled_s if args.stalled_s is not None else 60.0
    per_worker = throughput[str(counts[0])] / counts[0]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, run {time.strftime('%Y-%m-%d %H:%M')}. "
        f"PostgreSQL queue (procrastinate), fronts and workers as processes, fake model {args.latency} s a call.",
        "",
        f"(a) {args.stories} stories requested at once; each worker runs {args.concurrency} job(s) at once.",
        "",
        "| workers | stories / min | scaling (rate ÷ (workers × rate of one)) |",
        "|---|---|---|",
        *[f"| {n} | {v:.1f} | {v / (per_worker * int(n)):.2f} |" for n, v in throughput.items()],
        "",
        f"(b) {args.bursts} bursts of {args.commands} `/newsroom explain` sent at the same instant over 2 fronts "
        "(from a process of their own, `bench/loadgen.py`, each on a new connection; one burst before, not "
        "measured, opens the fronts' pools), the database on this host. With the workers on hosts of their own "
        f"(none here while the fronts answer): ack p50 {ack['workers_elsewhere']['p50_ms']:.1f} ms, "
        f"**p99 {ack['workers_elsewhere']['p99_ms']:.1f} ms**, max {ack['workers_elsewhere']['max_ms']:.1f} ms over "
        f"all {args.bursts * args.commands} (goal ≤ 50 ms p99). With a worker running the queued stories on the "
        f"same 2 cores at nice 19: p50 {ack['worker_niced_here']['p50_ms']:.1f} ms, p99 "
        f"{ack['worker_niced_here']['p99_ms']:.1f} ms, max {ack['worker_niced_here']['max_ms']:.1f} ms.",
        "",
        f"(c) A worker SIGKILLed mid-story: the story resumed on another worker {resume_s:.1f} s later "
        f"(NEWSROOM_QUEUE_STALLED_S={stalled:g}: a silent worker is declared gone after that long).",
    ]
    data = {
        "stories": args.stories,
        "concurrency": args.concurrency,
        "latency_s": args.latency,
        "stories_per_min": throughput,
        "ack": ack,
        "bursts": args.bursts,
        "commands": args.commands,
        "resume_after_kill_s": resume_s,
        "stalled_s": stalled,
    }
    print(write("scale", "Fronts and workers at scale", lines, data))


def _texts(slack: FakeSlack, after: int = 0) -> list[str]:
    return [str(b.get("text", "")) for b in slack.of("chat.postMessage")[after:]]


if __name__ == "__main__":
    main()
