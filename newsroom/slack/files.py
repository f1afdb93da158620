"""Files shared in a story's thread become its sources: fetched with the bot token from Slack's own file host
only, size-capped, read (PDF, DOCX, HTML, Markdown, text), stored as document records, attached to the story;
the bot says in the thread what was added, or why not. Files in threads that are not stories are left alone."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from slack_bolt import App
from slack_sdk import WebClient

from newsroom.fileparse import read_file
from newsroom.slack.context import SlackContext, story_id_for
from newsroom.slack.mrkdwn import cut, escape
from newsroom.slack.replies import failure_line

SLACK_FILE_HOST = "files.slack.com"
_MAX_REDIRECTS = 3
_MAX_TEXT = 3000


NOT_AN_EDITOR = (
    "Files shared in a story's thread become its sources only when an editor shares them; nothing was read. "
    "Ask an editor, or ask whoever runs newsroom to add you to NEWSROOM_SLACK_APPROVERS or "
    "NEWSROOM_SLACK_INGEST_GROUP."
)


class FileRefused(Exception):
    """A shared file newsroom will not read; the message is a sentence for the thread."""


def jobs(ctx: SlackContext) -> None:
    ctx.add_jobs({"files": read_files})


def register(app: App, ctx: SlackContext) -> None:
    jobs(ctx)

    def shares_files(event: dict[str, Any]) -> bool:
        return bool(event.get("files")) and event.get("subtype") in (None, "file_share")

    def on_files(event: dict[str, Any], client: WebClient) -> None:
        # Slack has its answer when this returns: whose thread it is and who shared are looked at right after.
        ctx.soon(take_files, ctx, event, client)

    app.event({"type": "message"}, matchers=[shares_files])(on_files)


def take_files(ctx: SlackContext, event: dict[str, Any], client: WebClient) -> None:
    """Files shared in a thread, right after Slack has its answer: a story's thread and an editor's files are
    handed to the `files` job once each; anyone else is told privately; any other thread is left alone."""
    thread_ts, channel, user = event.get("thread_ts"), event.get("channel"), event.get("user")
    if event.get("bot_id") or not (thread_ts and channel and user) or thread_ts == event.get("ts"):
        return  # not a reply in a thread (or the bot's own): no story to add to
    story_id = story_id_for(str(channel), str(thread_ts))
    if not ctx.room.registry.exists(story_id):
        return  # a thread that is not a story: its files are none of newsroom's business
    ids = [str(f["id"]) for f in event["files"] if isinstance(f, dict) and f.get("id")]
    if not ctx.may_add_sources(client, str(user)):
        # sources come from editors (as with /newsroom ingest): a file anyone drops in is not evidence.
        # Not claimed, so an editor may share the same file later; told once per message.
        if ctx.room.registry.claim_once(f"file-refused:{story_id}:{event.get('ts')}"):
            client.chat_postEphemeral(channel=str(channel), user=str(user), text=NOT_AN_EDITOR)
        return
    # Exactly once per file per thread: Slack redelivers events, and a file may be shared again.
    fresh = [i for i in ids if ctx.room.registry.claim_once(f"file:{story_id}:{i}")]
    if fresh:
        ctx.enqueue("files", channel=str(channel), thread_ts=str(thread_ts), user=str(user), file_ids=fresh)


def register_quiet(app: App) -> None:
    """Registered last: every other message in a channel the bot is in, and `file_shared` (the message event
    carries the thread), acknowledged and left alone, so Slack does not redeliver them as unhandled."""

    def ignore() -> None:
        return None

    app.event("message")(ignore)
    app.event("file_shared")(ignore)


def read_files(ctx: SlackContext, channel: str, thread_ts: str, user: str, file_ids: list[str]) -> None:
    """The `files` job: each file fetched, read and stored; one message in the thread says what happened."""
    story_id = story_id_for(channel, thread_ts)
    added: list[str] = []
    refused: list[str] = []
    for file_id in file_ids:
        try:
            title, name, record_id = _one_file(ctx, file_id, user)
        except FileRefused as exc:
            refused.append(escape(str(exc)))
            continue
        except Exception as exc:  # logged by failure_line; the thread gets a sentence
            refused.append(failure_line(f"Reading the file {escape(file_id)}", exc))
            continue
        ctx.room.registry.attach(story_id, [record_id], f"slack:{user}")
        added.append(f"Added to this story's sources: “{escape(title)}” ({escape(name)}).")
    lines = added + refused + ([_next_step(ctx, story_id)] if added else [])
    ctx.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=cut("\n".join(lines), _MAX_TEXT))


def _next_step(ctx: SlackContext, story_id: str) -> str:
    status = next((r["status"] for r in ctx.room.status(story_id)), "")
    if status in ("published", "rejected"):
        return f"This story is already {status}; the file is kept in the source store for later stories."
    if status == "pending_approval":
        return "Press *Request changes* on the draft: the revision researches the new sources in."
    return "The draft being written now does not have it yet: once it is posted, *Request changes* uses it."


def _one_file(ctx: SlackContext, file_id: str, user: str) -> tuple[str, str, str]:
    """(title, file name, record id) of a file read and stored, or FileRefused with the sentence why not."""
    info = ctx.client.files_info(file=file_id).get("file") or {}
    name = str(info.get("name") or info.get("title") or file_id)
    cap = ctx.settings.slack.max_file_bytes
    size = info.get("size")
    if isinstance(size, int) and size > cap:
        raise FileRefused(f"{name} is {_mb(size)}, over the {_mb(cap)} limit for files; nothing was stored.")
    data = download(ctx, str(info.get("url_private_download") or info.get("url_private") or ""), name)
    parsed = read_file(
        name,
        data,
        ctx.settings.ingest,
        {"author": f"slack:{user}"},
        slack_type=str(info.get("filetype") or ""),
    )
    if parsed.record is None:
        raise FileRefused(parsed.error or f"{name} could not be read; nothing was stored.")
    report = ctx.room.ingest_parsed([parsed])
    if report.rejected:
        raise FileRefused(f"{name} could not be stored: {report.rejected[0].reason}")
    # a file already in the store (the same text shared before) is attached as the record it already is
    stored = report.added or []
    record_id = stored[0].id if stored else next((d.of_id for d in report.exact + report.near), "")
    if not record_id:
        raise FileRefused(f"{name} could not be stored; nothing was added.")
    return parsed.record.title, name, record_id


def slack_file_url(ctx: SlackContext, url: str) -> bool:
    """True for Slack's own file host (or the configured Slack API's host, where a test's fake serves files):
    the bot token is sent nowhere else, and a URL a user typed is never fetched here."""
    parts = urlsplit(url)
    api = urlsplit(ctx.settings.slack.api_url)
    if parts.scheme == "https" and (parts.hostname or "").lower() == SLACK_FILE_HOST and parts.port is None:
        return True
    return (parts.scheme, parts.netloc.lower()) == (api.scheme, api.netloc.lower()) and bool(parts.netloc)


def download(ctx: SlackContext, url: str, name: str) -> bytes:
    """The file's bytes with the bot token, at most the size cap (counted as they arrive, whatever the size
    Slack reported); a redirect is followed only to Slack's file host."""
    token = ctx.settings.slack_bot_token
    cap = ctx.settings.slack.max_file_bytes
    timeout = ctx.settings.ingest.fetch_timeout_s
    headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _ in range(_MAX_REDIRECTS + 1):
            if not slack_file_url(ctx, url):
                raise FileRefused(f"{name} is not on Slack's file host; nothing was fetched.")
            try:
                with client.stream("GET", url, headers=headers) as resp:
                    if resp.is_redirect and resp.headers.get("location"):
                        url = urljoin(url, resp.headers["location"])
                        continue
                    if resp.status_code != 200:
                        raise FileRefused(
                            f"{name} could not be downloaded from Slack (it answered {resp.status_code}); "
                            "check the app has the files:read scope."
                        )
                    chunks: list[bytes] = []
                    got = 0
                    for chunk in resp.iter_bytes():
                        got += len(chunk)
                        if got > cap:
                            raise FileRefused(
                                f"{name} is over the {_mb(cap)} limit for files; nothing was stored."
                            )
                        chunks.append(chunk)
                    return b"".join(chunks)
            except httpx.HTTPError:
                raise FileRefused(
                    f"{name} could not be downloaded from Slack; share it again later."
                ) from None
    raise FileRefused(f"{name} could not be downloaded from Slack (too many redirects).")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(size, 1) / 1000:.0f} kB"
