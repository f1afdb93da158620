"""Slack users are untrusted: ingest refused to non-editors and for internal addresses, status per channel,
and the HTTP door refuses malformed requests with a 400 before Bolt sees them."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from newsroom.slack.blocks import APPROVE
from tests.fakes.http import answer, serve_handler, trap_server
from tests.fakes.slack import FakeSlack
from tests.fakes.slackreq import command, post, signed
from tests.integration.test_slack import EDITOR, Bot, button, said, start_story


def ingest(bot: Bot, text: str, user: str = EDITOR, name: str = "ingest") -> str:
    body = command(f"ingest {text}", user=user, respond_to=bot.slack.response_url(name), trigger=f"T-{name}")
    return said(post(bot.url, body))


def reply(slack: FakeSlack, name: str = "ingest") -> str:
    found = slack.wait_for(f"/respond/{name}", timeout=30)
    assert found, "no reply to the ingest"
    return str(found[0]["text"])


@pytest.fixture
def trap() -> Iterator[tuple[str, object]]:
    with trap_server() as t:
        yield t


def test_a_non_editor_cannot_make_the_server_fetch(allow_local: None, bot: Bot, trap: tuple) -> None:
    url, counter = trap
    text = ingest(bot, f"{url}/admin", user="UREPORTER")
    assert text.startswith("Only editors can add sources from Slack; nothing was fetched.")
    time.sleep(0.5)
    assert counter.hits == 0 and bot.slack.of("/respond/ingest") == []


def test_a_member_of_the_ingest_group_may_ingest(
    monkeypatch: pytest.MonkeyPatch, allow_local: None, bot: Bot
) -> None:
    bot.room.settings.slack.ingest_group = "S0DESK"
    bot.slack.group_members = ["UDESK"]
    page = (
        b"<html><body><article><p>"
        + b"The ferry fare rises in March. " * 30
        + b"</p></article></body></html>"
    )
    with serve_handler(answer(200, page)) as (base, _):
        assert ingest(bot, f"{base}/a", user="UDESK").startswith("Ingesting ")
        assert reply(bot.slack).startswith("1 added")


@pytest.mark.parametrize(
    "spelling",
    [
        "{url}/admin",
        "<{url}/admin|news.example.com>",  # a Slack link whose label hides where it goes
        "http://localhost:{port}/admin",
        "http://2130706433:{port}/admin",
        "http://[::1]:{port}/admin",
        "http://0.0.0.0:{port}/admin",
    ],
)
def test_slack_ingest_of_loopback_is_refused(bot: Bot, trap: tuple, spelling: str) -> None:
    url, counter = trap
    port = url.rsplit(":", 1)[1]
    typed = spelling.format(url=url, port=port)
    assert ingest(bot, typed).startswith("Ingesting http://")  # the real URL is echoed, not the label
    text = reply(bot.slack)
    assert "0 added" in text and "private or local address" in text
    assert "INTERNAL" not in text
    assert counter.hits == 0


def test_slack_ingest_of_a_redirect_to_loopback_is_refused(
    monkeypatch: pytest.MonkeyPatch, bot: Bot, trap: tuple
) -> None:
    url, counter = trap
    bot.room.settings.fetch_allow = "127.0.0.2/32"  # the redirector stands for a public site
    with serve_handler(answer(302, Location=f"{url}/admin"), host="127.0.0.2") as (base, hop):
        ingest(bot, f"{base}/story")
        text = reply(bot.slack)
    # the redirector is asked for its robots.txt (redirected to loopback too: refused, so no rules) and the story
    assert hop.hits == 2 and counter.hits == 0
    assert "private or local address" in text


@pytest.mark.parametrize("target", ["file:///etc/passwd", "/etc/passwd", "gopher://127.0.0.1:25/"])
def test_slack_ingest_of_a_file_or_other_scheme_is_refused(bot: Bot, target: str) -> None:
    text = ingest(bot, target)
    assert "Only http(s) links can be added from Slack" in text and "was not fetched" in text
    time.sleep(0.3)
    assert bot.slack.of("/respond/ingest") == []


def test_status_lists_only_the_stories_of_the_channel_it_is_typed_in(bot: Bot) -> None:
    story = json.loads(button(start_story(bot), APPROVE))["story_id"]
    assert story in said(post(bot.url, command("status", channel="CNEWS")))
    elsewhere = said(post(bot.url, command("status", channel="COTHER", trigger="T-9")))
    assert story not in elsewhere and "No stories in this channel yet" in elsewhere
    one = said(post(bot.url, command(f"status {story}", channel="COTHER", trigger="T-10")))
    assert one == f"There is no story {story} in this channel."


def _raw(bot: Bot, head: bytes, body: bytes = b"", wait: float = 15) -> bytes:
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as s:
        s.sendall(head + body)
        return s.recv(4096)


@pytest.mark.parametrize(
    "headers",
    [
        b"Content-Type: application/x-www-form-urlencoded\r\n",  # no Content-Length
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: -5\r\n",
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ten\r\n",
    ],
)
def test_a_missing_negative_or_wrong_content_length_gets_400(bot: Bot, headers: bytes) -> None:
    started = time.monotonic()
    answer_ = _raw(bot, b"POST /slack/events HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n", b"text=x")
    assert answer_.startswith(b"HTTP/1.1 400") and time.monotonic() - started < 5


def test_a_body_shorter_than_its_content_length_gets_400_not_a_hang(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom.slack import server

    monkeypatch.setattr(server, "BODY_TIMEOUT_S", 1.0)
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    assert _raw(bot, head, b"{}").startswith(b"HTTP/1.1 400")


def test_an_oversized_body_is_refused_before_it_is_read(bot: Bot) -> None:
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 300000000\r\n\r\n"
    )
    assert _raw(bot, head, b"x" * 1000).startswith(b"HTTP/1.1 413")


def test_wrong_type_bad_encoding_or_timestamp_get_400(bot: Bot) -> None:
    body = command("status")
    assert post(bot.url, body, headers={"Content-Type": "text/xml"}).status_code == 400
    raw = "text=caf\xe9".encode("latin-1")
    resp = httpx.post(f"{bot.url}/slack/events", content=raw, headers=signed(raw.decode("latin-1")))
    assert resp.status_code == 400 and "UTF-8" in resp.text
    assert post(bot.url, body, headers={"X-Slack-Request-Timestamp": "soon"}).status_code == 400
    assert bot.slack.calls == []


def test_a_half_sent_request_is_dropped_after_the_head_time_out(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom.slack import server

    monkeypatch.setattr(server, "HEADER_TIMEOUT_S", 1.0)
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        started = time.monotonic()
        assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 5
    assert httpx.get(f"{bot.url}/healthz").json() == {"ok": True}


def test_an_oversized_request_head_is_refused_and_the_server_goes_on(bot: Bot) -> None:
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\n" + b"X-Padding: " + b"a" * 20_000 + b"\r\n\r\n"
        )
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400")  # and the connection closed: recv returned b""
    assert bot.slack.calls == []
    assert httpx.get(f"{bot.url}/healthz").json() == {"ok": True}
