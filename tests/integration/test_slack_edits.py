"""Edit in place, driven as Slack drives it: a signed click on Edit, the modal, a signed view_submission; the
edit checked by code (no model), saved once as the next version, and published by Approve."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from newsroom.settings import Settings
from newsroom.slack import editblocks
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE, EDIT
from newsroom.slack.editblocks import EDIT_PART
from newsroom.slack.listeners import register_jobs
from newsroom.slack.server import http_server
from tests.fakes.scripted import scripted
from tests.fakes.slackreq import choose, click, post, submit_inputs
from tests.integration.test_slack import (
    CHANNEL,
    EDITOR,
    PUBLISH,
    REPORTER,
    Bot,
    button,
    drafts,
    start_story,
    wait_drafts,
)

ANSWER_2 = "edit:faq.1.answer"
EDITED = "DeepSeek is raising $7.4 billion, The Compute Desk reports. [6]"


def open_editor(
    bot: Bot, draft: dict[str, Any], user: str = EDITOR, trigger: str = "T-edit"
) -> dict[str, Any]:
    assert (
        post(bot.url, click(EDIT, button(draft, EDIT), user, CHANNEL, draft["_ts"], trigger)).status_code
        == 200
    )
    opened = bot.slack.wait_for("views.open", trigger_id=trigger)
    assert opened, f"no modal opened; Slack was told: {bot.slack.texts('chat.postEphemeral')}"
    return dict(opened[-1]["view"])


def inputs(view: dict[str, Any]) -> dict[str, str]:
    return {b["block_id"]: b["element"]["initial_value"] for b in view["blocks"] if b["type"] == "input"}


def story_of(draft: dict[str, Any]) -> str:
    return str(json.loads(button(draft, APPROVE))["story_id"])


def text_of(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks") or []) + str(message.get("text", ""))


def test_an_editor_edits_an_answer_and_approve_publishes_the_edited_text(bot: Bot) -> None:
    first = start_story(bot)
    story = story_of(first)
    calls = len(bot.room.model.calls)  # type: ignore[attr-defined]
    view = open_editor(bot, first)
    fields = inputs(view)
    assert view["callback_id"] == editblocks.EDIT_MODAL and len(view["blocks"]) <= 100
    assert fields["edit:headline"] and fields["edit:dek"]
    assert fields[ANSWER_2] == "The Compute Desk reports $7.4 billion. [6]"
    resp = post(bot.url, submit_inputs(view, {ANSWER_2: EDITED}, EDITOR))
    assert resp.status_code == 200 and not resp.text  # accepted: the modal closes
    second = wait_drafts(bot.slack, 2)[1]
    assert second["thread_ts"] == first["thread_ts"]
    assert json.loads(button(second, APPROVE))["version"] == 2
    assert "DeepSeek is raising $7.4 billion, The Compute Desk reports." in text_of(second)
    assert f"Draft 2 of story `{story}`, edited by <@{EDITOR}>" in text_of(second)
    superseded = bot.slack.wait_for("chat.update", ts=first["_ts"])[0]
    assert superseded["text"].startswith(f"Superseded by draft 2: edited by <@{EDITOR}> at <!date^")
    assert not any(b["type"] == "actions" for b in superseded["blocks"])
    entry = bot.room.show(story)["history"][-1]
    assert {k: entry[k] for k in ("kind", "by", "version")} == {
        "kind": "edit",
        "by": f"slack:{EDITOR}",
        "version": 2,
    }
    assert entry["at"].startswith("20") and entry["diff"].startswith("--- draft 1\n+++ draft 2\n")
    assert "-faq.1.answer: The Compute Desk reports $7.4 billion. [6]" in entry["diff"].splitlines()
    assert f"+faq.1.answer: {EDITED}" in entry["diff"].splitlines()
    assert len(bot.room.model.calls) == calls  # type: ignore[attr-defined]  # no model ran
    # the old draft's buttons are refused; the edited one publishes the edited text
    post(bot.url, click(APPROVE, button(first, APPROVE), EDITOR, CHANNEL, first["_ts"]))
    assert "replaced by a newer one" in bot.slack.wait_for("chat.postEphemeral")[0]["text"]
    post(bot.url, click(APPROVE, button(second, APPROVE), EDITOR, CHANNEL, second["_ts"]))
    published = bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    assert len(published) == 1 and "DeepSeek is raising $7.4 billion, The Compute Desk reports." in text_of(
        published[0]
    )
    doc = json.loads(next(bot.room.settings.published_dir.glob("*.json")).read_text())
    assert doc["faq"][1]["answer"] == "DeepSeek is raising $7.4 billion, The Compute Desk reports."
    assert doc["faq"][1]["citations"] == [6] and doc["draft_version"] == 2
    assert [h.get("kind") or h.get("decision") for h in doc["history"]] == ["edit", "approve"]


@pytest.mark.parametrize(
    ("block", "typed", "said"),
    [
        (
            ANSWER_2,
            "The Compute Desk reports $9.1 billion. [6]",
            "“$9.1 billion” does not appear in its cited sources [6]",
        ),
        (
            ANSWER_2,
            "The Compute Desk reports $7.4 billion. [42]",
            "cites [42], which are not in the source list",
        ),
        (ANSWER_2, "The Compute Desk reports $7.4 billion.", "FAQ 2 cites no source"),
        (
            "edit:faq.0.answer",
            "Tencent and CATL are investing. [6]",
            "states one side of an open disagreement as settled",
        ),
        ("edit:faq.4.answer", "Open Weights Weekly says the rate fell 25%. [4]", "was corrected"),
        ("edit:faq.0.question", "   ", "Question 1 is empty"),
    ],
)
def test_an_edit_that_breaks_the_draft_is_shown_in_the_modal_and_nothing_is_posted(
    bot: Bot, block: str, typed: str, said: str
) -> None:
    first = start_story(bot)
    view = open_editor(bot, first)
    resp = post(bot.url, submit_inputs(view, {block: typed}, EDITOR))
    answer = resp.json()
    assert answer["response_action"] == "errors" and said in answer["errors"][block], answer
    assert set(answer["errors"]) <= set(inputs(view))  # every error sits on a field the modal shows
    time.sleep(0.5)
    assert len(drafts(bot.slack)) == 1 and not bot.slack.of("chat.update")
    story = bot.room.show(story_of(first))
    assert story["draft_version"] == 1 and not [h for h in story["history"] if h.get("kind") == "edit"]


def test_a_submission_that_changes_nothing_is_refused_in_the_modal(bot: Bot) -> None:
    view = open_editor(bot, start_story(bot))
    answer = post(bot.url, submit_inputs(view, {}, EDITOR)).json()
    assert answer["response_action"] == "errors"
    assert "Nothing was changed" in next(iter(answer["errors"].values()))


def test_a_non_editor_is_refused_and_nothing_opens_or_changes(bot: Bot) -> None:
    first = start_story(bot)
    post(bot.url, click(EDIT, button(first, EDIT), REPORTER, CHANNEL, first["_ts"], "T-reporter"))
    refusal = bot.slack.wait_for("chat.postEphemeral")[0]
    assert refusal["user"] == REPORTER and refusal["text"].startswith("Only editors can edit drafts")
    assert not bot.slack.of("views.open")
    # an editor's modal submitted by someone else (a forged payload) saves nothing either
    view = open_editor(bot, first)
    answer = post(bot.url, submit_inputs(view, {ANSWER_2: EDITED}, REPORTER)).json()
    assert answer["response_action"] == "errors"
    assert "Only editors can edit drafts" in next(iter(answer["errors"].values()))
    time.sleep(0.5)
    assert len(drafts(bot.slack)) == 1 and bot.room.show(story_of(first))["draft_version"] == 1


def test_an_edit_submitted_twice_makes_one_version_and_a_stale_edit_is_refused(bot: Bot) -> None:
    first = start_story(bot)
    view = open_editor(bot, first)
    other = open_editor(bot, first, user="UOTHER", trigger="T-other")  # a second editor's modal on draft 1
    body = submit_inputs(view, {ANSWER_2: EDITED}, EDITOR, view_id="V-mine")
    sends = [(body, {}), (body, {}), (body, {"X-Slack-Retry-Num": "1"})]
    with ThreadPoolExecutor(3) as pool:
        codes = list(pool.map(lambda b: post(bot.url, b[0], b[1]).status_code, sends))
    assert codes == [200, 200, 200]
    wait_drafts(bot.slack, 2)
    time.sleep(1.0)
    assert len(drafts(bot.slack)) == 2 and len(bot.slack.of("chat.update")) == 1
    story = bot.room.show(story_of(first))
    assert story["draft_version"] == 2 and len([h for h in story["history"] if h.get("kind") == "edit"]) == 1
    # the other editor's edit of draft 1, and an Edit click on draft 1, are refused with a sentence
    late = post(bot.url, submit_inputs(other, {"edit:headline": "Who backs DeepSeek?"}, "UOTHER", "V-other"))
    error = next(iter(late.json()["errors"].values()))
    assert "was replaced by a newer one (draft 2)" in error and "Nothing was saved" in error
    post(bot.url, click(EDIT, button(first, EDIT), EDITOR, CHANNEL, first["_ts"], "T-stale"))
    told = bot.slack.wait_for("chat.postEphemeral", user=EDITOR)
    assert told and "replaced by a newer one" in told[0]["text"]
    assert not bot.slack.of("views.open")[2:]


def test_an_edit_of_a_decided_draft_is_refused(bot: Bot) -> None:
    first = start_story(bot)
    view = open_editor(bot, first)
    post(bot.url, click(APPROVE, button(first, APPROVE), EDITOR, CHANNEL, first["_ts"]))
    assert bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    error = next(
        iter(post(bot.url, submit_inputs(view, {ANSWER_2: EDITED}, EDITOR)).json()["errors"].values())
    )
    assert "already decided (approve" in error or "is published" in error, error
    # no second draft in the thread (the published message in the publish channel carries Update)
    assert len([d for d in drafts(bot.slack) if d["channel"] == CHANNEL]) == 1


def test_mentions_in_an_edit_stay_inert_in_the_thread_and_the_published_story(bot: Bot) -> None:
    first = start_story(bot)
    view = open_editor(bot, first)
    changes = {
        "edit:headline": "Who is backing DeepSeek? <!channel> <@U0BOSS>",
        ANSWER_2: "The Compute Desk reports $7.4 billion <https://evil.example|click>. [6]",
    }
    assert post(bot.url, submit_inputs(view, changes, EDITOR)).status_code == 200
    second = wait_drafts(bot.slack, 2)[1]
    shown = json.dumps(second["blocks"])
    assert "<!channel>" not in shown and "<@U0BOSS>" not in shown and "<https://evil" not in shown
    assert "&lt;!channel&gt;" in shown and "&lt;https://evil.example|click&gt;" in shown
    post(bot.url, click(APPROVE, button(second, APPROVE), EDITOR, CHANNEL, second["_ts"]))
    published = json.dumps(bot.slack.wait_for("chat.postMessage", channel=PUBLISH)[0])
    assert "<!channel>" not in published and "<@U0BOSS>" not in published
    html = next(bot.room.settings.published_dir.glob("*.html")).read_text()
    assert "<!channel>" not in html and "&lt;!channel&gt;" in html and 'href="https://evil' not in html


def test_a_restart_between_edit_and_approve_keeps_the_edit(bot: Bot) -> None:
    first = start_story(bot)
    view = open_editor(bot, first)
    post(bot.url, submit_inputs(view, {ANSWER_2: EDITED}, EDITOR))
    second = wait_drafts(bot.slack, 2)[1]
    # a bot started afresh on the same data dir: nothing of the first one's memory
    ctx = build_context(Settings(), model_override=scripted())
    server = http_server(build_app(ctx), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        post(url, click(APPROVE, button(second, APPROVE), EDITOR, CHANNEL, second["_ts"]))
        assert bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    finally:
        ctx.room.jobs.shutdown()
        server.shutdown()
        server.server_close()
    doc = json.loads(next(bot.room.settings.published_dir.glob("*.json")).read_text())
    assert doc["faq"][1]["answer"] == "DeepSeek is raising $7.4 billion, The Compute Desk reports."
    assert ctx.room.model.calls == []  # type: ignore[attr-defined]  # the restarted bot ran no model


def test_a_long_draft_is_edited_a_part_at_a_time(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editblocks, "PART_FIELDS", 6)
    first = start_story(bot)
    view = open_editor(bot, first)
    picker = next(b for b in view["blocks"] if b.get("block_id") == "edit_part")
    assert picker["accessory"]["action_id"] == EDIT_PART and len(picker["accessory"]["options"]) >= 2
    assert ANSWER_2 not in inputs(view) and "edit:headline" in inputs(view)
    post(bot.url, choose(view, EDIT_PART, "1", EDITOR, view_id="V-long"))  # the second part
    updated = bot.slack.wait_for("views.update")[0]
    assert updated["view_id"] == "V-long" and updated["hash"] == "V-long-h"
    part = updated["view"]
    assert ANSWER_2 in inputs(part) and "edit:headline" not in inputs(part)
    assert post(bot.url, submit_inputs(part, {ANSWER_2: EDITED}, EDITOR, "V-long")).status_code == 200
    second = wait_drafts(bot.slack, 2)[1]
    assert "DeepSeek is raising $7.4 billion, The Compute Desk reports." in text_of(second)
    ex = bot.room.show(story_of(first))
    assert ex["headline"] == "Who is backing DeepSeek? Reports split on the co-investor"  # part 1 untouched
    assert ex["draft_version"] == 2


def test_an_edit_job_run_again_after_its_worker_died_posts_the_saved_version_once(bot: Bot) -> None:
    first = start_story(bot)
    story = story_of(first)
    ctx = build_context(Settings(), model_override=scripted())  # the worker that picks the job up again
    register_jobs(ctx)
    args = {
        "story_id": story,
        "version": 1,
        "user": EDITOR,
        "channel": CHANNEL,
        "message_ts": first["_ts"],
        "values": {"faq.1.answer": EDITED},
        "run": "run-1",
    }
    # the first run claimed its run and saved the edit, then its worker died before posting anything
    assert ctx.room.registry.claim_once("edit-run:run-1")
    ctx.room.edit(story, 1, f"slack:{EDITOR}", {"faq.1.answer": EDITED})
    ctx.run_job("edit", args)
    ctx.run_job("edit", args)  # and once more: still one post
    assert len(drafts(bot.slack)) == 2 and json.loads(button(drafts(bot.slack)[1], APPROVE))["version"] == 2
    assert bot.slack.wait_for("chat.update", ts=first["_ts"])[0]["text"].startswith("Superseded by draft 2")
    assert not bot.slack.of("chat.postEphemeral")
    # a different run with the same edit is a stale edit: told so, nothing posted
    ctx.run_job("edit", {**args, "run": "run-2"})
    told = bot.slack.wait_for("chat.postEphemeral")[0]["text"]
    assert "replaced by a newer one (draft 2)" in told and "Your edit was not saved" in told
    assert len(drafts(bot.slack)) == 2
    ctx.room.jobs.shutdown()
