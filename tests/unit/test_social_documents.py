"""Explainers tell records from web citations and label each source by kind, in JSON, Markdown and HTML."""

from __future__ import annotations

from typing import Any

from lxml import html as lxml_html

from newsroom.documents.explainer import counts_line, explainer_json, kind_label, to_markdown
from newsroom.documents.html import render_html
from tests.unit.test_graph_parts import STATE

OLD_KEYS = {"n", "record_id", "title", "outlet", "url", "published_at", "duplicates"}
EVIL = "<script>alert(1)</script>"


def _labelled(state: dict[str, Any]) -> dict[str, Any]:
    first, second = state["sources"][:2]
    post = {
        **second,
        "kind": "social",
        "platform": "reddit",
        "author": f"{EVIL}_name",
        "score": -4,
        "url": "https://www.reddit.com/r/x/comments/1/",
    }
    return {**state, "sources": [{**first, "kind": "press release"}, post, *state["sources"][2:]]}


def test_a_story_drafted_before_kinds_keeps_its_json_shape() -> None:
    assert all(set(s) == OLD_KEYS for s in explainer_json(STATE)["sources"])


def test_kinds_and_post_details_are_new_optional_keys() -> None:
    first, second = explainer_json(_labelled(STATE))["sources"][:2]
    assert set(first) == OLD_KEYS | {"kind"} and first["kind"] == "press release"
    assert {k: second[k] for k in ("kind", "platform", "author", "score")} == {
        "kind": "social",
        "platform": "reddit",
        "author": f"{EVIL}_name",
        "score": -4,
    }


def test_kind_labels() -> None:
    assert kind_label({"kind": "news"}) == "news"
    assert kind_label({"kind": "social", "platform": "bluesky", "author": "a.bsky.social"}) == (
        "social post by @a.bsky.social"
    )
    assert kind_label({"kind": "social", "platform": "hn", "author": "pg"}) == "social post by pg"
    assert kind_label({"kind": "social"}) == "social post"
    assert kind_label({}) == ""


def test_a_social_post_is_a_record_not_a_web_citation() -> None:
    doc = explainer_json(_labelled(STATE))
    plain = explainer_json(STATE)
    assert counts_line(plain).endswith("· 1 web citations")
    assert (
        sum(1 for s in doc["sources"] if s.get("kind") == "social" and s["url"].startswith("https://")) == 1
    )
    assert counts_line(doc).endswith("· 1 web citations")  # the post's link does not count


def test_labels_show_in_markdown_and_on_the_page_with_strangers_text_escaped() -> None:
    doc = explainer_json(_labelled(STATE))
    md = to_markdown(doc)
    assert "· press release" in md and "· social post by u/\\<script\\>" in md and EVIL not in md
    page = lxml_html.document_fromstring(render_html(doc))
    assert page.xpath("//script") == []
    labels = [el.text_content() for el in page.find_class("kind")]
    assert labels == ["press release", f"social post by u/{EVIL}_name"]
