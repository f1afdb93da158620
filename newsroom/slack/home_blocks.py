"""App Home and the New explainer modal as Block Kit: pure functions from what Home shows to views, paged so
a view stays within Slack's limits (100 blocks, 3000 characters a text, 75 a button) however many drafts wait."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newsroom.fetchguard import FetchPolicy
from newsroom.slack.mrkdwn import cut, escape, link

MAX_TEXT = 3000
MAX_HEADER = 150
MAX_BUTTON = 75
MAX_TITLE = 24
PAGE_SIZE = 15
"""Waiting drafts on one page of Home: one block each, so a page stays far below 100 blocks."""
LISTED = 15
"""At most this many lines in My requests and Published; the rest are counted ("and 40 more")."""
MAX_LINKS = 10
MAX_TOPIC = 300

HOME_PAGE = "newsroom_home_page"
NEW_EXPLAINER = "newsroom_new_explainer"
NEW_EXPLAINER_MODAL = "newsroom_new_explainer_modal"
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class Waiting:
    """A draft waiting for a decision, as Home lists it."""

    story_id: str
    headline: str
    beat: str | None
    requester: str
    since: datetime
    version: int
    audit: str
    """What the citation audit and the publishability check said, in a few words."""
    passed: bool
    permalink: str | None = None


@dataclass(frozen=True)
class Listed:
    """A story in My requests or Published: its title, where it stands and since when."""

    story_id: str
    title: str
    status: str
    at: datetime
    permalink: str | None = None


@dataclass(frozen=True)
class BeatLine:
    name: str
    channel: str
    next_run: datetime | None
    last: str
    """The beat's last briefing in a few words ("published 20 Nov", "none yet")."""


@dataclass
class HomeData:
    """Everything one user's Home shows; `waiting` holds the drafts of `page` only (oldest first)."""

    user: str
    editor: bool
    now: datetime
    waiting_total: int = 0
    page: int = 0
    waiting: list[Waiting] = field(default_factory=list)
    mine: list[Listed] = field(default_factory=list)
    mine_total: int = 0
    published: list[Listed] = field(default_factory=list)
    published_total: int = 0
    beats: list[BeatLine] = field(default_factory=list)
    beat_errors: int = 0


def pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def clamp_page(page: int, total: int) -> int:
    return min(max(page, 0), pages(total) - 1)


def person(requested_by: str) -> str:
    """A requester as Slack shows people: `slack:U123` is a mention; anything else (cli, cron) escaped text."""
    who = requested_by.removeprefix("slack:")
    return f"<@{who}>" if requested_by.startswith("slack:") and _USER.match(who) else escape(who or "someone")


def channel_ref(channel: str) -> str:
    return f"<#{channel}>" if _CHANNEL.match(channel) else escape(channel)


def when(at: datetime) -> str:
    """A date every reader sees in their own zone, with an ISO fallback."""
    return (
        f"<!date^{int(at.timestamp())}^{{date_short_pretty}} at {{time}}|{at.isoformat(timespec='minutes')}>"
    )


def age(since: datetime, now: datetime) -> str:
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": _plain(text, MAX_HEADER)}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, MAX_TEXT)}}


def _button(action_id: str, text: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "action_id": action_id, "text": _plain(text, MAX_BUTTON), "value": value}
    if style:
        button["style"] = style
    return button


def _titled(title: str, permalink: str | None) -> str:
    return link(permalink, title) if permalink else escape(title)


def _waiting_line(w: Waiting, now: datetime) -> str:
    mark = ":white_check_mark:" if w.passed else ":x:"
    beat = f"*{escape(w.beat)}*" if w.beat else "no beat"
    return (
        f"*{_titled(cut(w.headline or w.story_id, 200), w.permalink)}*\n"
        f"{beat} · requested by {person(w.requester)} · waiting {age(w.since, now)} · draft {w.version}"
        f"\n{mark} {escape(w.audit)}"
    )


def _listed(rows: list[Listed], total: int, empty: str) -> str:
    if not rows:
        return empty
    lines = [
        f"• {_titled(cut(r.title, 200), r.permalink)} — {escape(r.status.replace('_', ' '))}, {when(r.at)}"
        for r in rows
    ]
    more = total - len(rows)
    tail = f"\n… and {more} more" if more > 0 else ""
    while lines and len("\n".join(lines)) + len(tail) > MAX_TEXT:
        lines.pop()  # whole lines go, never half a link
        tail = f"\n… and {total - len(lines)} more"
    return "\n".join(lines) + tail


def _beat_line(b: BeatLine) -> str:
    nxt = when(b.next_run) if b.next_run else "not scheduled"
    return f"• *{escape(b.name)}* in {channel_ref(b.channel)} — next run {nxt}; last: {escape(b.last)}"


def home_view(data: HomeData) -> dict[str, Any]:
    """The Home tab: New explainer, then for editors the waiting drafts (paged, oldest first), then the
    user's own requests, what was published in the last 7 days and, for editors, the beats."""
    blocks: list[dict[str, Any]] = [
        _header("Newsroom"),
        {"type": "actions", "elements": [_button(NEW_EXPLAINER, "New explainer", "new", "primary")]},
    ]
    if data.editor:
        blocks += [{"type": "divider"}, _header(f"Waiting for a decision ({data.waiting_total})")]
        if not data.waiting:
            blocks.append(_mrkdwn("Nothing is waiting for a decision."))
        blocks += [_mrkdwn(_waiting_line(w, data.now)) for w in data.waiting[:PAGE_SIZE]]
        blocks += _pager(data.page, data.waiting_total)
    blocks += [{"type": "divider"}, _header("My requests")]
    blocks.append(_mrkdwn(_listed(data.mine, data.mine_total, "You have not asked for an explainer yet.")))
    blocks += [{"type": "divider"}, _header("Published in the last 7 days")]
    blocks.append(_mrkdwn(_listed(data.published, data.published_total, "Nothing was published this week.")))
    if data.editor:
        blocks += [{"type": "divider"}, _header("Beats")]
        lines = [_beat_line(b) for b in data.beats] or ["No beats are set up."]
        if data.beat_errors:
            lines.append(
                f":warning: {data.beat_errors} beat entries are not valid; `newsroom beats` names them."
            )
        text = "\n".join(lines)
        blocks.append(_mrkdwn(text if len(text) <= MAX_TEXT else cut(text, MAX_TEXT)))
    return {"type": "home", "callback_id": "newsroom_home", "blocks": blocks}


def _pager(page: int, total: int) -> list[dict[str, Any]]:
    count = pages(total)
    if count <= 1:
        return []
    first = page * PAGE_SIZE + 1
    last = min(total, first + PAGE_SIZE - 1)
    buttons = []
    if page > 0:
        buttons.append(_button(HOME_PAGE, "Previous", str(page - 1)))
    if page < count - 1:
        buttons.append(_button(HOME_PAGE, "Next", str(page + 1)))
    return [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"Drafts {first}–{last} of {total}, oldest first"}],
        },
        {"type": "actions", "block_id": "newsroom_home_pager", "elements": buttons},
    ]


def page_of(value: str | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0


# -- the New explainer modal ------------------------------------------------------------------------


def new_explainer_modal(beats: list[str], extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Topic, an optional beat (the beats file's), optional links; `extra` input blocks go last (files)."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "topic",
            "label": _plain("What should the explainer be about?", 2000),
            "element": {"type": "plain_text_input", "action_id": "text", "max_length": MAX_TOPIC},
        }
    ]
    options = [
        {"text": _plain(name, MAX_BUTTON), "value": name} for name in beats if name and len(name) <= 150
    ][:100]
    if options:
        blocks.append(
            {
                "type": "input",
                "block_id": "beat",
                "optional": True,
                "label": _plain("Beat", 2000),
                "element": {"type": "static_select", "action_id": "choice", "options": options},
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "links",
            "optional": True,
            "label": _plain("Links to read first (one a line)", 2000),
            "hint": _plain(
                "Public http(s) pages or feeds; they are added to the sources before research.", 2000
            ),
            "element": {
                "type": "plain_text_input",
                "action_id": "text",
                "multiline": True,
                "max_length": 3000,
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": NEW_EXPLAINER_MODAL,
        "title": _plain("New explainer", MAX_TITLE),
        "submit": _plain("Start", MAX_TITLE),
        "close": _plain("Cancel", MAX_TITLE),
        "private_metadata": json.dumps({"beats": bool(options)}),
        "blocks": blocks + list(extra or []),
    }


@dataclass(frozen=True)
class NewExplainer:
    topic: str
    beat: str | None
    links: list[str]
    errors: dict[str, str]
    """block_id → a sentence, for `response_action: errors`; empty when the request can start."""


def read_submission(view: dict[str, Any], beats: set[str], permits: Callable[[str], bool]) -> NewExplainer:
    """The modal's values, checked: a topic, a beat the beats file knows, links newsroom would fetch."""
    values = (view.get("state") or {}).get("values") or {}
    topic = " ".join(str(((values.get("topic") or {}).get("text") or {}).get("value") or "").split())
    chosen = ((values.get("beat") or {}).get("choice") or {}).get("selected_option") or {}
    beat = str(chosen.get("value") or "") or None
    raw = str(((values.get("links") or {}).get("text") or {}).get("value") or "")
    errors: dict[str, str] = {}
    if not topic:
        errors["topic"] = "Say what the explainer is about, e.g. “the transit budget”."
    elif len(topic) > MAX_TOPIC:
        errors["topic"] = f"Keep the topic under {MAX_TOPIC} characters; it is {len(topic)}."
    if beat is not None and beat not in beats:
        errors["beat"] = f"There is no beat {beat!r} any more; pick another or none."
    links, problem = parse_links(raw, permits)
    if problem:
        errors["links"] = problem
    return NewExplainer(topic, beat, links, errors)


def parse_links(text: str, permits: Callable[[str], bool]) -> tuple[list[str], str | None]:
    """(the links, a sentence saying what is wrong with one, or None): http(s) with a host, at most
    MAX_LINKS, none to a private or local address (`permits(host)` decides for literal addresses and
    local names; names that resolve privately are refused when fetched, by the same guard)."""
    links: list[str] = []
    for token in re.split(r"[\s,]+", text.strip()):
        if not token:
            continue
        if token.startswith("<") and token.endswith(">"):
            token = token[1:-1].split("|", 1)[0]
        parts = urlsplit(token)
        shown = cut(token, 80)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return (
                [],
                f"“{shown}” is not an http(s) link; give one link a line, like https://example.org/story.",
            )
        if not permits(parts.hostname):
            return (
                [],
                f"“{shown}” points to a private or local address; newsroom reads only public web pages.",
            )
        if token not in links:
            links.append(token)
    if len(links) > MAX_LINKS:
        return [], f"Give at most {MAX_LINKS} links; {len(links)} were given."
    return links, None


def literal_or_local(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names by itself (an IP literal, or loopback for localhost names); None for a name."""
    bare = host.strip("[]").lower()
    if bare == "localhost" or bare.endswith(".localhost"):
        return ipaddress.IPv4Address("127.0.0.1")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        return None


def public_hosts(allow: str) -> Callable[[str], bool]:
    """`permits(host)` for `parse_links`: a literal or local address must be public or on the allow-list
    (NEWSROOM_FETCH_ALLOW), as the fetch guard would judge it; a name is judged when it is fetched."""
    policy = FetchPolicy.from_setting(allow)

    def permits(host: str) -> bool:
        address = literal_or_local(host)
        return address is None or policy.permits(host, address)

    return permits
