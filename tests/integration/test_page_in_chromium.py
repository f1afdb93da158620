"""The published page in a real browser: headless Chromium screenshots it and its DOM has the story's shape."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from newsroom.documents.explainer import STAGES
from newsroom.documents.files import file_publisher

# Read at import: the autouse fixture clears NEWSROOM_* before each test runs.
REQUIRE = os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1"

# The scripted demo story's explainer (tests/fakes/scripted.py's `demo_room(...).explain("the DeepSeek funding
# round")` as JSON): building it takes most of a minute, reading it none.
EXPLAINER = Path(__file__).with_name("explainer_demo.json")


def _chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    why = "chromium is not installed (`make chromium` installs Debian's package as root)"
    if REQUIRE:
        pytest.fail(why + " and NEWSROOM_REQUIRE_SERVICES=1 asks for every service")
    pytest.skip(why + "; the page is not rendered in a browser")


def _browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # --no-sandbox: CI and containers run as root, where Chromium's sandbox refuses to start.
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}"]
    return subprocess.run([chromium, *flags, *args], capture_output=True, text=True, timeout=180, check=True)


def _png(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed pixel rows of a PNG, read with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    at, idat = 8, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, zlib.decompress(idat)


def test_the_published_page_renders_in_chromium_with_the_explainer_shape(tmp_path: Path) -> None:
    chromium = _chromium()
    ex: dict[str, Any] = {
        **json.loads(EXPLAINER.read_text()),
        "beat": "Open source AI",
        "status": "published",
    }
    page = Path(file_publisher(tmp_path / "published")(ex)["html"])
    url = page.resolve().as_uri()

    shot = tmp_path / "page.png"
    _browse(chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,2000", url)
    width, height, pixels = _png(shot)
    assert (width, height) == (1200, 2000)
    assert len(set(pixels)) >= 64, "the screenshot is (nearly) blank"

    dom = lxml_html.document_fromstring(_browse(chromium, tmp_path / "profile", "--dump-dom", url).stdout)
    text = lambda el: " ".join(el.text_content().split())  # noqa: E731
    assert dom.xpath("//script | //style | //link | //iframe | //img") == []  # self-contained, inert
    assert [text(h) for h in dom.xpath("//h1")] == [ex["headline"]]
    assert text(dom.find_class("beat")[0]) == "Open source AI"
    assert text(dom.find_class("dek")[0]) == ex["dek"]
    assert re.fullmatch(r"12 records · \d+ web citations", text(dom.find_class("counts")[0]))

    headings = [text(h) for h in dom.xpath("//h2")]
    expected = [s["heading"] for s in ex["sections"]]
    expected += [
        "The story so far",
        "Frequently asked",
        "Where the sources disagree",
        "Sources",
        "Methodology",
    ]
    assert headings == expected  # the seed explainer's order, then what a reader checks it against
    assert [text(q) for q in dom.xpath("//h3")] == [qa["question"] for qa in ex["faq"]]

    callouts = dom.find_class("conflict")
    assert len(callouts) == len(ex["conflicts"]) >= 1
    for box, conflict in zip(callouts, ex["conflicts"], strict=True):
        assert conflict["subject"].lower() in text(box).lower()
        assert all(str(v["value"]) in text(box) for v in conflict["values"])

    sources = dom.xpath("//ol[contains(@class, 'sources')]/li")
    assert len(sources) == len(ex["sources"])
    for li, source in zip(sources, ex["sources"], strict=True):
        assert text(li.find_class("outlet")[0]) == source["outlet"]
        assert text(li.find_class("date")[0]) == source["published_at"][:10]
        assert li.xpath(".//a/@href") == [source["url"]]

    method = dom.find_class("methodology")[0]
    assert [text(s) for s in method.find_class("stage")] == list(STAGES)
    assert "Approved by a human editor" in text(method)
