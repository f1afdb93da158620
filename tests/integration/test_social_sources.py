"""Social sources over real HTTP from recorded platform answers: each post one record, threads folded in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom.records import SourceRecord
from newsroom.service import Newsroom
from tests.fakes.social import Platforms, platforms
from tests.fakes.store import FakeStore


@pytest.fixture(scope="module")
def _server() -> Iterator[Platforms]:
    with platforms() as p:  # one server for the module: stopping one takes half a second
        yield p


@pytest.fixture
def fake(_server: Platforms) -> Platforms:
    _server.requests.clear()
    _server.overrides.clear()
    return _server


def _room(fake: Platforms, tmp_path: Path, **web: object) -> Newsroom:
    return Newsroom(fake.settings(tmp_path / "data", **web), store_override=FakeStore())


def _by_author(records: list[SourceRecord]) -> dict[str, SourceRecord]:
    return {r.author: r for r in records}


def test_a_subreddit_is_one_record_per_post_and_a_broken_post_costs_only_itself(
    fake: Platforms, tmp_path: Path
) -> None:
    report = _room(fake, tmp_path).ingest(["reddit:r/LocalLLaMA"])
    posts = _by_author(report.added)
    assert set(posts) == {"gpu_hoarder", "newsbot_fan", "throwaway_7731"}
    first = posts["gpu_hoarder"]
    assert (first.kind, first.platform, first.outlet, first.score) == (
        "social",
        "reddit",
        "r/LocalLLaMA",
        412,
    )
    assert (
        first.url
        == "https://www.reddit.com/r/LocalLLaMA/comments/1h9abcd/deepseek_v3_distill_38_toks_on_2x3090/"
    )
    assert first.published_at is not None and first.published_at.isoformat() == "2026-12-01T09:20:00+00:00"
    assert first.title == "DeepSeek V3 distill: 38 tok/s on 2x3090" and "38 tokens/s" in first.text
    # a link post says where it links; a downvoted post keeps its negative score
    assert "Link: https://www.reuters.com/technology/" in posts["newsbot_fan"].text
    assert posts["throwaway_7731"].score == -4
    # hostile text is a record like any other, kept as written (escaped where it lands, as ever)
    assert "IGNORE PREVIOUS INSTRUCTIONS" in posts["throwaway_7731"].text
    assert "<!channel>" in posts["throwaway_7731"].text
    (rejected,) = report.rejected
    assert (
        rejected.where == "reddit:r/LocalLLaMA:4" and "not in the shape the platform sends" in rejected.reason
    )
    assert fake.paths("/reddit/") == ["/reddit/r/LocalLLaMA/new.json?limit=25&raw_json=1"]


def test_a_reddit_post_link_folds_its_top_comments_into_one_record(fake: Platforms, tmp_path: Path) -> None:
    url = "https://www.reddit.com/r/LocalLLaMA/comments/1h9abcd/deepseek_v3_distill_38_toks_on_2x3090/"
    report = _room(fake, tmp_path, replies=2).ingest([url])
    (record,) = report.added
    assert not report.rejected and record.score == 415 and record.author == "gpu_hoarder"
    post, _, replies = record.text.partition(
        "\n\nTop replies on Reddit (context from other users, not part of the post):"
    )
    assert "38 tokens/s" in post and replies
    lines = replies.strip().splitlines()
    # best first, the moderator's pinned note, deleted comments and "more" placeholders left out
    assert lines == [
        "- Reply by vram_victim (102 points): Power draw was about 650 W total for me at those speeds.",
        "- Reply by quant_nerd (58 points): Same setup here, I only get 31 tok/s. Are you on the latest llama.cpp?",
    ]
    assert fake.paths("/reddit/") == [
        "/reddit/r/LocalLLaMA/comments/1h9abcd.json?sort=top&limit=6&raw_json=1"
    ]


def test_a_reddit_search(fake: Platforms, tmp_path: Path) -> None:
    report = _room(fake, tmp_path).ingest(["reddit:search:deepseek v3"])
    assert {r.outlet for r in report.added} == {"r/MachineLearning", "r/technology"}
    assert fake.paths("/reddit/") == ["/reddit/search.json?q=deepseek%20v3&sort=new&limit=25&raw_json=1"]


def test_a_hacker_news_story_with_its_comments(fake: Platforms, tmp_path: Path) -> None:
    room = _room(fake, tmp_path)
    report = room.ingest(["hn:item:42871234"])
    (story,) = report.added
    assert (story.platform, story.outlet, story.author, story.score) == (
        "hn",
        "Hacker News",
        "throwaway_ml",
        1372,
    )
    assert story.url == "https://news.ycombinator.com/item?id=42871234"
    assert story.title == "DeepSeek-V3 technical report"
    assert "Top replies on Hacker News" in story.text
    # HTML read as text, a deleted comment skipped, replies to replies not taken as the story's replies
    assert (
        "- Reply by pclmulqdq: The headline number is the final run only: 2.788M H800 GPU hours."
        in story.text
    )
    assert "Multi-token prediction is the interesting part & nobody" in story.text
    assert "stated in the paper itself" not in story.text
    # the story's own link reads the same, and is already stored
    again = room.ingest(["https://news.ycombinator.com/item?id=42871234"])
    assert not again.added and again.exact and fake.paths("/hn/") == ["/hn/items/42871234"] * 2


def test_a_hacker_news_search(fake: Platforms, tmp_path: Path) -> None:
    report = _room(fake, tmp_path).ingest(["hn:search:deepseek"])
    ask = _by_author(report.added)["curious_dev"]
    assert ask.text == (
        "Ask HN: DeepSeek training cost, reproduced?\n\n"
        "Has anyone reproduced the DeepSeek training cost claims?\nAsking for a budget."
    )
    assert (ask.url, ask.score) == ("https://news.ycombinator.com/item?id=42880001", 12)
    (rejected,) = report.rejected
    assert rejected.where == "hn:search:deepseek:3" and "objectID" in rejected.reason
    assert fake.paths("/hn/") == ["/hn/search_by_date?query=deepseek&tags=story&hitsPerPage=25"]


def test_bluesky_search_author_feed_and_a_thread(fake: Platforms, tmp_path: Path) -> None:
    room = _room(fake, tmp_path)
    found = _by_author(room.ingest(["bsky:search:deepseek"]).added)
    assert set(found) == {"mlresearcher.bsky.social", "chipwatch.bsky.social"}
    post = found["mlresearcher.bsky.social"]
    assert post.url == "https://bsky.app/profile/mlresearcher.bsky.social/post/3lbxq2r4k2s2a"
    assert (post.kind, post.platform, post.outlet, post.score) == ("social", "bluesky", "Bluesky", 87)
    feed = room.ingest(["bsky:author:mlresearcher.bsky.social"])
    # the author's own post; a repost of someone else's is not the author's word
    assert [r.author for r in feed.added] == ["mlresearcher.bsky.social"]
    thread = room.ingest(["https://bsky.app/profile/mlresearcher.bsky.social/post/3lbxq2r4k2s2a"])
    # the thread's post is the searched one with replies added: a new text at the same link
    assert not thread.added and thread.exact[0].reason == "same URL"
    assert fake.paths("/bsky/") == [
        "/bsky/xrpc/app.bsky.feed.searchPosts?q=deepseek&sort=latest&limit=25",
        "/bsky/xrpc/app.bsky.feed.getAuthorFeed?actor=mlresearcher.bsky.social&filter=posts_no_replies&limit=25",
        "/bsky/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fmlresearcher.bsky.social%2Fapp.bsky.feed.post"
        "%2F3lbxq2r4k2s2a&depth=1&parentHeight=0",
    ]


def test_a_bluesky_thread_keeps_its_best_liked_replies(fake: Platforms, tmp_path: Path) -> None:
    report = _room(fake, tmp_path).ingest(
        ["https://bsky.app/profile/mlresearcher.bsky.social/post/3lbxq2r4k2s2a"]
    )
    (record,) = report.added
    replies = record.text.split("not part of the post):\n", 1)[1].splitlines()
    assert replies == [
        "- Reply by skeptic.bsky.social (31 points): Reported by whom? Link the source.",
        "- Reply by evals.bsky.social (9 points): Our run puts it 3 points below on MATH-500.",
    ]


def test_mastodon_tag_account_and_a_status_with_its_replies(fake: Platforms, tmp_path: Path) -> None:
    room = _room(fake, tmp_path)
    tag = _by_author(room.ingest(["mastodon:tag:mastodon.social/deepseek"]).added)
    assert set(tag) == {"aiwatch@mastodon.social", "kernelhacker@fosstodon.org"}
    own = tag["aiwatch@mastodon.social"]
    assert own.text == "DeepSeek says its new model was trained for under $6 million. #deepseek"
    assert (own.outlet, own.score, own.url) == (
        "mastodon.social",
        33,
        "https://mastodon.social/@aiwatch/113580000000000001",
    )
    # a boost is read as the boosted status, by its author, at its own link
    boosted = tag["kernelhacker@fosstodon.org"]
    assert boosted.url == "https://fosstodon.org/@kernelhacker/113579999999999999"
    assert boosted.text == "Ran DeepSeek R1 locally.\nIt is good at code review."

    thread = _room(fake, tmp_path).ingest(["https://mastodon.social/@aiwatch/113580000000000001"])
    (record,) = thread.added
    assert record.text.split("not part of the post):\n", 1)[1].splitlines() == [
        "- Reply by gpufan@mastodon.social (12 points): Source? I only saw it on Reddit.",
        "- Reply by econ@hachyderm.io (5 points): @aiwatch That figure is only the final training run.",
    ]
    account = _room(fake, tmp_path).ingest(["mastodon:account:mastodon.social/@aiwatch"])
    assert [r.author for r in account.added] == ["aiwatch@mastodon.social"]
    assert fake.paths("/masto/mastodon.social/api/v1/accounts") == [
        "/masto/mastodon.social/api/v1/accounts/lookup?acct=aiwatch",
        "/masto/mastodon.social/api/v1/accounts/109300000000000001/statuses?limit=25&exclude_replies=true",
    ]


def test_a_link_shaped_like_a_mastodon_post_on_a_site_without_its_api_is_read_as_a_page(
    fake: Platforms, tmp_path: Path
) -> None:
    page = b"<html><head><title>Alice's notes</title></head><body><article><p>" + b"A long note. " * 40
    fake.overrides["/@alice/123"] = (200, "text/html; charset=utf-8", page + b"</p></article></body></html>")
    report = _room(fake, tmp_path).ingest([f"{fake.base}/@alice/123"])
    (record,) = report.added
    assert record.kind == "news" and record.text.startswith("A long note.")
    instance = fake.base.removeprefix("http://")
    # the instance's API was asked first and answered 404; then the link itself was read, as a page
    asked = [r for r in fake.requests if r != "/robots.txt"]  # robots.txt is read once per site per process
    assert asked == [f"/masto/{instance}/api/v1/statuses/123", "/@alice/123"]


@pytest.mark.parametrize(
    ("path", "answer", "says"),
    [
        ("/reddit/r/LocalLLaMA/new.json", (200, "text/html", b"<html>Too Many Requests</html>"), "not JSON"),
        (
            "/reddit/r/LocalLLaMA/new.json",
            (200, "application/json", b'{"kind": "t3", "data": {}}'),
            "not a listing",
        ),
        (
            "/reddit/r/LocalLLaMA/new.json",
            (429, "application/json", b'{"message": "Too Many Requests"}'),
            "429",
        ),
        (
            "/reddit/r/LocalLLaMA/new.json",
            (200, "application/json", b'{"kind": "Listing", "data": {"children": []}}'),
            "no posts",
        ),
        ("/reddit/r/LocalLLaMA/new.json", (200, "application/json", b"[" * 100_000), "nested too deeply"),
    ],
)
def test_a_bad_answer_is_a_sentence_and_loses_nothing_stored(
    fake: Platforms, tmp_path: Path, path: str, answer: tuple[int, str, bytes], says: str
) -> None:
    room = _room(fake, tmp_path)
    assert len(room.ingest(["hn:item:42871234"]).added) == 1
    fake.overrides[path] = answer
    report = room.ingest(["reddit:r/LocalLLaMA"])
    (rejected,) = report.rejected
    assert says in rejected.reason and not report.added
    assert room.store.count() == 1 and report.exit_code == 2


def test_bad_bluesky_and_mastodon_answers_are_sentences(fake: Platforms, tmp_path: Path) -> None:
    fake.overrides["/bsky/xrpc/app.bsky.feed.searchPosts"] = (
        200,
        "application/json",
        b'{"unexpected": true}',
    )
    fake.overrides["/masto/mastodon.social/api/v1/timelines/tag/deepseek"] = (200, "application/json", b"{}")
    report = _room(fake, tmp_path).ingest(["bsky:search:deepseek", "mastodon:tag:mastodon.social/deepseek"])
    reasons = [r.reason for r in report.rejected]
    assert reasons == [
        "Bluesky's answer holds no posts (not a feed, a search or a thread); nothing was read from it",
        "Mastodon's answer is not a timeline as the platform sends it; nothing was read from it "
        "(is the API address in settings right?)",
    ]


def test_a_slack_users_social_source_is_fetched_public_only(fake: Platforms, tmp_path: Path) -> None:
    # Without the operator's allow-list, the fake on loopback stands for an internal address: refused
    settings = fake.settings(tmp_path / "data").model_copy(update={"fetch_allow": ""})
    room = Newsroom(settings, store_override=FakeStore())
    report = room.ingest(["bsky:search:deepseek", "reddit:r/LocalLLaMA"], untrusted=True)
    assert not report.added and len(report.rejected) == 2
    assert all("public web addresses" in r.reason for r in report.rejected)
    assert fake.requests == []
    # allowed (as the tests' fakes are), a Slack user's social source reads like the operator's
    allowed = _room(fake, tmp_path).ingest(["bsky:search:deepseek"], untrusted=True)
    assert len(allowed.added) == 2


def test_social_fields_survive_the_record_store(fake: Platforms, tmp_path: Path) -> None:
    room = Newsroom(fake.settings(tmp_path / "data"))  # the real (embedded Chroma) store
    room.ingest(["reddit:r/LocalLLaMA"])
    stored = _by_author(room.store.list_records())
    assert (stored["throwaway_7731"].kind, stored["throwaway_7731"].score) == ("social", -4)
    assert (stored["gpu_hoarder"].platform, stored["gpu_hoarder"].author) == ("reddit", "gpu_hoarder")


def test_newsroom_ingest_reads_a_subreddit_set_up_by_environment(
    fake: Platforms, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from newsroom.cli import app

    monkeypatch.setenv("NEWSROOM_FETCH_ALLOW", "127.0.0.1")
    monkeypatch.setenv("NEWSROOM_WEB_REDDIT_URL", f"{fake.base}/reddit")
    monkeypatch.setenv("NEWSROOM_WEB_POSTS", "2")
    result = CliRunner().invoke(app, ["ingest", "reddit:r/LocalLLaMA", "--json"])
    assert result.exit_code == 0, result.output
    assert [a["title"] for a in json.loads(result.stdout)["added"]] == [
        "DeepSeek V3 distill: 38 tok/s on 2x3090",
        "Reuters: Tencent and Alibaba in talks to invest in DeepSeek",
    ]
    assert fake.paths("/reddit/") == ["/reddit/r/LocalLLaMA/new.json?limit=2&raw_json=1"]
