"""Work that must finish: run or resume a story, finish a publication; retried with back-off and found
again after a crash. This is the embedded implementation (leases in the registry, threads in this
process); with a database, newsroom/queue/jobs.py implements the same calls on the job queue."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from newsroom.registry import StoryRegistry

log = logging.getLogger("newsroom.jobs")
OWNER = f"{socket.gethostname()}:{os.getpid()}"
UNFINISHED = ("running", "publishing")


class Busy(Exception):
    """Another thread or process is working on the story right now."""


class PublicationPending(Exception):
    """The decision is recorded but a publication target is not done yet; the message says which and why."""


@dataclass
class JobEvent:
    """What background work ended with, for the doors to tell people (the Slack thread, the log)."""

    story_id: str
    outcome: Literal["draft", "published", "rejected", "failed", "publish_failed"]
    explainer: dict[str, Any] | None = None
    sentence: str = ""


class Room(Protocol):
    """What jobs need of the facade (newsroom.service.Newsroom)."""

    @property
    def registry(self) -> StoryRegistry: ...

    def continue_story(self, story_id: str) -> dict[str, Any]: ...
    def fail_story(self, story_id: str, sentence: str) -> None: ...


def _alive(owner: str) -> bool:
    """Whether a lease's owner may still be working: another host is trusted until the lease expires;
    on this host a process that no longer exists is not."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class EmbeddedJobs:
    """Leases on stories (so two workers never run one), a heartbeat, background resumes and publication
    retries with exponential back-off (tenacity)."""

    room: Room
    lease_s: float = 60.0
    publish_attempts: int = 6
    publish_wait_s: float = 2.0
    publish_wait_max_s: float = 120.0
    workers: int = 2
    listeners: list[Callable[[JobEvent], None]] = field(default_factory=list)
    _held: set[str] = field(default_factory=set)
    _queued: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _pool: ThreadPoolExecutor | None = None
    _beat: threading.Thread | None = None

    # -- leases ----------------------------------------------------------------------------------

    @contextmanager
    def hold(self, story_id: str) -> Iterator[None]:
        """Work on a story while holding its lease; Busy when someone else holds it."""
        key = f"story:{story_id}"
        with self._lock:
            if story_id in self._held:
                raise Busy(story_id)
            self._held.add(story_id)
        try:
            if not self.room.registry.claim_lease(key, OWNER, self.lease_s):
                owner = self.room.registry.lease_owner(key)
                if owner and _alive(owner[0]):
                    raise Busy(story_id)
                self.room.registry.release_lease(key, owner[0] if owner else "")
                if not self.room.registry.claim_lease(key, OWNER, self.lease_s):
                    raise Busy(story_id)
            self._start_heartbeat()
            yield
        finally:
            with self._lock:
                self._held.discard(story_id)
            self.room.registry.release_lease(key, OWNER)

    def _start_heartbeat(self) -> None:
        with self._lock:
            if self._beat is not None:
                return
            self._beat = threading.Thread(target=self._heartbeat, name="newsroom-lease", daemon=True)
        self._beat.start()

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.lease_s / 4):
            with self._lock:
                held = list(self._held)
            for story_id in held:
                try:
                    self.room.registry.claim_lease(f"story:{story_id}", OWNER, self.lease_s)
                except Exception:  # a locked database now and then: the next beat renews
                    log.warning("could not renew the lease on %s", story_id, exc_info=True)

    # -- background work -------------------------------------------------------------------------

    def _submit(self, fn: Callable[..., None], *args: Any) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="newsroom-job")
            pool = self._pool
        pool.submit(self._guarded, fn, *args)

    def _guarded(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # the last net: the work tells its own failures
            log.exception("background job failed")

    def _emit(self, event: JobEvent) -> None:
        for listener in list(self.listeners):
            try:
                listener(event)
            except Exception:
                log.exception("telling about %s failed", event.story_id)

    def _outcome(self, story_id: str, explainer: dict[str, Any]) -> None:
        status = explainer.get("status")
        outcome = {"published": "published", "rejected": "rejected"}.get(str(status), "draft")
        self._emit(JobEvent(story_id, outcome, explainer))  # type: ignore[arg-type]

    def retry_publication_later(self, story_id: str) -> None:
        """Keep retrying an unfinished publication with exponential back-off until every target is done."""
        with self._lock:
            if story_id in self._queued:
                return
            self._queued.add(story_id)
        self._submit(self._publish_with_backoff, story_id)

    def _publish_with_backoff(self, story_id: str) -> None:
        retrying = Retrying(
            stop=stop_after_attempt(self.publish_attempts),
            wait=wait_exponential(multiplier=self.publish_wait_s, max=self.publish_wait_max_s),
            retry=retry_if_exception_type((PublicationPending, Busy)),
            sleep=self._pause,
        )
        try:
            if self._stop.wait(self.publish_wait_s):
                return
            for attempt in retrying:
                with attempt:
                    explainer = self.room.continue_story(story_id)
            self._outcome(story_id, explainer)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            self._emit(JobEvent(story_id, "publish_failed", sentence=str(last)))
        except Exception as exc:  # a StoryError: the publication is not retryable as it stands
            self._emit(JobEvent(story_id, "failed", sentence=str(exc)))
        finally:
            with self._lock:
                self._queued.discard(story_id)

    def _pause(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise Busy("shutting down")

    def resume(self, story_id: str) -> None:
        """Continue a story in the background from its last checkpoint; tell the listeners how it ended."""
        self._submit(self._resume, story_id)

    def _resume(self, story_id: str) -> None:
        try:
            explainer = self.room.continue_story(story_id)
        except Busy:
            return
        except PublicationPending as exc:
            self._emit(JobEvent(story_id, "publish_failed", sentence=str(exc)))
            self.retry_publication_later(story_id)
            return
        except Exception as exc:
            self._emit(JobEvent(story_id, "failed", sentence=str(exc)))
            return
        self._outcome(story_id, explainer)

    def resume_unfinished(self) -> list[str]:
        """Stories left running or publishing by a process that is gone: resumed in the background."""
        found = []
        for row in self.room.registry.stories(limit=100_000):
            if row["status"] not in UNFINISHED:
                continue
            lease = self.room.registry.lease_owner(f"story:{row['story_id']}")
            if lease and lease[0] != OWNER and _alive(lease[0]) and lease[1] > _now():
                continue
            found.append(row["story_id"])
            self.resume(row["story_id"])
        return found

    def sweep_every(self, seconds: float) -> None:
        """Look for abandoned work now and then (a replica on another host that died)."""

        def loop() -> None:
            while not self._stop.wait(seconds):
                try:
                    self.resume_unfinished()
                except Exception:
                    log.exception("looking for unfinished stories failed")

        threading.Thread(target=loop, name="newsroom-sweep", daemon=True).start()

    def shutdown(self) -> None:
        self._stop.set()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _now() -> float:
    import time

    return time.time()
