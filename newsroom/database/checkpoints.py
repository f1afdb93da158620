"""LangGraph's checkpoints in PostgreSQL: PostgresSaver on this process's pool, its faults as sentences."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import psycopg
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata, CheckpointTuple
from langgraph.checkpoint.postgres import PostgresSaver

from newsroom.database.connect import database_sentence, pool
from newsroom.database.schema import require
from newsroom.storage import StorageError

T = TypeVar("T")


class PostgresCheckpoints(PostgresSaver):
    """PostgresSaver whose database faults leave as StorageError sentences (host and database named, no
    password), the way a run already reports a SQLite fault."""

    url: str

    def __init__(self, url: str) -> None:
        self.url = url  # first: the `conn` property reads it
        super().__init__(pool(url, "checkpoints"))

    @property
    def conn(self) -> Any:
        """This process's pool, looked up per use: a forked worker must not share its parent's sockets."""
        return pool(self.url, "checkpoints")

    @conn.setter
    def conn(self, value: Any) -> None:
        """PostgresSaver.__init__ hands in the pool it was made with; the getter finds it again by URL."""

    def _said(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except psycopg.Error as exc:
            raise StorageError(database_sentence(exc, self.url)) from None

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self._said(lambda: super(PostgresCheckpoints, self).get_tuple(config))

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        found = super().list(config, filter=filter, before=before, limit=limit)
        while True:
            item = self._said(lambda: next(found, None))
            if item is None:
                return
            yield item

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self._said(
            lambda: super(PostgresCheckpoints, self).put(config, checkpoint, metadata, new_versions)
        )

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self._said(lambda: super(PostgresCheckpoints, self).put_writes(config, writes, task_id, task_path))

    def delete_thread(self, thread_id: str) -> None:
        self._said(lambda: super(PostgresCheckpoints, self).delete_thread(thread_id))

    def get_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> Mapping[str, Any]:
        return self._said(
            lambda: super(PostgresCheckpoints, self).get_delta_channel_history(
                config=config, channels=channels
            )
        )


def open_postgres_checkpoints(url: str) -> PostgresCheckpoints:
    """The checkpointer on this process's checkpoint pool; the tables come from `newsroom db upgrade`."""
    connections = pool(url, "checkpoints")
    try:
        with connections.connection() as conn:
            require(conn, url)
    except psycopg.Error as exc:
        raise StorageError(database_sentence(exc, url)) from None
    return PostgresCheckpoints(url)
