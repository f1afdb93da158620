"""Ingest over real HTTP from a local server: pages, feeds, dead links."""

from __future__ import annotations

from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.fakes.http import closed_port_url, serve_pages
from tests.unit.test_parsers import ARTICLE

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Riverside Courier</title>
<entry><title>Council passes transit budget</title><link href="{base}/news/budget"/>
<id>tag:courier,2026:1</id><updated>2026-10-08T19:00:00Z</updated>
<summary>Council votes on transit.</summary></entry>
<entry><title>Library hours extended</title><link href="{base}/news/missing"/>
<id>tag:courier,2026:2</id><updated>2026-10-09T09:00:00Z</updated>
<summary>The library will stay open until 9 pm on weekdays starting in November.</summary></entry>
</feed>"""


def test_url_feed_and_dead_links(settings: Settings) -> None:
    pages: dict[str, tuple[int, str, bytes]] = {"/news/budget": (200, "text/html", ARTICLE)}
    with serve_pages(pages) as base:
        pages["/feed.xml"] = (200, "application/atom+xml", FEED.replace(b"{base}", base.encode()))
        room = Newsroom(settings)
        report = room.ingest([f"{base}/feed.xml", f"{base}/gone", closed_port_url()])
    titles = {r.title: r for r in report.added}
    # the short summary was completed from the linked article; the 404 article kept its summary
    assert "$48 million transit budget" in titles["Council passes transit budget"].text
    assert titles["Library hours extended"].text.startswith("The library will stay open")
    assert titles["Council passes transit budget"].outlet == "Riverside Courier"
    reasons = [r.reason for r in report.rejected]
    assert any("answered 404" in r for r in reasons)
    assert any("could not reach" in r for r in reasons)
    assert room.store.count() == 2


def test_html_url_is_extracted(settings: Settings) -> None:
    with serve_pages({"/a": (200, "text/html; charset=utf-8", ARTICLE)}) as base:
        report = Newsroom(settings).ingest([f"{base}/a"])
    (rec,) = report.added
    assert rec.url == f"{base}/a" and "7-2" in rec.text
