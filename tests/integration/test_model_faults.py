"""A model endpoint that answers 200 with an HTML page (a proxy, a login wall): the story fails with a
sentence saying so, and never stays running."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from newsroom.service import Newsroom, StoryError
from newsroom.settings import Settings
from tests.fakes.scripted import DEMO
from tests.fakes.server import QuietHandler, serve


@contextmanager
def html_endpoint() -> Iterator[str]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            page = b"<html><body><h1>Welcome to nginx!</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    with serve(Handler) as base:
        yield f"{base}/v1"


def test_a_model_answering_html_fails_the_story_with_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    with html_endpoint() as url:
        monkeypatch.setenv("NEWSROOM_LLM_BASE_URL", url)
        monkeypatch.setenv("NEWSROOM_LLM_API_KEY", "sk-test")
        monkeypatch.setenv("NEWSROOM_LLM_MODEL", "fake-model")
        room = Newsroom(Settings())
        room.ingest([str(DEMO)])
        with pytest.raises(StoryError) as failed:
            room.explain("the DeepSeek funding round", story_id="story-html")
    said = str(failed.value)
    assert "not an OpenAI-compatible answer" in said and "NEWSROOM_LLM_BASE_URL" in said
    assert "newsroom retry story-html" in said
    (row,) = room.status("story-html")
    assert row["status"] == "failed"
