"""The Edit modal within Slack's limits (100 blocks, 3,000 characters a field), its errors, and who edited a draft."""

from __future__ import annotations

import json
from typing import Any

from newsroom.claims.edits import WHOLE, edit_fields
from newsroom.slack.blocks import draft_messages, edited_by
from newsroom.slack.editblocks import MAX_FIELD, edit_modal, modal_errors, parts, submitted
from tests.unit.test_edits import DRAFT


def _long_draft(answers: int, long_answer: int = 0) -> dict[str, Any]:
    faq = [
        {"question": f"Question number {i}?", "answer": f"Answer {i}. " * 40, "citations": [1]}
        for i in range(answers)
    ]
    if long_answer:
        faq[1]["answer"] = "word " * (long_answer // 5)
    return {**DRAFT, "story_id": "slack-C1-1.2", "draft_version": 3, "faq": faq}


def test_a_long_draft_is_split_into_parts_within_slack_limits() -> None:
    ex = _long_draft(70, long_answer=MAX_FIELD + 500)
    split = parts(edit_fields(ex))
    assert len(split) >= 4
    for i in range(len(split)):
        view = edit_modal(ex, "C1", "1.2", part=i)
        assert len(view["blocks"]) <= 100 and len(view["private_metadata"]) <= 3000
        assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
        picker = next(b for b in view["blocks"] if b.get("block_id") == "edit_part")["accessory"]
        assert picker["initial_option"]["value"] == str(i)
        assert all(len(o["text"]["text"]) <= 75 for o in picker["options"])
        for b in view["blocks"]:
            if b["type"] == "input":
                assert len(b["element"]["initial_value"]) <= b["element"]["max_length"] == MAX_FIELD
    # a question is never parted from its answer; every field is in exactly one part
    keys = [f.key for p in split for f in p]
    assert keys == [f.key for f in edit_fields(ex)]
    assert all(p[-1].key.endswith((".answer", ".body", ".event", "dek", "headline")) for p in split)
    # a field longer than a Slack input is shown as a note, not an input cut short
    first = json.dumps(edit_modal(ex, "C1", "1.2", part=0))
    assert "edit:faq.1.answer" not in first and "more than a Slack field holds" in first


def test_a_short_draft_is_one_part_with_no_picker() -> None:
    view = edit_modal({**DRAFT, "story_id": "s", "draft_version": 1}, "C1", "1.2")
    assert not [b for b in view["blocks"] if b.get("block_id") == "edit_part"]
    assert json.loads(view["private_metadata"]) == {
        "story_id": "s",
        "version": 1,
        "channel": "C1",
        "message_ts": "1.2",
        "part": 0,
    }


def test_errors_land_on_a_field_the_modal_shows() -> None:
    view = edit_modal({**DRAFT, "story_id": "s", "draft_version": 1}, "C1", "1.2")
    errors = modal_errors(
        view, {"faq.1.answer": ["bad value"], WHOLE: ["a disagreement is gone"], "faq.9.answer": ["x"]}
    )
    assert errors["edit:faq.1.answer"] == "Bad value"
    assert errors["edit:headline"] == "A disagreement is gone · X"


def test_submitted_reads_only_the_edit_fields() -> None:
    view = {
        "state": {"values": {"edit:dek": {"text": {"value": "New dek."}}, "other": {"text": {"value": "no"}}}}
    }
    assert submitted(view) == {"dek": "New dek."}


def test_a_draft_says_who_edited_it_and_strangers_names_stay_text() -> None:
    ex = {
        **DRAFT,
        "story_id": "s",
        "draft_version": 2,
        "history": [{"kind": "edit", "by": "slack:U0ED", "version": 2}],
    }
    assert edited_by(ex) == ", edited by <@U0ED>"
    assert "edited by <@U0ED>" in json.dumps(draft_messages(ex))
    assert edited_by({**ex, "history": [{"kind": "edit", "by": "cli:<!channel>", "version": 2}]}) == (
        ", edited by cli:&lt;!channel&gt;"
    )
    assert edited_by({**ex, "draft_version": 3}) == ""  # the writer's next draft is not the editor's


def test_an_empty_field_is_shown_without_an_initial_value_and_not_forced() -> None:
    view = edit_modal({**DRAFT, "dek": "", "story_id": "s", "draft_version": 1}, "C1", "1.2")
    dek = next(b for b in view["blocks"] if b.get("block_id") == "edit:dek")
    assert "initial_value" not in dek["element"] and dek["optional"] is True
    headline = next(b for b in view["blocks"] if b.get("block_id") == "edit:headline")
    assert headline["element"]["initial_value"] == DRAFT["headline"] and "optional" not in headline
