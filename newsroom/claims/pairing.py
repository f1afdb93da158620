"""Which readings in different records are about the same thing (the pairs conflicts are looked for in).

Each value (or party) is paired with its closest counterpart in every other record, both ways, when the
evidence code can see allows it.

For values: the same kind, what a count counts ("187 residents" ~ "214 residents"), the order of
magnitude, a per-unit rate ("$34 a share" is no valuation), and how alike the words around them read.
For parties: the same role, and words around them alike enough. The floors are settings
(`ClaimsSettings`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from newsroom.claims.lexicon_en import MEASURES
from newsroom.claims.types import Mention, PartyReading, ValueReading
from newsroom.settings import ClaimsSettings


def _magnitude_ok(a: Mention, b: Mention, max_ratio: float) -> bool:
    if a.kind not in ("money", "number"):
        return True
    x, y = abs(a.high) or 1e-9, abs(b.high) or 1e-9
    return max(x, y) / min(x, y) <= max_ratio


def pair_values(
    readings: list[ValueReading],
    embed: Callable[[list[str]], np.ndarray],
    limits: ClaimsSettings | None = None,
    corrects: Mapping[int, frozenset[int]] | None = None,
    embed_across: Callable[[list[str]], np.ndarray] | None = None,
) -> dict[tuple[int, int], float]:
    """Pairs (i, j) of readings in different records that state a value for the same thing.

    `corrects` maps a correction notice's record to the records it may correct (those published no later):
    each figure the notice states is also paired with its closest counterpart in each of them, whether or
    not that counterpart has a closer one elsewhere — a notice's figure replaces the one it corrects even
    when a third report reads more like the wrong one.

    Readings from records in different languages, or both in one other than English, are compared by
    `embed_across` (a multilingual embedder) against `limits.cross_language_similarity`, and never without
    it: `embed` (MiniLM) reads English only.
    """
    limits = limits or ClaimsSettings()
    if not readings:
        return {}
    sent = embed([r.masked for r in readings])
    win = embed([r.window for r in readings])
    sim = np.maximum(sent @ sent.T, win @ win.T)
    across = _across(readings, embed_across)
    units = sorted({r.unit for r in readings if r.unit and not r.unit.startswith(("per ", "as "))})
    unit_vec = dict(zip(units, embed(units), strict=True)) if units else {}

    def same_unit(a: str, b: str) -> bool | None:
        """True/False when both name a unit; None when either does not."""
        money = ("per ", "as ")
        if not a or not b:
            return None if not (a.startswith(money) or b.startswith(money)) else a == b
        if a == b:
            return True
        if a.startswith(money) or b.startswith(money) or a in MEASURES or b in MEASURES:
            return False
        return float(unit_vec[a] @ unit_vec[b]) >= limits.unit_similarity

    def score(i: int, j: int) -> float:
        a, b = readings[i], readings[j]
        if (
            a.n == b.n
            or a.mention.kind != b.mention.kind
            or not _magnitude_ok(a.mention, b.mention, limits.max_ratio)
        ):
            return -1.0
        unit = same_unit(a.unit, b.unit)
        if unit is False:
            return -1.0
        if a.lang != b.lang or a.lang != "en":
            if across is None or (a.mention.kind == "number" and not (a.unit or b.unit)):
                return -1.0  # a bare count across languages names nothing code can match
            return float(across[i, j]) if across[i, j] >= limits.cross_language_similarity else -1.0
        bare = a.mention.kind == "number" and not (a.unit and b.unit)
        floor = (
            limits.same_unit_similarity
            if unit
            else limits.bare_value_similarity
            if bare
            else limits.value_similarity
        )
        return float(sim[i, j]) if sim[i, j] >= floor else -1.0

    found = mutual_best([r.n for r in readings], score)
    for i, r in enumerate(readings):
        for other in sorted((corrects or {}).get(r.n, frozenset())):
            top = max(((score(i, j), j) for j, x in enumerate(readings) if x.n == other), default=(-1.0, -1))
            if top[0] >= 0:
                found.setdefault((i, top[1]), top[0])
                found.setdefault((top[1], i), top[0])
    return found


def _across(
    readings: list[ValueReading], embed_across: Callable[[list[str]], np.ndarray] | None
) -> np.ndarray | None:
    """Multilingual similarities of the readings' sentences, when their records are in more than one
    language (the masked sentences: the values themselves must not make two sentences alike)."""
    if embed_across is None or all(r.lang == "en" for r in readings):
        return None
    vecs = embed_across([r.masked for r in readings])
    return np.asarray(vecs @ vecs.T)


def mutual_best(record_of: list[int], score: Callable[[int, int], float]) -> dict[tuple[int, int], float]:
    """Pairs (i, j) from different records where each is the other's best-scoring counterpart in the
    other's record, with their score; a negative score means "never pair"."""
    by_record: dict[int, list[int]] = {}
    for i, n in enumerate(record_of):
        by_record.setdefault(n, []).append(i)
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (reading, other record) -> best counterpart
    for i, own in enumerate(record_of):
        for n, others in by_record.items():
            if n == own:
                continue
            top = max(((score(i, j), j) for j in others), default=(-1.0, -1))
            if top[0] >= 0:
                best[(i, n)] = top
    return {(i, j): s for (i, n), (s, j) in best.items() if best.get((j, record_of[i]), (0.0, -1))[1] == i}


def pair_parties(
    readings: list[PartyReading], embed: Callable[[list[str]], np.ndarray], floor: float
) -> dict[tuple[int, int], float]:
    """Pairs (i, j) of readings in different records that give one role, each the other's closest."""
    if not readings:
        return {}
    vecs = embed([r.masked for r in readings])
    sims = vecs @ vecs.T

    def score(i: int, j: int) -> float:
        same = readings[i].role == readings[j].role and sims[i, j] >= floor
        return float(sims[i, j]) if same else -1.0

    return mutual_best([r.n for r in readings], score)
