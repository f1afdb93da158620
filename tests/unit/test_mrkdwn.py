"""Slack mrkdwn from strangers' text: no live control survives, links hold, limits are met by cutting well."""

from __future__ import annotations

import json
import re

from newsroom.slack.blocks import MAX_HEADER, MAX_TEXT, draft_messages, split_text
from newsroom.slack.mrkdwn import ELLIPSIS, cut, escape, link
from tests.unit.test_slack_blocks import explainer


def test_mentions_broadcasts_and_links_become_text() -> None:
    hostile = (
        "<!channel> <!here> <!everyone> <@U0ATTACK> <#C0SECRET> <!subteam^S1> <https://evil.example|ok> &amp;"
    )
    out = escape(hostile)
    assert "<" not in out and ">" not in out
    assert out.startswith("&lt;!channel&gt;") and out.endswith("&amp;amp;")


def test_a_title_with_a_pipe_or_angle_bracket_cannot_break_its_link() -> None:
    out = link("https://news.example/a?b=1|2", "Fares | rise > 5% <@U0ATTACK>")
    assert out == "<https://news.example/a?b=1%7C2|Fares ¦ rise &gt; 5% &lt;@U0ATTACK&gt;>"
    assert re.fullmatch(r"<[^<>|]+\|[^<>|]+>", out)


def test_only_http_urls_become_links() -> None:
    assert link("javascript:alert(1)", "Story") == "Story"
    assert link("data:text/html,<script>", "Story") == "Story"
    assert link("https://news.example/a b", "S") == "<https://news.example/a%20b|S>"


def test_cut_at_a_word_with_an_ellipsis_never_inside_a_link_or_entity() -> None:
    text = "Fares rise " + link("https://news.example/long", "a label with several words") + " and more"
    for limit in range(12, len(text)):
        out = cut(text, limit)
        assert len(out) <= limit and out.endswith(ELLIPSIS)
        assert out.count("<") == out.count(">")
    assert cut("a &amp; b", 5) == "a…"


def test_a_long_hostile_headline_fits_the_header() -> None:
    ex = explainer()
    ex["headline"] = "<!channel> " * 60
    (blocks,) = draft_messages(ex)
    header = blocks[0]["text"]["text"]
    assert len(header) <= MAX_HEADER and header.endswith(ELLIPSIS) and "<" not in header
    assert not re.search(r"&[a-z]*…$", header)


def test_split_text_never_splits_a_link() -> None:
    text = " ".join(link(f"https://news.example/{i}", "a label with many words in it") for i in range(200))
    pieces = split_text(text)
    assert all(len(p) <= MAX_TEXT and p.count("<") == p.count(">") for p in pieces)


def test_every_source_field_is_escaped_in_the_draft() -> None:
    ex = explainer()
    ex["sources"][1].update(title="<!here> Round", outlet="<@U0ATTACK> Desk", url="javascript:alert(1)")
    ex["conflicts"][0]["subject"] = "<!channel>"
    ex["flagged"] = [{"n": 2, "reason": "says <!everyone>"}]
    text = json.dumps(draft_messages(ex))
    assert not re.search(r"<[!@#]", text)
    assert "javascript:" not in text
