"""Beat briefings end to end with the scripted model: poll, ingest, choose, draft, audit, approve."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsroom.cli import app
from newsroom.service import Newsroom, StoryError
from newsroom.settings import Settings
from tests.fakes.http import closed_port_url, serve_pages
from tests.fakes.scripted import DEMO, scripted

SINCE = datetime(2026, 10, 1, tzinfo=UTC)


STORIES = {
    1: "The council's transit committee approved two new bus routes on Tuesday after a long hearing. "
    "Route 14 will link the hospital district to the rail station, and Route 22 will run overnight on "
    "weekends. Staff expect both to start in March, pending a final budget vote by the full council.",
    2: "A vote on raising bus fares was pushed back by a month when three members asked for a study of "
    "how the increase would fall on low-income riders. The finance office said the delay costs little, "
    "since the new fares could not take effect before the summer timetable in any case.",
}


def _item(n: int, day: int) -> str:
    return (
        f"<item><title>Transit update {n}</title><link>https://example.org/transit/{n}</link>"
        f"<guid>transit-{n}</guid><pubDate>{day} Nov 2026 18:00:00 GMT</pubDate>"
        f"<description>{STORIES[n]}</description></item>"
    )


def feed(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>City Desk</title>'
        "<link>https://example.org/</link><description>City news</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def write_beats(path: Path, city_sources: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""
[beats.ai-industry]
channel = "CAI"
sources = ["{DEMO}"]
query = "DeepSeek funding investors valuation"
schedule = "0 7 * * 1-5"
timezone = "Asia/Shanghai"
lookback = "2d"

[beats.city-hall]
channel = "CCITY"
sources = {json.dumps(city_sources)}
schedule = "0 7 * * *"
timezone = "America/Los_Angeles"
lookback = "30d"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def room(settings: Settings) -> Newsroom:
    settings.beats_file = write_beats(settings.data_dir / "beats.toml", [])
    return Newsroom(settings, model_override=scripted())


def test_a_briefing_cites_what_is_new_flags_conflicts_and_waits_for_an_editor(room: Newsroom) -> None:
    b = room.brief("ai-industry", since=SINCE)
    assert b["kind"] == "briefing" and b["status"] == "pending_approval" and b["beat"] == "ai-industry"
    assert b["audit"]["passed"] and b["audit"]["problems"] == [], b["audit"]
    # the scripted writer pastes each source's first sentence: code quotes and attributes it, and says so
    assert b["audit"]["publishability"]["left"] == []
    if b["audit"]["publishability"]["found"]:
        assert any("quoted and attributed" in n for n in b["methodology"]["composed_by_code"])
    assert 3 <= len(b["items"]) <= 8 and all(it["citations"] for it in b["items"])
    numbers = {s["n"] for s in b["sources"]}
    assert all(set(it["citations"]) <= numbers for it in b["items"])
    ids = {s["record_id"] for s in b["sources"]}
    assert ids <= {f"ds-{i:02d}" for i in range(1, 17)} and "ds-03" not in ids  # beat only; copy folded
    assert len(ids) == room.settings.briefing_max_records
    for c in b["conflicts"]:  # every disagreement among the briefed records is flagged: each side cited or
        # stated in a cited item (a record carrying the same figure counts), and told once, not per conflict
        assert any(
            all(v["value"] in it["text"] or set(v["citations"]) & set(it["citations"]) for v in c["values"])
            for it in b["items"]
        )
    assert sum(it["text"].startswith("Reports differ") for it in b["items"]) == 1
    assert set(b) >= {
        "story_id", "beat", "status", "headline", "items", "conflicts", "sources",
        "failed_sources", "audit", "methodology", "history",
    }  # fmt: skip
    assert b["failed_sources"] == [] and b["history"] == []
    assert room.status(b["story_id"])[0]["kind"] == "briefing"
    assert not room.settings.published_dir.exists()


def test_records_in_a_published_briefing_are_not_briefed_again(room: Newsroom) -> None:
    first = room.brief("ai-industry", since=SINCE)
    briefed = {s["record_id"] for s in first["sources"]}
    done = room.review(first["story_id"], "approve", who="UEDITOR")
    assert done["status"] == "published"
    md = Path(done["published"]["md"]).read_text()
    assert "Briefing on ai-industry" in md and "## Sources" in md
    second = room.brief("ai-industry", since=SINCE)
    again = {s["record_id"] for s in second["sources"]}
    assert again and not (again & briefed)  # the rest of the beat, none of what was published
    room.review(second["story_id"], "approve", who="UEDITOR")
    third = room.brief("ai-industry", since=SINCE)
    assert third["status"] == "nothing_new" and third["story_id"] is None
    assert third["message"].startswith("Nothing new on ai-industry since 2026-10-01 00:00 UTC")


def test_a_rejected_briefing_leaves_its_records_for_the_next_one(room: Newsroom) -> None:
    first = room.brief("ai-industry", since=SINCE)
    room.review(first["story_id"], "reject", who="UEDITOR")
    second = room.brief("ai-industry", since=SINCE)
    assert {s["record_id"] for s in second["sources"]} == {s["record_id"] for s in first["sources"]}


def test_a_feed_is_polled_and_a_dead_source_is_named_while_the_rest_proceeds(settings: Settings) -> None:
    dead = closed_port_url()
    pages = {"/city/feed.xml": (200, "application/rss+xml", feed(_item(1, 18)))}
    with serve_pages(pages) as base:
        settings.beats_file = write_beats(settings.data_dir / "beats.toml", [f"{base}/city/feed.xml", dead])
        room = Newsroom(settings, model_override=scripted())
        now = datetime(2026, 11, 20, 15, tzinfo=UTC)
        b = room.run_briefing(room.prepare_briefing("city-hall", now=now))
        assert b["status"] == "pending_approval" and len(b["sources"]) == 1
        assert b["sources"][0]["title"] == "Transit update 1"
        assert [f["source"] for f in b["failed_sources"]] == [dead]
        assert b["failed_sources"][0]["error"]
        room.review(b["story_id"], "approve", who="UEDITOR")
        # The feed grows by one item: the next poll ingests it and briefs only that one.
        pages["/city/feed.xml"] = (
            200,
            "application/rss+xml",
            feed(_item(1, 18), _item(2, 19)),
        )
        plan = room.prepare_briefing("city-hall", now=now)
        assert plan.added == 1 and len(plan.record_ids) == 1
        nxt = room.run_briefing(plan)
        assert [s["title"] for s in nxt["sources"]] == ["Transit update 2"]
        assert [f["source"] for f in nxt["failed_sources"]] == [dead]


def test_nothing_new_is_one_line_and_starts_no_story(settings: Settings) -> None:
    with serve_pages({"/feed.xml": (200, "application/rss+xml", feed())}) as base:
        settings.beats_file = write_beats(settings.data_dir / "beats.toml", [f"{base}/feed.xml"])
        room = Newsroom(settings, model_override=scripted())
        b = room.brief("city-hall")
    assert b["status"] == "nothing_new" and b["items"] == []
    assert b["message"].startswith("Nothing new on city-hall since ") and "(1 source polled)" in b["message"]
    assert room.status() == []


def test_an_unknown_beat_names_the_beats_there_are(room: Newsroom) -> None:
    with pytest.raises(StoryError, match=r"no beat 'sports'.*known beats: ai-industry\."):
        room.brief("sports")
    # city-hall is in the file with no sources: it is named as invalid, not as missing
    with pytest.raises(StoryError, match=r"Beat 'city-hall' is not valid: beat 'city-hall', field 'sources'"):
        room.brief("city-hall")


def test_cli_lists_beats_and_briefs_from_the_command_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    beats = settings.data_dir / "beats.toml"
    with serve_pages({"/feed.xml": (200, "application/rss+xml", feed())}) as base:
        write_beats(beats, [f"{base}/feed.xml"])
        with beats.open("a") as f:
            f.write('\n[beats.broken]\nchannel = "C1"\nsources = ["x"]\nschedule = "every morning"\n')
        monkeypatch.setenv("NEWSROOM_BEATS_FILE", str(beats))
        runner = CliRunner()
        listed = runner.invoke(app, ["beats", "--json"])
        assert listed.exit_code == 0, listed.output
        data = json.loads(listed.stdout)
        assert [b["beat"] for b in data["beats"]] == ["ai-industry", "city-hall"]
        assert data["beats"][0]["next_run"].endswith("+08:00")  # in the beat's own time zone
        assert data["beats"][0]["policy"].startswith("the default policy (")  # no policy table: the default
        assert "beat 'broken', field 'schedule'" in listed.stderr
        out = settings.data_dir / "brief.json"
        briefed = runner.invoke(app, ["brief", "city-hall", "--json", str(out)])
        assert briefed.exit_code == 0, briefed.output
        assert "Nothing new on city-hall" in briefed.stdout
        assert json.loads(out.read_text())["status"] == "nothing_new"
        unknown = runner.invoke(app, ["brief", "nope"])
        assert unknown.exit_code == 1 and "no beat 'nope'" in unknown.stderr
