"""What every platform reader shares: a post and its top replies, one record's fields, JSON read as sentences."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from lxml import html as lxml_html

from newsroom.settings import WebSettings


class SocialError(Exception):
    """A platform answer newsroom cannot read; the message is written for a person."""


class _Page(Protocol):
    content: bytes


Fetch = Callable[[str], _Page]


@dataclass
class Reply:
    """A reply shown as context inside its post's record, never a source of its own."""

    author: str
    text: str
    score: int | None = None


@dataclass
class Post:
    """One post as a record will hold it: who, where, when, how it was received, and its top replies."""

    platform: str
    outlet: str
    author: str
    text: str
    url: str
    published_at: Any = None
    title: str = ""
    score: int | None = None
    replies: list[Reply] = field(default_factory=list)


@dataclass
class Item:
    """One post read (its record's fields), or the sentence saying why it could not be."""

    source: str
    line: int | None = None
    fields: dict[str, Any] | None = None
    error: str | None = None


PLATFORM_NAMES = {"reddit": "Reddit", "hn": "Hacker News", "bluesky": "Bluesky", "mastodon": "Mastodon"}


def record_fields(post: Post, defaults: dict[str, Any], max_replies: int) -> dict[str, Any]:
    """A post's record: its own text first, then its top replies set apart and marked as replies."""
    text = post.text.strip()
    replies = [r for r in post.replies if r.text.strip()][:max_replies]
    if replies:
        lines = [
            f"Top replies on {PLATFORM_NAMES.get(post.platform, post.platform)} "
            "(context from other users, not part of the post):"
        ]
        for r in replies:
            score = f" ({r.score} points)" if r.score is not None else ""
            body = " ".join(r.text.split())
            lines.append(f"- Reply by {r.author or 'an unnamed user'}{score}: {body}")
        text = text + "\n\n" + "\n".join(lines)
    fields: dict[str, Any] = {
        **defaults,
        "kind": "social",
        "platform": post.platform,
        "author": post.author,
        "outlet": post.outlet,
        "url": post.url,
        "published_at": post.published_at,
        "text": text,
    }
    fields["title"] = post.title or headline(post.text)
    if post.score is not None:
        fields["score"] = post.score
    return fields


def headline(text: str, limit: int = 100) -> str:
    """A post's title when it has none: its first line, cut at a word and marked as cut."""
    first = " ".join((text.strip().splitlines() or [""])[0].split())
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def get_json(fetch: Fetch, url: str, platform: str) -> Any:
    """The JSON a platform answered; anything else raises SocialError naming the platform."""
    name = PLATFORM_NAMES[platform]
    raw = fetch(url).content
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SocialError(f"{name} answered with bytes that are not text; nothing was read from it") from None
    except json.JSONDecodeError as exc:
        raise SocialError(
            f"{name} answered with something that is not JSON ({exc.msg} at line {exc.lineno}); "
            "nothing was read from it"
        ) from None
    except RecursionError:
        raise SocialError(f"{name}'s answer is nested too deeply to read") from None


def expect(value: Any, kind: type, what: str, platform: str) -> Any:
    """`value` if it is a `kind`, else SocialError saying the answer was not what the platform sends."""
    if not isinstance(value, kind):
        raise SocialError(
            f"{PLATFORM_NAMES[platform]}'s answer is not {what} as the platform sends it; nothing was read "
            "from it (is the API address in settings right?)"
        )
    return value


def items_of(
    entries: list[Any],
    source: str,
    read: Callable[[Any], Post | None],
    defaults: dict[str, Any],
    web: WebSettings,
) -> Iterator[Item]:
    """Each entry's record, numbered; an entry that cannot be read costs only itself."""
    for number, entry in enumerate(entries[: web.posts], start=1):
        try:
            post = read(entry)
        except SocialError as exc:
            yield Item(source, number, error=str(exc))
            continue
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            yield Item(source, number, error=f"this post is not in the shape the platform sends ({exc!r})")
            continue
        if post is not None:
            yield Item(source, number, fields=record_fields(post, defaults, web.replies))


def html_text(fragment: Any) -> str:
    """Text of a fragment of HTML (HN and Mastodon send HTML): paragraphs kept apart, tags dropped."""
    text = str(fragment or "")
    if "<" not in text:
        return html.unescape(text).strip()
    # HN separates paragraphs with a bare <p>, Mastodon wraps them in <p>…</p>: either way a line break
    text = re.sub(r"(?i)<\s*(br|/?p)\b[^>]*>", "\n", text)
    try:
        return re.sub(
            r"\n{3,}", "\n\n", str(lxml_html.fromstring(f"<div>{text}</div>").text_content())
        ).strip()
    except (ValueError, TypeError):
        return re.sub(r"<[^>]+>", " ", text).strip()


def score_of(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def part(text: str) -> str:
    """A piece of a URL path or query, escaped."""
    return quote(text, safe="")
