"""Is this process ready to work: the database, the record store and Slack each asked once, with a short
time-out, and each answer a sentence an operator can act on (served on /readyz and by `worker --check`)."""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from newsroom.settings import Settings

TIMEOUT_S = 3.0  # each check; a load balancer probes every few seconds and must not pile up
MIN_CONNECT_S = 2  # libpq waits at least this long for a connection, whatever connect_timeout says


@dataclass(frozen=True)
class Check:
    """One dependency asked: its name, whether it answered as it should, and what an operator should know."""

    name: str
    ok: bool
    sentence: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def readiness(settings: Settings, *, slack: bool, timeout_s: float = TIMEOUT_S) -> list[Check]:
    """Every dependency this process needs, asked at once: the database (when NEWSROOM_DATABASE_URL is set),
        the record store (the Chroma server's heartbeat, or the embedded store's directory), and Slack's
        auth.test with the bot token when `slack`. Each check gives up after `timeout_s` (a PostgreSQL connection
    after at least MIN_CONNECT_S); one that is still running a second later fails as not answering."""
    # (name, what it asks, who is asked: for the sentence when no answer comes)
    probes: list[tuple[str, Callable[[], Check], str]] = []
    if settings.database:
        from newsroom.database.connect import where

        url = settings.database
        probes.append(("database", lambda: database_check(url, timeout_s), where(url)))
    store = (
        f"the Chroma server at {_chroma_base(settings.chroma_url)}"
        if settings.chroma_url
        else f"the embedded record store at {settings.chroma_dir}"
    )
    probes.append(("chroma", lambda: chroma_check(settings, timeout_s), store))
    if slack:
        probes.append(
            (
                "slack",
                lambda: slack_check(settings, timeout_s),
                f"Slack's Web API at {settings.slack.api_url}",
            )
        )
    pool = ThreadPoolExecutor(max_workers=len(probes), thread_name_prefix="readiness")
    try:
        futures = [(name, pool.submit(probe), asked) for name, probe, asked in probes]
        waited = max(timeout_s, MIN_CONNECT_S) + 1
        checks = []
        for name, future, asked in futures:
            try:
                checks.append(future.result(timeout=waited))
            except FutureTimeout:
                checks.append(Check(name, False, as_sentence(f"{asked} did not answer within {waited:g} s")))
            except Exception as exc:  # a check is a sentence, never a crashed probe
                checks.append(
                    Check(name, False, f"The {name} check failed unexpectedly ({type(exc).__name__}).")
                )
        return checks
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a hung probe ends on its own I/O time-out


def failing(checks: list[Check]) -> list[str]:
    """The sentences of the checks that failed, in order."""
    return [c.sentence for c in checks if not c.ok]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def as_sentence(text: str) -> str:
    """A clause from newsroom/database/connect.py as a sentence of its own: capital first, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def database_check(url: str, timeout_s: float = TIMEOUT_S) -> Check:
    """PostgreSQL answers a query, and holds the job queue's tables (`newsroom db upgrade` has run)."""
    import psycopg

    from newsroom.database.connect import database_sentence, where

    try:
        with psycopg.connect(
            url, connect_timeout=max(MIN_CONNECT_S, math.ceil(timeout_s)), autocommit=True
        ) as conn:
            conn.execute(f"SET statement_timeout = {int(timeout_s * 1000)}")
            row = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    except Exception as exc:
        return Check("database", False, as_sentence(database_sentence(exc, url)))
    if not (row and row[0]):
        return Check(
            "database",
            False,
            as_sentence(f"{where(url)} answers but has no job queue tables; run `newsroom db upgrade`"),
        )
    return Check("database", True, as_sentence(f"{where(url)} answers"))


def _chroma_base(url: str) -> str:
    """scheme://host:port of a Chroma server URL, the port filled in as chromadb's client fills it."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    return f"{parts.scheme or 'http'}://{parts.hostname or 'localhost'}:{parts.port or (443 if secure else 8000)}"


def chroma_check(settings: Settings, timeout_s: float = TIMEOUT_S) -> Check:
    """The Chroma server's heartbeat when NEWSROOM_CHROMA_URL is set, else the embedded store's directory."""
    if settings.chroma_url:
        base = _chroma_base(settings.chroma_url)
        try:
            resp = httpx.get(f"{base}/api/v2/heartbeat", timeout=timeout_s)
        except httpx.HTTPError as exc:
            return Check(
                "chroma",
                False,
                f"The Chroma server at {base} cannot be reached ({_first_line(exc)}); check NEWSROOM_CHROMA_URL "
                "and that `chroma run` is up.",
            )
        if resp.status_code != 200:
            return Check(
                "chroma",
                False,
                f"The Chroma server at {base} answered its heartbeat with {resp.status_code}.",
            )
        return Check("chroma", True, f"The Chroma server at {base} answers.")
    return _embedded_chroma(settings, timeout_s)


def _embedded_chroma(settings: Settings, timeout_s: float) -> Check:
    where = settings.chroma_dir
    try:
        where.mkdir(parents=True, exist_ok=True)
        if not os.access(where, os.W_OK | os.X_OK):
            raise PermissionError("not writable by this process")
        db = where / "chroma.sqlite3"
        if db.exists():
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=timeout_s) as conn:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (OSError, sqlite3.Error) as exc:
        return Check(
            "chroma",
            False,
            f"The embedded record store at {where} cannot be opened ({_first_line(exc)}); check "
            "NEWSROOM_DATA_DIR and its permissions.",
        )
    return Check("chroma", True, f"The embedded record store at {where} opens.")


def slack_check(settings: Settings, timeout_s: float = TIMEOUT_S) -> Check:
    """Slack's auth.test with the bot token, through the one Slack client maker, without its retries."""
    from slack_sdk.errors import SlackApiError

    from newsroom.slack.client import web_client

    if settings.slack_bot_token is None:
        return Check("slack", False, "SLACK_BOT_TOKEN is not set, so Slack cannot be asked who the bot is.")
    client = web_client(settings)
    client.timeout = max(1, math.ceil(timeout_s))
    client.retry_handlers = []  # a probe says what is wrong now; waiting out a 429 is for real work
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        return Check(
            "slack",
            False,
            f"Slack refused the bot token ({error or 'no reason given'}); check SLACK_BOT_TOKEN.",
        )
    except Exception as exc:
        return Check(
            "slack",
            False,
            f"Slack's Web API at {settings.slack.api_url} cannot be reached ({type(exc).__name__}); "
            "check the network and NEWSROOM_SLACK_API_URL.",
        )
    return Check("slack", True, f"Slack accepts the bot token (bot user {answer.get('user_id')}).")
