"""The CLI as a user runs it, against a local fake OpenAI-compatible endpoint configured by environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.fake_openai import completion
from tests.scripted import DEMO


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    schema = body.get("response_format", {}).get("json_schema", {}).get("name", "")
    prompt = body["messages"][-1]["content"]
    if schema == "ResearchPlan":
        return {"sub_questions": ["Who is investing in DeepSeek?"]}
    if schema == "RecordFacts":
        return {"facts": []}
    if schema == "Framing":
        return {"established": ["A round is under way."]}
    # the writer: cite the first source on its own date, no other numbers
    n, date = re.search(r"^\[(\d+)\] [^,\n]+, (\d{4}-\d{2}-\d{2}):", prompt, re.M).groups()  # type: ignore[union-attr]
    cites = sorted({int(x) for x in re.findall(r"^\[(\d+)\]", prompt, re.M)})
    return {
        "headline": "What we know about the DeepSeek round",
        "dek": "Outlets agree Tencent is involved and differ on the rest.",
        "story_so_far": [{"date": date, "event": "The first report appears.", "citations": [int(n)]}],
        "sections": [
            {"heading": "The reports", "body": "Reports differ on the co-investor.", "citations": cites[:4]}
        ],
        "faq": [
            {"question": q, "answer": "Reports differ on this point.", "citations": cites[:4]}
            for q in ("Who?", "What?", "Why?", "What next?")
        ],
    }


@contextmanager
def endpoint() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"auth": self.headers.get("Authorization"), "body": body})
            raw = json.dumps(completion(json.dumps(_answer(body)))[1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()


def test_explain_review_show_through_the_cli(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "SLACK_", "OPENAI_"))}
    cli = [sys.executable, "-m", "newsroom.cli"]
    with endpoint() as (url, seen):
        env.update(
            NEWSROOM_DATA_DIR=str(tmp_path / "data"),
            NEWSROOM_LLM_BASE_URL=url,
            NEWSROOM_LLM_API_KEY="sk-do-not-print",
            NEWSROOM_LLM_MODEL="fake-model",
        )

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*cli, *args], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path
            )

        assert run("ingest", str(DEMO)).returncode == 0
        out_json = tmp_path / "draft.json"
        explained = run(
            "explain",
            "the DeepSeek funding round",
            "--json",
            str(out_json),
            "--md",
            str(tmp_path / "draft.md"),
        )
        assert explained.returncode == 0, explained.stderr
        for step in ("research", "factcheck", "framing", "writer", "audit"):
            assert step in explained.stderr  # progress per agent, with seconds
        draft = json.loads(out_json.read_text())
        assert draft["status"] == "pending_approval" and draft["audit"]["passed"], draft["audit"]
        assert draft["methodology"]["models"]["writer"] == "fake-model"
        assert "pending_approval" in explained.stdout and draft["story_id"] in explained.stdout
        assert (tmp_path / "draft.md").read_text().startswith("# What we know about the DeepSeek round")
        revised = run("review", draft["story_id"], "--revise", "shorter please")
        assert revised.returncode == 0 and "pending_approval" in revised.stdout
        bad = run("review", draft["story_id"])
        assert bad.returncode == 2 and "exactly one" in bad.stderr
        approved = run("review", draft["story_id"], "--approve")
        assert approved.returncode == 0 and "published" in approved.stdout
        status = run("status")
        assert draft["story_id"] in status.stdout and "published" in status.stdout
    assert all(s["auth"] == "Bearer sk-do-not-print" for s in seen)
    for result in (explained, revised, approved, status):
        assert "sk-do-not-print" not in result.stdout + result.stderr
