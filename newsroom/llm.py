"""The model port agents call, with providers: OpenAI-compatible endpoints, the embedded local model, scripted."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay

from newsroom.model_retry import OverBudget, retry_after
from newsroom.settings import ROLES, LLMSettings

T = TypeVar("T", bound=BaseModel)


class ModelError(RuntimeError):
    """A model call that could not be completed; the message is for a person."""


class ModelPort(Protocol):
    """What agents may ask of a model."""

    def structured(self, role: str, system: str, user: str, schema: type[T], max_tokens: int = 800) -> T: ...
    def text(self, role: str, system: str, user: str, max_tokens: int = 800) -> str: ...
    def model_name(self, role: str) -> str: ...
    def drain_usage(self) -> list[dict[str, Any]]: ...


@dataclass
class _Usage:
    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def add(self, **entry: Any) -> None:
        with self.lock:
            self.calls.append(entry)

    def drain(self) -> list[dict[str, Any]]:
        with self.lock:
            out, self.calls = self.calls, []
            return out


# -- scripted -----------------------------------------------------------------------------------

Script = list[Any] | Callable[[type[BaseModel] | None, str, str], Any]


class ScriptedModel:
    """For tests: per role, a list of prepared answers (or a function of the prompt); records every call."""

    def __init__(self, scripts: dict[str, Script], latency_s: float = 0.0) -> None:
        self.scripts = scripts
        self.latency_s = latency_s
        self.calls: list[dict[str, Any]] = []
        self._usage = _Usage()
        self._lock = threading.Lock()

    def _next(self, role: str, schema: type[BaseModel] | None, system: str, user: str) -> Any:
        with self._lock:
            self.calls.append(
                {"role": role, "schema": schema.__name__ if schema else None, "system": system, "user": user}
            )
            script = self.scripts.get(role)
            if script is None:
                raise ModelError(f"the scripted model has no answers for the {role} role")
            if callable(script):
                answer = script(schema, system, user)
            elif script:
                answer = script.pop(0)
            else:
                raise ModelError(f"the scripted model ran out of answers for the {role} role")
        if self.latency_s:
            time.sleep(self.latency_s)
        if isinstance(answer, Exception):
            raise answer
        self._usage.add(
            role=role,
            model=self.model_name(role),
            prompt_tokens=len((system + user).split()),
            completion_tokens=len(str(answer).split()),
            seconds=self.latency_s,
        )
        return answer

    def structured(self, role: str, system: str, user: str, schema: type[T], max_tokens: int = 800) -> T:
        answer = self._next(role, schema, system, user)
        if isinstance(answer, schema):
            return answer
        if isinstance(answer, BaseModel):
            answer = answer.model_dump()
        try:
            return schema.model_validate(answer)
        except ValidationError as exc:
            raise ModelError(
                f"the {role} model's answer did not fit the expected form: {exc.errors()[0]['msg']}"
            ) from None

    def text(self, role: str, system: str, user: str, max_tokens: int = 800) -> str:
        return str(self._next(role, None, system, user))

    def model_name(self, role: str) -> str:
        return f"scripted-{role}"

    def drain_usage(self) -> list[dict[str, Any]]:
        return self._usage.drain()


# -- OpenAI-compatible --------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    api_key: str
    model: str
    local: bool = False
    """The embedded model (our own process on CPU): slow, never hung, so it gets local_timeout_s."""


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
        self._usage = _Usage()

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

    def structured(self, role: str, system: str, user: str, schema: type[T], max_tokens: int = 800) -> T:
        import openai

        messages: list[tuple[str, str]] = [("system", system), ("user", user)]
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

    def text(self, role: str, system: str, user: str, max_tokens: int = 800) -> str:
        started = time.perf_counter()
        client = self._client(role, max_tokens)
        msg = self._call(role, lambda: client.invoke([("system", system), ("user", user)]))
        self._record(role, msg, time.perf_counter() - started)
        return str(msg.content)

    def _record(self, role: str, raw: Any, seconds: float) -> None:
        meta = getattr(raw, "usage_metadata", None) or {}
        self._usage.add(
            role=role,
            model=self.model_name(role),
            prompt_tokens=meta.get("input_tokens", 0),
            completion_tokens=meta.get("output_tokens", 0),
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


# -- choosing providers -------------------------------------------------------------------------


def endpoint_resolver(settings: LLMSettings, local_url: Callable[[], Endpoint]) -> Callable[[str], Endpoint]:
    """Per role: its own endpoint, else the default endpoint, else the embedded local model."""
    cache: dict[str, Endpoint] = {}
    lock = threading.Lock()

    def resolve(role: str) -> Endpoint:
        with lock:
            if role not in cache:
                own = settings.for_role(role if role in ROLES else "writer")
                if own.base_url or own.model:
                    key = own.api_key.get_secret_value() if own.api_key else "not-needed"
                    cache[role] = Endpoint(
                        own.base_url or "https://api.openai.com/v1", key, own.model or "gpt-4o-mini"
                    )
                else:
                    cache[role] = local_url()
            return cache[role]

    return resolve


def build_model(settings: LLMSettings, data_dir: Any) -> ModelPort:
    """The configured model port: endpoints where configured, the embedded local model elsewhere."""
    from newsroom.localmodel import LocalServer

    server = LocalServer(data_dir)
    return OpenAICompatibleModel(settings, endpoint_resolver(settings, server.endpoint))
