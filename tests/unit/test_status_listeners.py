"""A run tells its status listeners (App Home) where it left a story; a listener's fault is never the story's."""

from __future__ import annotations

from types import SimpleNamespace

from newsroom.runs import StoryRuns


def test_every_listener_is_told_even_after_one_fails() -> None:
    told: list[tuple[str, str]] = []

    def broken(story_id: str, status: str) -> None:
        raise RuntimeError("Slack is down")

    runs = SimpleNamespace(status_listeners=[broken, lambda s, st: told.append((s, st))])
    StoryRuns._changed(runs, "s-1", "pending_approval")  # type: ignore[arg-type]
    assert told == [("s-1", "pending_approval")]
