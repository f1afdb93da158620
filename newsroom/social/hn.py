"""Hacker News: a story (or comment) with its top comments, or a search, from the Algolia HN API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from newsroom.settings import WebSettings
from newsroom.social.common import (
    Fetch,
    Item,
    Post,
    Reply,
    SocialError,
    expect,
    get_json,
    html_text,
    items_of,
    part,
    record_fields,
    score_of,
)

SITE = "https://news.ycombinator.com"
POST_URL = re.compile(r"^https?://news\.ycombinator\.com/item\?(?:.*&)?id=(?P<id>\d+)", re.I)
_ITEM = re.compile(r"^hn:item:(?P<id>\d+)$")


def api_url(target: str, web: WebSettings) -> str:
    base = web.hn_url.rstrip("/")
    m = POST_URL.match(target) or _ITEM.match(target)
    if m:
        return f"{base}/items/{m['id']}"
    if target.startswith("hn:search:") and target[10:].strip():
        return f"{base}/search_by_date?query={part(target[10:].strip())}&tags=story&hitsPerPage={web.posts}"
    raise SocialError(
        f"{target!r} is not a Hacker News source newsroom reads (use hn:item:NUMBER, hn:search:WORDS "
        "or the link of a story)"
    )


def read(target: str, web: WebSettings, fetch: Fetch, defaults: dict[str, Any]) -> Iterator[Item]:
    data = expect(get_json(fetch, api_url(target, web), "hn"), dict, "an item or a search", "hn")
    if "hits" in data:
        hits = expect(data["hits"], list, "a search", "hn")
        if not hits:
            yield Item(target, error="Hacker News found no stories for that search")
            return
        yield from items_of(hits, target, _hit, defaults, web)
        return
    if data.get("type") not in ("story", "comment", "poll", "job"):
        raise SocialError(
            "Hacker News' answer is not an item as the platform sends it; nothing was read from it"
        )
    post = _item(data)
    children = [c for c in expect(data.get("children") or [], list, "an item", "hn") if isinstance(c, dict)]
    # Algolia lists a story's comments in the site's ranked order; comments carry no points of their own.
    post.replies = [
        Reply(str(c.get("author") or ""), html_text(c.get("text")), score_of(c.get("points")))
        for c in children
        if c.get("text") and c.get("author")
    ][: web.replies]
    yield Item(target, fields=record_fields(post, defaults, web.replies))


def _item(d: dict[str, Any]) -> Post:
    title = str(d.get("title") or "").strip()
    body = html_text(d.get("text"))
    link = str(d.get("url") or "")
    if link and not body:
        body = f"Link: {link}"
    if not title and not body:
        raise SocialError("this Hacker News item has no text (it may have been deleted)")
    return Post(
        platform="hn",
        outlet="Hacker News",
        author=str(d.get("author") or ""),
        title=title,
        text=f"{title}\n\n{body}".strip(),
        url=f"{SITE}/item?id={int(d['id'])}",
        published_at=d.get("created_at"),
        score=score_of(d.get("points")),
    )


def _hit(h: Any) -> Post:
    return _item(
        {
            "id": h["objectID"],
            "title": h.get("title"),
            "text": h.get("story_text"),
            "url": h.get("url"),
            "author": h.get("author"),
            "created_at": h.get("created_at"),
            "points": h.get("points"),
        }
    )
