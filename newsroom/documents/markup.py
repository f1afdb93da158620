"""Source and model text made inert in published Markdown and HTML: escaped, links http(s) only."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start markup.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>&~])")


def md_escape(text: object) -> str:
    """A source's title or outlet as literal Markdown text: no emphasis, link, HTML or entity; one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


_MD_INLINE = re.compile(r"([\\`\[\]<>&])")


def md_text(text: object) -> str:
    """A model's sentence in Markdown: emphasis may stay, but no link, raw HTML, entity or code span."""
    return _MD_INLINE.sub(r"\\\1", str(text or ""))


def http_url(url: object) -> str | None:
    """The URL when it is http(s) with a host, with spaces and angle brackets encoded; else None."""
    raw = str(url or "").strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(raw, safe=":/?#[]@!$&'*+,;=%~")  # parentheses encoded: they would end a Markdown link


def md_link(url: object, label: object) -> str:
    """`[label](url)` for an http(s) URL; any other URL (javascript:, data:) is shown as text."""
    href = http_url(url)
    if href:
        return f"[{md_escape(label)}]({href})"
    return f"{md_escape(label)} ({md_escape(url)})" if url else md_escape(label)


def _renderer() -> MarkdownIt:
    # Raw HTML off (it is shown as text), no images (a model's image is a request to a stranger's server),
    # and only http(s) links become hrefs.
    md = MarkdownIt("commonmark", {"html": False}).disable("image")
    md.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://"))  # type: ignore[method-assign]
    return md


_MD = _renderer()


def inline(text: object) -> str:
    """A model's sentence as inline HTML: emphasis may stay (as in the Markdown), everything else is text."""
    return _MD.renderInline(md_text(" ".join(str(text or "").split())))
