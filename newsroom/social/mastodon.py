"""Mastodon: a tag's or an account's public timeline, or one status with its top replies, via the REST API."""

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

# Any host may be an instance: a link of this shape is tried as a Mastodon status, then read as a page
POST_URL = re.compile(r"^https?://(?P<instance>[a-z0-9.-]+(?::\d+)?)/@(?P<user>[\w.-]+)/(?P<id>\d+)/?$", re.I)
_TIMELINE = re.compile(
    r"^mastodon:(?P<what>tag|account):(?P<instance>[a-z0-9.-]+\.[a-z]{2,})/@?(?P<name>[\w.-]+)$", re.I
)


def _base(instance: str, web: WebSettings) -> str:
    return web.mastodon_url.replace("{instance}", instance.lower()).rstrip("/") + "/api/v1"


def read(target: str, web: WebSettings, fetch: Fetch, defaults: dict[str, Any]) -> Iterator[Item]:
    if m := POST_URL.match(target):
        yield _thread(target, m["instance"], m["id"], web, fetch, defaults)
        return
    m = _TIMELINE.match(target)
    if not m:
        raise SocialError(
            f"{target!r} is not a Mastodon source newsroom reads (use mastodon:tag:INSTANCE/TAG, "
            "mastodon:account:INSTANCE/USER like mastodon:tag:mastodon.social/deepseek, or the link of a post)"
        )
    instance, base = m["instance"].lower(), _base(m["instance"], web)
    if m["what"].lower() == "tag":
        url = f"{base}/timelines/tag/{part(m['name'])}?limit={min(web.posts, 40)}"
    else:
        account = expect(
            get_json(fetch, f"{base}/accounts/lookup?acct={part(m['name'])}", "mastodon"),
            dict,
            "an account",
            "mastodon",
        )
        url = f"{base}/accounts/{part(str(account['id']))}/statuses?limit={min(web.posts, 40)}&exclude_replies=true"
    statuses = expect(get_json(fetch, url, "mastodon"), list, "a timeline", "mastodon")
    if not statuses:
        yield Item(target, error=f"{instance} has no public posts there (an empty timeline)")
        return
    yield from items_of(statuses, target, lambda s: _status(s, instance), defaults, web)


def _thread(
    target: str, instance: str, status_id: str, web: WebSettings, fetch: Fetch, defaults: dict[str, Any]
) -> Item:
    base = _base(instance, web)
    post = _status(
        expect(get_json(fetch, f"{base}/statuses/{status_id}", "mastodon"), dict, "a status", "mastodon"),
        instance,
    )
    context = expect(
        get_json(fetch, f"{base}/statuses/{status_id}/context", "mastodon"), dict, "a context", "mastodon"
    )
    direct = [
        s
        for s in expect(context.get("descendants") or [], list, "a context", "mastodon")
        if isinstance(s, dict) and str(s.get("in_reply_to_id")) == status_id
    ]
    direct.sort(key=lambda s: -(score_of(s.get("favourites_count")) or 0))
    post.replies = [
        Reply(_acct(s["account"], instance), html_text(s.get("content")), score_of(s.get("favourites_count")))
        for s in direct[: web.replies]
    ]
    return Item(target, fields=record_fields(post, defaults, web.replies))


def _status(s: Any, instance: str) -> Post:
    if isinstance(s.get("reblog"), dict):  # a boost: the boosted status is the post
        s = s["reblog"]
    text = html_text(s.get("content"))
    if s.get("spoiler_text"):
        text = f"Content warning: {s['spoiler_text']}\n\n{text}"
    if not text.strip():
        raise SocialError("a Mastodon post has no text (media alone); it was skipped")
    return Post(
        platform="mastodon",
        outlet=instance,
        author=_acct(s["account"], instance),
        text=text,
        url=str(s.get("url") or s["uri"]),
        published_at=s.get("created_at"),
        score=score_of(s.get("favourites_count")),
    )


def _acct(account: dict[str, Any], instance: str) -> str:
    acct = str(account.get("acct") or account.get("username") or "")
    return acct if "@" in acct or not acct else f"{acct}@{instance}"
