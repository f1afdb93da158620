"""Block Kit builders: pure functions from explainer JSON to Slack messages, within Slack's limits."""

from __future__ import annotations

import json
import re
from typing import Any

from newsroom.documents.explainer import policy_sentence, source_labels
from newsroom.slack.mrkdwn import cut, escape, link

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_HEADER = 150
APPROVE, REVISE, REJECT = "newsroom_approve", "newsroom_revise", "newsroom_reject"
EDIT = "newsroom_edit"
REVISE_MODAL = "newsroom_revise_modal"
RETRY = "newsroom_retry"
UPDATE = "newsroom_update"


def _cites(numbers: list[int], sources: dict[int, dict[str, Any]]) -> str:
    out = []
    for n in numbers:
        out.append(link((sources.get(n) or {}).get("url"), f"[{n}]"))
    return " " + "".join(out) if out else ""


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split on paragraph, line, then word boundaries so no piece exceeds `limit`; nothing is dropped."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        at = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if at <= 0:
            at = limit
        opened = rest.rfind("<", 0, at)
        if opened > rest.rfind(">", 0, at) and opened > 0:
            at = opened  # never split a <link|label>
        pieces.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _section(text: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": t}} for t in split_text(text) if t.strip()]


def _header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": cut(escape(text), MAX_HEADER), "emoji": True},
    }


def briefing_blocks(ex: dict[str, Any]) -> list[dict[str, Any]]:
    """A beat briefing: headline, cited items, what to watch, then the same checks and sources."""
    sources = {s["n"]: s for s in ex.get("sources", [])}
    since = (ex.get("since") or "")[:16].replace("T", " ")
    blocks: list[dict[str, Any]] = [_header(ex.get("headline") or "Briefing")]
    blocks += _section(
        f"_Briefing on *{escape(ex.get('beat'))}*" + (f", new since {escape(since)} UTC_" if since else "_")
    )
    blocks += _section(
        "\n".join(f"• {escape(it['text'])}{_cites(it['citations'], sources)}" for it in ex.get("items", []))
    )
    if ex.get("what_to_watch"):
        watch = [f"• {escape(w['text'])}{_cites(w['citations'], sources)}" for w in ex["what_to_watch"]]
        blocks += _section("*What to watch*\n" + "\n".join(watch))
    blocks += _checks_and_sources(ex, sources)
    if ex.get("failed_sources"):
        failed = "\n".join(f"• {escape(f['source'])}: {escape(f['error'])}" for f in ex["failed_sources"])
        blocks += _section(f":warning: *Sources that could not be read this time*\n{failed}")
    return blocks


def explainer_blocks(ex: dict[str, Any]) -> list[dict[str, Any]]:
    """The draft's content: headline, dek, story so far, FAQ, fact-check summary, audit, sources."""
    if ex.get("kind") == "briefing":
        return briefing_blocks(ex)
    sources = {s["n"]: s for s in ex.get("sources", [])}
    blocks: list[dict[str, Any]] = [_header(ex.get("headline") or "Untitled draft")]
    blocks += _section(f"_{escape(ex.get('dek', ''))}_")
    if ex.get("what_changed"):
        lines = [f"• {escape(c['text'])}{_cites(c['citations'], sources)}" for c in ex["what_changed"]]
        title = f"*What changed since version {int(ex.get('edition') or 2) - 1}*\n"
        blocks += _section(title + "\n".join(lines))
    if ex.get("story_so_far"):
        lines = [
            f"• *{escape(e['date'])}* — {escape(e['event'])}{_cites(e['citations'], sources)}"
            for e in ex["story_so_far"]
        ]
        blocks += _section("*The story so far*\n" + "\n".join(lines))
    for sec in ex.get("sections", []):
        body = f"*{escape(sec['heading'])}*\n{escape(sec['body'])}"
        blocks += _section(body + _cites(sec["citations"], sources))
    if ex.get("faq"):
        qa = [
            f"*{escape(q['question'])}*\n{escape(q['answer'])}{_cites(q['citations'], sources)}"
            for q in ex["faq"]
        ]
        blocks += _section("*Questions and answers*\n\n" + "\n\n".join(qa))
    return blocks + _checks_and_sources(ex, sources)


def _checks_and_sources(ex: dict[str, Any], sources: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    conflicts = ex.get("conflicts", [])
    summary = [f"*Fact-check*: {len(ex.get('claims', []))} claims checked, {len(conflicts)} disagreements"]
    for c in conflicts:
        sides = "; ".join(f"{escape(v['value'])}{_cites(v['citations'], sources)}" for v in c["values"])
        resolution = f" — {escape(c['resolution'])}" if c.get("resolution") else ""
        summary.append(f"• *{escape(c['subject'])}*: {sides}{resolution}")
    for f in ex.get("flagged", []):
        summary.append(f":warning: source [{f['n']}] {escape(f['reason'])}")
    blocks += _section("\n".join(summary))
    audit = ex.get("audit") or {}
    if not audit.get("passed"):
        problems = "\n".join(f"• {escape(p)}" for p in audit.get("problems", []))
        blocks += _section(f":x: *Citation audit problems*\n{problems}")
    else:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": ":white_check_mark: Citation "
                        "audit passed: every number and date appears in a source it is cited to.",
                    }
                ],
            }
        )
    src_lines = []
    for s in ex.get("sources", []):
        date = (s.get("published_at") or "undated")[:10]
        title = link(s.get("url"), s["title"]) if s.get("url") else escape(s["title"])
        labels = "".join(f" · {escape(label)}" for label in source_labels(s))
        src_lines.append(f"{s['n']}. {title} — {escape(s['outlet'])}, {escape(date)}{labels}")
    if src_lines:
        blocks += _section("*Sources*\n" + "\n".join(src_lines))
    policy = policy_sentence(ex) if ex.get("methodology") else ""
    if policy:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(cut(policy, 2900))}]}
        )
    return blocks


def decision_value(ex: dict[str, Any]) -> str:
    return json.dumps({"story_id": ex["story_id"], "version": ex.get("draft_version", 0)})


def buttons(ex: dict[str, Any]) -> dict[str, Any]:
    value = decision_value(ex)
    return {
        "type": "actions",
        "block_id": "newsroom_decision",
        "elements": [
            {
                "type": "button",
                "action_id": APPROVE,
                "style": "primary",
                "value": value,
                "text": {"type": "plain_text", "text": "Approve"},
            },
            {
                "type": "button",
                "action_id": EDIT,
                "value": value,
                "text": {"type": "plain_text", "text": "Edit"},
            },
            {
                "type": "button",
                "action_id": REVISE,
                "value": value,
                "text": {"type": "plain_text", "text": "Request changes"},
            },
            {
                "type": "button",
                "action_id": REJECT,
                "style": "danger",
                "value": value,
                "text": {"type": "plain_text", "text": "Reject"},
            },
        ],
    }


def draft_messages(ex: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The draft as one or more messages of at most 50 blocks; the buttons end the last one."""
    blocks = explainer_blocks(ex)
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Draft {ex.get('draft_version', 0)} of story `{escape(ex['story_id'])}`"
                    f"{edited_by(ex)} — waiting for an editor.",
                }
            ],
        }
    )
    blocks.append(buttons(ex))
    messages = []
    while len(blocks) > MAX_BLOCKS:
        messages.append(
            [
                *blocks[: MAX_BLOCKS - 1],
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": "_continued in the next message_"}],
                },
            ]
        )
        blocks = blocks[MAX_BLOCKS - 1 :]
    messages.append(blocks)
    return messages


def edited_by(ex: dict[str, Any]) -> str:
    """Says who edited this draft into being (", edited by @editor", from the history); "" for a writer's draft."""
    version = ex.get("draft_version", 0)
    edits = [h for h in ex.get("history") or [] if h.get("kind") == "edit" and h.get("version") == version]
    if not edits:
        return ""
    who = str(edits[-1].get("by") or "someone")
    user = who.removeprefix("slack:")
    return (
        f", edited by <@{user}>"
        if re.fullmatch(r"[UW][A-Z0-9]{2,20}", user)
        else f", edited by {escape(who)}"
    )


def decided_blocks(ex: dict[str, Any], line: str) -> list[dict[str, Any]]:
    """A decided or superseded draft: its headline and a line saying what happened, no buttons."""
    return [_header(ex.get("headline") or "Draft"), *_section(line)]


def revise_modal(story_id: str, version: int, channel: str, message_ts: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": REVISE_MODAL,
        "private_metadata": json.dumps(
            {"story_id": story_id, "version": version, "channel": channel, "message_ts": message_ts}
        ),
        "title": {"type": "plain_text", "text": "Request changes"},
        "submit": {"type": "plain_text", "text": "Send to writer"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "What should the writer change?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": 2000,
                },
            }
        ],
    }


def help_text() -> str:
    return (
        "*newsroom* — explainers drafted by agents, approved by editors.\n"
        "• `/newsroom explain <topic>` — research, fact-check and draft an explainer in a thread\n"
        "• `/newsroom ingest <url>` — add a page or feed to the source store\n"
        "• `/newsroom status [story]` — stories waiting for a decision and where each stands\n"
        "• `/newsroom retry <story>` — continue a story that stopped, or finish its publication\n"
        "• `/newsroom brief <beat>` — a briefing on what is new on a beat, in the beat's channel\n"
        "• `/newsroom update <story>` — a published explainer's next version, with what changed (editors)\n"
        "• `/newsroom help` — this text"
    )


def update_actions(story_id: str) -> dict[str, Any]:
    """The Update button of a published explainer: its next version, from the records ingested since."""
    return {
        "type": "actions",
        "block_id": "newsroom_update",
        "elements": [
            {
                "type": "button",
                "action_id": UPDATE,
                "text": {"type": "plain_text", "text": "Update"},
                "value": story_id,
            }
        ],
    }


def retry_blocks(line: str, story_id: str, headline: str = "") -> list[dict[str, Any]]:
    """A line saying what stopped (code's own sentence), and a Retry button for the story."""
    blocks: list[dict[str, Any]] = []
    if headline:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": headline[:150]}})
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": line[:2900]}})
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": RETRY,
                    "text": {"type": "plain_text", "text": "Retry"},
                    "value": json.dumps({"story_id": story_id}),
                }
            ],
        }
    )
    return blocks
