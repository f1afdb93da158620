"""/healthz and /readyz as a load balancer and an operator see them: real HTTP to the front, a real PostgreSQL
(or none listening), a real `chroma run` (or none), and the fake Slack Web API answering auth.test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_bolt import App

from newsroom.database.schema import upgrade
from newsroom.health import Check, readiness
from newsroom.settings import Settings
from newsroom.slack.server import http_server
from tests.fakes.server import QuietHandler, serve
from tests.fakes.slack import FakeSlack, fake_slack
from tests.fakes.slackreq import SECRET
from tests.services import chroma_url, free_port, postgres_url  # noqa: F401  (fixtures)

TOKEN = "xoxb-health-token"


def apply_queue_schema(url: str) -> None:
    """Every table, procrastinate's among them, as `newsroom db upgrade` makes them."""
    upgrade(url)


@contextmanager
def front(settings: Settings, with_checks: bool = True) -> Iterator[str]:
    """The HTTP front on a free port, its readiness the settings' checks; yields its base URL."""
    bolt = App(signing_secret=SECRET, token=TOKEN, token_verification_enabled=False)
    ready = (lambda: readiness(settings, slack=True)) if with_checks else None
    server = http_server(bolt, "127.0.0.1", 0, ready=ready)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def settings_for(slack: FakeSlack, tmp_path: Path, **more: Any) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        slack={"api_url": slack.api_url},
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        **more,
    )


def test_readyz_is_200_when_the_database_chroma_and_slack_all_answer(
    postgres_url: str,  # noqa: F811
    chroma_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    apply_queue_schema(postgres_url)
    with fake_slack() as slack:
        settings = settings_for(slack, tmp_path, database_url=postgres_url, chroma_url=chroma_url)
        with front(settings) as url:
            assert httpx.get(f"{url}/healthz").json() == {"ok": True}
            resp = httpx.get(f"{url}/readyz", timeout=10)
        assert resp.status_code == 200, resp.text
        report = resp.json()
        assert report["ready"] is True and report["failing"] == []
        assert [(c["name"], c["ok"]) for c in report["checks"]] == [
            ("database", True),
            ("chroma", True),
            ("slack", True),
        ]
        db_name = postgres_url.rsplit("/", 1)[1]
        assert report["checks"][0]["sentence"] == f"Database {db_name} on 127.0.0.1:5432 answers."
        assert report["checks"][2]["sentence"] == "Slack accepts the bot token (bot user UBOT)."
        [auth] = [c for c in slack.calls if c["method"] == "auth.test"]
        assert auth["auth"] == f"Bearer {TOKEN}"


def test_readyz_is_503_with_a_sentence_per_failure_while_healthz_stays_200(tmp_path: Path) -> None:
    dead_pg, dead_chroma = free_port(), free_port()
    database = f"postgresql://newsroom:s3cret-pw@127.0.0.1:{dead_pg}/newsroom"
    with fake_slack() as slack:
        answer = slack.answer
        slack.answer = lambda method, body: (  # type: ignore[method-assign]
            {"ok": False, "error": "invalid_auth"} if method == "auth.test" else answer(method, body)
        )
        settings = settings_for(
            slack, tmp_path, database_url=database, chroma_url=f"http://127.0.0.1:{dead_chroma}"
        )
        with front(settings) as url:
            started = time.monotonic()
            resp = httpx.get(f"{url}/readyz", timeout=15)
            took = time.monotonic() - started
            alive = httpx.get(f"{url}/healthz")
    assert alive.status_code == 200
    assert resp.status_code == 503 and took < 8
    report = resp.json()
    assert report["ready"] is False
    db, chroma, slack_said = report["failing"]
    assert db.startswith(f"Database newsroom on 127.0.0.1:{dead_pg} cannot be reached (")
    assert db.endswith("NEWSROOM_DATABASE_URL names the right host and port.")
    assert chroma.startswith(f"The Chroma server at http://127.0.0.1:{dead_chroma} cannot be reached")
    assert slack_said == "Slack refused the bot token (invalid_auth); check SLACK_BOT_TOKEN."
    assert "s3cret-pw" not in resp.text and TOKEN not in resp.text


def test_a_database_without_the_queue_tables_is_not_ready_until_upgraded(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    with fake_slack() as slack:
        settings = settings_for(slack, tmp_path, database_url=postgres_url)
        with front(settings) as url:
            before = httpx.get(f"{url}/readyz", timeout=10)
            apply_queue_schema(postgres_url)
            time.sleep(1.1)  # past the second in which probes share one round of checks
            after = httpx.get(f"{url}/readyz", timeout=10)
    assert before.status_code == 503
    assert before.json()["failing"] == [
        f"Database {postgres_url.rsplit('/', 1)[1]} on 127.0.0.1:5432 answers but has no job queue tables; "
        "run `newsroom db upgrade`."
    ]
    assert after.status_code == 200, after.text
    # no database URL: the embedded store is what is checked, and it opens under the data dir
    assert [c["name"] for c in after.json()["checks"]] == ["database", "chroma", "slack"]


def test_probes_arriving_together_share_one_round_of_checks(tmp_path: Path) -> None:
    with fake_slack() as slack:
        with front(settings_for(slack, tmp_path)) as url, ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(lambda _: httpx.get(f"{url}/readyz", timeout=10), range(10)))
        assert {a.status_code for a in answers} == {200}
        assert len(slack.of("auth.test")) == 1


def test_a_server_built_without_checks_does_not_claim_to_be_ready(tmp_path: Path) -> None:
    with fake_slack() as slack, front(settings_for(slack, tmp_path), with_checks=False) as url:
        resp = httpx.get(f"{url}/readyz")
        assert httpx.get(f"{url}/healthz").status_code == 200
    assert resp.status_code == 503
    assert resp.json()["failing"] == [
        "This server was started without readiness checks; `newsroom serve` gives it them."
    ]


class _Hang(QuietHandler):
    def do_GET(self) -> None:
        time.sleep(10)


def test_a_dependency_that_hangs_fails_its_check_within_the_time_out(tmp_path: Path) -> None:
    with serve(_Hang) as hanging:
        settings = Settings(data_dir=tmp_path / "data", chroma_url=hanging)
        started = time.monotonic()
        [check] = readiness(settings, slack=False, timeout_s=1.0)
        took = time.monotonic() - started
    assert took < 3
    assert check.name == "chroma" and not check.ok
    assert check.sentence.startswith(f"The Chroma server at {hanging} cannot be reached (")


def test_the_embedded_store_is_ready_when_its_directory_opens(tmp_path: Path) -> None:
    fine = readiness(Settings(data_dir=tmp_path / "data"), slack=False)
    assert fine == [
        Check("chroma", True, f"The embedded record store at {tmp_path / 'data' / 'chroma'} opens.")
    ]

    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("a file where the data dir should be")
    [blocked] = readiness(Settings(data_dir=not_a_dir), slack=False)
    assert not blocked.ok and blocked.sentence.startswith(
        f"The embedded record store at {not_a_dir / 'chroma'}"
    )
    assert blocked.sentence.endswith("check NEWSROOM_DATA_DIR and its permissions.")

    broken = tmp_path / "broken"
    (broken / "chroma").mkdir(parents=True)
    (broken / "chroma" / "chroma.sqlite3").write_bytes(b"not a database, just bytes " * 100)
    [corrupt] = readiness(Settings(data_dir=broken), slack=False)
    assert not corrupt.ok and "file is not a database" in corrupt.sentence


def test_without_a_bot_token_the_slack_check_says_so(tmp_path: Path) -> None:
    checks = readiness(Settings(data_dir=tmp_path / "data"), slack=True)
    assert [c.name for c in checks] == ["chroma", "slack"]
    assert checks[1] == Check(
        "slack", False, "SLACK_BOT_TOKEN is not set, so Slack cannot be asked who the bot is."
    )


@pytest.mark.parametrize("answer", [{"ok": False, "error": "account_inactive"}])
def test_a_revoked_token_fails_without_waiting_out_retries(tmp_path: Path, answer: dict[str, Any]) -> None:
    with fake_slack() as slack:
        slack.answer = lambda method, body: answer  # type: ignore[method-assign]
        started = time.monotonic()
        checks = readiness(settings_for(slack, tmp_path), slack=True)
        assert time.monotonic() - started < 3
    assert checks[1].sentence == "Slack refused the bot token (account_inactive); check SLACK_BOT_TOKEN."


def test_a_database_that_accepts_but_never_answers_fails_within_seconds(tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # connections are accepted by the kernel, and nothing ever speaks
        port = silent.getsockname()[1]
        settings = Settings(
            data_dir=tmp_path / "data", database_url=f"postgresql://u:pw-9@127.0.0.1:{port}/news"
        )
        started = time.monotonic()
        database, store = readiness(settings, slack=False, timeout_s=1.0)
        took = time.monotonic() - started
    assert took < 3.5
    assert database.sentence == (
        f"Database news on 127.0.0.1:{port} cannot be reached (connection timeout expired); check that "
        "PostgreSQL is running there and that NEWSROOM_DATABASE_URL names the right host and port."
    )
    assert store.ok  # one dependency hanging does not hold up the others' answers
