"""The fetch guard, attacked over real HTTP: internal addresses, redirects, drips and floods are refused."""

from __future__ import annotations

import ipaddress
import time
from http.server import BaseHTTPRequestHandler

import pytest

from newsroom.fetchguard import FetchPolicy, Refused, guarded_fetcher, is_public
from newsroom.parsers import FetchError
from newsroom.service import Newsroom
from newsroom.settings import IngestSettings, Settings
from tests.fakes.http import answer, serve_handler, trap_server

STRICT = FetchPolicy()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # CGNAT
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a00:1",
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_loopback_in_every_spelling_is_refused_with_nothing_fetched() -> None:
    fetch = guarded_fetcher(IngestSettings(), STRICT)
    with trap_server() as (base, trap):
        port = base.rsplit(":", 1)[1]
        spellings = [
            base,
            f"http://localhost:{port}/",
            f"http://2130706433:{port}/",  # decimal
            f"http://0177.0.0.1:{port}/",  # octal
            f"http://0x7f.1:{port}/",
            f"http://0.0.0.0:{port}/",
            f"http://[::1]:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
        ]
        for url in spellings:
            with pytest.raises(FetchError):
                fetch(url)
        assert trap.hits == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:25/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(Refused, match="not an http"):
        guarded_fetcher(IngestSettings(), STRICT)(url)


def test_a_redirect_to_loopback_is_refused_at_the_hop() -> None:
    # The redirector stands for a public site: it is on 127.0.0.2, allowed by an explicit CIDR.
    policy = FetchPolicy.from_setting("127.0.0.2/32")
    with (
        trap_server() as (trap_url, trap),
        serve_handler(answer(302, Location=f"{trap_url}/admin"), host="127.0.0.2") as (base, hop),
        pytest.raises(Refused, match="private or local"),
    ):
        guarded_fetcher(IngestSettings(), policy)(f"{base}/story")
    assert hop.hits == 1 and trap.hits == 0


def test_the_allow_list_reaches_what_it_names_and_nothing_else() -> None:
    with trap_server() as (base, trap):
        assert (
            b"INTERNAL"
            in guarded_fetcher(IngestSettings(), FetchPolicy.from_setting("127.0.0.1"))(base).content
        )
        with pytest.raises(Refused):
            guarded_fetcher(IngestSettings(), FetchPolicy.from_setting("10.0.0.0/8"))(base)
    assert trap.hits == 1


def _drip(req: BaseHTTPRequestHandler) -> None:
    req.send_response(200)
    req.send_header("Content-Type", "text/html")
    req.send_header("Content-Length", "100000")
    req.end_headers()
    try:
        for _ in range(200):
            req.wfile.write(b"x")
            req.wfile.flush()
            time.sleep(0.3)
    except OSError:
        pass


def test_a_dripping_server_is_held_to_one_deadline_for_the_whole_fetch() -> None:
    fetch = guarded_fetcher(IngestSettings(fetch_timeout_s=2.0), FetchPolicy.from_setting("127.0.0.1"))
    with serve_handler(_drip) as (base, _):
        started = time.monotonic()
        with pytest.raises(FetchError, match="did not finish within 2 s"):
            fetch(base)
        assert time.monotonic() - started < 4


def _flood(req: BaseHTTPRequestHandler) -> None:
    req.send_response(200)
    req.send_header("Content-Type", "text/html")
    req.end_headers()  # no Content-Length: the cap must hold while reading
    try:
        for _ in range(100):
            req.wfile.write(b"y" * 1_000_000)
    except OSError:
        pass


def test_a_page_over_the_size_cap_is_not_read() -> None:
    settings = IngestSettings(max_fetch_bytes=2_000_000)
    fetch = guarded_fetcher(settings, FetchPolicy.from_setting("127.0.0.1"))
    with serve_handler(_flood) as (base, _), pytest.raises(FetchError, match="larger than 2 MB"):
        fetch(base)
    big = answer(200, b"z" * 3_000_000)
    with serve_handler(big) as (base, _), pytest.raises(FetchError, match="larger than 2 MB"):
        fetch(base)


def test_a_stranger_hears_could_not_be_fetched_not_the_connection_detail() -> None:
    with serve_handler(answer(503)) as (base, _), pytest.raises(FetchError) as err:
        guarded_fetcher(IngestSettings(), FetchPolicy.from_setting("127.0.0.1"))(base)
    assert str(err.value) == f"{base} could not be fetched (it answered 503)"


def test_feed_links_follow_the_feeds_rules(settings: Settings) -> None:
    """A public feed (allowed by CIDR) linking to an internal page: the entry keeps its summary."""
    with trap_server() as (trap_url, trap):
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title><item>'
            f"<title>Ferry fares</title><link>{trap_url}/admin</link>"
            "<description>Ferry fares rise by 5 percent in March.</description></item></channel></rss>"
        ).encode()
        with serve_handler(answer(200, feed, "application/rss+xml"), host="127.0.0.2") as (base, _):
            room = Newsroom(Settings(data_dir=settings.data_dir, fetch_allow="127.0.0.2/32"))
            parsed = room.read_targets([f"{base}/feed.xml"], untrusted=True)
    assert [p.record.text for p in parsed if p.record] == ["Ferry fares rise by 5 percent in March."]
    assert trap.hits == 0
