"""The page and the Markdown tell the same story in the same order, and strangers' text stays text in both."""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

from newsroom.documents.briefing import briefing_json, render_markdown
from newsroom.documents.explainer import STAGES, explainer_json
from newsroom.documents.html import render_html
from tests.unit.test_graph_parts import STATE

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _hostile(state: dict[str, Any]) -> dict[str, Any]:
    sources = [{**s, "title": EVIL, "outlet": EVIL} for s in state["sources"]]
    sources[1]["url"] = "javascript:alert(3)"
    return {**state, "beat": EVIL, "sources": sources}


def test_markdown_has_the_page_sections_in_the_page_order() -> None:
    md = render_markdown(explainer_json(STATE))
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings == [
        "The vote",
        "The story so far",
        "Frequently asked",
        "Where the sources disagree",
        "Sources",
        "Methodology",
    ]
    assert md.startswith("# Council passes budget\n") and "Explainer · 0 records · 1 web citations" in md
    assert " → ".join(STAGES) in md


def test_the_explainer_page_shows_hostile_text_as_text() -> None:
    page = render_html(explainer_json(_hostile(STATE)))
    tree = lxml_html.document_fromstring(page)
    assert tree.xpath("//script | //img | //style | //iframe") == []
    assert [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")] == []
    assert tree.xpath("//@href") == ["https://c.example/a"]
    assert "javascript:alert(3)" in tree.text_content() and "<script>alert(1)</script>" in tree.text_content()
    assert [" ".join(h.text_content().split()) for h in tree.iter("h2")][-3:] == [
        "Where the sources disagree",
        "Sources",
        "Methodology",
    ]


def test_the_briefing_page_has_items_disagreements_and_sources() -> None:
    draft = {
        "headline": "Budget week",
        "items": [{"text": "The council *passed* the budget.", "citations": [1]}],
        "what_to_watch": [{"text": "A second vote.", "citations": [2]}],
    }
    state = {
        **_hostile(STATE),
        "kind": "briefing",
        "beat": "city-hall",
        "since": "2026-10-01",
        "draft": draft,
    }
    b = briefing_json(state)
    tree = lxml_html.document_fromstring(render_html(b))
    assert tree.xpath("//script | //img | //style") == []
    assert (
        " ".join(tree.find_class("dek")[0].text_content().split())
        == "Briefing on city-hall, new since 2026-10-01"
    )
    assert tree.xpath("//ul[contains(@class, 'items')]/li/em/text()") == ["passed"]  # emphasis stays
    assert (
        len(tree.find_class("conflict")) == 1 and len(tree.xpath("//ol[contains(@class,'sources')]/li")) == 2
    )
    assert [" ".join(s.text_content().split()) for s in tree.find_class("stage")] == list(STAGES)
