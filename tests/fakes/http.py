"""Tiny local HTTP servers for tests: static pages and feeds on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests.fakes.server import QuietHandler, serve


@contextmanager
def serve_pages(pages: dict[str, tuple[int, str, bytes]]) -> Iterator[str]:
    """Serve {path: (status, content_type, body)}; yields the base URL. Unknown paths get 404."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            status, ctype, body = pages.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serve(Handler) as base:
        yield base


def closed_port_url() -> str:
    """A URL on loopback where nothing listens."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


class Trap:
    """A server that must never be reached: it counts every request it gets."""

    def __init__(self) -> None:
        self.hits = 0


@contextmanager
def serve_handler(
    handle: Callable[[BaseHTTPRequestHandler], None], host: str = "127.0.0.1"
) -> Iterator[tuple[str, Trap]]:
    """Serve every GET with `handle(request)`; yields (base URL, hit counter)."""
    trap = Trap()

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            trap.hits += 1
            handle(self)

    with serve(Handler, host) as base:
        yield base, trap


def answer(status: int, body: bytes = b"", ctype: str = "text/html", **headers: str) -> Callable[..., None]:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        for key, value in headers.items():
            req.send_header(key.replace("_", "-"), value)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handle


@contextmanager
def trap_server(host: str = "127.0.0.1") -> Iterator[tuple[str, Trap]]:
    """An internal page (as on a server's loopback) that an attacker would like newsroom to fetch."""
    with serve_handler(answer(200, b"<html><body><p>INTERNAL admin console</p></body></html>"), host) as t:
        yield t
