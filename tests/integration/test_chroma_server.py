"""The record store on a real Chroma server (`chroma run` on this machine): what one process ingests, another
process finds, and nothing is written under the data dir."""

from __future__ import annotations

from pathlib import Path

from newsroom.service import Newsroom
from newsroom.settings import Settings
from tests.services import chroma_url  # noqa: F401  (a fixture)


def test_two_rooms_share_the_records_of_one_chroma_server(
    chroma_url: str,  # noqa: F811
    tmp_path: Path,
    demo_corpus: Path,
) -> None:
    ingesting = Newsroom(Settings(data_dir=tmp_path / "front", chroma_url=chroma_url))
    report = ingesting.ingest([str(demo_corpus)])
    assert len(report.added) == 20
    assert not (tmp_path / "front" / "chroma").exists()

    reading = Newsroom(Settings(data_dir=tmp_path / "worker", chroma_url=chroma_url))
    assert reading.store.count() == 20
    hits = reading.search("Tencent Alibaba CATL investment in DeepSeek", k=5)
    assert hits and all(h.record.id.startswith("ds-") for h in hits)
    again = reading.ingest([str(demo_corpus)])
    assert again.added == [] and len(again.exact) == 20
