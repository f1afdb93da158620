"""Reddit: a subreddit's newest posts, a search, or one post with its top comments, from the public `.json`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
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

SITE = "https://www.reddit.com"
POST_URL = re.compile(
    r"^https?://(?:(?:www|old|new|np)\.)?reddit\.com/r/(?P<sub>\w+)/comments/(?P<id>[a-z0-9]+)", re.I
)
_SUBREDDIT = re.compile(r"^r/(?P<sub>\w{2,21})/?$")
_GONE = {"[deleted]", "[removed]"}


def api_url(target: str, web: WebSettings) -> str:
    """The JSON endpoint a `reddit:` target or a post's URL stands for; SocialError for neither."""
    base = web.reddit_url.rstrip("/")
    if m := POST_URL.match(target):
        return f"{base}/r/{m['sub']}/comments/{m['id']}.json?sort=top&limit={min(web.replies * 2 + 2, 100)}&raw_json=1"
    rest = target.removeprefix("reddit:")
    if rest.startswith("search:") and rest[7:].strip():
        return (
            f"{base}/search.json?q={part(rest[7:].strip())}&sort=new&limit={min(web.posts, 100)}&raw_json=1"
        )
    if m := _SUBREDDIT.match(rest):
        return f"{base}/r/{m['sub']}/new.json?limit={min(web.posts, 100)}&raw_json=1"
    raise SocialError(
        f"{target!r} is not a Reddit source newsroom reads (use reddit:r/NAME, reddit:search:WORDS "
        "or the link of a post)"
    )


def read(target: str, web: WebSettings, fetch: Fetch, defaults: dict[str, Any]) -> Iterator[Item]:
    data = get_json(fetch, api_url(target, web), "reddit")
    if isinstance(data, list):  # a post page: [the post's listing, its comments' listing]
        listings = expect(data, list, "a post with its comments", "reddit")
        posts = _children(listings[0] if listings else None)
        if not posts:
            raise SocialError("Reddit's answer holds no post (it may have been deleted)")
        post = _post(posts[0])
        if post is None:
            raise SocialError("Reddit's answer is not a post with its comments; nothing was read from it")
        comments = _children(listings[1]) if len(listings) > 1 else []
        post.replies = _top_replies(comments, web.replies)
        yield Item(target, fields=record_fields(post, defaults, web.replies))
        return
    children = _children(data)
    if not children:
        yield Item(
            target, error="Reddit has no posts there (an empty listing, or a subreddit that is private)"
        )
        return
    yield from items_of(children, target, _post, defaults, web)


def _children(listing: Any) -> list[Any]:
    listing = expect(listing, dict, "a listing", "reddit")
    if listing.get("kind") != "Listing":
        raise SocialError(
            f"Reddit's answer is a {listing.get('kind')!r}, not a listing; nothing was read from it"
        )
    data = expect(listing.get("data"), dict, "a listing", "reddit")
    return list(expect(data.get("children", []), list, "a listing", "reddit"))


def _post(child: Any) -> Post | None:
    if child.get("kind") != "t3":
        return None  # "more" placeholders and anything that is not a post
    d = child["data"]
    title = str(d.get("title") or "").strip()
    body = str(d.get("selftext") or "").strip()
    link = str(d.get("url") or "")
    if not body and link and not link.startswith((SITE, "/r/")):
        body = f"Link: {link}"
    return Post(
        platform="reddit",
        outlet=str(d.get("subreddit_name_prefixed") or f"r/{d.get('subreddit', '')}"),
        author=str(d.get("author") or ""),
        title=title,
        text=f"{title}\n\n{body}".strip() if body not in _GONE else title,
        url=SITE + str(d["permalink"]),
        published_at=_when(d.get("created_utc")),
        score=score_of(d.get("score")),
    )


def _top_replies(comments: list[Any], limit: int) -> list[Reply]:
    replies = []
    for c in comments:
        if not isinstance(c, dict) or c.get("kind") != "t1" or not isinstance(c.get("data"), dict):
            continue
        d = c["data"]
        body = str(d.get("body") or "").strip()
        if not body or body in _GONE or d.get("stickied"):
            continue
        replies.append(Reply(str(d.get("author") or ""), body, score_of(d.get("score"))))
    replies.sort(key=lambda r: -(r.score or 0))
    return replies[:limit]


def _when(epoch: Any) -> datetime | None:
    if not isinstance(epoch, int | float) or isinstance(epoch, bool):
        return None
    return datetime.fromtimestamp(float(epoch), UTC)
