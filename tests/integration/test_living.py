"""Living stories through the facade: an update is only for a published explainer, a rejected update leaves the
published version standing (and a later update may be asked for), an approved one is version 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom.runs import StoryError
from newsroom.settings import Settings
from tests.fakes.scripted import demo_room, scripted


def test_a_rejected_update_leaves_the_published_version_and_another_may_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    room = demo_room(Settings(), scripted())
    first = room.explain("the DeepSeek funding round", story_id="s-living")
    with pytest.raises(StoryError, match="only a published explainer can be updated"):
        room.update("s-living")
    room.review("s-living", "approve", who="ed", draft_version=first["draft_version"])
    v1 = room.show("s-living")
    assert v1["edition"] == 1 and [e["edition"] for e in v1["editions"]] == [1]

    drafted = room.update("s-living", requested_by="ed")
    assert drafted["status"] == "pending_approval" and drafted["edition"] == 2
    with pytest.raises(StoryError, match="only a published explainer"):
        room.update("s-living")  # the update drafted waits for its decision
    room.review("s-living", "reject", who="ed", draft_version=drafted["draft_version"])
    after = room.show("s-living")
    assert after["status"] == "published" and after["edition"] == 1
    assert after["headline"] == v1["headline"] and after["faq"] == v1["faq"]
    assert room.status("s-living")[0]["status"] == "published"

    again = room.update("s-living", requested_by="ed")  # a new update after a rejected one
    assert again["edition"] == 2 and again["draft_version"] > drafted["draft_version"]
