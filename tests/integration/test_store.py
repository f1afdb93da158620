"""Real embedded Chroma under a temporary data dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom.service import Newsroom
from newsroom.settings import Settings


@pytest.fixture
def room(settings: Settings) -> Newsroom:
    return Newsroom(settings)


def test_demo_ingest_then_again_adds_nothing(room: Newsroom, demo_corpus: Path) -> None:
    first = room.ingest([str(demo_corpus)])
    assert len(first.added) == 20 and not first.rejected
    assert room.store.count() == 20
    second = room.ingest([str(demo_corpus)])
    assert second.added == [] and len(second.exact) == 20
    assert room.store.count() == 20


def test_syndicated_copy_is_linked_to_its_original(room: Newsroom, demo_corpus: Path) -> None:
    report = room.ingest([str(demo_corpus)])
    assert [(d.record_id, d.of_id) for d in report.near] == [("ds-03", "ds-02")]
    (copy,) = room.store.get(["ds-03"])
    assert copy.duplicate_of == "ds-02"
    assert room.store.duplicates_of("ds-02") == ["ds-03"]


def test_search_ranks_the_story_above_unrelated_and_folds_copies(room: Newsroom, demo_corpus: Path) -> None:
    room.ingest([str(demo_corpus)])
    hits = room.search("Tencent Alibaba CATL investment in DeepSeek", k=20)
    ids = [h.record.id for h in hits]
    story = [i for i in ids if i.startswith("ds-")]
    unrelated = [i for i in ids if i.startswith("x-")]
    assert ids.index(story[-1]) < ids.index(unrelated[0]) or len(story) >= 10
    assert all(ids.index(s) < ids.index("x-01") for s in ("ds-01", "ds-05", "ds-14"))
    assert "ds-03" not in ids  # counted under its original
    assert next(h for h in hits if h.record.id == "ds-02").duplicates == ["ds-03"]


def test_search_filters_by_beat_and_date(room: Newsroom, demo_corpus: Path) -> None:
    from newsroom.records import parse_date

    room.ingest([str(demo_corpus)])
    assert {h.record.beat for h in room.search("budget", beat="city-hall")} == {"city-hall"}
    since = parse_date("2026-10-25")
    hits = room.search("DeepSeek", k=20, since=since)
    assert hits and all(h.record.published_at and h.record.published_at >= since for h in hits)


def test_id_clash_is_rejected_and_the_stored_record_is_untouched(room: Newsroom, tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "same", "text": "The original text about the council vote."}) + "\n")
    room.ingest([str(src)])
    src.write_text(json.dumps({"id": "same", "text": "Completely different words on sports."}) + "\n")
    report = room.ingest([str(src)])
    assert "already belongs to a different record" in report.rejected[0].reason
    (kept,) = room.store.get(["same"])
    assert kept.text == "The original text about the council vote."


def test_same_url_is_an_exact_duplicate(room: Newsroom, tmp_path: Path) -> None:
    src = tmp_path / "u.jsonl"
    src.write_text(
        json.dumps({"text": "First version.", "url": "https://x.example/a?utm_source=tw"})
        + "\n"
        + json.dumps({"text": "Edited version.", "url": "http://www.x.example/a/"})
        + "\n"
    )
    report = room.ingest([str(src)])
    assert len(report.added) == 1 and report.exact[0].reason == "same URL"


def test_copy_published_earlier_becomes_the_original(room: Newsroom, tmp_path: Path) -> None:
    text = (
        "The regional water board voted on Thursday to raise rates by 6% next year, citing repairs to "
        "aging pipes and a reservoir project. Residents will see the change on bills from March, and the "
        "board promised a discount for low-income households that apply before the end of January."
    )
    late = tmp_path / "late.jsonl"
    late.write_text(
        json.dumps(
            {"id": "reprint", "text": text + " Republished with permission.", "published_at": "2026-05-03"}
        )
        + "\n"
    )
    room.ingest([str(late)])
    early = tmp_path / "early.jsonl"
    early.write_text(json.dumps({"id": "wire", "text": text, "published_at": "2026-05-01"}) + "\n")
    report = room.ingest([str(early)])
    assert (report.near[0].record_id, report.near[0].of_id) == ("reprint", "wire")
    (reprint,) = room.store.get(["reprint"])
    assert reprint.duplicate_of == "wire"


def test_store_reopens_in_a_new_process_without_downloading(
    room: Newsroom, demo_corpus: Path, settings: Settings
) -> None:
    room.ingest([str(demo_corpus)])
    code = (
        "import json; from newsroom.service import Newsroom; from newsroom.settings import Settings;"
        f"r=Newsroom(Settings(data_dir={str(settings.data_dir)!r}));"
        "print(json.dumps([r.store.count(), r.search('vLLM context length hang', k=1)[0].record.id]))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HF_HUB_OFFLINE": "1",
        "NO_PROXY": "*",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [20, "ds-12"]
