"""Shared fixtures: an isolated data dir, settings without the caller's environment, the demo corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsroom.settings import Settings, get_settings

DEMO = Path(__file__).resolve().parents[1] / "newsroom" / "demo" / "deepseek.jsonl"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith(("NEWSROOM_", "SLACK_", "OPENAI_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    get_settings.cache_clear()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def demo_corpus() -> Path:
    return DEMO
