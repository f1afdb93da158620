"""Files shared in a story's thread, as Slack delivers them (signed events, files.info, a token-checked
download): read, stored as sources once, said in the thread, and used by the next change request."""

from __future__ import annotations

import json
import time

import pytest

from newsroom.slack.blocks import APPROVE, REVISE
from tests.fakes.documents import docx, pdf
from tests.fakes.slackreq import JSON, click, event, file_share, post, submit
from tests.integration.test_slack import CHANNEL, EDITOR, Bot, button, start_story, wait_drafts

ADDED = "Added to this story's sources"


def share(bot: Bot, thread_ts: str, file_ids: list[str], event_id: str = "Ev1", user: str = EDITOR) -> None:
    resp = post(bot.url, event(file_share(user, CHANNEL, thread_ts, file_ids), event_id), headers=JSON)
    assert resp.status_code == 200


def wait_said(bot: Bot, thread_ts: str, words: str, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        said = [t for t in bot.slack.texts() if words in t]
        if said:
            return said
        time.sleep(0.05)
    raise AssertionError(f"the thread never said {words!r}: {bot.slack.texts()}")


def test_a_pdf_shared_in_the_thread_is_stored_once_and_the_revision_uses_it(bot: Bot) -> None:
    draft = start_story(bot)
    thread = draft["thread_ts"]
    story = json.loads(button(draft, APPROVE))["story_id"]
    memo = pdf(
        ["The board <!channel> minutes: the Lisbon tram timetable changes on 4 May 2026."],
        title="Board <memo>",
    )
    bot.slack.add_file("F1", "board minutes.pdf", memo, filetype="pdf")
    share(bot, thread, ["F1"])
    share(bot, thread, ["F1"], event_id="Ev1")  # Slack redelivers the same event
    share(bot, thread, ["F1"], event_id="Ev2")  # and the same file shared again in the thread
    said = wait_said(bot, thread, ADDED)
    time.sleep(0.5)
    assert len([t for t in bot.slack.texts() if ADDED in t]) == 1
    assert said[0].startswith("Added to this story's sources: “Board &lt;memo&gt;” (board minutes.pdf).")
    assert "Request changes" in said[0]
    downloads = bot.slack.of("download")
    assert len(downloads) == 1 and all(c["auth"] == "Bearer xoxb-test-token" for c in bot.slack.calls)
    records = [r for r in bot.room.store.get(bot.room.registry.attached(story))]
    assert len(records) == 1 and records[0].kind == "document"
    assert (records[0].author, records[0].outlet) == (f"slack:{EDITOR}", "board minutes.pdf")
    assert "Lisbon tram timetable" in records[0].text

    post(bot.url, click(REVISE, button(draft, REVISE), EDITOR, CHANNEL, draft["_ts"], trigger="T-modal"))
    opened = bot.slack.wait_for("views.open")[0]
    assert post(bot.url, submit(opened["view"], "Use the board minutes.", EDITOR)).status_code == 200
    second = wait_drafts(bot.slack, 2)[1]
    assert json.loads(button(second, APPROVE))["version"] == 2
    sources = bot.room.show(story)["sources"]
    assert records[0].id in {s["record_id"] for s in sources}


def test_a_docx_html_and_text_file_are_read_and_named(bot: Bot) -> None:
    thread = start_story(bot)["thread_ts"]
    bot.slack.add_file(
        "F2", "notes.docx", docx(["DeepSeek's board met twice in October."], title="Board notes")
    )
    bot.slack.add_file(
        "F3", "brief.md", b"# Analyst brief\n\nThe round closed in late October.", filetype="markdown"
    )
    share(bot, thread, ["F2", "F3"])
    said = wait_said(bot, thread, ADDED)[0]
    assert "“Board notes” (notes.docx)" in said and "“Analyst brief” (brief.md)" in said


@pytest.mark.parametrize(
    ("name", "content", "info", "expected"),
    [
        ("scan.pdf", pdf([]), {}, "scan.pdf has no text to read: it looks like a scanned PDF"),
        ("sheet.xlsx", b"PK\x03\x04", {"filetype": "xlsx"}, "sheet.xlsx is not a type newsroom reads"),
        ("big.pdf", b"%PDF", {"size": 50_000_000}, "big.pdf is 50.0 MB, over the 20.0 MB limit"),
        (
            "away.pdf",
            pdf(["x"]),
            {"url_private_download": "http://169.254.169.254/latest"},
            "not on Slack's file host",
        ),
    ],
)
def test_a_file_that_cannot_be_used_gets_a_sentence_and_nothing_is_stored(
    bot: Bot, name: str, content: bytes, info: dict[str, object], expected: str
) -> None:
    draft = start_story(bot)
    story = json.loads(button(draft, APPROVE))["story_id"]
    bot.slack.add_file("F9", name, content, **info)
    share(bot, draft["thread_ts"], ["F9"])
    said = wait_said(bot, draft["thread_ts"], expected)
    assert ADDED not in said[0]
    assert bot.room.registry.attached(story) == []
    if "Slack's file host" in expected or "MB" in expected:
        assert not bot.slack.of("download")  # the token went nowhere, nothing was fetched


def test_files_in_a_thread_that_is_no_story_are_left_alone(bot: Bot) -> None:
    bot.slack.add_file("F4", "memo.pdf", pdf(["Anything."]))
    share(bot, "1699999999.000100", ["F4"])
    other = {
        "type": "message",
        "user": "UREPORTER",
        "channel": CHANNEL,
        "ts": "1699999999.000200",
        "text": "hi",
    }
    assert post(bot.url, event(other, "Ev9"), headers=JSON).status_code == 200
    time.sleep(0.5)
    assert not bot.slack.of("files.info") and not bot.slack.of("download")
    assert not bot.slack.of("chat.postMessage")


def test_a_file_shared_by_someone_who_may_not_add_sources_is_not_read(bot: Bot) -> None:
    draft = start_story(bot)
    story = json.loads(button(draft, APPROVE))["story_id"]
    bot.slack.add_file("F5", "leak.pdf", pdf(["The mayor resigned."]))
    share(bot, draft["thread_ts"], ["F5"], user="UREPORTER")
    refusal = bot.slack.wait_for("chat.postEphemeral", timeout=20)[0]
    assert refusal["user"] == "UREPORTER" and "only when an editor shares them" in refusal["text"]
    assert not bot.slack.of("files.info") and not bot.slack.of("download")
    assert bot.room.registry.attached(story) == []
    share(bot, draft["thread_ts"], ["F5"], event_id="Ev2")  # an editor shares the same file: it is read
    assert wait_said(bot, draft["thread_ts"], ADDED)[0].startswith(f"{ADDED}: “leak” (leak.pdf).")
    assert len(bot.room.registry.attached(story)) == 1
