"""Fetching as a polite client: a per-site rate limit, robots.txt, and remembering what a page was last time."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsroom.settings import WebSettings

log = logging.getLogger("newsroom.fetch")
T = TypeVar("T")
ROBOTS_AGENT = "newsroom"
ROBOTS_TTL_S = 3600.0
KEEP_DAYS = 30  # a remembered page unused this long is forgotten
MAX_KEPT_BYTES = 2_000_000  # a larger page is fetched whole every time


def site(url: str) -> str:
    """What a rate limit and a robots.txt apply to: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"


class SiteLimiter:
    """At most `rate` requests a second to one site after a burst of `burst`, shared by every thread.

    A generic cell rate: each request reserves the next slot under the lock and sleeps outside it, so
    threads waiting on one slow site never hold up another site.
    """

    def __init__(self, rate: float, burst: int) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.tolerance = max(burst - 1, 0) * self.interval
        self._due: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Sleep until a request to `url`'s site is allowed; returns the seconds slept."""
        if not self.interval:
            return 0.0
        key = site(url)
        with self._lock:
            now = time.monotonic()
            due = max(self._due.get(key, now), now)
            delay = max(0.0, due - self.tolerance - now)
            self._due[key] = due + self.interval
        if delay:
            time.sleep(delay)
        return delay


@lru_cache(maxsize=16)
def limiter(rate: float, burst: int) -> SiteLimiter:
    """One limiter per setting in a process: every fetcher built from the same settings shares it."""
    return SiteLimiter(rate, burst)


@dataclass(frozen=True)
class Remembered:
    """A page as last fetched: its validators and its body, for when the site says it has not changed."""

    url: str
    etag: str
    last_modified: str
    content_type: str
    body: bytes


class Validators:
    """ETag and Last-Modified (and the body they validate) per URL, in SQLite under the data dir, shared by
    the processes of one newsroom."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _db(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute(
            "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, final_url TEXT, etag TEXT, "
            "last_modified TEXT, content_type TEXT, body BLOB, used_at TEXT)"
        )
        return db

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        db = self._db()
        try:
            with db:  # one transaction, committed or rolled back
                return work(db)
        finally:
            db.close()

    def get(self, url: str) -> Remembered | None:
        def read(db: sqlite3.Connection) -> Any:
            row = db.execute(
                "SELECT final_url, etag, last_modified, content_type, body FROM pages WHERE url = ?", (url,)
            ).fetchone()
            if row:
                db.execute("UPDATE pages SET used_at = ? WHERE url = ?", (_now(), url))
            return row

        try:
            row = self._run(read)
        except sqlite3.Error as exc:  # a cache that cannot be read costs a full fetch, nothing else
            log.warning("could not read remembered page validators at %s: %s", self.path, exc)
            return None
        return Remembered(row[0], row[1], row[2], row[3], bytes(row[4])) if row else None

    def put(self, url: str, page: Remembered) -> None:
        if not (page.etag or page.last_modified) or len(page.body) > MAX_KEPT_BYTES:
            return
        cutoff = (datetime.now(UTC) - timedelta(days=KEEP_DAYS)).isoformat()

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                (url, page.url, page.etag, page.last_modified, page.content_type, page.body, _now()),
            )
            db.execute("DELETE FROM pages WHERE used_at < ?", (cutoff,))

        try:
            self._run(write)
        except sqlite3.Error as exc:
            log.warning("could not remember page validators at %s: %s", self.path, exc)

    @staticmethod
    def headers(page: Remembered | None) -> dict[str, str]:
        """The conditional request for a remembered page."""
        if page is None:
            return {}
        out = {"If-None-Match": page.etag} if page.etag else {}
        if page.last_modified:
            out["If-Modified-Since"] = page.last_modified
        return out


def _now() -> str:
    return datetime.now(UTC).isoformat()


RobotsFetch = Callable[[str], tuple[int, bytes]]


class Robots:
    """robots.txt per site, read once an hour per process; a site without one (or unreachable) allows all."""

    def __init__(self) -> None:
        self._rules: dict[str, tuple[float, RobotFileParser]] = {}
        self._lock = threading.Lock()

    def allows(self, url: str, fetch: RobotsFetch) -> bool:
        key = site(url)
        with self._lock:
            cached = self._rules.get(key)
        if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL_S:
            parser, answered = self._read(key + "/robots.txt", fetch)
            cached = (time.monotonic(), parser)
            if answered:  # an unreachable site is asked again next time, not taken as rule-free for an hour
                with self._lock:
                    self._rules[key] = cached
        return cached[1].can_fetch(ROBOTS_AGENT, url)

    @staticmethod
    def _read(robots_url: str, fetch: RobotsFetch) -> tuple[RobotFileParser, bool]:
        parser = RobotFileParser(robots_url)
        answered = True
        try:
            status, body = fetch(robots_url)
        except Exception as exc:  # unreachable: no rules to honour, as crawlers treat it
            log.info(
                "robots.txt at %s could not be read (%s); treating the site as allowing all", robots_url, exc
            )
            status, body, answered = 404, b"", False
        # as urllib.robotparser reads it: 401/403 forbid everything, any other failure allows everything
        if status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
        elif status >= 400:
            parser.parse([])
        else:
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return parser, answered


@dataclass
class Politeness:
    """What a polite fetcher consults: the User-Agent, the site limiter, robots.txt and remembered pages."""

    user_agent: str
    limiter: SiteLimiter
    robots: Robots | None
    validators: Validators | None


@lru_cache(maxsize=16)
def _robots() -> Robots:
    return Robots()


def politeness(web: WebSettings, data_dir: Path, user_agent: str) -> Politeness:
    """The politeness settings ask for; the limiter and robots.txt rules are shared in the process."""
    contact = " ".join(web.contact.split())
    return Politeness(
        user_agent=f"{user_agent} (+{contact})" if contact else user_agent,
        limiter=limiter(web.rate_per_host, web.burst_per_host),
        robots=_robots() if web.robots else None,
        validators=Validators(data_dir / "http_validators.sqlite") if web.conditional else None,
    )
