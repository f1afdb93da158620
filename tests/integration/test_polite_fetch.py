"""Polite fetching over real HTTP: conditional GET, a per-site rate limit, a User-Agent with a contact,
robots.txt for pages (never for platform APIs); a fetcher built without politeness behaves as before."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from itertools import pairwise
from pathlib import Path

import pytest

from newsroom.fetchguard import FetchPolicy, Refused, guarded_fetcher
from newsroom.politeness import politeness
from newsroom.service import Newsroom
from newsroom.settings import IngestSettings, Settings, WebSettings
from tests.fakes.http import answer, serve_handler
from tests.fakes.social import platforms
from tests.fakes.store import FakeStore
from tests.integration.test_ingest_http import FEED

UA = "newsroom/0.1 (+mailto:desk@example.org)"
ALLOW = FetchPolicy.from_setting("127.0.0.1")


@dataclass
class Site:
    """A site that answers each path from `pages` ({path: (etag, body)}), honours If-None-Match, and
    remembers every request: path, headers, when."""

    pages: dict[str, tuple[str, bytes]]
    robots: tuple[int, bytes] = (404, b"")
    seen: list[tuple[str, dict[str, str], float]] = field(default_factory=list)
    base: str = ""

    def paths(self) -> list[str]:
        return [p for p, _, _ in self.seen]

    def headers(self, path: str) -> list[dict[str, str]]:
        return [h for p, h, _ in self.seen if p == path]


@contextmanager
def site(pages: dict[str, tuple[str, bytes]], robots: tuple[int, bytes] = (404, b"")) -> Iterator[Site]:
    s = Site(pages, robots)
    lock = threading.Lock()

    def handle(req: BaseHTTPRequestHandler) -> None:
        with lock:
            s.seen.append((req.path, dict(req.headers), time.monotonic()))
        status, etag, body = 404, "", b"not here"
        if req.path == "/robots.txt":
            status, body = s.robots
        elif req.path in s.pages:
            etag, body = s.pages[req.path]
            status = 304 if etag and req.headers.get("If-None-Match") == etag else 200
        ctype = "application/atom+xml" if req.path.endswith(".xml") else "text/html; charset=utf-8"
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        if etag:
            req.send_header("ETag", etag)
            req.send_header("Last-Modified", "Wed, 02 Dec 2026 07:00:00 GMT")
        payload = b"" if status == 304 else body
        req.send_header("Content-Length", str(len(payload)))
        req.end_headers()
        req.wfile.write(payload)

    with serve_handler(handle) as (base, _):
        s.base = base
        yield s


def _settings(tmp_path: Path, **web: object) -> Settings:
    fields: dict[str, object] = {"contact": "mailto:desk@example.org"} | web
    return Settings(
        data_dir=tmp_path / "data", fetch_allow="127.0.0.1", web=WebSettings.model_validate(fields)
    )


def _feed(base: str, entries: int = 2) -> bytes:
    body = FEED.replace(b"{base}", base.encode())
    if entries == 3:
        body = body.replace(
            b"</feed>",
            b"<entry><title>Pool reopens</title><id>tag:courier,2026:3</id><updated>2026-10-10T09:00:00Z"
            b"</updated><summary>The city pool reopens on Monday after a two-month repair.</summary></entry></feed>",
        )
    return body


def test_an_unchanged_feed_is_nothing_new_and_a_changed_one_is_read(tmp_path: Path) -> None:
    with site({}) as s:
        s.pages["/feed.xml"] = ('"v1"', _feed(s.base))
        settings = _settings(tmp_path)
        settings.ingest.feed_fetch_articles = False  # the feed alone: its entries' links are not the point
        room = Newsroom(settings, store_override=FakeStore())
        first = room.ingest([f"{s.base}/feed.xml"])
        assert len(first.added) == 2 and not first.rejected
        again = room.ingest([f"{s.base}/feed.xml"])
        # the site answered 304 to the remembered ETag: nothing new, no error, nothing lost
        (asked_again,) = s.headers("/feed.xml")[1:]
        assert asked_again["If-None-Match"] == '"v1"'
        assert asked_again["If-Modified-Since"] == "Wed, 02 Dec 2026 07:00:00 GMT"
        assert not again.added and not again.rejected and again.exit_code == 0
        assert (
            again.summary()[1]
            == "  2 records were already stored (same id and text); nothing changed for them"
        )
        s.pages["/feed.xml"] = ('"v2"', _feed(s.base, entries=3))
        changed = room.ingest([f"{s.base}/feed.xml"])
        assert [r.title for r in changed.added] == ["Pool reopens"]
        assert room.store.count() == 3


def test_a_304_hands_back_the_page_as_last_fetched(tmp_path: Path) -> None:
    with site({"/p": ('"e1"', b"<p>first</p>")}) as s:
        fetch = guarded_fetcher(IngestSettings(), ALLOW, politeness(WebSettings(), tmp_path, "newsroom/0.1"))
        first = fetch(f"{s.base}/p")
        second = guarded_fetcher(
            IngestSettings(), ALLOW, politeness(WebSettings(), tmp_path, "newsroom/0.1")
        )(f"{s.base}/p")  # another fetcher on the same data dir: what was remembered is on disk
        assert (first.not_modified, second.not_modified) == (False, True)
        assert second.content == b"<p>first</p>" and second.url == f"{s.base}/p"
        assert [h.get("If-None-Match") for h in s.headers("/p")] == [None, '"e1"']
        # a platform API call is never conditional
        fetch.api(f"{s.base}/p")
        assert "If-None-Match" not in s.headers("/p")[-1]


def test_a_304_to_a_question_never_asked_is_not_remembered(tmp_path: Path) -> None:
    seen: list[str | None] = []

    def handle(req: BaseHTTPRequestHandler) -> None:
        seen.append(req.headers.get("If-None-Match"))
        answer(304, b"", ETag='"x"')(req)

    polite = politeness(WebSettings(robots=False), tmp_path, "newsroom/0.1")
    with serve_handler(handle) as (base, _):
        fetch = guarded_fetcher(IngestSettings(), ALLOW, polite)
        first, second = fetch(f"{base}/p"), fetch(f"{base}/p")
    assert (first.content, first.not_modified, second.not_modified) == (b"", False, False)
    assert seen == [None, None]  # an empty answer is never taken as the page to fall back on


def test_the_user_agent_names_newsroom_and_the_contact_on_every_request(tmp_path: Path) -> None:
    page = ("", b"<html><body><article><p>A page.</p></article></body></html>")
    with site({"/a": page, "/api/x": page}) as s:
        fetch = guarded_fetcher(
            IngestSettings(), ALLOW, politeness(_settings(tmp_path).web, tmp_path, "newsroom/0.1")
        )
        fetch(f"{s.base}/a")
        fetch.api(f"{s.base}/api/x")
        assert s.paths() == ["/robots.txt", "/a", "/api/x"]
        assert {h["User-Agent"] for _, h, _ in s.seen} == {UA}


def test_robots_txt_is_honoured_for_pages_read_once_and_named_when_it_refuses(tmp_path: Path) -> None:
    page = ("", b"<html><body><p>Public page.</p></body></html>")
    pages = {"/public": page, "/private/x": page, "/api/z": page}
    with site(pages, (200, b"User-agent: *\nDisallow: /private/\n")) as s:
        fetch = guarded_fetcher(IngestSettings(), ALLOW, politeness(WebSettings(), tmp_path, "newsroom/0.1"))
        assert fetch(f"{s.base}/public").content.startswith(b"<html>")
        with pytest.raises(
            Refused, match=r"private/x is not fetched: the site's robots\.txt asks crawlers like"
        ):
            fetch(f"{s.base}/private/x")
        # a platform's API is not a crawled page: robots.txt does not apply to it
        assert fetch.api(f"{s.base}/private/x").content
        assert s.paths() == ["/robots.txt", "/public", "/private/x"]


def test_robots_txt_rules_for_newsroom_by_name_are_the_ones_it_follows(tmp_path: Path) -> None:
    rules = b"User-agent: newsroom\nDisallow: /drafts/\n\nUser-agent: *\nDisallow: /\n"
    page = ("", b"<p>x</p>")
    with site({"/news/1": page, "/drafts/2": page}, (200, rules)) as s:
        fetch = guarded_fetcher(IngestSettings(), ALLOW, politeness(WebSettings(), tmp_path, "newsroom/0.1"))
        assert fetch(f"{s.base}/news/1").content == b"<p>x</p>"
        with pytest.raises(Refused, match=r"robots\.txt"):
            fetch(f"{s.base}/drafts/2")
        assert s.paths() == ["/robots.txt", "/news/1"]


@pytest.mark.parametrize(("status", "allowed"), [(403, False), (401, False), (404, True), (500, True)])
def test_a_robots_txt_that_cannot_be_read(tmp_path: Path, status: int, allowed: bool) -> None:
    with site({"/p": ("", b"<p>x</p>")}, (status, b"")) as s:
        fetch = guarded_fetcher(IngestSettings(), ALLOW, politeness(WebSettings(), tmp_path, "newsroom/0.1"))
        if allowed:
            assert fetch(f"{s.base}/p").content == b"<p>x</p>"
            assert s.paths() == ["/robots.txt", "/p"]
        else:
            with pytest.raises(Refused, match=r"robots\.txt"):
                fetch(f"{s.base}/p")
            assert s.paths() == ["/robots.txt"]


def test_one_site_is_asked_at_the_configured_rate_by_every_thread_and_other_sites_do_not_wait(
    tmp_path: Path,
) -> None:
    page = ("", b"<p>x</p>")
    web = WebSettings(rate_per_host=5, burst_per_host=1, robots=False, conditional=False)
    with site({f"/{i}": page for i in range(4)}) as busy, site({"/other": page}) as other:
        fetch = guarded_fetcher(IngestSettings(), ALLOW, politeness(web, tmp_path, "newsroom/0.1"))
        threads = [threading.Thread(target=fetch, args=(f"{busy.base}/{i}",)) for i in range(4)]
        started = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(0.05)
        fetch(f"{other.base}/other")
        other_done = time.monotonic() - started
        for t in threads:
            t.join()
    times = sorted(when for _, _, when in busy.seen)
    gaps = [b - a for a, b in pairwise(times)]
    # 5 a second: a request every 0.2 s (loose bounds: the machine is shared, connections jitter)
    assert len(times) == 4 and times[-1] - times[0] >= 0.5 and min(gaps) >= 0.1
    assert other_done < 0.3  # another site is not queued behind the busy one


def test_a_fetcher_built_without_politeness_behaves_as_before(tmp_path: Path) -> None:
    with site({"/feed.xml": ('"v1"', b"<feed/>")}, (200, b"User-agent: *\nDisallow: /\n")) as s:
        fetch = guarded_fetcher(IngestSettings(), ALLOW)
        for _ in range(2):
            assert fetch(f"{s.base}/feed.xml").content == b"<feed/>"
        assert s.paths() == ["/feed.xml", "/feed.xml"]
        assert all("If-None-Match" not in h for h in s.headers("/feed.xml"))
        assert {h["User-Agent"] for _, h, _ in s.seen} == {"newsroom/0.1"}


def test_a_page_robots_txt_refuses_is_a_rejected_target_with_a_sentence(tmp_path: Path) -> None:
    page = ("", b"<html><body><p>Members only.</p></body></html>")
    with site({"/members": page}, (200, b"User-agent: *\nDisallow: /members\n")) as s:
        report = Newsroom(_settings(tmp_path), store_override=FakeStore()).ingest(
            [f"{s.base}/members"], untrusted=True
        )
        assert s.paths() == ["/robots.txt"]
    (rejected,) = report.rejected
    assert rejected.reason.endswith(
        "is not fetched: the site's robots.txt asks crawlers like newsroom not to"
    )


def test_a_platform_disallowing_crawlers_is_still_read_through_its_api(tmp_path: Path) -> None:
    # Reddit's robots.txt disallows all crawling; its JSON API is what newsroom calls, as a client
    with platforms() as fake:
        settings = fake.settings(tmp_path / "data")
        room = Newsroom(settings, store_override=FakeStore())
        report = room.ingest(["reddit:r/LocalLLaMA"])
    assert len(report.added) == 3
    assert not any(r.startswith("/robots.txt") for r in fake.requests)
