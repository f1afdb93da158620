"""The `newsroom` command line: a thin door onto newsroom.service."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar

from newsroom.documents.briefing import render_markdown
from newsroom.ingest import IngestReport
from newsroom.llm import ModelError
from newsroom.records import RecordError, parse_date
from newsroom.service import Newsroom, Progress, PublishPending, StoryError, hit_json
from newsroom.settings import get_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A newsroom of agents, approved by humans."
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DEMO_CORPUS = Path(__file__).parent / "demo" / "deepseek.jsonl"
_PROGRESS_MIN = 20  # below this many records a bar is noise


def _newsroom() -> Newsroom:
    room = Newsroom(get_settings())
    slack, token = room.settings.slack, room.settings.slack_bot_token
    if slack.publish_channel and token:
        # The same publication targets as `serve`: a retry from here finishes the Slack post too.
        from slack_sdk import WebClient

        from newsroom.slack.publisher import slack_publisher

        client = WebClient(token=token.get_secret_value(), base_url=slack.api_url, timeout=30)
        room.publishers["slack"] = slack_publisher(client, slack.publish_channel)
    return room


def _date_opt(value: str | None, name: str) -> datetime | None:
    try:
        return parse_date(value)
    except RecordError:
        err.print(f"[red]--{name} {value!r} is not a date; use ISO 8601 like 2026-10-01[/red]")
        raise typer.Exit(2) from None


def print_report(report: IngestReport, console: Console = out) -> None:
    head, *rest = report.summary()
    console.print(f"[bold]{head}[/bold]")
    for line in rest:
        console.print(line, markup=False, highlight=False)


def run_ingest(room: Newsroom, targets: list[str], beat: str | None, as_json: bool) -> IngestReport:
    parsed = room.read_targets(targets, beat)
    show_bar = len(parsed) >= _PROGRESS_MIN and err.is_terminal and not as_json
    if not show_bar:
        return room.ingest_parsed(parsed)
    with Bar(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=len(parsed))
        return room.ingest_parsed(parsed, on_progress=lambda n: bar.advance(task, n))


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs or feeds.")],
    beat: Annotated[str | None, typer.Option(help="Beat for records that name none.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read source records into the store; report what was added, duplicated or rejected."""
    report = run_ingest(_newsroom(), targets, beat, as_json)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=200, help="How many records.")] = 10,
    beat: Annotated[str | None, typer.Option(help="Only this beat.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (ISO date).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (ISO date).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank stored records by meaning; a syndicated copy is folded into its original."""
    hits = _newsroom().search(
        query, k=k, beat=beat, since=_date_opt(since, "since"), until=_date_opt(until, "until")
    )
    if as_json:
        print(json.dumps([hit_json(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        out.print("No records match. Ingest some with `newsroom ingest PATH_OR_URL`.")
        return
    for n, h in enumerate(hits, 1):
        r = h.record
        date = r.published_at.date().isoformat() if r.published_at else "undated"
        copies = f"  (+{len(h.duplicates)} copies)" if h.duplicates else ""
        out.print(
            f"{n:>2}. {h.score:.3f}  {r.title} — {r.outlet}, {date}  [{r.id}]{copies}",
            markup=False,
            highlight=False,
        )


def _progress(p: Progress) -> None:
    err.print(f"  {p.step:<10} {p.seconds:6.1f} s  {p.summary}", markup=False, highlight=False)


def _fail(exc: Exception) -> NoReturn:
    err.print(f"[red]{exc}[/red]")
    raise typer.Exit(1)


def _emit(ex: dict[str, Any], json_file: Path | None, md_file: Path | None) -> None:
    if json_file:
        json_file.write_text(json.dumps(ex, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if md_file:
        md_file.write_text(render_markdown(ex), encoding="utf-8")
    out.print(render_markdown(ex), markup=False, highlight=False)
    out.print(
        f"Story {ex['story_id']}: {ex['status']}"
        + (
            f' — decide with `newsroom review {ex["story_id"]} --approve | --reject | --revise "note"`'
            if ex["status"] == "pending_approval"
            else ""
        ),
        markup=False,
        highlight=False,
    )


@app.command()
def explain(
    topic: Annotated[str, typer.Argument(help="What the explainer is about.")],
    beat: Annotated[str | None, typer.Option(help="Only use records on this beat.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the explainer JSON here.")] = None,
    md_file: Annotated[Path | None, typer.Option("--md", help="Write the Markdown here.")] = None,
) -> None:
    """Research, fact-check, frame and write an explainer; it then waits for an editor's decision."""
    try:
        ex = _newsroom().explain(topic, beat=beat, on_progress=_progress)
    except (StoryError, ModelError) as exc:
        _fail(exc)
    _emit(ex, json_file, md_file)


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
        ex = _newsroom().review(story_id, chosen[0], who=who, note=revise, on_progress=_progress)
    except PublishPending as exc:
        _fail(
            RuntimeError(
                f"Story {story_id} is approved but not fully published: {exc} "
                f"(run `newsroom retry {story_id}`)."
            )
        )
    except (StoryError, ModelError) as exc:
        _fail(exc)
    if ex["status"] == "published":
        if json_file:
            json_file.write_text(json.dumps(ex, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        out.print(f"Story {story_id} published: " + ", ".join(ex["published"].values()), markup=False)
    elif ex["status"] == "rejected":
        out.print(f"Story {story_id} rejected.")
    else:
        _emit(ex, json_file, None)


@app.command()
def show(
    story_id: Annotated[str, typer.Argument(help="The story id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print a story's current draft and status."""
    try:
        ex = _newsroom().show(story_id)
    except StoryError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(ex, indent=2, ensure_ascii=False))
    else:
        _emit(ex, None, None)


@app.command()
def retry(story_id: Annotated[str, typer.Argument(help="The story id.")]) -> None:
    """Continue a story whose run stopped (for example when a model endpoint failed)."""
    try:
        ex = _newsroom().retry(story_id, on_progress=_progress)
    except (StoryError, ModelError) as exc:
        _fail(exc)
    _emit(ex, None, None)


@app.command()
def status(story_id: Annotated[str | None, typer.Argument(help="One story, or all.")] = None) -> None:
    """List stories and where each stands."""
    rows = _newsroom().status(story_id)
    if not rows:
        out.print('No stories yet. Start one with `newsroom explain "topic"`.')
    for r in rows:
        out.print(
            f"{r['story_id']}  {r['status']:<16} v{r['draft_version']}  {r['topic']}  "
            f"(by {r['requested_by']}, {r['updated_at'][:16]})",
            markup=False,
            highlight=False,
        )


@app.command()
def demo(
    approve: Annotated[
        bool, typer.Option(help="Approve the draft at the end (publishes it locally).")
    ] = False,
) -> None:
    """Ingest the bundled DeepSeek corpus and explain the funding round on the embedded defaults."""
    room = _newsroom()
    out.print(f"Ingesting the demo corpus into {room.settings.data_dir} ...")
    print_report(run_ingest(room, [str(DEMO_CORPUS)], None, False))
    topic = "the DeepSeek funding round"
    out.print(f"\nExplaining {topic!r} (the embedded model is slow: 10-15 minutes on 2 cores)")
    started = time.perf_counter()
    try:
        ex = room.explain(topic, requested_by="demo", on_progress=_progress)
    except (StoryError, ModelError) as exc:
        _fail(exc)
    out.print(f"  total      {time.perf_counter() - started:6.1f} s\n")
    _emit(ex, room.settings.data_dir / "demo-explainer.json", room.settings.data_dir / "demo-explainer.md")
    if approve and ex["status"] == "pending_approval":
        done = room.review(ex["story_id"], "approve", who="demo")
        out.print("Published: " + ", ".join(done["published"].values()), markup=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address for HTTP mode.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for HTTP mode.")] = 3000,
) -> None:
    """Run the Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events."""
    import logging

    from newsroom.scheduler import BeatScheduler
    from newsroom.slack.app import SlackConfigError, SlackContext, build_app
    from newsroom.slack.briefs import on_schedule
    from newsroom.slack.server import http_server, socket_mode_handler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    socket_mode = settings.slack_app_token is not None
    room = Newsroom(settings)
    ctx = SlackContext(room, settings)
    try:
        bolt = build_app(room, settings, socket_mode=socket_mode, ctx=ctx)
    except SlackConfigError as exc:
        _fail(exc)
    # Stories a killed process left running or publishing continue from their last checkpoint; a sweep
    # finds work a replica on another host abandoned.
    resumed = room.jobs.resume_unfinished()
    if resumed:
        err.print(f"newsroom: resuming {len(resumed)} unfinished stories", markup=False)
    room.jobs.sweep_every(120)
    scheduler = BeatScheduler(room, on_due=on_schedule(ctx))
    scheduler.start()
    for beat, when in scheduler.next_runs().items():
        err.print(f"newsroom: beat {beat} next briefing at {when}", markup=False)
    try:
        if settings.slack_app_token is not None:
            err.print("newsroom: Socket Mode (SLACK_APP_TOKEN is set); Ctrl-C stops")
            socket_mode_handler(bolt, settings.slack_app_token.get_secret_value()).start()
            return
        try:
            server = http_server(bolt, host, port)
        except OSError as exc:
            _fail(RuntimeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"))
        err.print(
            f"newsroom: HTTP mode on http://{host}:{server.server_address[1]}/slack/events; Ctrl-C stops"
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
    finally:
        scheduler.shutdown()


from newsroom import cli_beats, cli_check, cli_eval  # noqa: E402,F401  (`brief`, `beats`, `check`, `eval`)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click handles its own exits; anything else arrives here
        sentence = cli_check.storage_fault(exc)
        if sentence is None:
            raise
        err.print(sentence, markup=False, highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
