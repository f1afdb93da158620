"""The procrastinate App on the newsroom database, and deferring a job by its task name from any process."""

from __future__ import annotations

import logging
import threading
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

log = logging.getLogger("newsroom.queue")


def queue_app(url: str, *, max_connections: int = 10) -> procrastinate.App:
    """An App on the database at `url`; its schema is applied by `newsroom db upgrade` (also run by serve and
    worker at start), never here."""
    connector = procrastinate.PsycopgConnector(conninfo=url, min_size=1, max_size=max_connections)
    return procrastinate.App(connector=connector)


def defer(
    app: procrastinate.App,
    task: str,
    arguments: dict[str, Any],
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    schedule_in_s: float | None = None,
) -> bool:
    """Put a job in the queue; False when a job with the same queueing lock is already waiting (the two would
    do the same work: one is enough)."""
    deferrer = app.configure_task(
        task,
        lock=lock,
        queueing_lock=queueing_lock,
        schedule_in={"seconds": schedule_in_s} if schedule_in_s else None,
    )
    try:
        job_id = deferrer.defer(**arguments)
    except AlreadyEnqueued:
        log.info("%s is already waiting in the queue (%s)", task, queueing_lock)
        return False
    log.info("deferred %s as job %s", task, job_id)
    return True


class Deferrer:
    """What a front hands its Slack jobs to: the App opened on first use (synchronously, its own small pool),
    each job deferred as the task `prefix + name`."""

    def __init__(self, url: str, prefix: str = "") -> None:
        self.url = url
        self.prefix = prefix
        self._app: procrastinate.App | None = None
        self._lock = threading.Lock()

    @property
    def app(self) -> procrastinate.App:
        with self._lock:
            if self._app is None:
                self._app = queue_app(self.url).open()
            return self._app

    def __call__(
        self, name: str, arguments: dict[str, Any], *, lock: str | None, queueing_lock: str | None
    ) -> bool:
        return defer(self.app, self.prefix + name, arguments, lock=lock, queueing_lock=queueing_lock)

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None
