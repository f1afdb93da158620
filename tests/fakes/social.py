"""A local stand-in for Reddit, HN Algolia, Bluesky's AppView and Mastodon: recorded answers over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from newsroom.settings import Settings, WebSettings
from tests.fakes.http import serve_handler

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "social"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# path (no query) -> recorded answer; each platform under its own prefix, as the settings point them
ROUTES: dict[str, str] = {
    "/reddit/r/LocalLLaMA/new.json": "reddit_subreddit_new.json",
    "/reddit/search.json": "reddit_search.json",
    "/reddit/r/LocalLLaMA/comments/1h9abcd.json": "reddit_post_comments.json",
    "/hn/items/42871234": "hn_item.json",
    "/hn/search_by_date": "hn_search.json",
    "/bsky/xrpc/app.bsky.feed.searchPosts": "bsky_search_posts.json",
    "/bsky/xrpc/app.bsky.feed.getAuthorFeed": "bsky_author_feed.json",
    "/bsky/xrpc/app.bsky.feed.getPostThread": "bsky_post_thread.json",
    "/masto/mastodon.social/api/v1/timelines/tag/deepseek": "mastodon_tag_timeline.json",
    "/masto/mastodon.social/api/v1/statuses/113580000000000001": "mastodon_status.json",
    "/masto/mastodon.social/api/v1/statuses/113580000000000001/context": "mastodon_status_context.json",
    "/masto/mastodon.social/api/v1/accounts/lookup": "mastodon_account_lookup.json",
}


@dataclass
class Platforms:
    """The fake's base URL, every request it got (path with query), and answers a test may swap in."""

    base: str
    requests: list[str] = field(default_factory=list)
    overrides: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)

    def web(self, **changes: object) -> WebSettings:
        """Settings reading every platform here; no rate limit unless a test asks (these tests are about
        what is read, and the limit has its own tests)."""
        fields: dict[str, object] = {
            "reddit_url": f"{self.base}/reddit",
            "hn_url": f"{self.base}/hn",
            "bsky_url": f"{self.base}/bsky",
            "mastodon_url": f"{self.base}/masto/{{instance}}",
            "rate_per_host": 0,
        }
        return WebSettings.model_validate(fields | changes)

    def settings(self, data_dir: Path, **changes: object) -> Settings:
        """Settings reading every platform from this fake (its loopback host allowed, as an operator would)."""
        return Settings(data_dir=data_dir, fetch_allow="127.0.0.1", web=self.web(**changes))

    def paths(self, prefix: str) -> list[str]:
        return [r for r in self.requests if r.startswith(prefix)]


@contextmanager
def platforms() -> Iterator[Platforms]:
    state: list[Platforms] = []

    def handle(req: BaseHTTPRequestHandler) -> None:
        fake = state[0]
        fake.requests.append(req.path)
        path = urlsplit(req.path).path
        if path in fake.overrides:
            status, ctype, body = fake.overrides[path]
        elif path in ROUTES:
            status, ctype, body = 200, "application/json; charset=utf-8", fixture(ROUTES[path])
        elif path == "/masto/mastodon.social/api/v1/accounts/109300000000000001/statuses":
            status, ctype = 200, "application/json"
            body = b"[" + fixture("mastodon_status.json") + b"]"
        else:
            status, ctype, body = 404, "application/json", json.dumps({"error": "Not Found"}).encode()
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    with serve_handler(handle) as (base, _):
        state.append(Platforms(base))
        yield state[0]
