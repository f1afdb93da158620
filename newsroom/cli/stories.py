"""`newsroom explain`, `review`, `show`, `retry`, `update` and `status`: a story from request to publication,
and a published explainer's next version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsroom.cli.common import app, emit, err, fail, open_newsroom, out, show_progress
from newsroom.models.port import ModelError
from newsroom.service import PublishPending, StoryError

_ALL = 1_000_000  # "every story" for the registry's listing, which takes a limit


@app.command()
def explain(
    topic: Annotated[str, typer.Argument(help="What the explainer is about.")],
    beat: Annotated[str | None, typer.Option(help="Only use records on this beat.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the explainer JSON here.")] = None,
    md_file: Annotated[Path | None, typer.Option("--md", help="Write the Markdown here.")] = None,
) -> None:
    """Research, fact-check, frame and write an explainer; it then waits for an editor's decision."""
    try:
        ex = open_newsroom().explain(topic, beat=beat, on_progress=show_progress)
    except (StoryError, ModelError) as exc:
        fail(exc)
    emit(ex, json_file, md_file)


@app.command()
def review(
    story_id: Annotated[str, typer.Argument(help="The story id `explain` printed.")],
    approve: Annotated[bool, typer.Option("--approve", help="Publish the draft.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the draft.")] = False,
    revise: Annotated[str | None, typer.Option("--revise", help="Ask the writer for changes.")] = None,
    who: Annotated[str, typer.Option(help="Who decides (recorded in the history).")] = "cli",
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the explainer JSON here.")] = None,
) -> None:
    """Approve, reject, or ask for changes to a waiting story (from any process)."""
    chosen = [d for d, on in (("approve", approve), ("reject", reject), ("revise", revise is not None)) if on]
    if len(chosen) != 1:
        err.print('Choose exactly one of --approve, --reject or --revise "note".')
        raise typer.Exit(2)
    try:
        ex = open_newsroom().review(story_id, chosen[0], who=who, note=revise, on_progress=show_progress)
    except PublishPending as exc:
        fail(
            RuntimeError(
                f"Story {story_id} is approved but not fully published: {exc} "
                f"(run `newsroom retry {story_id}`)."
            )
        )
    except (StoryError, ModelError) as exc:
        fail(exc)
    if ex["status"] == "published":
        if json_file:
            json_file.write_text(json.dumps(ex, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        out.print(f"Story {story_id} published: " + ", ".join(ex["published"].values()), markup=False)
    elif ex["status"] == "rejected":
        out.print(f"Story {story_id} rejected.")
    else:
        emit(ex, json_file, None)


@app.command()
def show(
    story_id: Annotated[str, typer.Argument(help="The story id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print a story's current draft and status."""
    try:
        ex = open_newsroom().show(story_id)
    except StoryError as exc:
        fail(exc)
    if as_json:
        print(json.dumps(ex, indent=2, ensure_ascii=False))
    else:
        emit(ex, None, None)


@app.command()
def retry(story_id: Annotated[str, typer.Argument(help="The story id.")]) -> None:
    """Continue a story whose run stopped (for example when a model endpoint failed)."""
    try:
        ex = open_newsroom().retry(story_id, on_progress=show_progress)
    except (StoryError, ModelError) as exc:
        fail(exc)
    emit(ex, None, None)


@app.command()
def update(
    story_id: Annotated[str, typer.Argument(help="A published explainer's story id.")],
    who: Annotated[str, typer.Option(help="Who asks (recorded with the update).")] = "cli",
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the explainer JSON here.")] = None,
    md_file: Annotated[Path | None, typer.Option("--md", help="Write the Markdown here.")] = None,
) -> None:
    """Write a published explainer's next version from the records ingested since, with What changed; it then
    waits for an editor's decision like any draft."""
    try:
        ex = open_newsroom().update(story_id, requested_by=who, on_progress=show_progress)
    except (StoryError, ModelError) as exc:
        fail(exc)
    emit(ex, json_file, md_file)


@app.command()
def status(
    story_id: Annotated[str | None, typer.Argument(help="One story, or all.")] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print JSON: the job queue (waiting, running with story and worker, oldest waiting job, "
            "failed in the last day) and the stories by status.",
        ),
    ] = False,
) -> None:
    """List stories and where each stands."""
    room = open_newsroom()
    if as_json:
        from newsroom import operations

        try:
            queue = (
                operations.queue_figures(room.settings.database, stale_s=room.settings.queue.stalled_s)
                if room.settings.database
                else None
            )
        except operations.QueueUnavailable as exc:
            fail(exc)
        everything = room.registry.stories(
            limit=_ALL
        )  # the counts cover every story, the list what status shows
        found = operations.report(room.settings, room.status(story_id), queue, everything)
        print(operations.dumps(found))
        return
    rows = room.status(story_id)
    if not rows:
        out.print('No stories yet. Start one with `newsroom explain "topic"`.')
    for r in rows:
        out.print(
            f"{r['story_id']}  {r['status']:<16} v{r['draft_version']}  {r['topic']}  "
            f"(by {r['requested_by']}, {r['updated_at'][:16]})",
            markup=False,
            highlight=False,
        )
