"""Slack's side of the ack figure: signed requests sent all at once from a process of their own.

Slack sends from its own machines; a client in the bench's process (which also answers the fronts as the fake
Web API) measured that process's own scheduling. Here each request is written as bytes prepared beforehand
on a fresh connection, and its time runs from connecting to the last byte of the answer.

    python -m bench.loadgen < requests.json   # [{"url": ..., "body": ..., "headers": {...}}, ...]
prints the seconds each took, as a JSON list in the order given.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any
from urllib.parse import urlsplit


def _raw(request: dict[str, Any]) -> tuple[str, int, bytes]:
    url = urlsplit(request["url"])
    body = request["body"].encode("utf-8")
    head = [f"POST {url.path or '/'} HTTP/1.1", f"Host: {url.netloc}", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in request["headers"].items() if k.lower() != "content-length"]
    head.append("Connection: close")
    return url.hostname or "127.0.0.1", url.port or 80, ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _one(host: str, port: int, data: bytes, start: asyncio.Event) -> float:
    await start.wait()
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(data)
    answer = await reader.read()  # the server closes after its answer (Connection: close)
    took = time.perf_counter() - t0
    writer.close()
    status = answer.split(b" ", 2)[1:2]
    if status != [b"200"]:
        raise RuntimeError(f"a request was refused: {answer[:200]!r}")
    return took


async def fire(requests: list[dict[str, Any]]) -> list[float]:
    raws = [_raw(r) for r in requests]
    start = asyncio.Event()
    tasks = [asyncio.create_task(_one(h, p, d, start)) for h, p, d in raws]
    await asyncio.sleep(0)  # every task waiting on the one start
    start.set()
    return list(await asyncio.gather(*tasks))


def main() -> None:
    print(json.dumps(asyncio.run(fire(json.load(sys.stdin)))))


if __name__ == "__main__":
    main()
