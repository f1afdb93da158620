"""The trail a standards editor asks for after a complaint: every decision (who, when, which story and
version, which sources that version cited), every edit and every publication since a date, read from the
stories' checkpoints and the registry; written as JSON lines or as CSV that a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from newsroom.documents.explainer import cited_numbers
from newsroom.records import RecordError, parse_date
from newsroom.registry import StoryRegistry

COLUMNS = ("at", "event", "story_id", "topic", "version", "who", "action", "note", "sources", "detail")
_EVERY_STORY = 1_000_000  # the registry's listing takes a limit
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def trail(registry: StoryRegistry, graph: Any, since: datetime) -> list[dict[str, Any]]:
    """Every decision, edit and publication at or after `since`, oldest first."""
    cutoff = since.astimezone(UTC).isoformat()
    events: list[dict[str, Any]] = []
    for story in registry.stories(limit=_EVERY_STORY):
        events += _story_events(registry, graph, story, cutoff)
    return sorted(events, key=lambda e: (e["at"], e["story_id"], e["event"]))


def _story_events(
    registry: StoryRegistry, graph: Any, story: dict[str, Any], cutoff: str
) -> list[dict[str, Any]]:
    story_id = str(story["story_id"])
    config = {"configurable": {"thread_id": story_id}}
    state = dict(graph.get_state(config).values or {})
    base = {"story_id": story_id, "topic": state.get("topic") or story.get("topic") or ""}
    events: list[dict[str, Any]] = []
    approvals: dict[int, str] = {}
    for entry in state.get("history") or []:
        if entry.get("kind") == "edit":
            version = int(entry.get("version") or 0)
            event = {"event": "edit", "who": entry.get("by"), "action": "edit", "note": None}
            event |= {"detail": entry.get("diff") or ""}
        elif entry.get("decision"):
            version = int(entry.get("draft_version") or 0)
            event = {"event": "decision", "who": entry.get("who"), "action": entry["decision"]}
            event |= {"note": entry.get("note"), "detail": ""}
            if entry["decision"] == "approve":
                approvals[version] = str(entry.get("who") or "")
        else:
            continue
        at = _when(entry.get("at"))
        if at >= cutoff:
            events.append(base | event | {"at": at, "version": version})
    published_version = max(approvals) if approvals else int(state.get("draft_version") or 0)
    for target, done in sorted(registry.publication(story_id).items()):
        if done.get("done") and _when(done.get("at")) >= cutoff:
            detail = "; ".join(f"{k}: {v}" for k, v in sorted((done.get("result") or {}).items()))
            events.append(
                base
                | {"at": _when(done.get("at")), "event": "publication", "version": published_version}
                | {"who": approvals.get(published_version), "action": f"published to {target}"}
                | {"note": None, "detail": detail}
            )
    if events:
        cited = _cited_by_version(graph, config)
        for event in events:
            event["sources"] = cited.get(event["version"], [])
    return events


def _when(value: Any) -> str:
    """A recorded time as UTC ISO text, so times written by different hands compare and sort as times;
    one that cannot be read is kept as it was ("" when missing)."""
    try:
        parsed = parse_date(value)
    except RecordError:
        return str(value)
    return parsed.astimezone(UTC).isoformat() if parsed else ""


def _cited_by_version(graph: Any, config: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """version -> the sources its draft cited, from the checkpoint where that version waited for a decision
    (else the newest checkpoint holding that version: an edited version may never have waited)."""
    waiting: dict[int, list[dict[str, Any]]] = {}
    newest: dict[int, list[dict[str, Any]]] = {}
    for snapshot in graph.get_state_history(config):  # newest first
        values = dict(snapshot.values or {})
        version = int(values.get("draft_version") or 0)
        if not version or not values.get("draft"):
            continue
        if version not in newest:
            newest[version] = _cited_sources(values)
        if "approval" in tuple(snapshot.next or ()) and version not in waiting:
            waiting[version] = _cited_sources(values)
    return newest | waiting


def _cited_sources(values: dict[str, Any]) -> list[dict[str, Any]]:
    numbers = cited_numbers(values.get("draft") or {})
    return [
        {k: s.get(k) for k in ("n", "record_id", "title", "outlet", "url")}
        for s in values.get("sources") or []
        if s.get("n") in numbers
    ]


def sources_text(sources: Iterable[dict[str, Any]]) -> str:
    """ "[1] ds-01 https://…; [3] ds-07" : what a cell or a table says of the cited sources."""
    return "; ".join(
        f"[{s.get('n')}] {s.get('record_id')}" + (f" {s['url']}" if s.get("url") else "") for s in sources
    )


def to_json_lines(events: Iterable[dict[str, Any]]) -> str:
    """One JSON object per line (JSON Lines), each with COLUMNS' keys; sources as a list of objects."""
    return "".join(json.dumps({k: e.get(k) for k in COLUMNS}, ensure_ascii=False) + "\n" for e in events)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(events: Iterable[dict[str, Any]]) -> str:
    """A header row of COLUMNS, then one row per event; every text cell made inert (`safe_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in events:
        row = {k: e.get(k) for k in COLUMNS} | {"sources": sources_text(e.get("sources") or [])}
        writer.writerow([safe_cell("" if row[k] is None else row[k]) for k in COLUMNS])
    return buffer.getvalue()
