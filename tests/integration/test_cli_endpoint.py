"""The CLI as a user runs it, against a local fake OpenAI-compatible endpoint configured by environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fakes.openai import story_endpoint as endpoint
from tests.fakes.scripted import DEMO


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
