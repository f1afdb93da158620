"""What every Slack feature is handed: the facade, the settings, the one bot client, story ids, the workers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from newsroom.service import Newsroom
from newsroom.settings import Settings

log = logging.getLogger("newsroom.slack")

Job = Callable[..., None]
"""A named piece of Slack work: `job(ctx, **arguments)`, every argument JSON (str, int, …), so a queue can
carry it to another process."""

_stopping: ContextVar[Callable[[], bool] | None] = ContextVar("newsroom_job_stopping", default=None)


class Released(BaseException):
    """The worker is shutting down: the job stops between two steps (the story's progress is checkpointed)
    and goes back to the queue. A BaseException, so no `except Exception` on the way marks the story failed."""


class Deferrer(Protocol):
    """Hands a named job to the queue (another process runs it); False when an identical job already waits."""

    def __call__(
        self, name: str, arguments: dict[str, Any], *, lock: str | None, queueing_lock: str | None
    ) -> bool: ...


@dataclass
class SlackContext:
    """What every Slack feature needs: the one facade, the settings, the bot's client, and who may decide."""

    room: Newsroom
    settings: Settings
    client: WebClient
    """The bot's own client (built once, by `client.web_client`): every job uses it (one workspace, one token),
    so work can run in a process that never saw the request. Listeners use the client Bolt hands them."""
    deferrer: Deferrer | None = None
    """With a database the queue's: jobs run on workers (`newsroom worker`). None: on `workers` below."""
    jobs: dict[str, Job] = field(default_factory=dict)
    """Every feature's jobs by name, added by its `register`."""
    # Without a queue, stories run here, not in Bolt's listener pool: Bolt runs every ack on that pool too,
    # and long work there left new commands unacknowledged after 3 s (5 stories at once; bench_slack.py).
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsroom-story")
    )

    soon_pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsroom-soon")
    )
    """Work a listener hands over right after its answer: claiming and queueing jobs, opening a modal within the
    trigger's 3 s. Two threads: in a burst the answers, not the hand-overs, get the interpreter (bench_scale)."""

    def soon(self, fn: Callable[..., None], *args: Any) -> None:
        """Run `fn(*args)` on this process right after the listener returns and Slack has its answer; a failure
        is logged (whoever clicked is told by `fn` itself when it can)."""

        def guarded() -> None:
            try:
                fn(*args)
            except Exception:
                log.exception("%s after answering Slack failed", getattr(fn, "__name__", fn))

        self.soon_pool.submit(guarded)

    def after_ack(
        self,
        name: str,
        *,
        once: dict[str, Any] | None = None,
        lock: str | None = None,
        queueing_lock: str | None = None,
        **arguments: Any,
    ) -> None:
        """From a listener: hand the job `name` over once Slack has its answer, so the answer waits on nothing
        (bench_scale.py). `once` is the request's body: a redelivery (same trigger id) is not handed over."""
        if name not in self.jobs:
            raise KeyError(f"no Slack job is named {name!r}")

        def hand_over() -> None:
            if once is None or self.first_delivery(once):
                self.enqueue(name, lock=lock, queueing_lock=queueing_lock, **arguments)

        hand_over.__name__ = f"hand_over_{name}"
        self.soon(hand_over)

    def add_jobs(self, jobs: Mapping[str, Job]) -> None:
        for name, fn in jobs.items():
            if self.jobs.get(name, fn) is not fn:
                raise ValueError(f"two features registered a job named {name!r}")
            self.jobs[name] = fn

    def enqueue(
        self, name: str, *, lock: str | None = None, queueing_lock: str | None = None, **arguments: Any
    ) -> bool:
        """Run the job `name` later: on a worker when there is a queue, else on this process's threads. `lock`
        keeps jobs sharing it from running at once (a story's id); `queueing_lock` lets one such job wait.
        False when an identical job is already waiting."""
        if name not in self.jobs:
            raise KeyError(f"no Slack job is named {name!r}")
        if self.deferrer is not None:
            return self.deferrer(name, arguments, lock=lock, queueing_lock=queueing_lock)
        self.workers.submit(self._guarded, name, arguments)
        return True

    def _guarded(self, name: str, arguments: dict[str, Any]) -> None:
        try:
            self.run_job(name, arguments)
        except Exception:  # the work reports its own failures to Slack; this is the last net
            log.exception("job %s failed", name)

    def run_job(
        self, name: str, arguments: dict[str, Any], stopping: Callable[[], bool] | None = None
    ) -> None:
        """Run a job here and now (the thread pool, or a worker's task); `stopping` says when the worker wants
        it released, checked between the story's steps (`step`)."""
        with _watching(stopping):
            self.jobs[name](self, **arguments)

    @staticmethod
    def step() -> None:
        """Called between a story's steps: raises Released when the worker running this job is shutting down."""
        stopping = _stopping.get()
        if stopping is not None and stopping():
            raise Released

    def may_decide(self, client: WebClient, user: str) -> bool:
        slack = self.settings.slack
        if user in slack.approver_ids:
            return True
        if slack.approver_group:
            try:
                members = client.usergroups_users_list(usergroup=slack.approver_group).get("users") or []
            except Exception:  # a group we cannot read grants nothing
                log.warning("could not read approver group %s", slack.approver_group, exc_info=True)
                return False
            return user in members
        return False

    def may_add_sources(self, client: WebClient, user: str) -> bool:
        """Editors (the approvers) and members of NEWSROOM_SLACK_INGEST_GROUP may add sources from Slack (links,
        files); a group we cannot read grants nothing."""
        if self.may_decide(client, user):
            return True
        group = self.settings.slack.ingest_group
        if not group:
            return False
        try:
            members = client.usergroups_users_list(usergroup=group).get("users") or []
        except Exception:
            log.warning("could not read ingest group %s", group, exc_info=True)
            return False
        return user in members

    def first_delivery(self, body: dict[str, Any]) -> bool:
        """False for a redelivered command: it carries the same trigger id and must not start a second story."""
        trigger = body.get("trigger_id")
        return not trigger or self.room.registry.claim_once(f"command:{trigger}")


def story_id_for(channel: str, parent_ts: str) -> str:
    """A story is its Slack thread: any replica, or a restarted one, finds it again from the message."""
    return f"slack-{channel}-{parent_ts}"


def thread_of(story_id: str) -> tuple[str, str] | None:
    """(channel, parent ts) of a Slack story; None for stories started elsewhere."""
    if not story_id.startswith("slack-"):
        return None
    channel, _, ts = story_id.removeprefix("slack-").rpartition("-")
    return (channel, ts) if channel and ts else None


def parse(text: str) -> tuple[str, str]:
    """('explain', 'the transit budget') from the command's text; ('', '') when empty."""
    sub, _, rest = (text or "").strip().partition(" ")
    return sub.casefold(), " ".join(rest.split())


def subcommand(name: str) -> Callable[..., bool]:
    """A Bolt listener matcher: this `/newsroom` listener answers `/newsroom <name> …` only, so each feature
    registers its own subcommand and none dispatches to another."""

    def matches(body: dict[str, Any]) -> bool:
        return parse(body.get("text", ""))[0] == name

    matches.__name__ = f"subcommand_{name}"
    return matches


@contextmanager
def _watching(stopping: Callable[[], bool] | None) -> Iterator[None]:
    token = _stopping.set(stopping)
    try:
        yield
    finally:
        _stopping.reset(token)


def respond(response_url: str, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    """Answer whoever typed a command, privately, through the request's response_url (valid 30 minutes, any
    process may use it); the bot client is not needed."""
    if not response_url:
        log.warning("no response_url to answer on: %s", text)
        return
    reply = WebhookClient(response_url, timeout=30).send(text=text, blocks=blocks, response_type="ephemeral")
    if reply.status_code != 200:
        log.warning("answering on the response_url failed (%s): %s", reply.status_code, reply.body)
