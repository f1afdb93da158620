"""How every newsroom process logs: readable lines on a terminal, or one JSON object per line for a collector,
each carrying the story and the job it was written for."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from newsroom.settings import Settings

# Set by `bind` around a piece of work; every record logged inside it (in this thread or task, and in
# threads started through contextvars.copy_context, as asyncio.to_thread does) carries them.
_STORY: ContextVar[str | None] = ContextVar("newsroom_story_id", default=None)
_JOB: ContextVar[str | None] = ContextVar("newsroom_job_id", default=None)
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}
_MARK = "_newsroom_handler"  # set on the one handler setup_logging installs, so a second call replaces it


@contextmanager
def bind(story_id: str | None = None, job_id: str | int | None = None) -> Iterator[None]:
    """Every log record written inside the block names this story and job (a value left None keeps the
    enclosing one); the previous values come back when the block ends, however it ends."""
    tokens = []
    if story_id is not None:
        tokens.append((_STORY, _STORY.set(str(story_id))))
    if job_id is not None:
        tokens.append((_JOB, _JOB.set(str(job_id))))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def bound() -> dict[str, str]:
    """The story and job ids bound here now (only those that are set)."""
    found = {"story_id": _STORY.get(), "job_id": _JOB.get()}
    return {k: v for k, v in found.items() if v is not None}


class _Context(logging.Filter):
    """Copies the bound ids onto each record when it is made, in the thread that made it."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in bound().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, story_id and job_id when
    bound, exception text when there is one. Whatever the message holds (newlines, quotes, a stranger's
    text) stays a string value inside that one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("story_id", "job_id"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        # default=str: an odd object in a message's args must not lose the line
        line = json.dumps(entry, ensure_ascii=False, default=str)
        # JSON leaves these unescaped, yet many readers (str.splitlines, JavaScript) end a line at them
        return line.translate(_LINE_BREAKS)


class TextFormatter(logging.Formatter):
    """A readable line, the story and job in brackets when bound."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{k.removesuffix('_id')}={getattr(record, k)}"
            for k in ("story_id", "job_id")
            if hasattr(record, k)
        ]
        if not ids:
            return line
        head, sep, rest = line.partition("\n")  # the ids go on the message line, before any traceback
        return f"{head} [{' '.join(ids)}]{sep}{rest}"


def formatter(kind: str) -> logging.Formatter:
    """The formatter for a `NEWSROOM_LOG_FORMAT` value."""
    if kind == "json":
        return JsonFormatter()
    if kind == "text":
        return TextFormatter()
    raise ValueError(f"NEWSROOM_LOG_FORMAT is {kind!r}; it can be `text` or `json`.")


def setup_logging(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Route every logger (newsroom's, uvicorn's, procrastinate's, the libraries') through one handler on
    the root logger, in the format and at the level the settings name. Safe to call again: the handler it
    installed before is replaced, handlers others installed are left alone."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(settings.log_format))
    handler.addFilter(_Context())
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # httpx logs every request at INFO (URLs with tokens in their query would be one); keep it to warnings.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    return handler
