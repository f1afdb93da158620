"""Choosing providers: each role's own endpoint, else the default endpoint, else the embedded local model."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from newsroom.models.local import LocalServer
from newsroom.models.openai import OpenAICompatibleModel
from newsroom.models.port import Endpoint, ModelPort
from newsroom.settings import ROLES, LLMSettings


def endpoint_resolver(settings: LLMSettings, local_url: Callable[[], Endpoint]) -> Callable[[str], Endpoint]:
    """Per role: its own endpoint, else the default endpoint, else the embedded local model."""
    cache: dict[str, Endpoint] = {}
    lock = threading.Lock()

    def resolve(role: str) -> Endpoint:
        with lock:
            if role not in cache:
                own = settings.for_role(role if role in ROLES else "writer")
                if own.base_url or own.model:
                    key = own.api_key.get_secret_value() if own.api_key else "not-needed"
                    cache[role] = Endpoint(
                        own.base_url or "https://api.openai.com/v1", key, own.model or "gpt-4o-mini"
                    )
                else:
                    cache[role] = local_url()
            return cache[role]

    return resolve


def build_model(settings: LLMSettings, data_dir: Path) -> ModelPort:
    """The configured model port: endpoints where configured, the embedded local model elsewhere."""
    # The server starts only when a role first needs it; building it costs nothing.
    server = LocalServer(data_dir)
    return OpenAICompatibleModel(settings, endpoint_resolver(settings, server.endpoint))
