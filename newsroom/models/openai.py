"""The model port over any OpenAI-compatible endpoint (langchain-openai's ChatOpenAI), one endpoint per role."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay

from newsroom.models.port import Endpoint, ModelError, RenderedPrompt, UsageLog
from newsroom.models.retry import OverBudget, retry_after
from newsroom.settings import LLMSettings

T = TypeVar("T", bound=BaseModel)


class OpenAICompatibleModel:
    """Any OpenAI-compatible endpoint through langchain-openai's ChatOpenAI; one endpoint per role."""

    def __init__(
        self,
        settings: LLMSettings,
        resolve: Callable[[str], Endpoint],
        wait: Callable[[int], float] | None = None,
    ) -> None:
        self.settings = settings
        self.resolve = resolve
        self._wait = wait or (lambda attempt: min(30.0, 2.0 * 2 ** (attempt - 1)))
        self._sleep: Callable[[float], None] = time.sleep
        self._usage = UsageLog()

    def model_name(self, role: str) -> str:
        return self.resolve(role).model

    def drain_usage(self) -> list[dict[str, Any]]:
        return self._usage.drain()

    def _client(self, role: str, max_tokens: int) -> Any:
        from langchain_openai import ChatOpenAI

        ep = self.resolve(role)
        return ChatOpenAI(
            base_url=ep.base_url,
            api_key=ep.api_key,
            model=ep.model,
            temperature=self.settings.temperature,
            max_tokens=max_tokens,
            timeout=self._limits(role)[0],
            max_retries=0,
            use_responses_api=False,
        )

    def _limits(self, role: str) -> tuple[float, float]:
        """(time-out of one call, budget of all its attempts): a hung endpoint fails in about a minute."""
        if self.resolve(role).local:
            return self.settings.local_timeout_s, self.settings.local_timeout_s * self.settings.max_attempts
        return self.settings.timeout_s, self.settings.budget_s

    def _call(self, role: str, fn: Callable[[], Any]) -> Any:
        """Retry timeouts, 429 and 5xx (waiting what Retry-After asks) within the budget; anything else,
        or past the budget, is a ModelError with a sentence for the thread."""
        import openai

        retryable = (
            openai.APITimeoutError,
            openai.APIConnectionError,
            openai.RateLimitError,
            openai.InternalServerError,
        )
        budget = self._limits(role)[1]
        started = time.monotonic()

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            asked = retry_after(exc)
            pause = asked if asked is not None else self._wait(state.attempt_number)
            left = budget - (time.monotonic() - started)
            if pause >= left:
                raise OverBudget(exc, asked)
            return pause

        retrying = Retrying(
            retry=retry_if_exception_type(retryable),
            stop=stop_after_attempt(self.settings.max_attempts) | stop_after_delay(budget),
            wait=wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(fn)
        except OverBudget as over:
            if over.asked is not None:
                raise ModelError(
                    f"the {role} model asked newsroom to wait for {over.asked:g} s "
                    f"({_describe(over.cause)}), past its {budget:g} s budget; try again later"
                ) from None
            last: BaseException | None = over.cause
        except retryable as exc:
            last = exc
        except openai.APIStatusError as exc:
            raise ModelError(f"the {role} model endpoint refused the request: {_describe(exc)}") from None
        attempts = retrying.statistics.get("attempt_number", self.settings.max_attempts)
        raise ModelError(
            f"the {role} model did not answer after {attempts} attempts ({_describe(last)}) in "
            f"{time.monotonic() - started:.0f} s; check the endpoint and try again"
        )

    def structured(self, role: str, prompt: RenderedPrompt, schema: type[T], max_tokens: int = 800) -> T:
        import openai

        messages: list[tuple[str, str]] = [("system", prompt.system), ("user", prompt.user)]
        tokens = max_tokens
        reasked = grown = False
        while True:
            started = time.perf_counter()
            runnable = self._client(role, tokens).with_structured_output(
                schema, method="json_schema", include_raw=True
            )
            try:
                result = self._call(role, lambda r=runnable, m=messages: r.invoke(m))  # type: ignore[misc]
            except openai.LengthFinishReasonError:
                if grown:
                    raise ModelError(f"the {role} model's answer did not fit in {tokens} tokens") from None
                grown, tokens = True, tokens * 2
                continue
            except (ValidationError, ValueError) as exc:
                # The openai client parses json_schema answers itself and raises on a bad one.
                result = {"raw": None, "parsed": None, "parsing_error": exc, "content": _raw_of(exc)}
            self._record(role, result.get("raw"), time.perf_counter() - started)
            parsed = result.get("parsed")
            if isinstance(parsed, schema):
                return parsed
            error: Any = result.get("parsing_error") or "no structured answer"
            if isinstance(parsed, dict):
                try:
                    return schema.model_validate(parsed)
                except ValidationError as exc:
                    error = exc
            if reasked:
                raise ModelError(
                    f"the {role} model gave an answer newsroom could not read twice in a row ({_short(error)})"
                )
            reasked = True
            raw = result.get("content") or getattr(result.get("raw"), "content", "") or ""
            messages = [
                *messages,
                ("assistant", str(raw)[:2000]),
                (
                    "user",
                    f"That answer was not valid: {_short(error)}. Answer again with JSON "
                    "that matches the schema exactly.",
                ),
            ]

    def text(self, role: str, prompt: RenderedPrompt, max_tokens: int = 800) -> str:
        started = time.perf_counter()
        client = self._client(role, max_tokens)
        msg = self._call(role, lambda: client.invoke([("system", prompt.system), ("user", prompt.user)]))
        self._record(role, msg, time.perf_counter() - started)
        return str(msg.content)

    def _record(self, role: str, raw: Any, seconds: float) -> None:
        meta = getattr(raw, "usage_metadata", None) or {}
        model = self.model_name(role)
        prompt, completion = int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0))
        price = self.settings.prices.get(model)
        self._usage.add(
            role=role,
            model=model,
            prompt_tokens=prompt,
            completion_tokens=completion,
            # What the call cost at the price set when it was made; None: no price set for this model.
            cost_usd=price.cost(prompt, completion) if price else None,
            seconds=round(seconds, 3),
        )


def _raw_of(exc: Exception) -> str:
    """The model's text behind a parse failure, when the exception carries it."""
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        value = errors[0].get("input") if errors else None
        return value if isinstance(value, str) else ""
    return str(getattr(exc, "doc", "") or "")


def _describe(exc: BaseException | None) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__


def _short(error: Any) -> str:
    text = str(error).replace("\n", " ")
    return text[:300]
