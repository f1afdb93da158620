"""The real ChatOpenAI path against a local fake OpenAI-compatible server."""

from __future__ import annotations

import json
import time

import pytest
from pydantic import SecretStr

from newsroom.models.factory import endpoint_resolver
from newsroom.models.openai import OpenAICompatibleModel
from newsroom.models.port import Endpoint, ModelError, RenderedPrompt
from newsroom.schemas import ResearchPlan
from newsroom.settings import LLMSettings, RoleModel
from tests.fakes.openai import completion, error, fake_openai

PROMPT = RenderedPrompt("test", "sys", "topic")
PLAN = json.dumps({"sub_questions": ["Who invested?", "How much?"]})


def _model(url: str, attempts: int = 4) -> OpenAICompatibleModel:
    settings = LLMSettings(
        base_url=url, api_key=SecretStr("sk-test-secret"), model="fake-model", max_attempts=attempts
    )
    return OpenAICompatibleModel(settings, endpoint_resolver(settings, _no_local), wait=lambda attempt: 0.0)


def _no_local() -> Endpoint:
    raise AssertionError("the local model must not start when an endpoint is configured")


def test_structured_answer_through_the_real_client() -> None:
    with fake_openai([completion(PLAN)]) as fake:
        plan = _model(fake.url).structured("research", PROMPT, ResearchPlan)
    assert plan.sub_questions == ["Who invested?", "How much?"]
    req = fake.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer sk-test-secret"
    assert req["body"]["response_format"]["type"] == "json_schema"
    assert req["body"]["model"] == "fake-model"


def test_retries_500_and_429_then_succeeds() -> None:
    with fake_openai([error(500), error(429), completion(PLAN)]) as fake:
        model = _model(fake.url)
        plan = model.structured("research", PROMPT, ResearchPlan)
    assert len(fake.requests) == 3 and plan.sub_questions
    assert model.drain_usage()[0]["prompt_tokens"] == 11


def test_gives_up_after_the_budget_with_a_clear_message() -> None:
    with fake_openai([error(503)] * 5) as fake, pytest.raises(ModelError) as err:
        _model(fake.url, attempts=3).structured("writer", PROMPT, ResearchPlan)
    assert len(fake.requests) == 3
    assert "writer model did not answer after 3 attempts (HTTP 503)" in str(err.value)
    assert "sk-test-secret" not in str(err.value)


def test_client_errors_are_not_retried() -> None:
    with fake_openai([error(401)]) as fake, pytest.raises(ModelError, match="refused the request: HTTP 401"):
        _model(fake.url).structured("writer", PROMPT, ResearchPlan)
    assert len(fake.requests) == 1


def test_malformed_answer_is_re_asked_once_with_the_error() -> None:
    with fake_openai([completion("this is not json"), completion(PLAN)]) as fake:
        plan = _model(fake.url).structured("research", PROMPT, ResearchPlan)
    assert plan.sub_questions
    second = fake.requests[1]["body"]["messages"]
    assert "not valid" in second[-1]["content"] and second[-2]["content"] == "this is not json"


def test_two_malformed_answers_fail_clearly() -> None:
    bad = completion(json.dumps({"sub_questions": "not a list"}))
    with fake_openai([bad, bad]) as fake, pytest.raises(ModelError, match="could not read twice"):
        _model(fake.url).structured("research", PROMPT, ResearchPlan)
    assert len(fake.requests) == 2


def test_length_cut_answer_is_retried_with_more_room() -> None:
    with fake_openai([completion('{"sub_questions": ["Wh', finish="length"), completion(PLAN)]) as fake:
        _model(fake.url).structured("research", PROMPT, ResearchPlan, max_tokens=50)
    limits = [r["body"].get("max_completion_tokens") or r["body"].get("max_tokens") for r in fake.requests]
    assert limits == [50, 100]


def test_each_role_can_use_its_own_endpoint() -> None:
    settings = LLMSettings(
        base_url="http://default.invalid/v1",
        model="cheap",
        writer=RoleModel(base_url="http://strong.invalid/v1", model="strong"),
    )
    resolve = endpoint_resolver(settings, _no_local)
    assert resolve("research") == Endpoint("http://default.invalid/v1", "not-needed", "cheap")
    assert resolve("writer").model == "strong" and resolve("writer").base_url == "http://strong.invalid/v1"


def test_no_endpoint_means_the_embedded_model() -> None:
    local = Endpoint("http://127.0.0.1:1/v1", "local", "qwen")
    assert endpoint_resolver(LLMSettings(), lambda: local)("writer") == local


def _sleeps(model: OpenAICompatibleModel) -> list[float]:
    slept: list[float] = []
    model._sleep = slept.append
    return slept


def test_a_429_waits_as_long_as_retry_after_asks() -> None:
    with fake_openai([error(429, Retry_After="7"), completion(PLAN)]) as fake:
        model = _model(fake.url)
        slept = _sleeps(model)
        assert model.structured("research", PROMPT, ResearchPlan).sub_questions
    assert slept == [7.0] and len(fake.requests) == 2


def test_a_retry_after_past_the_budget_gives_up_at_once_with_a_sentence() -> None:
    with (
        fake_openai([error(429, Retry_After="3600"), completion(PLAN)]) as fake,
        pytest.raises(ModelError) as err,
    ):
        model = _model(fake.url)
        slept = _sleeps(model)
        model.structured("writer", PROMPT, ResearchPlan)
    assert slept == [] and len(fake.requests) == 1
    assert "asked newsroom to wait for 3600 s (HTTP 429), past its 60 s budget" in str(err.value)


def test_a_hung_endpoint_fails_within_the_budget() -> None:
    settings = LLMSettings(
        base_url="", api_key=SecretStr("sk-test-secret"), model="fake-model", timeout_s=1.0, budget_s=2.5
    )
    with fake_openai([(200, {"hang": 30})] * 5) as fake:
        settings.base_url = fake.url
        model = OpenAICompatibleModel(settings, endpoint_resolver(settings, _no_local), wait=lambda a: 0.2)
        started = time.monotonic()
        with pytest.raises(ModelError, match=r"did not answer after [23] attempts"):
            model.text("writer", PROMPT)
    assert time.monotonic() - started < 5  # the budget, overshot by at most one call


def test_the_default_budget_fails_a_hung_endpoint_in_about_a_minute() -> None:
    defaults = LLMSettings()
    assert defaults.timeout_s * 2 <= defaults.budget_s <= 65
