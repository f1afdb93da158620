"""A beat mixing a news feed, a subreddit and a Bluesky search: one briefing, each source labelled by kind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lxml import html as lxml_html

from newsroom.service import Newsroom
from tests.fakes.http import serve_pages
from tests.fakes.scripted import scripted
from tests.fakes.social import platforms
from tests.integration.test_briefing import _item, feed


def test_a_mixed_beat_briefs_news_and_posts_each_labelled_by_kind(tmp_path: Path) -> None:
    pages = {"/city/feed.xml": (200, "application/rss+xml", feed(_item(1, 28)))}
    with platforms() as fake, serve_pages(pages) as news:
        settings = fake.settings(tmp_path / "data")
        settings.beats_file = tmp_path / "beats.toml"
        settings.beats_file.write_text(
            '[beats.ai]\nchannel = "CAI"\nschedule = "0 7 * * *"\nlookback = "30d"\n'
            f'sources = ["{news}/city/feed.xml", "reddit:r/LocalLLaMA", "bsky:search:deepseek"]\n'
        )
        room = Newsroom(settings, model_override=scripted())
        b = room.run_briefing(room.prepare_briefing("ai", now=datetime(2026, 12, 2, 7, tzinfo=UTC)))
    assert b["status"] == "pending_approval", b
    # the reddit listing's one malformed post is not a failed source: the rest of the listing was read
    assert b["failed_sources"] == []
    kinds = {s["title"]: s.get("kind") for s in b["sources"]}
    assert kinds["Transit update 1"] == "news"
    assert kinds["DeepSeek V3 distill: 38 tok/s on 2x3090"] == "social"
    social = [s for s in b["sources"] if s.get("kind") == "social"]
    assert {s["platform"] for s in social} == {"reddit", "bluesky"}
    assert all(s["author"] for s in social)
    # each source carries its outlet tier: a post is social, the feed's unheard-of site unknown
    assert {s["title"]: s["tier"] for s in b["sources"]}["Transit update 1"] == "unknown"
    assert all(s["tier"] == "social" for s in social)
    # a value only posts carry is given as the post's word, never as established; code says it did so
    items = [it["text"] for it in b["items"]]
    assert (
        "DeepSeek V3 distill: 38 tok/s on 2x3090, according to a post on r/LocalLLaMA by u/gpu_hoarder."
        in items
    )
    assert not any(t.startswith("DeepSeek V3 distill: 38 tok/s") and "according to" not in t for t in items)
    assert any("u/gpu_hoarder" in n and "minimum tier" in n for n in b["methodology"]["composed_by_code"])
    assert b["audit"]["passed"], b["audit"]
    assert b["methodology"]["policy"]["name"] == "default" and b["methodology"]["policy"]["dropped"] == 0

    done = room.review(b["story_id"], "approve", who="UEDITOR")
    md = Path(done["published"]["md"]).read_text()
    assert r"· social post by u/gpu\_hoarder" in md and "· social post by @chipwatch.bsky.social" in md
    # a post without a title is titled by its first words, cut at a word and marked as cut
    assert (
        "DeepSeek's new model is reported to match GPT-4o on math benchmarks at a fraction of the inference…"
        in kinds
    )
    assert "City Desk, 2026-11-28 · news · tier: unknown" in md
    assert "Sources were chosen under the default policy" in md
    # posts are records, not web citations: only the feed's article counts as one
    assert f"{b['methodology']['records_considered']} records · 1 web citations" in md
    # a post's hostile title is data: escaped in Markdown, text on the page
    assert r"\<\!here\> urgent: DeepSeek raised $90B" in md and "<!here>" not in md
    page = lxml_html.document_fromstring(Path(done["published"]["html"]).read_text())
    assert "<!here> urgent" in page.text_content()
    assert page.find_class("tier")[0].text_content() == "tier: unknown"
    labels = [el.text_content() for el in page.find_class("kind")]
    assert labels.count("news") == 1 and sum(label.startswith("social post by") for label in labels) == len(
        social
    )
