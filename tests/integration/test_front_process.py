"""`newsroom serve` as the process an operator runs: its /healthz and /readyz answer with the real checks
(not a server built by hand in a test), and with NEWSROOM_LOG_FORMAT=json every line it logs is JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fakes.scripted import DEMO
from tests.fakes.slack import fake_slack
from tests.fakes.slackreq import SECRET
from tests.services import free_port


def test_serve_answers_health_and_readiness_and_logs_json_lines(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    with fake_slack() as slack:
        env.update(
            NEWSROOM_DATA_DIR=str(tmp_path / "data"),
            NEWSROOM_SLACK_API_URL=slack.api_url,
            NEWSROOM_LOG_FORMAT="json",
            SLACK_BOT_TOKEN="xoxb-test-token",
            SLACK_SIGNING_SECRET=SECRET,
        )
        subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "ingest", str(DEMO)],
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        front = subprocess.Popen(
            [sys.executable, "-m", "newsroom.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert front.poll() is None and time.monotonic() < deadline, "the front did not start"
                time.sleep(0.2)
            ready = httpx.get(f"{base}/readyz", timeout=10)
            assert ready.status_code == 200, ready.text
        finally:
            front.terminate()
            _, logged = front.communicate(timeout=30)
    lines = [line for line in logged.splitlines() if line.startswith("{")]
    assert lines, logged
    records = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
