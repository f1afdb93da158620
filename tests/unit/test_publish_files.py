"""Published files: one set per story id, whatever the id holds, and concurrent writers never collide."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from newsroom.documents.briefing import story_json
from newsroom.documents.files import file_publisher, file_stem


def _explainer(story_id: str) -> dict[str, Any]:
    draft = {"headline": f"On {story_id}", "dek": "D", "story_so_far": [], "sections": [], "faq": []}
    return story_json({"story_id": story_id, "topic": "t", "status": "published", "draft": draft})


def test_ids_of_threads_started_in_the_same_second_get_their_own_file_names() -> None:
    ids = [f"slack-CNEWS-1700000000.{n:06d}" for n in range(1, 101)]
    stems = {file_stem(i) for i in ids}
    assert len(stems) == 100
    assert all("." not in s and "/" not in s for s in stems)
    assert file_stem("story-abc123") == "story-abc123"  # plain ids stay readable
    assert file_stem("a/b") != file_stem("a-b")


def test_two_slack_stories_of_one_second_published_at_once_give_two_file_sets(tmp_path: Path) -> None:
    publish = file_publisher(tmp_path / "published")
    ids = ["slack-CNEWS-1700000000.000001", "slack-CNEWS-1700000000.000002"] * 10
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: publish(_explainer(i)), ids))
    assert len({r["json"] for r in results}) == 2
    files = sorted(p.name for p in (tmp_path / "published").iterdir())
    assert len(files) == 6, files  # md, html, json for each; no temporary file left behind
    assert not [f for f in files if f.endswith(".tmp")]
    for r in results[:2]:
        assert Path(r["json"]).read_text(encoding="utf-8").count('"story_id"') == 1


def _version(story_id: str, edition: int, headline: str) -> dict[str, Any]:
    editions = [
        {"edition": k, "published_at": f"2026-11-0{k}T09:00:00+00:00", "draft_version": k}
        for k in range(1, edition + 1)
    ]
    draft = {"headline": headline, "dek": "D", "story_so_far": [], "sections": [], "faq": []}
    state = {"story_id": story_id, "topic": "t", "status": "published", "draft": draft, "editions": editions}
    return story_json(state)


def test_a_later_version_keeps_the_earlier_one_as_published_and_a_rerun_keeps_it_too(tmp_path: Path) -> None:
    publish = file_publisher(tmp_path / "published")
    publish(_version("story-x", 1, "First account"))
    assert sorted(p.name for p in (tmp_path / "published").iterdir()) == [
        "story-x.html",
        "story-x.json",
        "story-x.md",
    ]
    publish(_version("story-x", 2, "Second account"))
    publish(_version("story-x", 2, "Second account"))  # the publication run again after a crash
    names = sorted(p.name for p in (tmp_path / "published").iterdir())
    assert names == [f"story-x.{f}" for f in ("html", "json", "md", "v1.html", "v1.json", "v1.md")]
    v1 = (tmp_path / "published" / "story-x.v1.html").read_text()
    assert "First account" in v1 and "Second account" not in v1
    page = (tmp_path / "published" / "story-x.html").read_text()
    assert "Second account" in page and 'href="story-x.v1.html"' in page
    assert (
        "Version 2, published 2026-11-02 (this version)" in page and "Version 1, published 2026-11-01" in page
    )
