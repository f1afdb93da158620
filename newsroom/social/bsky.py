"""Bluesky: a search, an author's feed, or one post with its top replies, from the public AppView's XRPC."""

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
    items_of,
    part,
    record_fields,
    score_of,
)

SITE = "https://bsky.app"
POST_URL = re.compile(
    r"^https?://(?:www\.)?bsky\.app/profile/(?P<actor>[^/?#]+)/post/(?P<rkey>[\w.~-]+)", re.I
)
_AT_URI = re.compile(r"^at://(?P<actor>[^/]+)/app\.bsky\.feed\.post/(?P<rkey>[^/?#]+)$")
_HANDLE = re.compile(r"^(did:[a-z]+:[\w.:%-]+|[a-z0-9][a-z0-9.-]*\.[a-z]{2,})$", re.I)


def api_url(target: str, web: WebSettings) -> str:
    xrpc = web.bsky_url.rstrip("/") + "/xrpc"
    if m := POST_URL.match(target):
        uri = f"at://{m['actor']}/app.bsky.feed.post/{m['rkey']}"
        return f"{xrpc}/app.bsky.feed.getPostThread?uri={part(uri)}&depth=1&parentHeight=0"
    rest = target.removeprefix("bsky:")
    if rest.startswith("search:") and rest[7:].strip():
        return f"{xrpc}/app.bsky.feed.searchPosts?q={part(rest[7:].strip())}&sort=latest&limit={min(web.posts, 100)}"
    if rest.startswith("author:") and _HANDLE.match(rest[7:].strip().lstrip("@")):
        actor = rest[7:].strip().lstrip("@")
        return f"{xrpc}/app.bsky.feed.getAuthorFeed?actor={part(actor)}&filter=posts_no_replies&limit={min(web.posts, 100)}"
    raise SocialError(
        f"{target!r} is not a Bluesky source newsroom reads (use bsky:search:WORDS, "
        "bsky:author:HANDLE like alice.bsky.social, or the link of a post)"
    )


def read(target: str, web: WebSettings, fetch: Fetch, defaults: dict[str, Any]) -> Iterator[Item]:
    data = expect(get_json(fetch, api_url(target, web), "bluesky"), dict, "an XRPC answer", "bluesky")
    if "thread" in data:
        thread = expect(data["thread"], dict, "a thread", "bluesky")
        if "post" not in thread:  # notFoundPost, blockedPost
            raise SocialError("Bluesky says the post is not found or not public")
        post = _post(thread["post"])
        replies = [r["post"] for r in thread.get("replies") or [] if isinstance(r, dict) and "post" in r]
        replies.sort(key=lambda p: -(score_of(p.get("likeCount")) or 0))
        post.replies = [
            Reply(
                str(p["author"].get("handle") or ""),
                str(p["record"].get("text") or ""),
                score_of(p.get("likeCount")),
            )
            for p in replies[: web.replies]
        ]
        yield Item(target, fields=record_fields(post, defaults, web.replies))
        return
    if "posts" in data:  # searchPosts
        entries = expect(data["posts"], list, "a search", "bluesky")
    elif "feed" in data:  # getAuthorFeed: the author's own posts; reposts are someone else's
        feed = expect(data["feed"], list, "a feed", "bluesky")
        entries = [f["post"] for f in feed if isinstance(f, dict) and "post" in f and not f.get("reason")]
    else:
        raise SocialError(f"Bluesky's answer holds no posts ({_xrpc_error(data)}); nothing was read from it")
    if not entries:
        yield Item(target, error="Bluesky has no posts there (an empty search or feed)")
        return
    yield from items_of(entries, target, _post, defaults, web)


def _post(p: Any) -> Post:
    author = p["author"]
    handle = str(author.get("handle") or author.get("did") or "")
    m = _AT_URI.match(str(p["uri"]))
    if not m:
        raise SocialError(f"a Bluesky post has an address newsroom cannot link to ({str(p['uri'])[:80]!r})")
    record = p["record"]
    text = str(record.get("text") or "").strip()
    if not text:
        raise SocialError("a Bluesky post has no text (an image or a link alone); it was skipped")
    return Post(
        platform="bluesky",
        outlet="Bluesky",
        author=handle,
        text=text,
        url=f"{SITE}/profile/{handle or m['actor']}/post/{m['rkey']}",
        published_at=record.get("createdAt") or p.get("indexedAt"),
        score=score_of(p.get("likeCount")),
    )


def _xrpc_error(data: dict[str, Any]) -> str:
    if data.get("error"):
        return f"{data['error']}: {data.get('message') or ''}".strip(": ")
    return "not a feed, a search or a thread"
