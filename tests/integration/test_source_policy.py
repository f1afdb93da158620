"""A blocked domain never reaches a story: not an explainer (the global default), not a briefing (the beat's
policy, which also keeps its links from being fetched); the methodology says which policy applied and
what it kept out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.fakes.http import answer, serve_handler, serve_pages
from tests.fakes.scripted import demo_room, scripted
from tests.integration.test_briefing import _item, feed


def test_explain_applies_the_global_default_and_says_what_it_kept_out(settings: Settings) -> None:
    settings.policy.blocked_domains = "asiamarketsdaily.example"
    room = demo_room(settings, scripted())
    ex = room.explain("the DeepSeek funding round")
    assert ex["status"] == "pending_approval", ex["audit"]
    assert not any("asiamarketsdaily.example" in (s.get("url") or "") for s in ex["sources"])
    policy = ex["methodology"]["policy"]
    assert policy["name"] == "default" and policy["blocked_domains"] == ["asiamarketsdaily.example"]
    # research found the outlet's records (they bear on the story) and dropped them, saying why
    dropped = policy["dropped_records"]
    assert dropped and {d["reason"] for d in dropped} == {"blocked domain asiamarketsdaily.example"}
    assert {d["outlet"] for d in dropped} == {"Asia Markets Daily"}
    done = room.review(ex["story_id"], "approve", who="UEDITOR")
    md = Path(done["published"]["md"]).read_text().replace("\\", "")  # Markdown escapes set aside
    # (the scripted writer's fixed answer names the outlet; what matters is what the story cites)
    assert "asiamarketsdaily" not in md.split("## Sources")[1].split("## Methodology")[0]
    assert "Sources were chosen under the default policy (blocking asiamarketsdaily.example;" in md
    assert f"it kept {len(dropped)} record" in md and "(blocked domain asiamarketsdaily.example)" in md


def test_a_beats_policy_blocks_a_domain_unfetched_and_drops_stale_records(tmp_path: Path) -> None:
    with serve_handler(answer(200, b"<html><body><p>" + b"Tabloid story. " * 60 + b"</p></body></html>")) as (
        trap_base,
        trap,
    ):
        blocked = trap_base.replace("127.0.0.1", "localhost") + "/story"
        short = (
            f"<item><title>Tabloid scoop</title><link>{blocked}</link><guid>scoop</guid>"
            "<pubDate>29 Nov 2026 18:00:00 GMT</pubDate><description>Big if true.</description></item>"
        )
        pages = {"/city/feed.xml": (200, "application/rss+xml", feed(_item(1, 28), _item(2, 15), short))}
        with serve_pages(pages) as news:
            settings = Settings(data_dir=tmp_path / "data", fetch_allow="127.0.0.1,localhost")
            settings.beats_file = tmp_path / "beats.toml"
            settings.beats_file.write_text(
                '[beats.city]\nchannel = "CCITY"\nschedule = "0 7 * * *"\nlookback = "30d"\n'
                f'sources = ["{news}/city/feed.xml"]\n'
                '[beats.city.policy]\nblocked_domains = ["localhost"]\nfreshness_days = 10\n'
            )
            room = Newsroom(settings, model_override=scripted())
            # without the policy the feed's short entry is completed from its link: the trap is reached
            room.read_targets([f"{news}/city/feed.xml"])
            reached = trap.hits
            assert reached > 0
            plan = room.prepare_briefing("city", now=datetime(2026, 12, 2, 7, tzinfo=UTC))
            assert trap.hits == reached  # under the beat's policy the blocked link is never fetched
            b = room.run_briefing(plan)
    assert b["status"] == "pending_approval", b
    assert [s["title"] for s in b["sources"]] == ["Transit update 1"]
    assert not any("localhost" in (s.get("url") or "") for s in b["sources"])
    policy = b["methodology"]["policy"]
    assert policy["name"] == "city" and policy["freshness_days"] == 10
    reasons = {d["title"]: d["reason"] for d in policy["dropped_records"]}
    assert reasons == {"Tabloid scoop": "blocked domain localhost", "Transit update 2": "older than 10 days"}
    assert not any(r.url == blocked for r in room.store.list_records())  # not stored either
    done = room.review(b["story_id"], "approve", who="UEDITOR")
    md = Path(done["published"]["md"]).read_text().replace("\\", "")  # Markdown escapes set aside
    assert "the city beat's policy (blocking localhost;" in md
    assert "it kept 2 records out: 1 (blocked domain localhost), 1 (older than 10 days)" in md
