"""What a model endpoint says about retrying: Retry-After read from its answer, and giving up past the budget."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any


class OverBudget(Exception):
    """The next attempt would start after the budget: give up now, not after a useless wait."""

    def __init__(self, cause: BaseException | None, asked: float | None) -> None:
        super().__init__("retry budget spent")
        self.cause = cause
        self.asked = asked


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the endpoint asked for (Retry-After-Ms, Retry-After in seconds or as a date); None if none."""
    response: Any = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if not value:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None
