"""Turn files, folders, URLs and feeds into source records, one result per record or failure."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer
import feedparser
import httpx
import trafilatura
from lxml import html as lxml_html

from newsroom import social
from newsroom.records import RecordError, SourceRecord, make_record
from newsroom.settings import IngestSettings, WebSettings

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUPPORTED_SUFFIXES = JSONL_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_SHORT_FEED_TEXT = 400


@dataclass
class Parsed:
    """One record read from a source, or the reason it could not be read."""

    source: str
    line: int | None = None
    record: SourceRecord | None = None
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class Fetched:
    url: str
    content: bytes
    content_type: str
    not_modified: bool = False
    """The site answered 304: this is the page as last fetched, so its records are already stored."""


Fetcher = Callable[[str], Fetched]


class FetchError(Exception):
    """A URL that could not be fetched; the message is written for a person."""


def http_fetcher(settings: IngestSettings) -> Fetcher:
    """A fetcher over httpx with the configured timeout and user agent."""

    def fetch(url: str) -> Fetched:
        try:
            with httpx.Client(
                timeout=settings.fetch_timeout_s,
                follow_redirects=True,
                headers={"User-Agent": settings.user_agent},
            ) as client:
                resp = client.get(url)
        except httpx.TimeoutException:
            raise FetchError(f"{url} did not answer within {settings.fetch_timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"could not reach {url} ({type(exc).__name__})") from None
        if resp.status_code >= 400:
            raise FetchError(f"{url} answered {resp.status_code} {resp.reason_phrase}")
        return Fetched(str(resp.url), resp.content, resp.headers.get("content-type", ""))

    return fetch


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def iter_target(
    target: str,
    settings: IngestSettings,
    fetch: Fetcher,
    defaults: dict[str, Any] | None = None,
    web: WebSettings | None = None,
) -> Iterator[Parsed]:
    """Every record (or failure) that one command-line argument stands for."""
    defaults = defaults or {}
    if social.is_social(target):
        yield from _from_social(target, settings, fetch, defaults, web or WebSettings())
        return
    if is_url(target):
        yield from _from_url(target, settings, fetch, defaults)
        return
    path = Path(target)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
        if not files:
            yield Parsed(target, error="the folder holds no file newsroom can read")
        for file in files:
            yield from _from_file(file, settings, fetch, defaults)
        return
    if not path.exists():
        yield Parsed(target, error="no such file or folder, and not an http(s) URL")
        return
    yield from _from_file(path, settings, fetch, defaults)


def _from_social(
    target: str, settings: IngestSettings, fetch: Fetcher, defaults: dict[str, Any], web: WebSettings
) -> Iterator[Parsed]:
    """A platform's posts, each its own record; through the same fetcher as any page (guards and all)."""
    read_any = False
    try:
        for item in social.read(target, web, getattr(fetch, "api", fetch), defaults):
            if item.fields is not None:
                read_any = True
                yield _build(item.source, item.fields, settings, item.line)
            elif social.is_guess(target) and not read_any:
                break  # not a Mastodon instance after all: read the link as a page below
            else:
                yield Parsed(item.source, item.line, error=item.error)
        else:
            return
    except FetchError as exc:
        if not social.is_guess(target) or read_any:
            yield Parsed(target, error=str(exc))
            return
    yield from _from_url(target, settings, fetch, defaults)


def _build(source: str, fields: dict[str, Any], settings: IngestSettings, line: int | None = None) -> Parsed:
    try:
        return Parsed(source, line, record=make_record(fields, settings.max_text_chars))
    except RecordError as exc:
        return Parsed(source, line, error=str(exc))
    except RecursionError:
        return Parsed(source, line, error="the record is nested too deeply to read")
    except Exception as exc:  # one odd record never stops the others
        return Parsed(source, line, error=f"the record could not be read ({type(exc).__name__}: {exc})")


class NotText(ValueError):
    """Bytes that are not text in any encoding newsroom recognises."""


def decode(raw: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) when it is, else the detected encoding (Latin-1,
    Windows-1252, UTF-16 …); binary content raises NotText rather than becoming a garbage record."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" not in raw:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None or (b"\x00" in raw and best.encoding not in ("utf_16", "utf_16_le", "utf_16_be")):
        raise NotText("the file is binary, not text; nothing was read from it")
    # Short text reads equally well in several single-byte code pages; like browsers, prefer Windows-1252
    # (a superset of Latin-1) when it reads as well as the best guess.
    western = next((m for m in matches if m.encoding in ("cp1252", "latin_1")), None)
    if western is not None and western.chaos <= best.chaos + 0.02:
        return str(western)
    return str(best)


def _from_file(
    path: Path, settings: IngestSettings, fetch: Fetcher, defaults: dict[str, Any]
) -> Iterator[Parsed]:
    suffix = path.suffix.lower()
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Parsed(source, error=f"cannot read the file ({exc.strerror})")
        return
    # A JSONL line is a record exported from somewhere (usually an article); a loose file is a document.
    # Either may say otherwise (a `kind` key, or `kind:` in front matter).
    defaults = {"kind": "news" if suffix in JSONL_SUFFIXES | FEED_SUFFIXES else "document", **defaults}
    if suffix in JSONL_SUFFIXES | TEXT_SUFFIXES:
        try:
            text = decode(raw)
        except NotText as exc:
            yield Parsed(source, error=str(exc))
            return
        if suffix in JSONL_SUFFIXES:
            yield from parse_jsonl(text, source, settings, defaults)
        else:
            yield parse_text(text, source, settings, defaults)
    elif suffix in HTML_SUFFIXES:
        yield parse_html(raw, source, settings, defaults)
    elif suffix in FEED_SUFFIXES:
        yield from parse_feed(raw, source, settings, fetch, defaults)
    else:
        yield Parsed(
            source,
            error=f"unsupported file type {suffix or '(none)'}; use " + ", ".join(sorted(SUPPORTED_SUFFIXES)),
        )


def parse_jsonl(
    text: str, source: str, settings: IngestSettings, defaults: dict[str, Any]
) -> Iterator[Parsed]:
    """One record per non-blank line; a bad line is reported and the rest still read."""
    seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen = True
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Parsed(source, number, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield Parsed(source, number, error="the JSON is nested too deeply to read")
            continue
        if not isinstance(obj, dict):
            yield Parsed(source, number, error="expected a JSON object with a 'text' field")
            continue
        yield _build(
            source, {**defaults, **{k: v for k, v in obj.items() if v is not None}}, settings, number
        )
    if not seen:
        yield Parsed(source, error="the file holds no records (it is empty)")


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def parse_text(text: str, source: str, settings: IngestSettings, defaults: dict[str, Any]) -> Parsed:
    """Markdown or plain text; optional `key: value` front matter between `---` lines."""
    fields: dict[str, Any] = dict(defaults)
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                fields[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    body = text.strip()
    first = body.splitlines()[0] if body else ""
    if first.startswith("#"):
        fields.setdefault("title", first.lstrip("#").strip())
        body = body[len(first) :].strip()
    fields["text"] = body
    return _build(source, fields, settings)


def parse_html(
    content: bytes | str,
    source: str,
    settings: IngestSettings,
    defaults: dict[str, Any],
    url: str | None = None,
) -> Parsed:
    """Main text and metadata of an article page, via trafilatura."""
    doc = trafilatura.bare_extraction(content, url=url, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        return Parsed(source, error="no article text could be extracted from the page")
    fields: dict[str, Any] = {
        **defaults,
        "text": text,
        "title": getattr(doc, "title", None) or "",
        "outlet": defaults.get("outlet")
        or getattr(doc, "sitename", None)
        or getattr(doc, "hostname", None)
        or "",
        "url": url or getattr(doc, "url", None),
        "published_at": getattr(doc, "date", None),
    }
    return _build(source, fields, settings)


def _strip_html(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    try:
        return str(lxml_html.fromstring(fragment).text_content()).strip()
    except (ValueError, TypeError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()


def parse_feed(
    content: bytes, source: str, settings: IngestSettings, fetch: Fetcher, defaults: dict[str, Any]
) -> Iterator[Parsed]:
    """RSS/Atom: one record per entry; short entries are completed from the linked article."""
    feed = feedparser.parse(content)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        yield Parsed(source, error=f"not a readable RSS/Atom feed{f' ({reason})' if reason else ''}")
        return
    broken = getattr(feed, "bozo_exception", None) if feed.bozo else None
    outlet = defaults.get("outlet") or feed.feed.get("title", "")
    for number, entry in enumerate(feed.entries, start=1):
        body = ""
        if entry.get("content"):
            body = _strip_html(entry.content[0].get("value", ""))
        if not body:
            body = _strip_html(entry.get("summary", ""))
        link = entry.get("link")
        if len(body) < _SHORT_FEED_TEXT and link and is_url(link) and settings.feed_fetch_articles:
            try:
                page = fetch(link)
                parsed = parse_html(page.content, link, settings, defaults, url=page.url)
                if parsed.record and len(parsed.record.text) > len(body):
                    body = parsed.record.text
            except FetchError:
                pass  # the summary is still evidence; the entry is not lost
        fields = {
            **defaults,
            "title": entry.get("title", ""),
            "url": link,
            "outlet": outlet,
            "published_at": entry.get("published") or entry.get("updated"),
            "text": body,
        }
        if entry.get("id") and not link:
            fields["url"] = entry.get("id")
        if broken is not None and not body.strip():
            yield Parsed(
                source, number, error=f"the feed is cut off or malformed ({broken}); this entry has no text"
            )
            continue
        yield _build(source, fields, settings, number)


def _from_url(
    url: str, settings: IngestSettings, fetch: Fetcher, defaults: dict[str, Any]
) -> Iterator[Parsed]:
    defaults = {"kind": "news", **defaults}  # a page or feed on the web, unless it says otherwise
    try:
        page = fetch(url)
    except FetchError as exc:
        yield Parsed(url, error=str(exc))
        return
    ctype = page.content_type.lower()
    if any(t in ctype for t in ("rss", "atom", "xml")) or _FEED_SNIFF.search(page.content[:2048]):
        yield from parse_feed(page.content, url, settings, fetch, defaults)
    elif "json" in ctype or ctype.startswith("text/plain") or ctype.startswith("text/markdown"):
        try:
            text = decode(page.content)
        except NotText as exc:
            yield Parsed(url, error=str(exc).replace("the file", "the page"))
            return
        if "json" in ctype:
            yield from parse_jsonl(text, url, settings, defaults)
        else:
            yield parse_text(text, url, settings, {**defaults, "url": page.url})
    else:
        yield parse_html(page.content, url, settings, defaults, url=page.url)
