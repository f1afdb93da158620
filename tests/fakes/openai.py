"""A fake OpenAI-compatible /v1/chat/completions on 127.0.0.1 that plays a queue of prepared answers."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import QuietHandler, serve


def completion(content: str, finish: str = "stop") -> tuple[int, dict[str, Any]]:
    return 200, {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


def error(status: int, **headers: str) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"error": {"message": f"fake error {status}", "type": "server_error"}}
    if headers:
        body["_headers"] = {k.replace("_", "-"): v for k, v in headers.items()}
    return status, body


@dataclass
class FakeOpenAI:
    answers: list[tuple[int, dict[str, Any]]]
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    responder: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]] | None = None
    """Answers every request from its body (instead of playing the queue)."""


@contextmanager
def fake_openai(
    answers: list[tuple[int, dict[str, Any]]],
    responder: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]] | None = None,
    delay_s: float = 0.0,
) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(list(answers), responder=responder)
    lock = threading.Lock()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            time.sleep(delay_s)  # a slow model: time for a test to kill the process mid-story
            with lock:
                fake.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                )
                if fake.responder is not None:
                    status, payload = fake.responder(body)
                else:
                    status, payload = fake.answers.pop(0) if fake.answers else error(500)
            if payload.get("hang"):
                time.sleep(float(payload["hang"]))  # an endpoint that takes the request and never answers
                return
            extra = payload.pop("_headers", {})
            raw = json.dumps(payload).encode()
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    with serve(Handler) as base:
        fake.url = f"{base}/v1"
        yield fake


def story_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A plausible answer for each agent's schema: no numbers the sources lack, citations from the prompt."""
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
def story_endpoint(delay_s: float = 0.0) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A whole OpenAI-compatible endpoint on 127.0.0.1 that drafts any story; yields (base_url, calls)."""
    with fake_openai(
        [], responder=lambda body: completion(json.dumps(story_answer(body))), delay_s=delay_s
    ) as fake:
        yield fake.url, fake.requests
