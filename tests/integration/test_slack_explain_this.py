"""The Explain this message shortcut, as Slack posts it (a signed message_action): the linked page ingested
through the fetch guard first, an explainer on its title in a new thread, once per delivery."""

from __future__ import annotations

import json
import time
from typing import Any

from newsroom.slack.blocks import APPROVE
from newsroom.slack.ingest import EXPLAIN_THIS
from tests.fakes.http import answer, serve_handler, trap_server
from tests.fakes.slackreq import message_action, post
from tests.integration.test_slack import CHANNEL, EDITOR, Bot, button, wait_drafts

PAGE = (
    b"<html><head><title>DeepSeek &lt;b&gt;closes&lt;/b&gt; its funding round</title></head><body><article>"
    b"<h1>DeepSeek &lt;b&gt;closes&lt;/b&gt; its funding round</h1><p>"
    + b"DeepSeek closed a funding round led by Alibaba, the company said on Monday. " * 12
    + b"</p></article></body></html>"
)


def shortcut(
    bot: Bot, text: str, user: str = EDITOR, trigger: str = "T-3", ts: str = "1700000500.000001"
) -> None:
    message: dict[str, Any] = {"type": "message", "user": "UPOSTER", "ts": ts, "text": text}
    resp = post(bot.url, message_action(EXPLAIN_THIS, message, user, CHANNEL, trigger))
    assert resp.status_code == 200


def ephemeral(bot: Bot) -> str:
    return str(bot.slack.wait_for("chat.postEphemeral", timeout=20)[0]["text"])


def test_explain_this_reads_the_page_and_explains_its_title_once(allow_local: None, bot: Bot) -> None:
    with serve_handler(answer(200, PAGE)) as (base, _):
        text = f"Worth a read <{base}/story|the story> cc <@UOTHER>"
        shortcut(bot, text)
        shortcut(bot, text)  # Slack redelivers the same shortcut
        draft = wait_drafts(bot.slack, 1)[0]
    parents = [b for b in bot.slack.of("chat.postMessage") if "thread_ts" not in b]
    assert len(parents) == 1 and parents[0]["text"].startswith(
        "Explainer on the article at <http://127.0.0.1"
    )
    renamed = bot.slack.wait_for("chat.update", ts=parents[0]["_ts"])[0]
    assert (
        renamed["text"]
        == f"Explainer on “DeepSeek &lt;b&gt;closes&lt;/b&gt; its funding round”, requested by <@{EDITOR}>"
    )
    story = json.loads(button(draft, APPROVE))["story_id"]
    assert story == f"slack-{CHANNEL}-{parents[0]['_ts']}"
    shown = bot.room.show(story)
    assert shown["topic"] == "DeepSeek <b>closes</b> its funding round"
    page = bot.room.registry.attached(story)
    assert len(page) == 1 and page[0] in {s["record_id"] for s in shown["sources"]}
    shortcut(bot, text, user="UOTHER", trigger="T-4")  # another editor, same message: no second story
    assert ephemeral(bot).startswith("An explainer on that message was already started")
    time.sleep(0.3)
    assert len(wait_drafts(bot.slack, 1)) == 1


def test_a_message_without_a_link_gets_a_private_sentence(bot: Bot) -> None:
    shortcut(bot, "what is going on with <#C123> and <@U9>?")
    assert ephemeral(bot).startswith("That message links to no article")
    assert not bot.slack.of("chat.postMessage")


def test_a_link_to_a_private_address_is_refused_by_the_fetch_guard(bot: Bot) -> None:
    with trap_server() as (url, trap):
        shortcut(bot, f"<{url}/admin|news.example.com>")
        deadline = time.monotonic() + 20
        while not any("nothing was started" in t for t in bot.slack.texts()) and time.monotonic() < deadline:
            time.sleep(0.05)
    said = [t for t in bot.slack.texts() if "could not be read" in t]
    assert said and "private or local address" in said[0] and "nothing was started" in said[0]
    assert trap.hits == 0 and not bot.room.status()


def test_only_editors_may_make_the_server_fetch_a_link(allow_local: None, bot: Bot) -> None:
    with trap_server() as (url, trap):
        shortcut(bot, f"<{url}/story>", user="UREPORTER")
        assert ephemeral(bot).startswith("Only editors can add sources from Slack")
    assert trap.hits == 0 and not bot.slack.of("chat.postMessage")
