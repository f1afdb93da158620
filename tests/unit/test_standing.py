"""Values only sources below the policy's minimum tier carry: attributed in a draft, read by the sentence's
parse in many wordings; found by the publishability check; attributed by code finishing when the writer
did not, and named in its notes."""

from __future__ import annotations

from typing import Any

import pytest

from newsroom.claims.finishing import finish_draft
from newsroom.claims.publishability import check_draft
from newsroom.claims.standing import Standing, attributed

ATTRIBUTED = [
    ("Posts on r/LocalLLaMA report that the distilled model runs at 38 tok/s on two 3090s.", "38"),
    ("A Bluesky post by @chipwatch.bsky.social says Nvidia fell 4% before the open.", "4%"),
    ("According to posts on r/LocalLLaMA, the model runs at 38 tok/s.", "38"),
    ("The model runs at 38 tok/s, according to a post on r/LocalLLaMA.", "38"),
    ("The model runs at 38 tok/s, a Reddit user claimed.", "38"),
    ("The model runs at 38 tok/s, as users on r/LocalLLaMA report.", "38"),
    ("Reddit users report speeds of 38 tok/s.", "38"),
    ("In a post on r/LocalLLaMA, u/gpu_hoarder wrote that the model runs at 38 tok/s.", "38"),
    ("Benchmarks shared by u/gpu_hoarder put the speed at 38 tok/s.", "38"),
    ("The model runs at 38 tok/s, says u/gpu_hoarder.", "38"),
]
NOT_ATTRIBUTED = [
    ("The model runs at 38 tok/s on two 3090s.", "38"),
    ("DeepSeek said nothing, and the model runs at 38 tok/s.", "38"),  # a saying beside it, not over it
    ("The model runs at 38 tok/s; DeepSeek declined to comment.", "38"),
    ("It is reported that the model runs at 38 tok/s.", "38"),  # names no one
    ("The model reportedly runs at 38 tok/s.", "38"),
    ("DeepSeek raised $90 billion, which investors said was a record.", "$90 billion"),
    ("The report runs to 38 pages.", "38"),  # a reporting word that reports nothing
    ("As expected, the model runs at 38 tok/s.", "38"),
]


@pytest.mark.parametrize(("sentence", "value"), ATTRIBUTED)
def test_attribution_is_read_in_many_wordings(sentence: str, value: str) -> None:
    assert attributed(sentence, value)


@pytest.mark.parametrize(("sentence", "value"), NOT_ATTRIBUTED)
def test_a_value_stated_as_fact_is_not_attributed(sentence: str, value: str) -> None:
    assert not attributed(sentence, value)


SOURCES: list[dict[str, Any]] = [
    {
        "n": 1,
        "kind": "news",
        "outlet": "City Desk",
        "text": "Nvidia shares fell 4% on Monday.",
        "tier": "unknown",
    },
    {
        "n": 2,
        "kind": "social",
        "platform": "reddit",
        "outlet": "r/LocalLLaMA",
        "author": "gpu_hoarder",
        "text": "DeepSeek V3 distill runs at 38 tok/s on two 3090s.",
    },
    {
        "n": 3,
        "kind": "social",
        "platform": "reddit",
        "outlet": "r/LocalLLaMA",
        "author": "quant_fan",
        "text": "Confirmed, 38 tok/s here too.",
    },
    {
        "n": 4,
        "kind": "social",
        "platform": "bluesky",
        "outlet": "Bluesky",
        "author": "chipwatch.bsky.social",
        "text": "Nvidia down 4% premarket; the round is $90 billion.",
    },
]


def standing(conflicts: list[dict[str, Any]] | None = None) -> Standing:
    return Standing.of(SOURCES, {2, 3, 4}, conflicts or [])


def test_only_values_no_trusted_source_carries_need_attribution() -> None:
    s = standing()
    assert [(v, c) for v, c in s.unattributed("The model runs at 38 tok/s.")] == [("38", {2, 3})]
    assert s.unattributed("Nvidia fell 4%.") == []  # the news record carries it too
    assert s.unattributed("Posts on r/LocalLLaMA report 38 tok/s.") == []
    assert s.unattributed("The round is $90 billion.") == [("$90 billion", {4})]
    # a side of a disagreement is told by the conflict rules, not here
    contested = standing([{"values": [{"value": "$90 billion", "citations": [4]}, {"value": "$9 billion"}]}])
    assert contested.unattributed("The round is $90 billion.") == []
    # with no source below the minimum tier nothing is asked
    assert Standing.of(SOURCES, set()).unattributed("The model runs at 38 tok/s.") == []
    assert s.attribution({2, 3}) == "posts on r/LocalLLaMA"
    assert s.attribution({2, 3}, cited=[2]) == "a post on r/LocalLLaMA by u/gpu_hoarder"
    assert (
        s.attribution({2, 4})
        == "a post on r/LocalLLaMA by u/gpu_hoarder and a Bluesky post by @chipwatch.bsky.social"
    )


def briefing(text: str, cites: list[int]) -> dict[str, Any]:
    return {
        "headline": "What is new on the beat",
        "items": [{"text": text, "citations": cites}],
        "what_to_watch": [],
    }


def test_the_publishability_check_finds_a_social_only_value_stated_as_fact() -> None:
    texts = [s["text"] for s in SOURCES]
    found = check_draft(briefing("The distilled model runs at 38 tok/s.", [2]), texts, [], "", standing())
    assert [(f.kind, f.unit) for f in found] == [("unattributed", "item 1")]
    assert "38" in found[0].sentence() and "below the policy's minimum tier" in found[0].sentence()
    fine = briefing("Posts on r/LocalLLaMA report that the distilled model runs at 38 tok/s.", [2, 3])
    assert check_draft(fine, texts, [], "", standing()) == []
    assert check_draft(briefing("Nvidia fell 4% on Monday.", [1]), texts, [], "", standing()) == []
    # without a standing (a caller from before policies) the check is as it was
    assert check_draft(briefing("The distilled model runs at 38 tok/s.", [2]), texts, []) == []


def test_code_finishing_attributes_it_and_says_so() -> None:
    draft = briefing("The distilled model runs at 38 tok/s.", [2])
    done, notes = finish_draft(draft, SOURCES, [], "the beat", standing())
    text = done["items"][0]["text"]
    assert (
        text == "The distilled model runs at 38 tok/s, according to a post on r/LocalLLaMA by u/gpu_hoarder."
    )
    assert done["items"][0]["citations"] == [2]
    assert any("attributed" in n and "u/gpu_hoarder" in n and "38" in n for n in notes), notes
    assert check_draft(done, [s["text"] for s in SOURCES], [], "", standing()) == []
    # an attributed sentence and one a trusted record carries are left as they are
    kept = briefing("Reddit users report speeds of 38 tok/s.", [2])
    assert (
        finish_draft(kept, SOURCES, [], "the beat", standing())[0]["items"][0]["text"]
        == kept["items"][0]["text"]
    )
    trusted = briefing("Nvidia fell 4% on Monday.", [1])
    assert finish_draft(trusted, SOURCES, [], "the beat", standing())[1] == []
