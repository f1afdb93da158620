"""Work that must finish, on the queue: the same calls as the embedded jobs (newsroom/jobs.py), but a resume
or a publication retry is a job any worker may run, retried with procrastinate's back-off."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from newsroom.jobs import Busy, EmbeddedJobs, JobEvent, PublicationPending
from newsroom.queue.app import Deferrer, defer
from newsroom.settings import QueueSettings

log = logging.getLogger("newsroom.queue")
RESUME, PUBLISH = "story.resume", "story.publish"

# The story whose publication job is running in this thread: that job retries itself (procrastinate's
# RetryStrategy), so the run it makes must not queue a second one.
_publishing: ContextVar[str | None] = ContextVar("newsroom_publishing", default=None)


@dataclass
class QueueJobs(EmbeddedJobs):
    """Leases as embedded (a CLI run and a worker still never run one story at once); resumes and publication
    retries deferred to the queue, where `lock=story_id` keeps one story's jobs apart and a queueing lock lets
    one of each wait."""

    url: str = ""
    settings: QueueSettings = field(default_factory=QueueSettings)
    _deferrer: Deferrer | None = None

    def _defer(self, task: str, story_id: str, schedule_in_s: float | None = None) -> bool:
        if self._deferrer is None:
            self._deferrer = Deferrer(self.url)
        return defer(
            self._deferrer.app,
            task,
            {"story_id": story_id},
            lock=story_id,
            queueing_lock=f"{task}:{story_id}",
            schedule_in_s=schedule_in_s,
        )

    def retry_publication_later(self, story_id: str) -> None:
        if _publishing.get() == story_id:
            return  # the publication job running now is retried by the queue when it raises
        self._defer(PUBLISH, story_id, schedule_in_s=self.settings.publish_wait_s)

    def resume(self, story_id: str) -> None:
        self._defer(RESUME, story_id)

    # -- what the tasks run (on a worker) --------------------------------------------------------

    def resume_now(self, story_id: str) -> None:
        """Continue a story from its last checkpoint; Busy (another run holds it) is raised for a retry."""
        try:
            explainer = self.room.continue_story(story_id)
        except Busy:
            raise
        except PublicationPending as exc:
            self._emit(JobEvent(story_id, "publish_failed", sentence=str(exc)))
            return  # the run queued its publication job
        except Exception as exc:
            self._emit(JobEvent(story_id, "failed", sentence=str(exc)))
            return
        self._outcome(story_id, explainer)

    def publish_now(self, story_id: str, last_attempt: bool) -> None:
        """One attempt at an unfinished publication. Raises PublicationPending or Busy for the queue to retry
        with back-off, except on the last attempt, which tells the thread it gave up."""
        try:
            with _publishing_story(story_id):
                explainer = self.room.continue_story(story_id)
        except (PublicationPending, Busy) as exc:
            if not last_attempt:
                raise
            self._emit(JobEvent(story_id, "publish_failed", sentence=str(exc)))
            return
        except Exception as exc:  # a StoryError: the publication is not retryable as it stands
            self._emit(JobEvent(story_id, "failed", sentence=str(exc)))
            return
        self._outcome(story_id, explainer)

    def shutdown(self) -> None:
        super().shutdown()
        if self._deferrer is not None:
            self._deferrer.close()


@contextmanager
def _publishing_story(story_id: str) -> Iterator[None]:
    token = _publishing.set(story_id)
    try:
        yield
    finally:
        _publishing.reset(token)
