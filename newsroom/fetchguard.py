"""Fetching a URL someone else named: http(s) only, a public address at every hop, one deadline, a size cap."""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from newsroom import social
from newsroom.parsers import Fetched, Fetcher, FetchError, Parsed, is_url, iter_target
from newsroom.politeness import Politeness, Remembered, Validators
from newsroom.settings import IngestSettings, WebSettings

log = logging.getLogger("newsroom.fetch")
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(FetchError):
    """A URL newsroom will not fetch (scheme, address); the message says why, for a person."""


@dataclass(frozen=True)
class FetchPolicy:
    """Which non-public hosts may be reached: the configured allow-list, plus hosts an operator named.

    `detail` keeps connection errors in messages (the operator's CLI); Slack users get "could not be
    fetched" only, so a refused port and a closed one read the same.
    """

    hosts: frozenset[str] = frozenset()
    nets: tuple[IPNetwork, ...] = ()
    detail: bool = False

    @classmethod
    def from_setting(cls, allow: str, named: Iterable[str] = (), detail: bool = False) -> FetchPolicy:
        hosts: set[str] = {h for h in (urlsplit(n).hostname for n in named) if h}
        nets: list[IPNetwork] = []
        for item in (a.strip() for a in allow.split(",")):
            if not item:
                continue
            try:
                nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower())
        return cls(frozenset(h.lower() for h in hosts), tuple(nets), detail)

    def permits(self, host: str, address: IPAddress) -> bool:
        if is_public(address):
            return True
        return host.lower() in self.hosts or any(address in net for net in self.nets)


def is_public(address: IPAddress) -> bool:
    """A globally routable unicast address: not loopback, private, link-local (cloud metadata), CGNAT,
    multicast, reserved or unspecified; IPv4 mapped or embedded in IPv6 is judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address in _NAT64:
            return is_public(ipaddress.IPv4Address(address.packed[-4:]))
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified or address.is_loopback
    )


def resolve(host: str, port: int, policy: FetchPolicy) -> IPAddress:
    """The address to connect to; every address the name resolves to must be permitted."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"the host {host} could not be found") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses or not all(policy.permits(host, a) for a in addresses):
        raise Refused(f"{host} is a private or local address; newsroom fetches only public web addresses")
    return addresses[0]


@dataclass
class _Budget:
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def left(self, url: str) -> float:
        remaining = self.seconds - (time.monotonic() - self.started)
        if remaining <= 0:
            raise FetchError(f"{url} did not finish within {self.seconds:g} s")
        return remaining


def guarded_fetcher(
    settings: IngestSettings, policy: FetchPolicy, polite: Politeness | None = None
) -> GuardedFetcher:
    """A fetcher that checks every hop's address, connects to that address, and caps time and size;
    `polite` adds the site rate limit, robots.txt for pages and conditional requests."""
    return GuardedFetcher(settings, policy, polite)


class GuardedFetcher:
    """Called with a URL for a page or feed; `api(url)` for a platform's API, which is no crawled page:
    rate-limited like any request, never checked against robots.txt or fetched conditionally."""

    def __init__(self, settings: IngestSettings, policy: FetchPolicy, polite: Politeness | None) -> None:
        self.settings, self.policy, self.polite = settings, policy, polite

    def __call__(self, url: str) -> Fetched:
        return self._fetch(url, page=True)

    def api(self, url: str) -> Fetched:
        return self._fetch(url, page=False)

    def _fetch(self, url: str, page: bool) -> Fetched:
        settings, policy = self.settings, self.policy
        budget = _Budget(settings.fetch_timeout_s)
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                headers, remembered = self._before(current, page, budget)
                resp, body = _one_hop(current, settings, policy, budget, headers)
                if resp.status_code == 304 and remembered is not None:
                    # Not changed since last time: the remembered page, whose records are already stored
                    return Fetched(
                        remembered.url, remembered.body, remembered.content_type, not_modified=True
                    )
                location = resp.headers.get("location")
                if resp.status_code in _REDIRECTS and location:
                    current = urljoin(current, location)
                    continue
                if resp.status_code >= 400:
                    raise FetchError(
                        f"{current} answered {resp.status_code} {resp.reason_phrase}"
                        if policy.detail
                        else f"{url} could not be fetched (it answered {resp.status_code})"
                    )
                ctype = resp.headers.get("content-type", "")
                if page and self.polite and self.polite.validators and resp.status_code == 200:
                    self.polite.validators.put(
                        current,
                        Remembered(
                            current,
                            resp.headers.get("etag", ""),
                            resp.headers.get("last-modified", ""),
                            ctype,
                            body,
                        ),
                    )
                return Fetched(current, body, ctype)
            raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times")
        except (Refused, FetchError):
            raise
        except httpx.TimeoutException:
            raise FetchError(f"{url} did not answer within {settings.fetch_timeout_s:g} s") from None
        except (httpx.HTTPError, OSError, ValueError) as exc:
            log.info("fetch of %s failed: %s", url, exc)
            if policy.detail:
                raise FetchError(f"could not reach {url} ({type(exc).__name__})") from None
            raise FetchError(f"{url} could not be fetched") from None

    def _before(self, url: str, page: bool, budget: _Budget) -> tuple[dict[str, str], Remembered | None]:
        """robots.txt, the site's rate limit and the conditional headers of one hop; time spent waiting
        for a turn is not held against the fetch's own deadline."""
        polite = self.polite
        if polite is None:
            return {"User-Agent": self.settings.user_agent}, None
        headers = {"User-Agent": polite.user_agent}
        started = time.monotonic()
        robots = polite.robots if page and urlsplit(url).scheme in ("http", "https") else None
        if robots and not robots.allows(url, self._robots_txt):
            raise Refused(f"{url} is not fetched: the site's robots.txt asks crawlers like newsroom not to")
        remembered = polite.validators.get(url) if page and polite.validators else None
        headers |= Validators.headers(remembered)
        polite.limiter.wait(url)
        budget.started += time.monotonic() - started
        return headers, remembered

    def _robots_txt(self, url: str) -> tuple[int, bytes]:
        """A site's robots.txt through the same guard (its address checked at every hop): status and body."""
        assert self.polite is not None
        budget = _Budget(min(self.settings.fetch_timeout_s, 10.0))
        for _ in range(MAX_REDIRECTS + 1):
            resp, body = _one_hop(
                url, self.settings, self.policy, budget, {"User-Agent": self.polite.user_agent}
            )
            location = resp.headers.get("location")
            if resp.status_code in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            return resp.status_code, body
        return 404, b""


def _one_hop(
    url: str, settings: IngestSettings, policy: FetchPolicy, budget: _Budget, headers: dict[str, str]
) -> tuple[httpx.Response, bytes]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"{url} is not an http(s) link; newsroom fetches only web pages and feeds")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(host, port, policy)
    # Connect to the address just checked (no second lookup an attacker's DNS could answer differently);
    # the Host header and TLS name stay the real host, so virtual hosts and certificates still work.
    target = httpx.URL(url).copy_with(host=str(address))
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    with httpx.Client(timeout=budget.left(url), follow_redirects=False, trust_env=False) as client:
        request = client.build_request(
            "GET",
            target,
            headers={"Host": parts.netloc.rpartition("@")[2], **headers},
            extensions=extensions,
        )
        resp = client.send(request, stream=True)
        try:
            if resp.status_code in _REDIRECTS or resp.status_code >= 400:
                return resp, b""
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.max_fetch_bytes:
                raise FetchError(_too_big(url, settings))
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > settings.max_fetch_bytes:
                    raise FetchError(_too_big(url, settings))
                chunks.append(chunk)
                budget.left(url)  # a server dripping bytes is held to the whole fetch's deadline
            return resp, b"".join(chunks)
        finally:
            resp.close()


def _too_big(url: str, settings: IngestSettings) -> str:
    return f"{url} is larger than {settings.max_fetch_bytes // 1_000_000} MB; newsroom did not read it"


def iter_url(
    target: str, settings: IngestSettings, fetch: Fetcher, web: WebSettings | None = None
) -> Iterator[Parsed]:
    """What a stranger's target stands for: an http(s) URL's or a social source's records (fetched through
    the same guarded fetcher), never a file on the server."""
    if not is_url(target) and not social.is_social(target):
        yield Parsed(
            target,
            error="not an http(s) link or a social source (reddit:, hn:, bsky:, mastodon:); only web pages, "
            "feeds and social posts can be added from Slack",
        )
        return
    yield from iter_target(target, settings, fetch, web=web)
