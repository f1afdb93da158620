from __future__ import annotations

import json
from pathlib import Path

from newsroom.parsers import Fetched, FetchError, iter_target
from newsroom.settings import IngestSettings

CFG = IngestSettings(max_text_chars=5_000, feed_fetch_articles=False)


def no_fetch(url: str) -> Fetched:
    raise FetchError(f"could not reach {url}")


def test_jsonl_reports_bad_lines_with_numbers_and_keeps_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Council approves budget.", "published_at": "2026-01-02"}),
        "{not json",
        json.dumps({"id": "b", "text": ""}),
        "",
        json.dumps(["a list"]),
        json.dumps({"id": "c", "text": "ok", "published_at": "someday"}),
        json.dumps({"id": "d", "text": "Second good record.", "beat": "city-hall"}),
    ]
    path.write_text("\n".join(lines))
    got = list(iter_target(str(path), CFG, no_fetch))
    good = [p.record.id for p in got if p.record]
    bad = {p.line: p.error for p in got if p.error}
    assert good == ["a", "d"]
    assert set(bad) == {2, 3, 5, 6}
    assert "not valid JSON" in bad[2]
    assert "text is empty" in bad[3]
    assert "JSON object" in bad[5]
    assert "not a date" in bad[6]
    assert got[1].where.endswith("mixed.jsonl:2")


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\noutlet: Riverside Courier\npublished_at: 2026-10-08\nbeat: city-hall\n---\n"
        "# Council passes budget\n\nThe council voted 7-2 to approve the budget.\n"
    )
    (rec,) = [p.record for p in iter_target(str(path), CFG, no_fetch)]
    assert rec is not None
    assert rec.title == "Council passes budget"
    assert rec.outlet == "Riverside Courier" and rec.beat == "city-hall"
    assert rec.published_at is not None and rec.published_at.day == 8
    assert rec.text.startswith("The council voted")


def test_plain_text_title_is_first_line(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Flu shots climb\nThe county said 41% of adults are vaccinated.")
    (p,) = list(iter_target(str(path), CFG, no_fetch, {"beat": "health"}))
    assert p.record is not None and p.record.title == "Flu shots climb" and p.record.beat == "health"


ARTICLE = b"""<html><head><title>Transit vote | Riverside Courier</title>
<meta property="og:site_name" content="Riverside Courier">
<meta property="article:published_time" content="2026-10-08T19:00:00Z"></head>
<body><nav>Home | Sports | Weather</nav><article><h1>Council passes transit budget</h1>
<p>The city council voted 7-2 on Tuesday night to approve a $48 million transit budget for next year,
including two new bus lines and longer weekend service on the busiest routes in the city.</p>
<p>Council members who voted no said the plan relied on optimistic fare projections and warned of
cuts later. The mayor is expected to sign the budget this week, aides said.</p></article>
<footer>Copyright Riverside Courier</footer></body></html>"""


def test_html_file_extracts_article_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(ARTICLE)
    (p,) = list(iter_target(str(path), CFG, no_fetch))
    assert p.record is not None, p.error
    assert "$48 million transit budget" in p.record.text
    assert "Home | Sports" not in p.record.text
    assert p.record.outlet == "Riverside Courier"
    assert p.record.published_at is not None and p.record.published_at.year == 2026


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>City Desk</title>
<item><title>Budget passes</title><link>https://city.example/budget</link>
<pubDate>Tue, 08 Oct 2026 19:00:00 GMT</pubDate>
<description>&lt;p&gt;The council approved the $48 million transit budget 7-2.&lt;/p&gt;</description></item>
<item><title>Library hours</title><link>https://city.example/library</link>
<pubDate>not a date at all</pubDate><description>Libraries open later.</description></item>
</channel></rss>"""


def test_feed_file_gives_one_record_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "city.xml"
    path.write_bytes(FEED)
    got = list(iter_target(str(path), CFG, no_fetch))
    assert got[0].record is not None
    assert got[0].record.outlet == "City Desk"
    assert got[0].record.text == "The council approved the $48 million transit budget 7-2."
    assert got[1].error is not None and "not a date" in got[1].error and got[1].line == 2


def test_folder_reads_supported_files_and_reports_others(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\nalpha text")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("B\nbeta text")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    titles = sorted(p.record.title for p in iter_target(str(tmp_path), CFG, no_fetch) if p.record)
    assert titles == ["A", "B"]


def test_missing_path_and_unsupported_file_are_errors(tmp_path: Path) -> None:
    (p,) = list(iter_target(str(tmp_path / "nope.jsonl"), CFG, no_fetch))
    assert p.error and "no such file" in p.error
    odd = tmp_path / "x.pdf"
    odd.write_bytes(b"%PDF")
    (q,) = list(iter_target(str(odd), CFG, no_fetch))
    assert q.error and "unsupported file type .pdf" in q.error


def test_url_that_fails_is_reported_not_raised() -> None:
    (p,) = list(iter_target("https://dead.example/x", CFG, no_fetch))
    assert p.error == "could not reach https://dead.example/x"
