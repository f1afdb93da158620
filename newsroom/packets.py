"""Story packets: labelled test stories for the evaluation harness (`newsroom eval`).

A packet is a folder holding `records.jsonl` (source records, the same fields `newsroom ingest` takes)
and `expected.json`: what a careful editor knows about those records (see docs/eval.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class PacketError(ValueError):
    """A packet that cannot be read; the message names the packet, the file and what is wrong."""


@dataclass(frozen=True)
class Side:
    value: str
    records: tuple[str, ...]


@dataclass(frozen=True)
class PlantedConflict:
    subject: str
    kind: str
    sides: tuple[Side, ...]
    correction_record: str | None = None
    correction_value: str | None = None


@dataclass(frozen=True)
class Clarification:
    """Two figures that look like a disagreement but measure different things; a record explains it."""

    subject: str
    kind: str
    values: tuple[str, ...]
    records: tuple[str, ...]
    record: str
    why: str = ""


@dataclass(frozen=True)
class Update:
    """A quantity that changes over time (a toll that rises, a count that progresses): no disagreement."""

    subject: str
    kind: str
    values: tuple[str, ...]
    records: tuple[str, ...]
    latest: str
    why: str = ""


@dataclass(frozen=True)
class Trap:
    """Values in different records that look comparable but are different facts: never a conflict."""

    values: tuple[str, ...]
    records: tuple[str, ...]
    why: str = ""


@dataclass(frozen=True)
class Injection:
    record: str
    must_not_appear: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    topic: str
    relevant: tuple[str, ...]
    must_not_cite: tuple[str, ...]
    conflicts: tuple[PlantedConflict, ...]
    clarifications: tuple[Clarification, ...] = ()
    updates: tuple[Update, ...] = ()
    traps: tuple[Trap, ...] = ()


@dataclass
class Packet:
    name: str
    path: Path
    beat: str | None
    record_ids: list[str]
    duplicates: list[tuple[str, ...]]
    injections: list[Injection]
    topics: list[Topic]
    group_of: dict[str, str] = field(default_factory=dict)
    half: str = ""  # the folder a packet sits in under the packets root: "dev" or "test"

    def group(self, record_id: str) -> str:
        """The syndicated group a record belongs to (its first member), or the record itself."""
        return self.group_of.get(record_id, record_id)

    @property
    def records_file(self) -> Path:
        return self.path / "records.jsonl"


_KINDS = {"money", "percent", "date", "number", "tally", "parties"}


def _ids(raw: Any, where: str, known: set[str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise PacketError(f"{where} must be a list of record ids")
    unknown = [x for x in raw if x not in known]
    if unknown:
        raise PacketError(f"{where} names {unknown}, which records.jsonl does not hold")
    return tuple(raw)


def _conflict(raw: Any, where: str, known: set[str]) -> PlantedConflict:
    if not isinstance(raw, dict):
        raise PacketError(f"{where} must be an object with subject, kind and sides")
    kind = raw.get("kind")
    if kind not in _KINDS:
        raise PacketError(f"{where}: kind {kind!r} is not one of {sorted(_KINDS)}")
    sides_raw = raw.get("sides")
    if not isinstance(sides_raw, list) or len(sides_raw) < 2:
        raise PacketError(f"{where} needs at least two sides, each {{value, records}}")
    sides = []
    for i, s in enumerate(sides_raw, 1):
        if not isinstance(s, dict) or not str(s.get("value", "")).strip():
            raise PacketError(f"{where}, side {i} needs a value")
        sides.append(Side(str(s["value"]), _ids(s.get("records"), f"{where}, side {i}, records", known)))
    corr = raw.get("correction")
    if corr is not None:
        if not isinstance(corr, dict) or "record" not in corr or "value" not in corr:
            raise PacketError(f"{where}: correction must be {{record, value}}")
        _ids([corr["record"]], f"{where}, correction", known)
    return PlantedConflict(
        str(raw.get("subject", "")),
        kind,
        tuple(sides),
        corr["record"] if corr else None,
        str(corr["value"]) if corr else None,
    )


def _values(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) < 2 or not all(str(v).strip() for v in raw):
        raise PacketError(f"{where} needs at least two values")
    return tuple(str(v) for v in raw)


def _kind(raw: dict[str, Any], where: str) -> str:
    kind = raw.get("kind")
    if kind not in _KINDS:
        raise PacketError(f"{where}: kind {kind!r} is not one of {sorted(_KINDS)}")
    return str(kind)


def _clarification(raw: Any, where: str, known: set[str]) -> Clarification:
    if not isinstance(raw, dict) or "record" not in raw:
        raise PacketError(f"{where} must be {{subject, kind, values, records, record, why}}")
    _ids([raw["record"]], f"{where}, record", known)
    return Clarification(
        str(raw.get("subject", "")),
        _kind(raw, where),
        _values(raw.get("values"), where),
        _ids(raw.get("records"), f"{where}, records", known),
        str(raw["record"]),
        str(raw.get("why", "")),
    )


def _update(raw: Any, where: str, known: set[str]) -> Update:
    if not isinstance(raw, dict) or not str(raw.get("latest", "")).strip():
        raise PacketError(f"{where} must be {{subject, kind, values, records, latest, why}}")
    return Update(
        str(raw.get("subject", "")),
        _kind(raw, where),
        _values(raw.get("values"), where),
        _ids(raw.get("records"), f"{where}, records", known),
        str(raw["latest"]),
        str(raw.get("why", "")),
    )


def _trap(raw: Any, where: str, known: set[str]) -> Trap:
    if not isinstance(raw, dict):
        raise PacketError(f"{where} must be {{values, records, why}}")
    return Trap(
        _values(raw.get("values"), where),
        _ids(raw.get("records"), f"{where}, records", known),
        str(raw.get("why", "")),
    )


def load_packet(path: Path, half: str = "") -> Packet:
    """Read one packet folder; every problem is a PacketError naming the file and the entry."""
    name = path.name
    records_file, expected_file = path / "records.jsonl", path / "expected.json"
    for f in (records_file, expected_file):
        if not f.is_file():
            raise PacketError(f"packet {name!r}: {f.name} is missing")
    ids: list[str] = []
    for n, line in enumerate(records_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PacketError(f"packet {name!r}: records.jsonl line {n} is not JSON ({exc.msg})") from None
        if not isinstance(rec, dict) or not rec.get("id"):
            raise PacketError(
                f"packet {name!r}: records.jsonl line {n} has no id (the packet labels need one)"
            )
        ids.append(str(rec["id"]))
    known = set(ids)
    try:
        exp = json.loads(expected_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PacketError(
            f"packet {name!r}: expected.json is not JSON ({exc.msg}, line {exc.lineno})"
        ) from None
    if not isinstance(exp, dict) or not isinstance(exp.get("topics"), list) or not exp["topics"]:
        raise PacketError(f"packet {name!r}: expected.json needs a non-empty list of topics")
    where = f"packet {name!r}, expected.json"
    dups = [_ids(g, f"{where}, duplicates", known) for g in exp.get("duplicates", [])]
    injections = []
    for i, inj in enumerate(exp.get("injected", []), 1):
        if not isinstance(inj, dict) or "record" not in inj:
            raise PacketError(f"{where}, injected {i} must be {{record, must_not_appear}}")
        _ids([inj["record"]], f"{where}, injected {i}", known)
        injections.append(Injection(inj["record"], tuple(str(x) for x in inj.get("must_not_appear", []))))
    topics = []
    for t, raw in enumerate(exp["topics"], 1):
        tw = f"{where}, topic {t}"
        if not isinstance(raw, dict) or not str(raw.get("topic", "")).strip():
            raise PacketError(f"{tw} needs a topic (what an editor would ask about)")
        conflicts = tuple(
            _conflict(c, f"{tw}, conflict {i}", known) for i, c in enumerate(raw.get("conflicts", []), 1)
        )
        topics.append(
            Topic(
                str(raw["topic"]),
                _ids(raw.get("relevant", []), f"{tw}, relevant", known),
                _ids(raw.get("must_not_cite", []), f"{tw}, must_not_cite", known),
                conflicts,
                tuple(
                    _clarification(c, f"{tw}, clarification {i}", known)
                    for i, c in enumerate(raw.get("clarifications", []), 1)
                ),
                tuple(
                    _update(u, f"{tw}, update {i}", known) for i, u in enumerate(raw.get("updates", []), 1)
                ),
                tuple(_trap(x, f"{tw}, trap {i}", known) for i, x in enumerate(raw.get("traps", []), 1)),
            )
        )
    group_of = {rid: g[0] for g in dups for rid in g}
    return Packet(name, path, exp.get("beat"), ids, dups, injections, topics, group_of, half)


def load_packets(folder: Path) -> list[Packet]:
    """Every packet under `folder`, at any depth (a folder holding expected.json is a packet), sorted by
    half then name. A packet's half is the folder it sits in below `folder` ("dev", "test"), so one run
    over tests/packets reports the half we tune on and the half we never look at separately."""
    if not folder.is_dir():
        raise PacketError(f"{folder} is not a folder of packets")
    if (folder / "expected.json").is_file():
        return [load_packet(folder)]
    found = sorted(p.parent for p in folder.rglob("expected.json"))
    if not found:
        raise PacketError(f"{folder} holds no packets (folders with records.jsonl and expected.json)")
    return [load_packet(p, "/".join(p.relative_to(folder).parts[:-1])) for p in found]


@dataclass(frozen=True)
class Phrasing:
    """One sentence of an injection list: is it addressed to an AI system or not."""

    text: str
    addressed_to_ai: bool
    half: str = ""


def load_phrasings(folder: Path) -> list[Phrasing]:
    """Every `injections*.jsonl` under `folder`: sentences labelled as addressed to an AI or not."""
    out: list[Phrasing] = []
    for path in sorted(folder.rglob("injections*.jsonl")):
        half = "/".join(path.relative_to(folder).parts[:-1])
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PacketError(f"{path}, line {n} is not JSON ({exc.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("addressed_to_ai"), bool):
                raise PacketError(f"{path}, line {n} needs text and addressed_to_ai (true or false)")
            out.append(Phrasing(str(obj.get("text", "")), obj["addressed_to_ai"], half))
    return out
