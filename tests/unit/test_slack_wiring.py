"""The Slack door's wiring: each `/newsroom` subcommand reaches its own feature, and no feature imports another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from newsroom.slack.context import parse, story_id_for, subcommand, thread_of

SLACK = Path(__file__).resolve().parents[2] / "newsroom" / "slack"
FEATURES = {"commands", "ingest", "briefs", "decisions", "recovery"}


def test_a_subcommand_matcher_matches_its_own_subcommand_only() -> None:
    brief = subcommand("brief")
    assert brief({"text": "brief ai-industry"}) and brief({"text": "  BRIEF  "})
    assert not brief({"text": "briefing ai"}) and not brief({"text": ""}) and not brief({})
    assert parse("explain   the  transit budget ") == ("explain", "the transit budget")


def test_a_story_id_leads_back_to_its_thread() -> None:
    assert thread_of(story_id_for("C-1", "1700000000.000100")) == ("C-1", "1700000000.000100")
    assert thread_of("cli-1234") is None


def test_no_slack_feature_imports_another() -> None:
    problems = []
    for name in sorted(FEATURES):
        tree = ast.parse((SLACK / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[:2] == ["newsroom", "slack"] and len(parts) > 2 and parts[2] in FEATURES:
                    problems.append(f"{name} imports {node.module}")
                if node.module == "newsroom.slack":
                    problems += [f"{name} imports {a.name}" for a in node.names if a.name in FEATURES]
    assert problems == []


def test_building_the_slack_app_leaves_newsroom_logging_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Bolt gives its app a logger named after the app at the root's level of the moment; named "newsroom"
    it set the package's own logger to WARNING and silenced every newsroom.* INFO line after it."""
    import logging

    from newsroom.settings import Settings
    from newsroom.slack.app import build_app, build_context

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    package = logging.getLogger("newsroom")
    before = package.level
    root = logging.getLogger()
    saved = root.level
    root.setLevel(logging.WARNING)
    try:
        from slack_bolt.request import BoltRequest

        app = build_app(build_context(Settings(data_dir=tmp_path / "data")), socket_mode=True)
        body = "team_id=T1&channel_id=C1&user_id=U1&command=%2Fnewsroom&text=help&trigger_id=t1"
        response = app.dispatch(
            BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})
        )
        assert response.status == 200  # a request went through Bolt, which names a logger per request
        assert package.level == before
    finally:
        root.setLevel(saved)
