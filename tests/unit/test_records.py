from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsroom.records import (
    RecordError,
    canonical_url,
    content_hash,
    make_record,
    parse_date,
    text_overlap,
)


def test_content_hash_ignores_spacing_and_case() -> None:
    assert content_hash("Tencent  invests\n in DeepSeek") == content_hash("tencent invests in deepseek")
    assert content_hash("Tencent invests") != content_hash("Alibaba invests")


def test_canonical_url_drops_tracking_www_fragment_and_scheme_split() -> None:
    a = canonical_url("http://www.Example.com/news/story/?utm_source=x&id=3#top")
    b = canonical_url("https://example.com/news/story?id=3")
    assert a == b == "https://example.com/news/story?id=3"
    assert canonical_url(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-10-06", datetime(2026, 10, 6, tzinfo=UTC)),
        ("2026-10-06T08:30:00Z", datetime(2026, 10, 6, 8, 30, tzinfo=UTC)),
        ("2026-10-06T10:30:00+02:00", datetime(2026, 10, 6, 8, 30, tzinfo=UTC)),
        ("Tue, 06 Oct 2026 08:30:00 GMT", datetime(2026, 10, 6, 8, 30, tzinfo=UTC)),
        ("", None),
    ],
)
def test_parse_date_accepts_iso_and_rfc2822(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


def test_record_without_id_gets_a_stable_content_id() -> None:
    a = make_record({"text": "Same words here.", "url": "https://x.example/a"}, 1000)
    b = make_record({"text": "Same  words here.", "url": "https://x.example/a"}, 1000)
    c = make_record({"text": "Other words here.", "url": "https://x.example/a"}, 1000)
    assert a.id == b.id and a.id.startswith("r-")
    assert a.id != c.id
    assert make_record({"id": "given-1", "text": "x"}, 1000).id == "given-1"


def test_record_title_defaults_to_first_line() -> None:
    assert make_record({"text": "First line\nsecond"}, 1000).title == "First line"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "text is empty"),
        ({}, "text is missing"),
        ({"text": "ok", "published_at": "last tuesday"}, "is not a date"),
        ({"text": "x" * 50}, "over the limit of 20"),
    ],
)
def test_bad_records_get_a_sentence(fields: dict[str, object], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        make_record(fields, max_text_chars=20)


def test_text_overlap_separates_copies_from_related_stories() -> None:
    original = (
        "Two of China's largest internet groups, Tencent and Alibaba, are discussing investments in the "
        "artificial intelligence start-up DeepSeek, people with knowledge of the matter said on Tuesday."
    )
    copy = original.replace("largest", "biggest") + " This story was distributed by a wire service."
    related = (
        "DeepSeek is raising money from Tencent and the battery maker CATL, according to documents, "
        "in what would be its first outside funding round."
    )
    assert text_overlap(original, copy) > 0.8
    assert text_overlap(original, related) < 0.2
