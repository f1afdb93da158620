"""The Edit modal as Block Kit: a draft's headline, dek and every answer as plain-text inputs, a part at a time
when the draft would not fit one view (100 blocks; 3,000 characters a field). Pure functions."""

from __future__ import annotations

import json
from typing import Any

from newsroom.claims.edits import EditField, edit_fields
from newsroom.slack.mrkdwn import cut, escape

EDIT_MODAL = "newsroom_edit_modal"
EDIT_PART = "newsroom_edit_part"
FIELD_PREFIX = "edit:"
MAX_FIELD = 3000
"""Slack's plain_text_input max_length: a longer field cannot be shown, so it is left as it is."""
PART_FIELDS = 40
"""Inputs in one view (Slack allows 100 blocks; the rest is room for notes and the part picker)."""
PART_CHARS = 60_000
"""Characters of text in one view, so a long draft's view stays small enough to send."""
MAX_ERROR = 1000


def parts(fields: list[EditField]) -> list[list[EditField]]:
    """The fields in parts of at most PART_FIELDS inputs and PART_CHARS characters; a question and its answer
    (one unit) are never split."""
    units: list[list[EditField]] = []
    for f in fields:
        if units and units[-1][0].unit == f.unit:
            units[-1].append(f)
        else:
            units.append([f])
    out: list[list[EditField]] = [[]]
    for unit in units:
        size = len(out[-1]) + len(unit)
        chars = sum(len(f.text) for f in out[-1] + unit)
        if out[-1] and (size > PART_FIELDS or chars > PART_CHARS):
            out.append([])
        out[-1].extend(unit)
    return out


def part_name(part: list[EditField], n: int, total: int) -> str:
    if not part:
        return f"Part {n} of {total}"
    span = part[0].label if len(part) == 1 else f"{part[0].label} to {part[-1].label}"
    return cut(f"Part {n} of {total}: {span}", 75)


def block_id(key: str) -> str:
    return FIELD_PREFIX + key


def _input(f: EditField) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id(f.key),
        "label": {"type": "plain_text", "text": cut(f.label, 2000)},
        "element": {
            "type": "plain_text_input",
            "action_id": "text",
            "multiline": f.multiline,
            "max_length": MAX_FIELD,
        },
    }
    if f.text:
        block["element"]["initial_value"] = f.text
    else:
        block["optional"] = (
            True  # an empty field is not forced on the editor; the checks say if it must be filled
        )
    if f.cited:
        block["hint"] = {
            "type": "plain_text",
            "text": "Marks like [2] name the sources that back this text: keep, move or change them.",
        }
    return block


def _too_long(f: EditField) -> dict[str, Any]:
    text = (
        f"*{escape(f.label)}* is {len(f.text):,} characters, more than a Slack field holds ({MAX_FIELD:,}); "
        "it stays as it is. Use Request changes to have it rewritten."
    )
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def edit_modal(ex: dict[str, Any], channel: str, message_ts: str, part: int = 0) -> dict[str, Any]:
    """The modal for draft `ex` (story JSON), showing part `part` of its fields."""
    split = parts(edit_fields(ex))
    part = min(max(part, 0), len(split) - 1)
    version = int(ex.get("draft_version", 0))
    blocks: list[dict[str, Any]] = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Draft {version} of story `{escape(ex.get('story_id', ''))}`. Saving runs the citation "
                    "audit and the publishability check on your text (no model rewrites it) and posts it as "
                    f"draft {version + 1}.",
                }
            ],
        }
    ]
    if len(split) > 1:
        options = [
            {"text": {"type": "plain_text", "text": part_name(p, i + 1, len(split))}, "value": str(i)}
            for i, p in enumerate(split)
        ]
        blocks.append(
            {
                "type": "section",
                "block_id": "edit_part",
                "text": {
                    "type": "mrkdwn",
                    "text": "This draft is edited a part at a time; save one part, then edit the next "
                    "on the new draft. Switching parts drops what you typed here.",
                },
                "accessory": {
                    "type": "static_select",
                    "action_id": EDIT_PART,
                    "options": options,
                    "initial_option": options[part],
                },
            }
        )
    blocks += [_input(f) if len(f.text) <= MAX_FIELD else _too_long(f) for f in split[part]]
    return {
        "type": "modal",
        "callback_id": EDIT_MODAL,
        "private_metadata": json.dumps(
            {
                "story_id": ex.get("story_id"),
                "version": version,
                "channel": channel,
                "message_ts": message_ts,
                "part": part,
            }
        ),
        "title": {"type": "plain_text", "text": cut(f"Edit draft {version}", 24)},
        "submit": {"type": "plain_text", "text": "Save new version"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def submitted(view: dict[str, Any]) -> dict[str, str]:
    """The fields of a submitted Edit modal: field key -> text as the editor left it."""
    values = (view.get("state") or {}).get("values") or {}
    out: dict[str, str] = {}
    for block, actions in values.items():
        if block.startswith(FIELD_PREFIX):
            out[block.removeprefix(FIELD_PREFIX)] = str(
                ((actions or {}).get("text") or {}).get("value") or ""
            )
    return out


def modal_errors(view: dict[str, Any], problems: dict[str, list[str]]) -> dict[str, str]:
    """`response_action: errors` for the modal: each problem on its field's block; a problem on a field this
    part does not show goes on the first field it does."""
    shown = [b["block_id"] for b in view.get("blocks") or [] if b.get("type") == "input"]
    out: dict[str, list[str]] = {}
    for key, sentences in problems.items():
        at = block_id(key) if block_id(key) in shown else (shown[0] if shown else block_id(key))
        out.setdefault(at, []).extend(sentences)
    return {k: cut(" · ".join(_sentence(s) for s in v), MAX_ERROR) for k, v in out.items()}


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]
