"""Deterministic checks: value extraction, the citation audit, cross-source conflicts, corrections, injections."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsroom.addressees import addressed_passages
from newsroom.numwords import spelled_numbers

_ABBREVIATIONS = (
    "Sen",
    "Rep",
    "Gov",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Prof",
    "St",
    "Jr",
    "Sr",
    "Inc",
    "Corp",
    "Co",
    "No",
    "Lt",
    "Gen",
)
# A sentence ends at . ! ? before a capital, except after a title or abbreviation ("Sen. Amara Okafor").
SENTENCES = re.compile(
    r"(?<=[.!?])" + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS) + r"\s+(?=[A-Z\"'(])"
)
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SCALE = r"(?:trillion|billion|million|thousand|tn|bn|mn|[bmk])"
_SCALES = {
    "trillion": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
_CUR = r"(?:US\$|\$|€|£|¥|USD\s?|EUR\s?|RMB\s?|CNY\s?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "money",
        re.compile(
            rf"(?P<cur>{_CUR})\s?(?P<a>{_NUM})(?:\s?(?P<sa>{_SCALE})\b)?"
            rf"(?:\s?(?:–|-|to|and)\s?(?:{_CUR})?\s?(?P<b>{_NUM}))?\s?(?P<sb>{_SCALE})?\b",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(rf"\b(?P<a>{_NUM})\s?(?P<sa>{_SCALE})?\s(?P<cur>dollars|euros|pounds|yuan|yen)\b", re.I),
    ),
    (
        "percent",
        re.compile(
            rf"\b(?P<a>{_NUM})(?:\s?(?:–|-|to)\s?(?P<b>{_NUM}))?\s?(?:%|percent\b|per cent\b|percentage points?\b)",
            re.I,
        ),
    ),
    ("date", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "date",
        re.compile(rf"\b(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?"),
    ),
    ("date", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MON})\b(?:,?\s+(?P<y>\d{{4}}))?")),
    ("date", re.compile(rf"\b(?P<mon>{_MON})\s+(?P<y>\d{{4}})\b")),
    ("tally", re.compile(r"\b(?P<a>\d{1,3})\s?[-–]\s?(?P<b>\d{1,3})\b(?!\s?(?:%|percent|billion|million))")),
    ("year", re.compile(r"\b(?P<y>(?:19|20)\d{2})\b")),
    # a range is one reading: "between 550 and 650 jobs" is no pair of rival figures
    ("number", re.compile(rf"\bbetween\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})\b")),
    ("number", re.compile(rf"(?<![\w.])(?P<a>{_NUM})(?:\s?(?P<sa>trillion|billion|million|thousand)\b)?")),
]


@dataclass(frozen=True)
class Mention:
    """A number, amount, percentage, tally or date found in text, normalised for comparison."""

    kind: str
    text: str
    low: float = 0.0
    high: float = 0.0
    date: tuple[int, int, int] = (0, 0, 0)  # (year or 0, month, day or 0)
    start: int = 0

    def display(self) -> str:
        return self.text.strip()


def _f(raw: str) -> float:
    return float(raw.replace(",", ""))


def extract_mentions(text: str) -> list[Mention]:
    """Every checkable value in the text, longest reading first, no overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            mention = _build(kind, m)
            if mention is None:
                continue
            taken.append((s, e))
            found.append(mention)
    for w in spelled_numbers(text):  # "eleven workers", "eighty-seven million dollars", "six percent"
        if not any(w.start < te and ts < w.end for ts, te in taken):
            taken.append((w.start, w.end))
            found.append(Mention(w.kind, w.text, w.value, w.value, start=w.start))
    return sorted(found, key=lambda x: x.start)


def _build(kind: str, m: re.Match[str]) -> Mention | None:
    g = m.groupdict()
    text, start = m.group(0), m.start()
    if kind == "money":
        scale_b = (g.get("sb") or "").lower()
        scale_a = (g.get("sa") or "").lower() or scale_b
        a = _f(g["a"]) * _SCALES.get(scale_a, 1.0)
        b = _f(g["b"]) * _SCALES.get(scale_b or scale_a, 1.0) if g.get("b") else a
        return Mention("money", text, min(a, b), max(a, b), start=start)
    if kind == "percent":
        a = _f(g["a"])
        b = _f(g["b"]) if g.get("b") else a
        return Mention("percent", text, min(a, b), max(a, b), start=start)
    if kind == "date":
        month = int(g["m"]) if g.get("m") else _MONTHS.get((g.get("mon") or "")[:3].lower(), 0)
        day = int(g["d"]) if g.get("d") else 0
        year = int(g["y"]) if g.get("y") else 0
        if not 1 <= month <= 12 or day > 31:
            return None
        return Mention("date", text, date=(year, month, day), start=start)
    if kind == "tally":
        return Mention("tally", text, _f(g["a"]), _f(g["b"]), start=start)
    if kind == "year":
        y = float(g["y"])
        return Mention("year", text, y, y, start=start)
    a = _f(g["a"]) * _SCALES.get((g.get("sa") or "").lower(), 1.0)
    b = _f(g["b"]) if g.get("b") else a
    return Mention("number", text, min(a, b), max(a, b), start=start)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(abs(a), abs(b)) * 0.005 + 1e-9


def same_value(x: Mention, y: Mention) -> bool:
    """Do two mentions state the same value? (A point inside a range counts.)"""
    if x.kind == "date" or y.kind == "date":
        if x.kind != y.kind:
            return False
        (xy, xm, xd), (yy, ym, yd) = x.date, y.date
        return xm == ym and (not xd or not yd or xd == yd) and (not xy or not yy or xy == yy)
    if x.kind == "tally" or y.kind == "tally":
        return x.kind == y.kind and _close(x.low, y.low) and _close(x.high, y.high)
    if x.low == x.high and y.low != y.high:
        return y.low - 1e-9 <= x.low <= y.high + 1e-9 or _close(x.low, y.low) or _close(x.low, y.high)
    if y.low == y.high and x.low != x.high:
        return same_value(y, x)
    return _close(x.low, y.low) and _close(x.high, y.high)


def _supported_by(m: Mention, record_mentions: list[Mention], published: datetime | None) -> bool:
    if m.kind == "date" and published is not None:
        pub = Mention("date", "", date=(published.year, published.month, published.day))
        if same_value(m, pub):
            return True
    if m.kind == "year":
        if published is not None and int(m.low) == published.year:
            return True
        return any(r.kind == "date" and r.date[0] == int(m.low) for r in record_mentions) or any(
            r.kind in ("year", "number") and _close(r.low, m.low) for r in record_mentions
        )
    for r in record_mentions:
        if m.kind in ("money", "percent", "tally", "date") and r.kind == m.kind and same_value(m, r):
            return True
        if (
            m.kind == "number"
            and r.kind != "date"
            and (_close(m.low, r.low) or _close(m.low, r.high) or _bare(r, m.low))
        ):
            return True
    if m.kind == "money" and m.low != m.high:
        lo = Mention("money", "", m.low, m.low)
        hi = Mention("money", "", m.high, m.high)
        return _supported_by(lo, record_mentions, published) and _supported_by(hi, record_mentions, published)
    return False


def _bare(r: Mention, value: float) -> bool:
    """'7.4' written alone matches '$7.4 billion' in the record."""
    digits = re.findall(_NUM, r.text)
    return any(_close(_f(d), value) for d in digits)


# -- the citation audit ------------------------------------------------------------------------


@dataclass
class Source:
    """What the audit needs to know about one numbered source."""

    n: int
    text: str
    published_at: datetime | None


def units(draft: dict[str, Any]) -> Iterable[tuple[str, str, list[int] | None]]:
    yield "headline", str(draft.get("headline", "")), None
    yield "dek", str(draft.get("dek", "")), None
    for i, ev in enumerate(draft.get("story_so_far", []), 1):
        yield (
            f"story-so-far item {i}",
            f"{ev.get('date', '')}: {ev.get('event', '')}",
            list(ev.get("citations", [])),
        )
    for i, sec in enumerate(draft.get("sections", []), 1):
        yield (
            f"section {i} (“{sec.get('heading', '')}”)",
            f"{sec.get('heading', '')}. {sec.get('body', '')}",
            list(sec.get("citations", [])),
        )
    for i, qa in enumerate(draft.get("faq", []), 1):
        yield f"FAQ {i}", f"{qa.get('question', '')} {qa.get('answer', '')}", list(qa.get("citations", []))
    for key, label in (("items", "item"), ("what_to_watch", "what-to-watch line")):
        for i, it in enumerate(draft.get(key, []), 1):
            yield f"{label} {i}", str(it.get("text", "")), list(it.get("citations", []))


_CITATION_MARK = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
_PAREN_MARK = re.compile(r"\(\s*(\d+(?:\s*,\s*\d+)*)\s*\)")


def without_citation_marks(text: str, cites: Iterable[int]) -> str:
    """The text without its citation marks: "[1, 3]", and "(1, 3)" when every number in it is a source the
    unit cites (a small model writes them that way; "(45)" stays a number to check)."""
    cited = set(cites)

    def paren(m: re.Match[str]) -> str:
        numbers = {int(x) for x in re.findall(r"\d+", m.group(1))}
        return " " if numbers <= cited else m.group(0)

    return _PAREN_MARK.sub(paren, _CITATION_MARK.sub(" ", text))


def _named(name: str, text: str) -> str | None:
    """The name as the text writes it, when it is written as a name (capitalised), else None."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I):
        if m.group(0)[0].isupper():
            return m.group(0)
    return None


def _proper(name: str, sources: list[Source]) -> bool:
    """A name no source writes in lower case ("Tencent", not "open" from "Open Weights Weekly")."""
    return not any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", s.text) for s in sources)


def audit_draft(
    draft: dict[str, Any],
    sources: list[Source],
    conflicts: list[dict[str, Any]],
    names: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Every citation resolves; every value in a unit is in a record that unit cites; conflicts are shown.

    `names` are the parties the fact-check found (investors, winners, officials): a unit that names one
    must cite a record naming it, so "Tencent and CATL, according to [8]" fails when [8] says Alibaba.
    """
    by_n = {s.n: s for s in sources}
    problems: list[str] = []
    proper = {n for n in names if _proper(n, sources)}
    for name, _text, cites in units(draft):
        if cites is not None:
            bad = [c for c in cites if c not in by_n]
            if bad:
                problems.append(f"{name} cites {bad}, which are not in the source list")
            if not cites:
                problems.append(f"{name} cites no source")
    problems += unsupported_values(draft, sources)
    for name, text, cites in units(draft):
        if cites is None:
            continue
        pool = [c for c in cites if c in by_n]
        for party in sorted(proper):
            written = _named(party, _CITATION_MARK.sub(" ", text))
            if written and not any(_named(party, by_n[c].text) for c in pool):
                found = [s.n for s in sources if _named(party, s.text)]
                hint = f" (it is named in {found})" if found else " (no source names it)"
                problems.append(f"{name}: “{written}” is not named in its cited sources {pool}{hint}")
    for c in conflicts:
        if c.get("resolution"):
            continue
        if not any(shows_both_sides(c, cites or []) for _, _, cites in units(draft)):
            problems.append(
                f"the disagreement about {c['subject']} is not shown with both sides cited "
                f"({'; '.join(v['value'] + ' ' + str(v['citations']) for v in c['values'])})"
            )
    return {"passed": not problems, "problems": problems}


def unsupported_values(draft: dict[str, Any], sources: list[Source]) -> list[str]:
    """Each number, date or amount in a unit that none of the unit's cited records states, as a sentence.

    Units without citations (headline, dek) are checked against every record the draft cites anywhere.
    """
    by_n = {s.n: s for s in sources}
    mentions = {s.n: extract_mentions(s.text) for s in sources}
    cited_anywhere = sorted({c for _, _, cites in units(draft) for c in cites or [] if c in by_n})
    problems = []
    for name, text, cites in units(draft):
        pool = [c for c in (cites if cites is not None else cited_anywhere) if c in by_n]
        for m in extract_mentions(without_citation_marks(text, pool)):
            if not any(_supported_by(m, mentions[c], by_n[c].published_at) for c in pool):
                where = f"its cited sources {pool}" if cites is not None else "any cited source"
                found = [s.n for s in sources if _supported_by(m, mentions[s.n], s.published_at)]
                hint = f" (it is in {found})" if found else " (it is in no source)"
                problems.append(f"{name}: “{m.display()}” does not appear in {where}{hint}")
    return problems


def shows_both_sides(conflict: dict[str, Any], citations: Iterable[int]) -> bool:
    """True when `citations` cite at least two sides of the disagreement."""
    cited = set(citations)
    return sum(1 for v in conflict.get("values", []) if cited & set(v.get("citations", []))) >= 2


def repair_citations(
    draft: dict[str, Any], sources: list[Source], max_added: int = 2, names: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[str]]:
    """Cite where a value really is: a unit stating a value its citations lack gets the sources that hold it.

    The same holds for the named parties in `names` (see `audit_draft`).

    Code can decide this (the value is, or is not, in a record's text), so the writer is not sent round
    again for it. Every addition is returned as a note for the editor; a value no source holds is left
    for the audit to report.
    """
    mentions = {s.n: extract_mentions(s.text) for s in sources}
    by_n = {s.n: s for s in sources}
    draft = {k: ([dict(i) for i in v] if isinstance(v, list) else v) for k, v in draft.items()}
    notes: list[str] = []
    for key, label in (
        ("story_so_far", "story-so-far item"),
        ("sections", "section"),
        ("faq", "FAQ"),
        ("items", "item"),
        ("what_to_watch", "what-to-watch line"),
    ):
        for i, unit in enumerate(draft.get(key, []), 1):
            cites = [c for c in unit.get("citations", []) if c in by_n]
            if not cites:
                continue  # no citation at all is the writer's to fix; the audit says so
            text = " ".join(
                str(unit.get(f, ""))
                for f in ("date", "event", "heading", "body", "question", "answer", "text")
            )
            for m in extract_mentions(without_citation_marks(text, cites)):
                if any(_supported_by(m, mentions[c], by_n[c].published_at) for c in cites):
                    continue
                found = [s.n for s in sources if _supported_by(m, mentions[s.n], s.published_at)][:max_added]
                if found:
                    cites = sorted(set(cites) | set(found))
                    notes.append(f"{label} {i}: cited {found} for “{m.display()}”, which is stated there")
            for party in sorted(n for n in names if _proper(n, sources)):
                written = _named(party, _CITATION_MARK.sub(" ", text))
                if not written or any(_named(party, by_n[c].text) for c in cites):
                    continue
                found = [s.n for s in sources if _named(party, s.text)][:max_added]
                if found:
                    cites = sorted(set(cites) | set(found))
                    notes.append(f"{label} {i}: cited {found} for “{written}”, which is named there")
            unit["citations"] = cites
    return draft, notes


def party_names(claims: list[dict[str, Any]], conflicts: list[dict[str, Any]], topic: str) -> frozenset[str]:
    """The named parties a story's checked claims and conflicts mention, minus the story's own subject."""
    exclude = frozenset(re.findall(r"[\w'.&-]+", topic.casefold()))
    values = [c.get("value", "") for c in claims if c.get("status") != "unsupported"]
    values += [v.get("value", "") for c in conflicts for v in c.get("values", [])]
    names: set[str] = set()
    for value in values:
        typed = typed_value(str(value), exclude)
        if typed and typed[0] == "parties":
            names |= {n for n in typed[1] if n not in exclude and len(n) > 1}
    return frozenset(names)


# -- conflicts ---------------------------------------------------------------------------------

_PARTY_SPLIT = re.compile(r",\s*|\s+and\s+|\s*&\s*|;\s*|\s+with\s+|\s+plus\s+", re.I)
_PREPOSITIONS = {"in", "of", "at", "from", "for", "on", "among", "across", "near", "by", "to", "than", "like"}
_STOP_PARTY = {"the", "a", "an", "its", "their", "his", "her", "other", "others", "investors", "backers"}


def parties(value: str) -> frozenset[str]:
    """Named parties in a value such as 'Tencent and Alibaba' (capitalised names only)."""
    names = set()
    for part in _PARTY_SPLIT.split(value):
        words = [w for w in re.findall(r"[\w'.&-]+", part) if w.lower() not in _STOP_PARTY]
        # "developers in Asia" names no one: a trailing prepositional phrase is not the head of the phrase
        cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _PREPOSITIONS), len(words))
        words = words[:cut]
        # A name is the capitalised run a phrase ends on: "the battery maker CATL" -> CATL, while
        # "one of China's largest conglomerates" ends on a common noun and names no one.
        run: list[str] = []
        for w in reversed(words):
            if not w[0].isupper():
                break
            run.insert(0, w)
        if run:
            # keyed by its first word, so "Tencent Holdings" and "Tencent" are one party
            names.add(run[0].strip(".'").removesuffix("'s").casefold())
    return frozenset(names)


def typed_value(value: str, exclude: frozenset[str] = frozenset()) -> tuple[str, Any] | None:
    """('money'|'percent'|'date'|'number'|'tally', Mention) or ('parties', frozenset), or None.

    `exclude` holds names that cannot be a party to the story (its own subject: DeepSeek does not
    invest in DeepSeek).
    """
    found = [m for m in extract_mentions(value) if m.kind != "year"] or extract_mentions(value)
    if found:
        m = found[0]
        kind = "number" if m.kind == "year" else m.kind
        return kind, m
    names = parties(value)
    names = (names - exclude) or names  # never exclude a list down to nothing
    return ("parties", names) if names else None


def values_differ(kind: str, a: Any, b: Any) -> bool:
    if kind == "parties":
        return not (a <= b or b <= a)
    return not same_value(a, b)


_CORRECTION = re.compile(
    r"\bcorrection\b|\bcorrects?\b|\bcorrected\b|\ban earlier version\b|\bincorrectly (?:said|stated|reported)\b"
    r"|\bmisstated\b|\bwe regret the error\b|\bregrets the error\b",
    re.I,
)
_RETRACTED = re.compile(
    rf"\bnot\s+(?P<v>{_CUR}?\s?{_NUM}\s?(?:%|percent|{_SCALE})?|[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)*)"
)


_SAYS_CORRECTED = re.compile(
    r"\bcorrect(?:ed|ion|s)\b|\bretract(?:ed|ion)\b|\berroneous(?:ly)?\b|\bmisstated\b|\bwrongly\b", re.I
)


def says_corrected(text: str) -> bool:
    """Does a sentence of the draft tell the reader an earlier report was corrected?"""
    return bool(_SAYS_CORRECTED.search(text))


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.search(text))


def retracted_values(text: str) -> list[str]:
    """In a correction, the values and names it says were wrong ('..., not 25%', '..., not Alibaba')."""
    return [m.group("v").strip() for m in _RETRACTED.finditer(text)]


_ERROR_CUE = re.compile(
    r"\bincorrectly\b|\bmisstated\b|\berroneously\b|\bwrongly\b|\bmistakenly\b|\bin error\b"
    r"|\ban? (?:earlier|previous|original) version\b|\b(?:previously|originally|first) (?:said|stated|reported|gave)\b",
    re.I,
)


def correction_readings(text: str) -> list[tuple[int, Mention, bool]]:
    """A correction's values as (sentence number, mention, withdrawn?): withdrawn are those after 'not', and
    those in a sentence about the error ("An earlier version gave the score as 3-2.")."""
    out = []
    for i, sentence in enumerate(SENTENCES.split(text)):
        error = bool(_ERROR_CUE.search(sentence))
        for m in extract_mentions(sentence):
            if m.kind != "year":
                out.append((i, m, error or bool(re.search(r"\bnot\s*$", sentence[: m.start]))))
    return out


def retracted_mentions(text: str) -> list[Mention]:
    """The values a correction withdraws (see `correction_readings`)."""
    return [m for _, m, withdrawn in correction_readings(text) if withdrawn]


def _corrected_to(wrong: Mention, at: int, readings: list[tuple[int, Mention, bool]]) -> Mention | None:
    """The value a correction puts in place of `wrong`: stated in the same sentence ("35%, not 25%"), else
    in a later one ("... gave the score as 3-2. Riverton won 3-1")."""
    for i, m, withdrawn in sorted(readings, key=lambda r: (r[0] != at, r[0] < at, r[0])):
        if not withdrawn and m.kind == wrong.kind and values_differ(m.kind, m, wrong) and i >= at:
            return m
    return None


@dataclass
class Fact:
    """A value one source attaches to a subject (from the model or from code)."""

    n: int
    subject: str
    value: str
    quote: str
    origin: str = "model"


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
    typed = [typed_value(f.value, exclude) for f in facts]
    parent = list(range(len(facts)))
    joined: dict[int, list[int]] = {i: [i] for i in range(len(facts))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def consistent(group: list[int]) -> bool:
        by_record: dict[int, list[Any]] = {}
        for k in group:
            by_record.setdefault(facts[k].n, []).append(typed[k][1])  # type: ignore[index]
        kind = typed[group[0]][0]  # type: ignore[index]
        return all(not values_differ(kind, a, b) for vals in by_record.values() for a in vals for b in vals)

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
        conflicts.append(conflict)
    return _merge_same_sides(conflicts)


def _subject_label(members: list[Fact]) -> str:
    model = [f.subject for f in members if f.origin == "model"]
    if model:
        return min(model, key=len)
    # a code fact's subject is its sentence with the value masked: keep the words around the value
    words = members[0].subject.split("|", 1)[-1].split()
    at = next((i for i, w in enumerate(words) if "<value>" in w), 0)
    return " ".join(words[max(0, at - 8) : at + 3]).replace("<value>", "…")


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


def _merge_same_sides(conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two groups that disagree along the same sources are one disagreement, reported once."""
    seen: dict[tuple[str, tuple[tuple[int, ...], ...]], dict[str, Any]] = {}
    for c in conflicts:
        key = (c["kind"], tuple(sorted(tuple(v["citations"]) for v in c["values"])))
        if key not in seen:
            seen[key] = c
    return list(seen.values())


# -- records that try to give orders ------------------------------------------------------------

_INJECTION = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|prompts?|directions)"
    r"|disregard (?:all |any |the )?(?:previous|prior|above|your) (?:instructions|rules|guidelines)"
    r"|(?:you are|act as) (?:now )?(?:a|an|the) (?:assistant|ai|language model|system)\b"
    r"|\bapprove (?:this|the) (?:story|draft|explainer|article)\b"
    r"|\bmark (?:all|every|these|the) claims? (?:as )?verified\b|\bdo not (?:flag|mention) (?:this|these)\b"
    r"|\b(?:assistant|ai|model|agent)s?,? (?:must|should) (?:now )?(?:ignore|approve|publish|say)\b",
    re.I,
)


REDACTED = "[A passage addressed to AI systems was removed here; the editor has been told.]"


def redact_injections(text: str) -> str:
    """The text with every sentence that addresses an AI replaced by a note: models never read the order."""
    addressed = [a.text for a in addressed_passages(text)]
    if not addressed and not _INJECTION.search(text):
        return text
    parts = SENTENCES.split(text)

    def speaks_to_ai(part: str) -> bool:
        core = part.strip()
        return bool(_INJECTION.search(part)) or any(a in core or (core and core in a) for a in addressed)

    return " ".join(REDACTED if speaks_to_ai(p) else p for p in parts)


def find_injection(text: str) -> str | None:
    """The passage of a record that reads as an instruction to an AI, if any: a sentence that speaks to
    an AI system and gives it an order (newsroom/addressees.py), or a known attack phrase."""
    m = _INJECTION.search(text)
    if m:
        start = max(0, m.start() - 40)
        return text[start : m.end() + 60].strip()
    addressed = addressed_passages(text)
    return addressed[0].text[:240] if addressed else None


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "its",
        "it",
        "is",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "these",
        "those",
        "who",
        "what",
        "which",
        "when",
        "where",
        "how",
        "much",
        "many",
        "after",
        "before",
        "during",
        "about",
        "into",
        "over",
        "under",
        "than",
        "as",
        "per",
        "new",
    ]
)


# The roles a named party plays in news copy, each under the words reporters use for it: a model labels
# the same list "backers" in one record and "strategic investors" in the next, and a sentence embedding
# of one or two words does not see that these are one subject (MiniLM: 0.24).
_ROLE_WORDS = {
    "investor": "investor backer funder financier shareholder coinvestor co-investor lp",
    "buyer": "buyer acquirer purchaser bidder",
    "seller": "seller vendor",
    "winner": "winner champion victor",
    "runner-up": "runner-up loser finalist",
    "departure": "resigned resignation resigning departed departure departing ousted fired dismissed quit",
    "leader": "ceo leader chair chairman chairwoman chairperson president",
    "appointee": "appointee nominee successor replacement pick candidate hire",
    "plaintiff": "plaintiff claimant petitioner complainant accuser",
    "defendant": "defendant respondent accused",
    "sponsor": "sponsor cosponsor co-sponsor author",
    "partner": "partner ally collaborator",
    "supplier": "supplier contractor provider",
    "recipient": "recipient awardee grantee beneficiary",
    "regulator": "regulator watchdog agency",
}
_ROLE = {w: f"role:{role}" for role, words in _ROLE_WORDS.items() for w in words.split()}


def subject_words(subject: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """Content words of a subject, crudely singularised, minus words every subject in the story shares.

    A word naming a role ("backers", "investors") stands for the role, so synonyms meet.
    """
    words = set()
    for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", subject.casefold()):
        if w in _STOPWORDS or len(w) < 2:
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


def correction_conflicts(
    sources: dict[int, dict[str, Any]], found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A correction ('…fell to 35%, not 25%') supersedes the earlier report that carried the wrong value.

    Found even when no third source carries the right value, so the explainer never repeats a corrected figure.
    """
    covered = {c.get("corrected_by") for c in found}
    out: list[dict[str, Any]] = []
    for n, src in sorted(sources.items()):
        text = str(src.get("text", ""))
        if n in covered or not is_correction(text):
            continue
        readings = correction_readings(text)
        for at, wrong, withdrawn in readings:
            right = _corrected_to(wrong, at, readings) if withdrawn else None
            earlier = [
                m
                for m, s in sorted(sources.items())
                if m != n
                and (s.get("published_at") or "") <= (src.get("published_at") or "~")
                and any(
                    x.kind == wrong.kind and not values_differ(wrong.kind, x, wrong)
                    for x in extract_mentions(s["text"])
                )
            ]
            if right is None or not earlier:
                continue
            wrong_label, right_label = wrong.display(), right.display()
            outlet = src.get("outlet") or f"source [{n}]"
            title = re.sub(r"^\s*correction:?\s*", "", str(src.get("title") or ""), flags=re.I)
            out.append(
                {
                    "subject": title or f"the value {outlet} corrected",
                    "kind": wrong.kind,
                    "values": [
                        {"value": wrong_label, "citations": earlier},
                        {"value": right_label, "citations": [n]},
                    ],
                    "resolution": f"Corrected: {outlet} [{n}] corrected the earlier report of {wrong_label} to "
                    f"{right_label}; {right_label} is the value to use.",
                    "resolved_value": right_label,
                    "corrected_by": n,
                }
            )
            break  # one correction, one superseded value
    return out
