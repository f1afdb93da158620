"""The record store with each embedder (real Chroma, real models): the multilingual one finds records in
other languages by an English question; a store is never read with an embedder it was not built with."""

from __future__ import annotations

import pytest

from newsroom.records import make_record
from newsroom.service import Newsroom
from newsroom.settings import Settings
from newsroom.storage import StorageError

RECORDS = [
    ("zh-1", "总部位于杭州的青岚机器人周二表示，公司完成了一轮由腾讯领投的74亿美元融资。"),
    ("ja-1", "青岚ロボティクスは火曜日、テンセント主導の資金調達で74億ドルを調達したと発表した。"),
    ("fr-1", "La mairie de Lyon a voté mardi une hausse de 4 % des tarifs des piscines municipales."),
    ("de-1", "Die Stadt Köln erhöht die Gebühren für die Müllabfuhr im kommenden Jahr um vier Prozent."),
]


def _room(settings: Settings, embedder: str) -> Newsroom:
    return Newsroom(settings.model_copy(update={"embedder": embedder}))


def _add(room: Newsroom) -> None:
    records = [make_record({"id": rid, "title": "", "text": text}, 10**6) for rid, text in RECORDS]
    room.store.add(room.store.prepare(records))


def test_the_multilingual_store_finds_chinese_and_japanese_reports_by_an_english_question(
    settings: Settings,
) -> None:
    room = _room(settings, "multilingual")
    _add(room)
    hits = [h.record.id for h in room.store.search("Qinglan Robotics funding round led by Tencent", k=4)]
    assert set(hits[:2]) == {"zh-1", "ja-1"}
    hits = [h.record.id for h in room.store.search("city raises swimming pool prices", k=4)]
    assert hits[0] == "fr-1"


@pytest.mark.parametrize(("built", "opened"), [("minilm", "multilingual"), ("multilingual", "minilm")])
def test_a_store_built_with_one_embedder_is_refused_by_the_other_with_a_sentence(
    settings: Settings, built: str, opened: str
) -> None:
    first = _room(settings, built)
    _add(first)
    assert first.store.count() == 4
    with pytest.raises(StorageError) as err:
        _ = _room(settings, opened).store
    message = str(err.value)
    assert f"built with the {built} embedder" in message and f"NEWSROOM_EMBEDDER={built}" in message
    # nothing is lost: opened again as built, every record is there
    assert _room(settings, built).store.count() == 4
