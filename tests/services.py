"""Real services for the tests that need them: a fresh PostgreSQL database per test and a `chroma run` server.

On a machine without them the test skips with a line saying why; with `NEWSROOM_REQUIRE_SERVICES=1` (CI) it
fails instead, so a missing service can never pass as green. `NEWSROOM_TEST_POSTGRES` names the server
(default `postgresql://postgres@127.0.0.1:5432/postgres`, trust auth as on the python-svc machines).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# Read at import: the autouse fixture clears NEWSROOM_* before each test runs.
REQUIRE = os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1"
ADMIN_URL = os.environ.get("NEWSROOM_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def unavailable(why: str) -> None:
    """Skip saying why, or fail when every service is required."""
    if REQUIRE:
        pytest.fail(why + " and NEWSROOM_REQUIRE_SERVICES=1 asks for every service")
    pytest.skip(why)


def _with_db(url: str, name: str) -> str:
    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")


def _admin() -> object:
    import psycopg

    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL is not reachable at {ADMIN_URL} ({str(exc).strip().splitlines()[0]})")
        raise  # unreachable: unavailable() skips or fails


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A database of its own (created here, dropped after, whatever the test did to it)."""
    import psycopg

    name = f"newsroom_test_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    assert isinstance(admin, psycopg.Connection)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(ADMIN_URL, name)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chroma_binary() -> str | None:
    here = Path(sys.executable).with_name("chroma")
    return str(here) if here.exists() else shutil.which("chroma")


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` server on a free local port, its data under the test's tmp dir."""
    binary = _chroma_binary()
    if binary is None:
        unavailable("the `chroma` command (chromadb's server) is not installed")
    assert binary is not None
    port = free_port()
    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen(
        [
            binary,
            "run",
            "--path",
            str(tmp_path / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                unavailable(f"`chroma run` did not start (see {tmp_path / 'chroma.log'})")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
