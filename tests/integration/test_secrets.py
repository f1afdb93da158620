"""No token, signing secret or API key in a log line, an error sentence, the story JSON or a published file."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE
from newsroom.slack.server import http_server
from tests.fakes.openai import completion, error, fake_openai, story_answer
from tests.fakes.scripted import DEMO
from tests.fakes.slack import fake_slack
from tests.fakes.slackreq import SECRET, click, command, post
from tests.integration.test_slack import CHANNEL, EDITOR, button, slack_env, wait_drafts

BOT_TOKEN = "xoxb-fake-bot-token-4242"
APP_TOKEN = "xapp-fake-app-token-4242"
API_KEY = "sk-fake-api-key-4242"


def test_no_secret_reaches_logs_sentences_story_json_or_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    failing = threading.Event()

    def respond(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return error(401) if failing.is_set() else completion(json.dumps(story_answer(body)))

    with fake_slack() as slack, fake_openai([], responder=respond) as llm:
        slack_env(monkeypatch, slack, tmp_path / "data")
        monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
        monkeypatch.setenv("NEWSROOM_LLM_BASE_URL", llm.url)
        monkeypatch.setenv("NEWSROOM_LLM_API_KEY", API_KEY)
        monkeypatch.setenv("NEWSROOM_LLM_MODEL", "fake-model")
        settings = Settings()
        ctx = build_context(settings)
        room = ctx.room
        room.ingest([str(DEMO)])
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            post(url, command("explain the DeepSeek funding round", user="UREQ"))
            draft = wait_drafts(slack, 1)[0]
            story = json.loads(button(draft, APPROVE))["story_id"]
            post(url, click(APPROVE, button(draft, APPROVE), EDITOR, CHANNEL, draft["_ts"]))
            assert slack.wait_for("chat.postMessage", channel="CPUBLISH")
            failing.set()  # a model that refuses: its sentence goes to the thread
            post(url, command("explain the DeepSeek valuation", user="UREQ", trigger="T-2"))
            deadline = time.monotonic() + 60
            while not any("did not finish" in t for t in slack.texts()) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            server.shutdown()
            server.server_close()
        assert llm.requests[0]["auth"] == f"Bearer {API_KEY}"  # the key was in use all along

    places = {
        "log": "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records),
        "slack": json.dumps(slack.calls),
        "story": json.dumps(room.show(story)),
        "files": "\n".join(p.read_text() for p in (tmp_path / "data" / "published").iterdir()),
    }
    assert any("did not finish" in t and "HTTP 401" in t for t in slack.texts())
    for where, text in places.items():
        for secret in (BOT_TOKEN, APP_TOKEN, API_KEY, SECRET):
            if where == "slack" and secret == BOT_TOKEN:
                text = text.replace(f'"auth": "Bearer {BOT_TOKEN}"', "")  # the header Slack must get
            assert secret not in text, f"{secret} found in the {where}"
