"""Conflicts: facts about the same thing grouped across records, and the groups whose values disagree."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from newsroom.claims.corrections import correction_readings, is_correction, retracted_values
from newsroom.claims.labels import MAX_WORDS, conflict_label
from newsroom.claims.language import record_language
from newsroom.claims.lexicon_en import ROLE_WORDS, STOPWORDS
from newsroom.claims.mentions import extract_mentions, same_value
from newsroom.claims.types import Fact
from newsroom.claims.updates import settle_as_update
from newsroom.claims.values import parties, typed_value, values_differ

_ROLE = {w: f"role:{role}" for role, words in ROLE_WORDS.items() for w in words.split()}


def find_conflicts(
    facts: list[Fact],
    same_subject: Callable[[int, int], bool],
    sources: dict[int, dict[str, Any]],
    exclude: frozenset[str] = frozenset(),
    strength: Callable[[int, int], float] | None = None,
) -> list[dict[str, Any]]:
    """Group facts on the same subject across sources and report differing values, both sides cited.

    `same_subject(i, j)` says whether facts i and j are about the same thing (the caller decides how,
    e.g. by embedding similarity), and `strength(i, j)` how sure that is; everything else here is
    comparison code. Pairs join groups strongest first, and never so that one record would hold two
    different values in a group: a record does not disagree with itself, so "12 vessels" and "36
    vessels" in one report are two facts, and a chain of look-alike pairs cannot fuse them.
    """
    typed = [typed_value(f.value, exclude, f.lang) for f in facts]
    parent = list(range(len(facts)))
    joined: dict[int, list[int]] = {i: [i] for i in range(len(facts))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # every record's figures, but a correction's (it quotes the figure it withdraws beside the right one)
    figures = [
        extract_mentions(text, record_language(text))
        for src in sources.values()
        if (text := str(src.get("text", ""))) and not is_correction(text)
    ]

    stating: dict[int, frozenset[int]] = {}

    def stated_in(k: int) -> frozenset[int]:
        """The records (by position in `figures`) that state fact k's figure."""
        if k not in stating:
            v = typed[k][1]  # type: ignore[index]
            stating[k] = frozenset(
                r
                for r, stated in enumerate(figures)
                if any(m.kind == v.kind and same_value(m, v) for m in stated)
            )
        return stating[k]

    def consistent(group: list[int]) -> bool:
        by_record: dict[int, list[Any]] = {}
        for k in group:
            by_record.setdefault(facts[k].n, []).append(typed[k][1])  # type: ignore[index]
        kind = typed[group[0]][0]  # type: ignore[index]
        if any(values_differ(kind, a, b) for vals in by_record.values() for a in vals for b in vals):
            return False
        if kind == "parties":
            return True
        # one record stating both figures makes them two facts, whoever else gives either
        return not any(
            stated_in(a) & stated_in(b) and values_differ(kind, typed[a][1], typed[b][1])  # type: ignore[index]
            for x, a in enumerate(group)
            for b in group[x + 1 :]
        )

    candidates = [
        (i, j)
        for i in range(len(facts))
        for j in range(i + 1, len(facts))
        if (ti := typed[i]) and (tj := typed[j]) and ti[0] == tj[0] and same_subject(i, j)
    ]
    if strength is not None:
        candidates.sort(key=lambda p: -strength(*p))
    for i, j in candidates:
        gi, gj = find(i), find(j)
        if gi == gj or not consistent(joined[gi] + joined[gj]):
            continue
        parent[gi] = gj
        joined[gj] += joined.pop(gi)
    groups: dict[int, list[int]] = {}
    for i in range(len(facts)):
        if typed[i]:
            groups.setdefault(find(i), []).append(i)
    conflicts = []
    for members in groups.values():
        if len({facts[i].n for i in members}) < 2:
            continue
        kind = typed[members[0]][0]  # type: ignore[index]
        clusters: list[tuple[Any, str, set[int]]] = []
        for i in members:
            val = typed[i][1]  # type: ignore[index]
            for k, (cv, _label, cites) in enumerate(clusters):
                if not values_differ(kind, cv, val):
                    cites.add(facts[i].n)
                    # keep the fuller statement of a party list
                    if kind == "parties" and len(val) > len(cv):
                        clusters[k] = (val, facts[i].value, cites)
                    break
            else:
                clusters.append((val, facts[i].value, {facts[i].n}))
        if kind != "parties" and _explained(clusters, figures):
            continue
        # a source on both sides (e.g. a correction quoting the old figure) is kept where it asserts
        clusters = [c for c in clusters if c[2]]
        if len(clusters) < 2 or all(a[2] == b[2] for a in clusters for b in clusters):
            continue
        conflict = {
            "subject": _subject_label([facts[i] for i in members]),
            "members": members,
            "kind": kind,
            "values": [{"value": label, "citations": sorted(cites)} for _, label, cites in clusters],
            "resolution": None,
        }
        _resolve_by_correction(conflict, clusters, sources)
        statements = [
            [(facts[i].n, facts[i].quote) for i in members if not values_differ(kind, typed[i][1], value)]  # type: ignore[index]
            for value, _, _ in clusters
        ]
        settle_as_update(conflict, statements, sources)
        conflicts.append(conflict)
    return _merge_same_sides(conflicts, exclude)


def _explained(clusters: list[tuple[Any, str, set[int]]], figures: list[list[Any]]) -> bool:
    """Whether some record states every side's value itself, so the values are no disagreement: two facts
    ("$48 million this round, $71 million in all", "a $2.3 billion ceiling; a first order of $310 million")
    or one record explaining two measures ("the 1,150 figure counts rentals only; the 1,400 adds condos").
    A record that gives both figures of one fact is telling of a dispute rather than explaining it, which
    reports seldom do. `figures` are the story's records' figures, corrections left out (they quote the
    figure they withdraw)."""
    if len(clusters) < 2:
        return False
    return any(
        all(any(m.kind == value.kind and same_value(m, value) for m in stated) for value, _, _ in clusters)
        for stated in figures
    )


def _subject_label(members: list[Fact]) -> str:
    model = [f.subject for f in members if f.origin == "model"]
    if model:
        return min(model, key=len)
    # what the value measures, read from the parse of each member's own sentence
    label = conflict_label([(f.quote, f.value) for f in members if f.quote])
    if label:
        return label
    # no parse gave one: the words nearest the value, at most six of them
    words = [w for w in members[0].subject.split("|", 1)[-1].split() if w.casefold() not in STOPWORDS]
    at = next((i for i, w in enumerate(words) if "<value>" in w), 0)
    near = sorted(range(len(words)), key=lambda i: (abs(i - at), i))
    keep = sorted([i for i in near if "<value>" not in words[i]][:MAX_WORDS])
    return " ".join(words[i].strip(".,;:") for i in keep)


def _resolve_by_correction(
    conflict: dict[str, Any], clusters: list[tuple[Any, str, set[int]]], sources: dict[int, dict[str, Any]]
) -> None:
    """A correction that retracts one side's value and states another's settles the disagreement."""
    kind = conflict["kind"]
    for n in sorted({c for _, _, cites in clusters for c in cites}):
        src = sources.get(n, {})
        text = str(src.get("text", ""))
        if not is_correction(text):
            continue
        if kind == "parties":
            wrong = [w[1] for w in (typed_value(v) for v in retracted_values(text)) if w and w[0] == kind]
            stated: list[Any] = [parties(text)]
        else:
            readings = correction_readings(text)
            wrong = [m for _, m, withdrawn in readings if withdrawn and m.kind == kind]
            stated = [m for _, m, withdrawn in readings if not withdrawn]

        def retracted(value: Any, wrong: list[Any] = wrong) -> bool:
            return any(not values_differ(kind, value, w) for w in wrong)

        def asserted(value: Any, stated: list[Any] = stated) -> bool:
            if kind == "parties":
                return bool(value & stated[0])
            return any(m.kind == value.kind and not values_differ(kind, value, m) for m in stated)

        dropped = [c for c in clusters if retracted(c[0])]
        kept = [c for c in clusters if not retracted(c[0]) and asserted(c[0])]
        if len(kept) == 1 and not dropped and n in kept[0][2]:
            # "... misstated the vote. The council approved it 7-2.": the notice names no wrong figure; the
            # figures it replaces are the other sides, reported earlier than the correction
            when = str(src.get("published_at") or "~")
            others = [c for c in clusters if c is not kept[0]]
            if all(
                any(str(sources.get(m, {}).get("published_at") or "") <= when for m in c[2] if m != n)
                for c in others
            ):
                dropped = others
        if len(kept) == 1 and dropped:
            outlet = src.get("outlet") or f"source [{n}]"
            conflict["resolution"] = (
                f"Corrected: {outlet} [{n}] corrected the earlier report of {dropped[0][1]} to "
                f"{kept[0][1]}; {kept[0][1]} is the value to use."
            )
            conflict["resolved_value"] = kept[0][1]
            conflict["corrected_by"] = n
            for value in conflict["values"]:  # the correction stands on the side it asserts
                cites = set(value["citations"]) - {n}
                if value["value"] == kept[0][1]:
                    cites.add(n)
                value["citations"] = sorted(cites)
            return


def _merge_same_sides(conflicts: list[dict[str, Any]], exclude: frozenset[str]) -> list[dict[str, Any]]:
    """Two groups that set the same values against each other (or disagree along the same sources) are one
    disagreement, reported once: the model's "investors in DeepSeek" and code's "who is investing" with
    the same two lists, or a figure reported open by one group and settled by a correction in another."""
    out: list[dict[str, Any]] = []
    for c in conflicts:
        twin = next((o for o in out if _same_disagreement(o, c, exclude)), None)
        if twin is None:
            out.append(c)
            continue
        twin["members"] = twin["members"] + c["members"]
        for side in c["values"]:
            match = next((t for t in twin["values"] if _same_side(twin["kind"], t, side, exclude)), None)
            if match is not None:
                match["citations"] = sorted(set(match["citations"]) | set(side["citations"]))
        if c.get("resolution") and not twin.get("resolution"):
            for key in ("resolution", "resolved_value", "corrected_by", "status"):
                if key in c:
                    twin[key] = c[key]
    return out


def _same_side(kind: str, a: dict[str, Any], b: dict[str, Any], exclude: frozenset[str]) -> bool:
    ta, tb = typed_value(str(a["value"]), exclude), typed_value(str(b["value"]), exclude)
    return bool(ta and tb and ta[0] == tb[0] == kind and not values_differ(kind, ta[1], tb[1]))


def _same_disagreement(a: dict[str, Any], b: dict[str, Any], exclude: frozenset[str]) -> bool:
    if a["kind"] != b["kind"]:
        return False
    if sorted(tuple(v["citations"]) for v in a["values"]) == sorted(
        tuple(v["citations"]) for v in b["values"]
    ):
        return True
    if len(a["values"]) != len(b["values"]):
        return False
    return all(any(_same_side(a["kind"], x, y, exclude) for y in b["values"]) for x in a["values"]) and all(
        any(_same_side(a["kind"], x, y, exclude) for x in a["values"]) for y in b["values"]
    )


def subject_words(subject: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """Content words of a subject, crudely singularised, minus words every subject in the story shares.

    A word naming a role ("backers", "investors") stands for the role, so synonyms meet.
    """
    words = set()
    for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", subject.casefold()):
        if w in STOPWORDS or len(w) < 2:
            continue
        w = w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        if w not in ignore:
            words.add(_ROLE.get(w, w))
    return frozenset(words)


def subject_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two subjects' content words (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
