"""The research and claims thresholds are settings: named in the environment, described, handed to Deps."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom.claims.pairing import pair_values
from newsroom.claims.readings import value_readings
from newsroom.embedding import embed
from newsroom.service import Newsroom
from newsroom.settings import ClaimsSettings, ResearchSettings, Settings


def test_every_threshold_is_described() -> None:
    for group in (ResearchSettings, ClaimsSettings):
        undescribed = [name for name, f in group.model_fields.items() if not f.description]
        assert undescribed == [], f"{group.__name__}: {undescribed}"


def test_thresholds_come_from_the_environment_and_reach_the_agents(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSROOM_CLAIMS_SUBJECT_SIMILARITY", "0.5")
    monkeypatch.setenv("NEWSROOM_RESEARCH_MAX_SOURCES", "5")
    settings = Settings(data_dir=tmp_path)
    assert settings.claims.subject_similarity == 0.5
    assert settings.research.max_sources == 5
    assert settings.claims.party_similarity == ClaimsSettings().party_similarity
    deps = Newsroom(settings, model_override=object()).deps  # type: ignore[arg-type]
    assert deps.claims.subject_similarity == 0.5
    assert deps.research.max_sources == 5


def test_value_pairing_takes_its_floors_from_the_settings() -> None:
    readings = value_readings(1, "The store's 14 employees were told on Monday.") + value_readings(
        2, "The closure will cost 19 workers their jobs."
    )
    assert set(pair_values(readings, embed, ClaimsSettings())) == {(0, 1), (1, 0)}
    strict = ClaimsSettings(same_unit_similarity=1.01, value_similarity=1.01, bare_value_similarity=1.01)
    assert pair_values(readings, embed, strict) == {}
