"""The bot token goes to Slack's file host only: a file URL elsewhere, or a redirect away, is refused unfetched."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import SecretStr

from newsroom.settings import Settings
from newsroom.slack.files import FileRefused, download, slack_file_url
from tests.fakes.http import answer, serve_handler, trap_server


def context(api_url: str, cap: int = 1000) -> Any:
    settings = Settings(slack_bot_token=SecretStr("xoxb-secret"))
    settings.slack.api_url = api_url
    settings.slack.max_file_bytes = cap
    return SimpleNamespace(settings=settings)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/a.pdf", True),
        ("http://files.slack.com/files-pri/T1-F1/a.pdf", False),  # not over TLS
        ("https://files.slack.com:8443/a.pdf", False),
        ("https://files.slack.com.evil.example/a.pdf", False),
        ("https://evil.example/files.slack.com/a.pdf", False),
        (
            "https://slack.com/files-pri/a.pdf",
            True,
        ),  # the API's own host gets the token with every call anyway
        ("http://slack.com/files-pri/a.pdf", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("", False),
    ],
)
def test_only_slacks_file_host_is_trusted_with_the_token(url: str, ok: bool) -> None:
    assert slack_file_url(context("https://slack.com/api/"), url) is ok


def test_a_redirect_away_from_the_file_host_is_not_followed() -> None:
    with (
        trap_server("127.0.0.2") as (trap_url, trap),
        serve_handler(answer(302, Location=f"{trap_url}/steal")) as (base, hop),
        pytest.raises(FileRefused, match="not on Slack's file host"),
    ):
        download(context(f"{base}/api/"), f"{base}/files-pri/T1-F1/download/a.pdf", "a.pdf")
    assert hop.hits == 1 and trap.hits == 0


def test_a_download_larger_than_the_cap_is_stopped_whatever_slack_said() -> None:
    with (
        serve_handler(answer(200, b"x" * 5000, ctype="application/pdf")) as (base, _),
        pytest.raises(FileRefused, match="over the 1 kB limit"),
    ):
        download(context(f"{base}/api/", cap=1000), f"{base}/files-pri/T1-F1/download/a.pdf", "a.pdf")
