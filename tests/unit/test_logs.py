"""Log lines as an operator's collector reads them: one JSON object per line, naming the story and the job."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from newsroom.logs import bind, setup_logging
from newsroom.settings import Settings


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Logging set up as a process would, into a buffer; the root logger put back as it was after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    setup_logging(Settings(log_format="json", log_level="INFO"), stream)
    try:
        yield stream
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    text = stream.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_each_record_is_one_json_object_with_time_level_logger_and_message(captured: io.StringIO) -> None:
    logging.getLogger("newsroom.jobs").info("job %s started", 7)
    logging.getLogger("newsroom.jobs").debug("below the level: not written")
    [entry] = lines(captured)
    assert entry["level"] == "info" and entry["logger"] == "newsroom.jobs"
    assert entry["message"] == "job 7 started"
    assert entry["time"].endswith("+00:00") and "T" in entry["time"]
    assert "story_id" not in entry and "job_id" not in entry


def test_bound_story_and_job_ids_ride_on_every_line_and_are_gone_after(captured: io.StringIO) -> None:
    log = logging.getLogger("newsroom.worker")
    with bind(story_id="slack-C1-1700.01", job_id=42):
        log.info("drafting")
        with bind(job_id=43):
            log.info("retry job")
        log.warning("back in the first job")
    log.info("idle")
    first, inner, back, idle = lines(captured)
    assert (first["story_id"], first["job_id"]) == ("slack-C1-1700.01", "42")
    assert (inner["story_id"], inner["job_id"]) == ("slack-C1-1700.01", "43")
    assert (back["story_id"], back["job_id"], back["level"]) == ("slack-C1-1700.01", "42", "warning")
    assert "story_id" not in idle and "job_id" not in idle


def test_ids_are_restored_when_the_block_raises(captured: io.StringIO) -> None:
    with pytest.raises(RuntimeError), bind(story_id="s-1"):
        raise RuntimeError("model failed")
    logging.getLogger("newsroom").info("after")
    assert "story_id" not in lines(captured)[0]


def test_a_strangers_text_stays_data_inside_one_line(captured: io.StringIO) -> None:
    hostile = (
        'line one\nline two\r\n{"level": "critical", "story_id": "forged"}\u2028"quoted"\x85 \\ end\u2029'
    )
    with bind(story_id="s-real"):
        logging.getLogger("newsroom.ingest").warning("record title: %s", hostile)
    text = captured.getvalue()
    assert text.count("\n") == 1
    [entry] = lines(captured)
    assert entry["message"] == f"record title: {hostile}"
    assert entry["level"] == "warning" and entry["story_id"] == "s-real"


def test_an_exception_is_text_inside_the_same_line(captured: io.StringIO) -> None:
    try:
        raise ValueError("bad value\nsecond line")
    except ValueError:
        logging.getLogger("newsroom.runs").exception("story failed")
    [entry] = lines(captured)
    assert entry["message"] == "story failed" and entry["level"] == "error"
    assert "Traceback" in entry["exception"] and "ValueError: bad value\nsecond line" in entry["exception"]


def test_threads_each_log_their_own_story(captured: io.StringIO) -> None:
    log = logging.getLogger("newsroom.worker")
    barrier = threading.Barrier(4)

    def work(n: int) -> None:
        with bind(story_id=f"story-{n}", job_id=n):
            barrier.wait()  # all four bound at once
            log.info("working on %d", n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = lines(captured)
    assert len(entries) == 4
    assert all(
        e["story_id"] == f"story-{e['job_id']}" == f"story-{e['message'].split()[-1]}" for e in entries
    )


def test_work_handed_to_a_thread_by_asyncio_keeps_the_ids(captured: io.StringIO) -> None:
    async def job() -> None:
        with bind(story_id="s-async", job_id="9"):
            await asyncio.to_thread(logging.getLogger("newsroom.queue").info, "sync task ran")

    asyncio.run(job())
    [entry] = lines(captured)
    assert (entry["story_id"], entry["job_id"]) == ("s-async", "9")


def test_setting_up_twice_writes_each_line_once(captured: io.StringIO) -> None:
    second = io.StringIO()
    setup_logging(Settings(log_format="json"), second)
    logging.getLogger("newsroom").info("once")
    assert captured.getvalue() == ""
    assert len(lines(second)) == 1


def test_text_format_is_a_readable_line_with_the_ids_in_brackets(captured: io.StringIO) -> None:
    text = io.StringIO()
    setup_logging(Settings(log_format="text"), text)
    with bind(story_id="s-7", job_id=3):
        logging.getLogger("newsroom.jobs").info("published")
    line = text.getvalue()
    assert line.count("\n") == 1
    assert " INFO newsroom.jobs: published [story=s-7 job=3]" in line


def test_the_format_and_level_settings_read_the_environment_in_any_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSROOM_LOG_FORMAT", "JSON")
    monkeypatch.setenv("NEWSROOM_LOG_LEVEL", "debug")
    settings = Settings()
    assert (settings.log_format, settings.log_level) == ("json", "DEBUG")
    assert Settings().model_fields["log_format"].default == "text"
    monkeypatch.setenv("NEWSROOM_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match="log_format"):
        Settings()
