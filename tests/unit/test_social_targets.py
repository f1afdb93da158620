"""Which targets are social, where each is read from, how a thread becomes one record, and kinds of source."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom import social
from newsroom.beats import load_beats
from newsroom.parsers import Fetched, iter_target
from newsroom.records import RecordError, make_record
from newsroom.settings import IngestSettings, WebSettings
from newsroom.social import bsky, hn, mastodon, reddit
from newsroom.social.common import Post, Reply, SocialError, record_fields

WEB = WebSettings(posts=10, replies=3)


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("reddit:r/LocalLLaMA", "https://www.reddit.com/r/LocalLLaMA/new.json?limit=10&raw_json=1"),
        (
            "reddit:search:deepseek r1",
            "https://www.reddit.com/search.json?q=deepseek%20r1&sort=new&limit=10&raw_json=1",
        ),
        (
            "https://old.reddit.com/r/LocalLLaMA/comments/1h9abcd/some_slug/?utm_source=share",
            "https://www.reddit.com/r/LocalLLaMA/comments/1h9abcd.json?sort=top&limit=8&raw_json=1",
        ),
    ],
)
def test_reddit_targets(target: str, url: str) -> None:
    assert social.platform_of(target) is reddit
    assert reddit.api_url(target, WEB) == url


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("hn:item:12345", "https://hn.algolia.com/api/v1/items/12345"),
        ("https://news.ycombinator.com/item?id=12345", "https://hn.algolia.com/api/v1/items/12345"),
        (
            "hn:search:deepseek",
            "https://hn.algolia.com/api/v1/search_by_date?query=deepseek&tags=story&hitsPerPage=10",
        ),
    ],
)
def test_hacker_news_targets(target: str, url: str) -> None:
    assert social.platform_of(target) is hn
    assert hn.api_url(target, WEB) == url


@pytest.mark.parametrize(
    ("target", "url"),
    [
        (
            "bsky:search:deepseek",
            "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?q=deepseek&sort=latest&limit=10",
        ),
        (
            "bsky:author:@handle.bsky.social",
            "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=handle.bsky.social"
            "&filter=posts_no_replies&limit=10",
        ),
        (
            "https://bsky.app/profile/handle.bsky.social/post/3lbxq2r4k2s2a",
            "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fhandle.bsky.social"
            "%2Fapp.bsky.feed.post%2F3lbxq2r4k2s2a&depth=1&parentHeight=0",
        ),
    ],
)
def test_bluesky_targets(target: str, url: str) -> None:
    assert social.platform_of(target) is bsky
    assert bsky.api_url(target, WEB) == url


def test_mastodon_targets_name_their_instance() -> None:
    assert social.platform_of("mastodon:tag:instance.social/deepseek") is mastodon
    assert social.platform_of("https://fosstodon.org/@alice/113579999999999999") is mastodon
    assert social.is_guess("https://fosstodon.org/@alice/113579999999999999")
    assert not social.is_guess("mastodon:tag:instance.social/deepseek")


@pytest.mark.parametrize(
    "target",
    ["https://example.com/news/1", "https://www.reddit.com/r/LocalLLaMA/", "notes.md", "redditish:r/x"],
)
def test_other_targets_are_not_social(target: str) -> None:
    assert not social.is_social(target)


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("reddit:LocalLLaMA", "use reddit:r/NAME, reddit:search:WORDS or the link of a post"),
        ("reddit:search:", "use reddit:r/NAME"),
        ("hn:item:abc", "use hn:item:NUMBER"),
        ("bsky:author:not a handle", "bsky:author:HANDLE like alice.bsky.social"),
        ("bsky:list:x", "use bsky:search:WORDS"),
        ("mastodon:tag:deepseek", "mastodon:tag:INSTANCE/TAG"),
    ],
)
def test_a_malformed_social_target_is_a_sentence_and_nothing_is_fetched(target: str, says: str) -> None:
    fetched: list[str] = []

    def fetch(url: str) -> Fetched:
        fetched.append(url)
        raise AssertionError("nothing should be fetched")

    (parsed,) = list(iter_target(target, IngestSettings(), fetch, web=WEB))
    assert parsed.record is None and parsed.error is not None and says in parsed.error
    assert fetched == []


def test_a_thread_is_one_record_with_its_replies_marked_as_replies() -> None:
    post = Post(
        "reddit",
        "r/LocalLLaMA",
        "op",
        "The post itself.",
        "https://www.reddit.com/r/x/comments/1/",
        score=7,
        replies=[
            Reply("a", "First\nreply.", 9),
            Reply("b", "   ", 3),
            Reply("c", "Second.", None),
            Reply("d", "Third.", 1),
        ],
    )
    fields = record_fields(post, {"beat": "ai"}, max_replies=2)
    record = make_record(fields, 10_000)
    assert record.text == (
        "The post itself.\n\nTop replies on Reddit (context from other users, not part of the post):\n"
        "- Reply by a (9 points): First reply.\n- Reply by c: Second."
    )
    assert (record.kind, record.platform, record.author, record.score, record.beat) == (
        "social",
        "reddit",
        "op",
        7,
        "ai",
    )


def test_social_error_is_a_sentence() -> None:
    with pytest.raises(SocialError, match="not a Hacker News source"):
        hn.api_url("hn:user:pg", WEB)


# -- kinds of source ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("news", "news"),
        ("Press_Release", "press release"),
        ("press-release", "press release"),
        ("SOCIAL", "social"),
        (None, ""),
    ],
)
def test_kinds_are_read_however_written(written: str | None, kind: str) -> None:
    assert make_record({"text": "x", "kind": written}, 100).kind == kind


def test_an_unknown_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(
        RecordError,
        match=r"kind 'blog' is not one newsroom knows .use news, social, document or press release",
    ):
        make_record({"text": "x", "kind": "blog"}, 100)


def test_the_parser_sets_the_kind(tmp_path: Path) -> None:
    (tmp_path / "corpus.jsonl").write_text(
        '{"text": "An article line."}\n{"text": "A statement.", "kind": "press release"}\n'
    )
    (tmp_path / "memo.md").write_text("# Memo\n\nA loose document.\n")
    (tmp_path / "release.md").write_text("---\nkind: press release\n---\nWe announce things.\n")
    kinds = {
        (p.record.title if p.record else p.error): p.record.kind if p.record else None
        for p in iter_target(str(tmp_path), IngestSettings(), lambda url: Fetched(url, b"", ""))
    }
    assert kinds == {
        "An article line.": "news",
        "A statement.": "press release",
        "Memo": "document",
        "We announce things.": "press release",
    }


def test_a_beat_keeps_its_social_sources_as_written(tmp_path: Path) -> None:
    beats = tmp_path / "beats.toml"
    beats.write_text(
        '[beats.ai]\nchannel = "C1"\nschedule = "0 7 * * *"\n'
        'sources = ["reddit:r/LocalLLaMA", "bsky:search:deepseek", "feeds/ai.xml"]\n'
    )
    loaded = load_beats(beats)
    assert not loaded.errors
    beat = loaded.beats["ai"]
    assert beat.sources[:2] == ("reddit:r/LocalLLaMA", "bsky:search:deepseek")
    assert beat.sources[2] == str(tmp_path / "feeds/ai.xml")


def test_page_sizes_stay_within_what_each_platform_accepts() -> None:
    many = WebSettings(posts=500)
    assert bsky.api_url("bsky:search:x", many).endswith("&limit=100")  # more is a 400 from the AppView
    assert reddit.api_url("reddit:r/LocalLLaMA", many).endswith("limit=100&raw_json=1")
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        WebSettings(posts=0)
