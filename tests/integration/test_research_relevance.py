"""Which records a story gets, on the real embedder and the real store: records about the story however
they word it, and not records that only share its place or company name. The records are in no packet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents import research
from newsroom.evaluation import NoModel
from newsroom.service import Newsroom
from newsroom.settings import Settings

RECORDS = [
    (
        "fr-1",
        "Fire forces evacuation of Port Alder ferry",
        "Harbor Daily",
        "Passengers were evacuated from the Port Alder ferry Coralline on Tuesday after a fire broke out in its "
        "engine room, the county coast guard station said. All 212 passengers reached the dock safely; four "
        "crew members were treated for smoke inhalation.",
    ),
    (
        "fr-2",
        "Coralline ferry fire: engine room blaze under investigation",
        "Sound Wire",
        "Investigators are examining the engine room of the ferry Coralline, where a blaze on Tuesday forced "
        "the evacuation of more than 200 passengers at Port Alder. The operator said service would resume "
        "with a replacement vessel.",
    ),
    (
        "fr-3",
        "Smoke, then a long wait on the dock",
        "Alder Forum",
        "Posted by deckhand_jo: We smelled smoke about twenty minutes out and the crew turned us back. Everyone "
        "on the Coralline got off fine but they kept us on the pier for two hours. Reply from tidewatcher: my "
        "brother was one of the crew they checked for smoke. He's okay.",
    ),
    (
        "fr-4",
        "Insurer's note on the Coralline loss",
        "Marine Risk Letter",
        "Underwriters expect the engine-room damage to the passenger vessel Coralline to keep it out of service "
        "for at least three months; the operator's hull policy covers fire. No injuries beyond smoke "
        "inhalation among crew were reported.",
    ),
    (
        "ot-1",
        "Port Alder festival breaks attendance record",
        "Harbor Daily",
        "The Port Alder seafood festival drew 31,000 visitors over the weekend, organizers said, with the ferry "
        "dock packed by noon on Saturday and food stalls selling out.",
    ),
    (
        "ot-2",
        "Port Alder council adopts budget",
        "Harbor Daily",
        "The Port Alder town council adopted a $48 million budget on Monday that raises harbor fees and funds two "
        "new firefighters for the volunteer department.",
    ),
]


def _sources(tmp_path: Path) -> set[str]:
    path = tmp_path / "records.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": i, "title": t, "outlet": o, "text": x, "published_at": "2026-05-12T09:00:00Z",
                        "url": f"https://example.org/{i}"})
            for i, t, o, x in RECORDS
        )
    )  # fmt: skip
    room = Newsroom(Settings(data_dir=tmp_path / "data"), model_override=NoModel())
    assert not room.ingest([str(path)]).rejected
    found = research.run({"topic": "the fire aboard the Port Alder ferry"}, room.deps)  # type: ignore[typeddict-item]
    return {s["record_id"] for s in found["sources"]}


def test_a_story_keeps_reports_worded_unlike_its_topic_and_drops_ones_sharing_only_its_place(
    tmp_path: Path,
) -> None:
    ids = _sources(tmp_path)
    assert {"fr-1", "fr-2", "fr-4"} <= ids  # the insurer's note names neither the town nor a fire
    assert not ids & {
        "ot-1",
        "ot-2",
    }  # the festival and the budget only share "Port Alder" (and a ferry dock)


@pytest.mark.xfail(
    strict=True,
    reason="known gap: a forum thread reads unlike the news reports the story is "
    "measured against, and falls under the story floor",
)
def test_a_forum_thread_about_the_story_is_kept(tmp_path: Path) -> None:
    assert "fr-3" in _sources(tmp_path)
