"""Source records: the validated unit of evidence, with hashing, canonical URLs and date parsing."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid|smid)$")
_WS = re.compile(r"\s+")


class RecordError(ValueError):
    """A record that cannot be accepted; the message is written for a person."""


# What kind of source a record is; "" is a record stored before kinds existed.
KINDS = ("news", "social", "document", "press release")


def record_kind(value: Any) -> str:
    """A kind as written anywhere ("Press_Release", "press-release") -> one of KINDS, or RecordError."""
    if value is None:
        return ""
    text = _WS.sub(" ", str(value).replace("_", " ").replace("-", " ")).strip().lower()
    if text and text not in KINDS:
        raise RecordError(
            f"kind {str(value)!r} is not one newsroom knows (use {', '.join(KINDS[:-1])} or {KINDS[-1]})"
        )
    return text


def normalize_text(text: str) -> str:
    """Text as compared for exact duplicates: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    """SHA-256 of the normalized text: equal for copies that differ only in spacing or case."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """The URL as compared for duplicates: no `www.`, fragment, tracking parameters or http/https split."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k.lower()))
    )
    path = parts.path.rstrip("/") or "/"
    scheme = parts.scheme.lower()
    # http and https copies of a page are the same page.
    scheme = "https" if scheme == "http" else scheme
    return urlunsplit((scheme, host, path, query, ""))


def parse_date(value: Any) -> datetime | None:
    """ISO 8601 (date or datetime) or RFC 2822 -> aware UTC datetime; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        raw = str(value).strip()
        try:
            dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                dt = parsedate_to_datetime(raw)
            except (TypeError, ValueError, IndexError):
                raise RecordError(
                    f"published_at {raw!r} is not a date newsroom understands "
                    "(use ISO 8601 like 2026-03-05 or 2026-03-05T14:00:00Z)"
                ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first representable UTC instant
        raise RecordError(
            f"published_at {str(value)!r} is out of range (before year 1 or after 9999 in UTC)"
        ) from None


def stable_id(text: str, url: str | None) -> str:
    """An id derived from the content (and URL), the same every time the record is ingested."""
    basis = (canonical_url(url) or "") + "\n" + content_hash(text)
    return "r-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


class SourceRecord(BaseModel):
    """One source document: an article, a filing, a post. Text is evidence, never instructions."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field("", description="Stable id; given in input or derived from the content.")
    url: str | None = Field(None, description="Where the record was published, if anywhere.")
    title: str = Field("", description="Headline or first line.")
    outlet: str = Field("", description="Publication or author that published it.")
    published_at: datetime | None = Field(None, description="When it was published (UTC).")
    beat: str = Field("", description="Editorial beat, e.g. 'tech-policy'.")
    text: str = Field(..., description="The full text.")
    content_hash: str = Field("", description="SHA-256 of the normalized text.")
    ingested_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    duplicate_of: str | None = Field(None, description="Set when this is a near-copy of another.")
    kind: str = Field("", description="news, social, document or press release; set by the parser.")
    platform: str = Field("", description="For a social post: reddit, hn, bluesky or mastodon.")
    author: str = Field("", description="For a social post: the author's handle on its platform.")
    score: int | None = Field(None, description="For a social post: its score or likes, where given.")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> str:
        return record_kind(value)

    @field_validator("published_at", mode="before")
    @classmethod
    def _parse_published(cls, value: Any) -> datetime | None:
        return parse_date(value)

    @field_validator("text")
    @classmethod
    def _has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        if not any(unicodedata.category(c)[0] in "LNPS" for c in value):
            raise ValueError("holds no visible characters (only spaces, zero-width or control characters)")
        return value

    @field_validator("id", "title", "outlet", "beat", "platform", "author", mode="before")
    @classmethod
    def _none_to_empty(cls, value: Any) -> Any:
        return "" if value is None else value

    @model_validator(mode="after")
    def _derive(self) -> SourceRecord:
        self.content_hash = content_hash(self.text)
        if not self.id:
            self.id = stable_id(self.text, self.url)
        if not self.title:
            self.title = self.text.strip().splitlines()[0][:120]
        return self

    @property
    def canonical_url(self) -> str | None:
        return canonical_url(self.url)


def make_record(fields: dict[str, Any], max_text_chars: int) -> SourceRecord:
    """Validate raw fields into a record, or raise RecordError with a sentence a person can act on."""
    text = fields.get("text")
    if isinstance(text, str) and len(text) > max_text_chars:
        raise RecordError(
            f"text is {len(text):,} characters, over the limit of {max_text_chars:,} "
            "(raise NEWSROOM_INGEST_MAX_TEXT_CHARS or split the document)"
        )
    try:
        return SourceRecord.model_validate(fields)
    except RecordError:
        raise
    except ValueError as exc:  # pydantic ValidationError is a ValueError
        raise RecordError(_explain(exc)) from None


def _explain(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    parts = []
    for err in errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "record"
        msg = str(err.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "is missing"
        parts.append(f"{field} {msg}" if not msg.startswith(field) else msg)
    return "; ".join(parts)


_WORD = re.compile(r"[\w$%.,-]+", re.UNICODE)


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    """Word n-grams of the normalized text (punctuation at word edges dropped)."""
    words = [w.strip(".,-") for w in _WORD.findall(normalize_text(text))]
    words = [w for w in words if w]
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def text_overlap(a: str, b: str) -> float:
    """Share of the shorter text's word 3-grams found in the other: ~1 for a lightly edited copy."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))
