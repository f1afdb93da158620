"""Updates: a count that changes over time (cases confirmed, accounts affected, a toll that rises) told
in a later report as its newest figure is history, not a disagreement; the latest value stands, with its
date.

A disagreement becomes an update when its two sides follow each other in time (every report of one side
published before every report of the other) and a sentence giving the later figure says it is newer
("up from our initial estimate", "has risen to", "as of Tuesday"). A rival outlet giving another figure
the same day, or later without saying the figure moved, stays a disagreement.
"""

from __future__ import annotations

from typing import Any

from newsroom.claims.lexicon_en import CHANGE_CUE


def updated(conflict: dict[str, Any]) -> bool:
    return conflict.get("status") == "updated"


def says_changed(sentence: str) -> bool:
    """Does a sentence give a figure as one that moved ("rose to", "up from", "as of", "now")?"""
    return bool(CHANGE_CUE.search(sentence))


def settle_as_update(
    conflict: dict[str, Any], statements: list[list[tuple[int, str]]], sources: dict[int, dict[str, Any]]
) -> None:
    """Mark a two-sided disagreement an update when the later side says its figure is newer.

    `statements[k]` holds (record, sentence) for each time side k's value is stated.
    """
    if conflict.get("resolution") or len(conflict["values"]) != 2 or len(statements) != 2:
        return
    when = [[str(sources.get(n, {}).get("published_at") or "") for n, _ in side] for side in statements]
    if not all(all(when_side) for when_side in when):
        return  # undated reports cannot be put in order
    for early, late in ((0, 1), (1, 0)):
        if max(when[early]) < min(when[late]) and any(says_changed(s) for _, s in statements[late]):
            old, new = conflict["values"][early], conflict["values"][late]
            as_of = min(when[late])[:10]
            conflict["status"] = "updated"
            conflict["resolved_value"] = new["value"]
            conflict["resolution"] = (
                f"Updated: {old['value']} was an earlier figure; {new['value']} is the latest "
                f"(reported {as_of})."
            )
            return


def update_sentence(conflict: dict[str, Any], outlets: dict[int, str]) -> str:
    """'Harbor Daily reported accounts affected as 3,400 [1]; Quarrystone gave 11,200 on 2025-06-11 [4], the
    latest figure.'"""
    new = str(conflict.get("resolved_value") or "")
    later = next((v for v in conflict["values"] if v["value"] == new), None)
    earlier = next((v for v in conflict["values"] if v["value"] != new), None)
    if later is None or earlier is None:
        return str(conflict.get("resolution") or "")

    def who(side: dict[str, Any]) -> str:
        names = list(dict.fromkeys(outlets.get(int(n), f"source {n}") for n in side["citations"]))
        return " and ".join(names[:2]) if names else "a report"

    def marks(side: dict[str, Any]) -> str:
        return " ".join(f"[{n}]" for n in side["citations"])

    what = f"{conflict['subject']} as " if conflict.get("subject") else ""
    when = str(conflict.get("resolution") or "").rpartition("(reported ")[2].rstrip(").")
    on = f" on {when}" if when else ""
    return (
        f"{who(earlier)} reported {what}{earlier['value']} {marks(earlier)}; "
        f"{who(later)} gave {new}{on} {marks(later)}, the latest figure."
    )
