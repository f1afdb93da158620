"""Slack's Block Kit limits, checked as Slack checks a view (docs.slack.dev → Reference → Block Kit, Views):
the fake Web API refuses a view that breaks one, as Slack answers invalid_arguments."""

from __future__ import annotations

from typing import Any

MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_MODAL_TITLE = 24  # title, submit and close of a modal
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255
MAX_ACTION_ID = 255
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_LABEL = 2000


def _text(obj: Any, limit: int, where: str, out: list[str]) -> None:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        out.append(f"{where}: a text object is required")
        return
    if obj.get("type") not in ("plain_text", "mrkdwn"):
        out.append(f"{where}: text type {obj.get('type')!r}")
    if not obj["text"]:
        out.append(f"{where}: empty text")
    if len(obj["text"]) > limit:
        out.append(f"{where}: {len(obj['text'])} characters, more than {limit}")


def _element(el: dict[str, Any], where: str, out: list[str]) -> None:
    if len(str(el.get("action_id", ""))) > MAX_ACTION_ID:
        out.append(f"{where}: action_id too long")
    if el.get("type") == "button":
        _text(el.get("text"), MAX_BUTTON_TEXT, f"{where}.text", out)
        if (el.get("text") or {}).get("type") != "plain_text":
            out.append(f"{where}: a button's text must be plain_text")
        if len(str(el.get("value", ""))) > MAX_BUTTON_VALUE:
            out.append(f"{where}: value longer than {MAX_BUTTON_VALUE}")
        if len(str(el.get("url", ""))) > MAX_URL:
            out.append(f"{where}: url longer than {MAX_URL}")
    if el.get("type") == "static_select":
        options = el.get("options") or []
        if not 1 <= len(options) <= MAX_OPTIONS:
            out.append(f"{where}: {len(options)} options (1 to {MAX_OPTIONS})")
        for i, opt in enumerate(options):
            _text(opt.get("text"), MAX_OPTION_TEXT, f"{where}.options[{i}]", out)
            if not 0 < len(str(opt.get("value", ""))) <= MAX_OPTION_VALUE:
                out.append(f"{where}.options[{i}]: value of 1 to {MAX_OPTION_VALUE} characters")


def problems(view: dict[str, Any]) -> list[str]:
    """Every Block Kit limit `view` (a home tab or a modal) breaks; [] when Slack would accept it."""
    out: list[str] = []
    if view.get("type") not in ("home", "modal"):
        out.append(f"view type {view.get('type')!r}")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return [*out, "blocks must be a list"]
    if len(blocks) > MAX_VIEW_BLOCKS:
        out.append(f"{len(blocks)} blocks, more than {MAX_VIEW_BLOCKS}")
    if len(str(view.get("private_metadata", ""))) > MAX_PRIVATE_METADATA:
        out.append("private_metadata too long")
    if len(str(view.get("callback_id", ""))) > MAX_CALLBACK_ID:
        out.append("callback_id too long")
    if view.get("type") == "modal":
        _text(view.get("title"), MAX_MODAL_TITLE, "title", out)
        for key in ("submit", "close"):
            if key in view:
                _text(view[key], MAX_MODAL_TITLE, key, out)
        if any(b.get("type") == "input" for b in blocks) and "submit" not in view:
            out.append("a modal with inputs needs submit")
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        kind = block.get("type")
        if kind == "section":
            if "text" in block:
                _text(block["text"], MAX_SECTION_TEXT, f"{where}.text", out)
            elif "fields" not in block:
                out.append(f"{where}: a section needs text or fields")
            if block.get("accessory"):
                _element(block["accessory"], f"{where}.accessory", out)
        elif kind == "header":
            _text(block.get("text"), MAX_HEADER_TEXT, f"{where}.text", out)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= MAX_ACTIONS_ELEMENTS:
                out.append(f"{where}: {len(elements)} elements (1 to {MAX_ACTIONS_ELEMENTS})")
            for j, el in enumerate(elements):
                _element(el, f"{where}.elements[{j}]", out)
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
                out.append(f"{where}: {len(elements)} context elements (1 to {MAX_CONTEXT_ELEMENTS})")
            for j, el in enumerate(elements):
                _text(el, MAX_SECTION_TEXT, f"{where}.elements[{j}]", out)
        elif kind == "input":
            _text(block.get("label"), MAX_LABEL, f"{where}.label", out)
            _element(block.get("element") or {}, f"{where}.element", out)
        elif kind != "divider":
            out.append(f"{where}: block type {kind!r} is not checked by this fake")
    return out
