"""Every Slack Web API client newsroom makes: one time-out, and slack_sdk's retries for 429s and hiccups."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from newsroom.settings import Settings


def retry_handlers() -> list[RetryHandler]:
    """429s wait as long as Retry-After says; dropped connections and Slack 5xx are tried again twice."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings, with_token: bool = True) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if with_token and settings.slack_bot_token else None
    return WebClient(
        token=token, base_url=settings.slack.api_url, timeout=30, retry_handlers=retry_handlers()
    )
