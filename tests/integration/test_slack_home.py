"""App Home and the New explainer modal over signed HTTP, against the fake Web API (which refuses any view
breaking Block Kit's limits, as Slack does)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.slack.app import build_app, build_context
from newsroom.slack.blocks import APPROVE
from newsroom.slack.home_blocks import HOME_PAGE, NEW_EXPLAINER
from newsroom.slack.server import http_server
from tests.fakes import blockkit
from tests.fakes.scripted import DEMO, scripted
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import JSON, click, command, event, home_click, post, submit_view
from tests.integration.test_slack import EDITOR, allow_local, button, slack_env, wait_drafts

__all__ = ["allow_local"]  # a fixture this module's tests ask for
BEAT_CHANNEL = "CAI"
TOPIC = "the DeepSeek funding round"


@dataclass
class Bot:
    url: str
    slack: FakeSlack
    room: Newsroom


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    beats = tmp_path / "beats.toml"
    beats.write_text(
        f'[beats.ai-industry]\nchannel = "{BEAT_CHANNEL}"\nsources = ["{DEMO}"]\n'
        'schedule = "0 7 * * 1-5"\ntimezone = "UTC"\nlookback = "3650d"\n',
        encoding="utf-8",
    )
    with fake_slack() as slack:
        slack_env(monkeypatch, slack, tmp_path / "data")
        monkeypatch.setenv("NEWSROOM_BEATS_FILE", str(beats))
        ctx = build_context(Settings(), model_override=scripted())
        ctx.room.ingest([str(DEMO)])
        server = http_server(build_app(ctx), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_address[1]}", slack, ctx.room)
        finally:
            ctx.room.jobs.shutdown()
            server.shutdown()
            server.server_close()


def open_home(bot: Bot, user: str, n: int = 1) -> dict[str, Any]:
    """The Home tab opened by `user`: the `n`th view published for them (Slack accepted it)."""
    resp = post(
        bot.url, event({"type": "app_home_opened", "user": user, "tab": "home"}, f"Ev-{user}-{n}"), JSON
    )
    assert resp.status_code == 200
    return home_of(bot, user, n)


def home_of(bot: Bot, user: str, n: int = 1, timeout: float = 60) -> dict[str, Any]:
    views = bot.slack.wait_for("views.publish", n, timeout=timeout, user_id=user)
    assert len(views) >= n, f"Home of {user} was published {len(views)} times, expected {n}"
    view = views[n - 1]["view"]
    assert blockkit.problems(view) == []
    return dict(view)


def text(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def pager(view: dict[str, Any]) -> dict[str, str]:
    return {
        el["text"]["text"]: el["value"]
        for b in view["blocks"]
        for el in b.get("elements") or []
        if el.get("action_id") == HOME_PAGE
    }


def test_an_editors_home_lists_the_waiting_draft_and_the_requester_is_refreshed(bot: Bot) -> None:
    post(bot.url, command(f"explain {TOPIC}", user="UREQ"))
    draft = wait_drafts(bot.slack, 1)[0]
    story = json.loads(button(draft, APPROVE))["story_id"]
    mine = home_of(bot, "UREQ")  # never opened Home, but asked for the story: refreshed when the draft came
    assert TOPIC in text(mine) and "pending approval" in text(mine)
    assert "Waiting for a decision" not in text(mine) and "newsroom_approve" not in text(mine)
    home = open_home(bot, EDITOR)
    body = text(home)
    assert "Waiting for a decision (1)" in body and "requested by <@UREQ>" in body
    channel, ts = story.removeprefix("slack-").rsplit("-", 1)
    assert f"https://fake.slack.test/archives/{channel}/p{ts.replace('.', '')}|" in body
    assert "waiting 0 min" in body and "draft 1" in body
    assert "*ai-industry* in <#CAI> — next run <!date^" in body and "New explainer" in body


def test_an_approval_refreshes_the_home_of_editors_who_opened_it(bot: Bot) -> None:
    post(bot.url, command(f"explain {TOPIC}", user="UREQ"))
    draft = wait_drafts(bot.slack, 1)[0]
    assert "Waiting for a decision (1)" in text(open_home(bot, EDITOR))
    post(bot.url, click(APPROVE, button(draft, APPROVE), EDITOR, "CNEWS", draft["_ts"]))
    after = home_of(bot, EDITOR, 2)
    assert "Waiting for a decision (0)" in text(after) and "Nothing is waiting" in text(after)
    assert TOPIC in text(after)  # published in the last 7 days
    assert "— published, <!date^" in text(home_of(bot, "UREQ", 2))


def test_two_hundred_waiting_drafts_are_paged_within_slacks_limits(bot: Bot) -> None:
    for i in range(200):
        story = f"slack-CNEWS-1700000000.{i:06d}"
        bot.room.registry.add_story(story, f"topic {i} <!channel>", "slack:UREQ")
        bot.room.registry.set_status(story, "pending_approval", 1)
    view, shown = open_home(bot, EDITOR), []
    for page in range(1, 30):
        shown += [i for i in range(200) if f"|topic {i} &lt;!channel&gt;>" in text(view)]
        assert len(view["blocks"]) <= 100 and "<!channel>" not in text(view)
        if "Next" not in pager(view):
            break
        post(bot.url, home_click(HOME_PAGE, pager(view)["Next"], EDITOR))
        view = home_of(bot, EDITOR, page + 1)
    assert sorted(shown) == list(range(200)) and len(shown) == 200
    assert "Drafts 196–200 of 200, oldest first" in text(view) and pager(view) == {"Previous": "12"}
    post(bot.url, home_click(HOME_PAGE, "12", EDITOR))
    assert "Drafts 181–195 of 200" in text(home_of(bot, EDITOR, 15))
    reporter = open_home(bot, "UREPORTER")
    assert "Waiting for a decision" not in text(reporter) and not pager(reporter)


def new_explainer(bot: Bot, user: str = "UREQ") -> dict[str, Any]:
    post(bot.url, home_click(NEW_EXPLAINER, "new", user, trigger="T-NEW"))
    opened = bot.slack.wait_for("views.open", trigger_id="T-NEW")
    assert opened, "no modal opened"
    return dict(opened[-1]["view"])


def values(topic: str, beat: str | None = None, links: str = "") -> dict[str, Any]:
    return {
        "topic": {"text": {"type": "plain_text_input", "value": topic}},
        "beat": {"choice": {"type": "static_select", "selected_option": {"value": beat} if beat else None}},
        "links": {"text": {"type": "plain_text_input", "value": links}},
    }


def test_new_explainer_starts_one_story_in_the_beats_channel_however_often_it_is_submitted(bot: Bot) -> None:
    modal = new_explainer(bot)
    assert blockkit.problems(modal) == []
    options = next(b for b in modal["blocks"] if b["block_id"] == "beat")["element"]["options"]
    assert [o["value"] for o in options] == ["ai-industry"]
    body = submit_view(modal, values(f"  {TOPIC} ", "ai-industry"), "UREQ", view_id="V-NEW-1")
    assert [post(bot.url, body).status_code for _ in range(3)] == [200, 200, 200]
    draft = wait_drafts(bot.slack, 1)[0]
    parents = [
        m for m in bot.slack.of("chat.postMessage") if "thread_ts" not in m and m.get("blocks") is None
    ]
    assert [(p["channel"], p["text"]) for p in parents] == [
        (BEAT_CHANNEL, f"Explainer on “{TOPIC}” on the ai-industry beat, requested by <@UREQ>")
    ]
    assert draft["channel"] == BEAT_CHANNEL and draft["thread_ts"] == parents[0]["_ts"]
    row = bot.room.status(f"slack-{BEAT_CHANNEL}-{parents[0]['_ts']}")[0]
    assert json.loads(row["meta"])["payload"]["beat"] == "ai-industry" and row["requested_by"] == "slack:UREQ"
    time.sleep(0.5)
    assert len(wait_drafts(bot.slack, 1)) == 1


def errors_of(resp: httpx.Response) -> dict[str, str]:
    assert resp.status_code == 200 and "json" in resp.headers.get("content-type", "")
    answer = resp.json()
    assert answer["response_action"] == "errors"
    return dict(answer["errors"])


def test_a_bad_submission_is_answered_in_the_modal_and_starts_nothing(bot: Bot) -> None:
    modal = new_explainer(bot)
    assert set(errors_of(post(bot.url, submit_view(modal, values("   "), "UREQ")))) == {"topic"}
    private = errors_of(
        post(bot.url, submit_view(modal, values(TOPIC, "ai-industry", "http://127.0.0.1:9/x"), "UREQ"))
    )
    assert "private or local address" in private["links"]
    odd = errors_of(post(bot.url, submit_view(modal, values(TOPIC, links="file:///etc/passwd"), "UREQ")))
    assert "not an http(s) link" in odd["links"]
    # no beat picked and no NEWSROOM_SLACK_EXPLAIN_CHANNEL: nowhere to start it
    assert (
        "NEWSROOM_SLACK_EXPLAIN_CHANNEL"
        in errors_of(post(bot.url, submit_view(modal, values(TOPIC), "UREQ")))["beat"]
    )
    assert bot.slack.of("chat.postMessage") == [] and bot.room.status() == []


def test_links_in_the_modal_are_read_before_research(allow_local: None, bot: Bot) -> None:
    from tests.fakes.http import serve_pages

    page = (
        b"<html><head><title>Council vote</title></head><body><article><p>" + b"The council voted 7-2. " * 30
    )
    with serve_pages({"/a": (200, "text/html", page + b"</p></article></body></html>")}) as site:
        modal = new_explainer(bot)
        post(bot.url, submit_view(modal, values(TOPIC, "ai-industry", f"{site}/a"), "UREQ", view_id="V-L"))
        wait_drafts(bot.slack, 1)
    thread = bot.slack.texts()
    reading = thread.index("Reading 1 link first …")
    assert (
        thread[reading + 1].startswith("1 added") and thread.index("Researching the source store …") > reading
    )
