"""The FakeStore answers as the Chroma store does where tests lean on it: ranking, copies, filters."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroom.records import SourceRecord
from newsroom.store import SourceStore
from tests.fakes.store import FakeStore


def rec(rid: str, text: str, beat: str = "ai", day: int | None = 1) -> SourceRecord:
    return SourceRecord(
        id=rid, text=text, beat=beat, published_at=datetime(2026, 7, day, tzinfo=UTC) if day else None
    )


def store() -> SourceStore:
    return FakeStore(
        [
            rec("a", "DeepSeek raises a funding round led by Tencent."),
            rec("b", "A harvest festival opens in the valley.", day=2),
            rec("c", "The chip export rules tighten again.", beat="policy", day=3),
            rec("u", "DeepSeek funding round: an undated note.", day=None),
        ]
    )


def test_search_ranks_by_shared_words_and_gives_the_best_chunk() -> None:
    (hit, *_) = store().search("DeepSeek funding round", k=4)
    assert hit.record.id in {"a", "u"} and hit.best_chunk and 0 < hit.score <= 1


def test_a_copy_counts_for_its_original_and_is_listed_as_its_duplicate() -> None:
    s = store()
    s.add(s.prepare([rec("a2", "DeepSeek raises a funding round led by Tencent, a reprint.")]))
    s.mark_duplicate("a2", "a")
    hits = s.search("DeepSeek raises a funding round led by Tencent", k=10)
    assert "a2" not in [h.record.id for h in hits]
    assert next(h for h in hits if h.record.id == "a").duplicates == ["a2"]
    assert s.duplicates_of("a") == ["a2"]


def test_beat_and_dates_filter_search_and_listings_and_undated_records_fall_outside_since() -> None:
    s = store()
    assert [h.record.id for h in s.search("chip export rules", beat="policy")] == ["c"]
    since = datetime(2026, 7, 2, tzinfo=UTC)
    assert [r.id for r in s.list_records(beat="ai", since=since)] == ["b"]
    assert [r.id for r in s.list_records(beat="ai")] == ["u", "a", "b"]
    assert s.count() == 4 and [r.id for r in s.get(["c", "gone", "a"])] == ["c", "a"]
