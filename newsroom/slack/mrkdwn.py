"""Text from sources, models and users made safe for Slack mrkdwn, and cut to Block Kit's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

ELLIPSIS = "…"


def escape(text: object) -> str:
    """Slack's three control characters as entities: no mention, channel link, broadcast or link survives."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: object) -> str | None:
    """An http(s) URL with the characters that would end a Slack link percent-encoded; None otherwise."""
    raw = str(url or "").strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(raw, safe=":/?#[]@!$&'()*+,;=%~")


def link(url: object, label: object) -> str:
    """`<url|label>` when the URL is http(s); the escaped label alone otherwise (a javascript: URL is text)."""
    text = escape(label).replace("|", "¦") or "link"
    href = safe_url(url)
    return f"<{href}|{text}>" if href else text


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis, never inside a link or entity."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 0)
    head = text[:room]
    space = head.rfind(" ")
    if space > room // 2:
        head = head[:space]
    return _whole(head).rstrip() + ELLIPSIS


def _whole(head: str) -> str:
    """`head` without a trailing half of a `<link|label>` or an `&amp;` entity."""
    opened = head.rfind("<")
    if opened > head.rfind(">"):
        head = head[:opened]
    amp = head.rfind("&")
    if amp >= 0 and ";" not in head[amp:]:
        head = head[:amp]
    return head


def when(at: datetime | None = None) -> str:
    """A time every reader sees in their own zone (Slack date formatting), with an ISO fallback."""
    at = at or datetime.now(UTC)
    return (
        f"<!date^{int(at.timestamp())}^{{date_short_pretty}} at {{time}}|{at.isoformat(timespec='minutes')}>"
    )
