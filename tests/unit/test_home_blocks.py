"""App Home and the New explainer modal as Block Kit: paging, limits, escaping, what non-editors see."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from newsroom.slack.home_blocks import (
    HOME_PAGE,
    NEW_EXPLAINER,
    PAGE_SIZE,
    BeatLine,
    HomeData,
    Listed,
    Waiting,
    clamp_page,
    home_view,
    new_explainer_modal,
    parse_links,
    public_hosts,
    read_submission,
)
from tests.fakes import blockkit

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOSTILE = "<!channel> <@U999> *bold* <https://evil.example|click> & " + "x" * 4000


def draft(i: int, headline: str | None = None) -> Waiting:
    return Waiting(
        story_id=f"slack-CNEWS-1700000000.{i:06d}",
        headline=headline or f"Draft number {i}",
        beat="city-hall" if i % 2 else None,
        requester="slack:UREQ" if i % 3 else "cli",
        since=NOW - timedelta(hours=200 - i),
        version=1 + i % 3,
        audit="citation audit and publishability check passed" if i % 2 else "2 problems found",
        passed=bool(i % 2),
        permalink=f"https://fake.slack.test/archives/CNEWS/p{i}",
    )


def data_for(page: int, total: int = 200, editor: bool = True, **over: Any) -> HomeData:
    page = clamp_page(page, total)
    start = page * PAGE_SIZE
    items = [draft(i) for i in range(total)][start : start + PAGE_SIZE]
    listed = [Listed(f"s-{i}", f"Story {i} " + "y" * 300, "published", NOW) for i in range(40)]
    defaults: dict[str, Any] = dict(
        user="UED",
        editor=editor,
        now=NOW,
        waiting_total=total,
        page=page,
        waiting=items,
        mine=listed[:15],
        mine_total=40,
        published=listed[:15],
        published_total=120,
        beats=[BeatLine("city-hall", "CCITY", NOW + timedelta(hours=3), "published 2026-11-22")],
    )
    defaults.update(over)
    return HomeData(**defaults)


def texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def pager(view: dict[str, Any]) -> dict[str, str]:
    found = {}
    for block in view["blocks"]:
        for el in block.get("elements") or []:
            if el.get("action_id") == HOME_PAGE:
                found[el["text"]["text"]] = el["value"]
    return found


def test_two_hundred_waiting_drafts_page_within_every_block_kit_limit() -> None:
    seen: list[str] = []
    page = 0
    for _ in range(50):
        view = home_view(data_for(page))
        assert blockkit.problems(view) == []
        assert len(view["blocks"]) <= 100
        seen += [s for s in (f"|Draft number {i}>" for i in range(200)) if s in texts(view)]
        buttons = pager(view)
        if "Next" not in buttons:
            break
        page = int(buttons["Next"])
    assert page == 13  # 200 drafts, 15 a page: 14 pages
    assert len(seen) == 200 and len(set(seen)) == 200  # every draft on exactly one page
    first, last = home_view(data_for(0)), home_view(data_for(13))
    assert pager(first) == {"Next": "1"} and pager(last) == {"Previous": "12"}
    assert "Drafts 196–200 of 200, oldest first" in texts(last)
    assert "Waiting for a decision (200)" in texts(first)


def test_oldest_draft_first_with_age_beat_requester_audit_and_thread_link() -> None:
    view = home_view(data_for(0))
    body = texts(view)
    assert body.index("|Draft number 0>") < body.index("|Draft number 1>")
    assert "waiting 8 d" in body  # the first draft waited 200 h
    assert "<https://fake.slack.test/archives/CNEWS/p1|Draft number 1>" in body
    assert "*city-hall* · requested by <@UREQ>" in body
    assert "requested by cli" in body and "no beat" in body
    assert ":x: 2 problems found" in body and ":white_check_mark: citation audit" in body
    assert "*city-hall* in <#CCITY> — next run <!date^" in body


def test_long_lists_are_counted_not_cut_mid_link() -> None:
    view = home_view(data_for(0))
    sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    mine, published = [s for s in sections if "Story 0" in s]
    for text, total in ((mine, 40), (published, 120)):
        assert text.endswith(" more") and len(text) <= 3000
        assert text.count("• ") + int(text.rsplit("and ", 1)[1].split()[0]) == total


def test_strangers_text_is_escaped_and_cut_within_limits() -> None:
    nasty = draft(1, headline=HOSTILE)
    view = home_view(
        data_for(0, total=1, waiting=[nasty], mine=[Listed("s", HOSTILE, "failed", NOW)], mine_total=1)
    )
    assert blockkit.problems(view) == []
    body = texts(view)
    assert "<!channel>" not in body and "<@U999>" not in body and "<https://evil" not in body
    assert "&lt;!channel&gt;" in body
    view = home_view(data_for(0, beats=[BeatLine("<!here>", "not a channel <@U1>", None, "none yet")]))
    assert "<!here>" not in texts(view) and "<@U1>" not in texts(view) and "not scheduled" in texts(view)


def test_non_editors_see_their_requests_and_the_published_list_only() -> None:
    view = home_view(data_for(0, editor=False, waiting=[], waiting_total=0, beats=[]))
    body = texts(view)
    assert "Waiting for a decision" not in body and "Beats" not in body and not pager(view)
    assert "My requests" in body and "Published in the last 7 days" in body
    actions = [el["action_id"] for b in view["blocks"] if b["type"] == "actions" for el in b["elements"]]
    assert actions == [NEW_EXPLAINER]
    assert blockkit.problems(view) == []


def test_the_modal_lists_the_beats_and_keeps_slacks_limits() -> None:
    modal = new_explainer_modal(["city-hall", "b" * 80, "c" * 200])
    assert blockkit.problems(modal) == []
    options = next(b for b in modal["blocks"] if b["block_id"] == "beat")["element"]["options"]
    assert [o["value"] for o in options] == ["city-hall", "b" * 80]  # a value over 150 cannot be sent
    assert len(options[1]["text"]["text"]) <= 75
    assert [b["block_id"] for b in new_explainer_modal([])["blocks"]] == ["topic", "links"]
    extra = {"type": "input", "block_id": "files", "label": {"type": "plain_text", "text": "Files"}}
    assert new_explainer_modal([], extra=[extra])["blocks"][-1]["block_id"] == "files"


def values(topic: str, beat: str | None = None, links: str = "") -> dict[str, Any]:
    chosen = {"selected_option": {"value": beat}} if beat else {"selected_option": None}
    return {
        "state": {
            "values": {
                "topic": {"text": {"value": topic}},
                "beat": {"choice": chosen},
                "links": {"text": {"value": links}},
            }
        }
    }


public_only = public_hosts("")


def test_a_submission_is_checked_field_by_field() -> None:
    ok = read_submission(
        values("  the  transit budget ", "city-hall", "https://example.org/a\nhttps://example.org/a"),
        {"city-hall"},
        public_only,
    )
    assert (ok.topic, ok.beat, ok.links, ok.errors) == (
        "the transit budget",
        "city-hall",
        ["https://example.org/a"],
        {},
    )
    bad = read_submission(values("   ", "gone"), {"city-hall"}, public_only)
    assert set(bad.errors) == {"topic", "beat"}
    long = read_submission(values("word " * 100), set(), public_only)
    assert long.errors == {"topic": "Keep the topic under 300 characters; it is 499."}
    for link in ("ftp://example.org/x", "example.org/story", "javascript:alert(1)"):
        assert (
            "not an http(s) link"
            in read_submission(values("t", links=link), set(), public_only).errors["links"]
        )
    for link in (
        "http://127.0.0.1:8080/",
        "http://localhost/admin",
        "http://[::1]/",
        "http://169.254.169.254/latest",
    ):
        assert (
            "private or local" in read_submission(values("t", links=link), set(), public_only).errors["links"]
        )
    assert read_submission(values("t", links="http://93.184.216.34/page"), set(), public_only).errors == {}


def test_too_many_links_are_refused_with_the_count() -> None:
    many = "\n".join(f"https://example.org/{i}" for i in range(11))
    links, problem = parse_links(many, public_only)
    assert links == [] and problem == "Give at most 10 links; 11 were given."
