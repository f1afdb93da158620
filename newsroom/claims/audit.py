"""The citation audit of a draft, and code re-citing where a value really is.

Every citation resolves, every value and named party is in a record its unit cites, every open
disagreement is shown with both sides cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from newsroom.claims.language import record_language
from newsroom.claims.mentions import extract_mentions, supported_by
from newsroom.claims.types import Source
from newsroom.claims.values import typed_value


def units(draft: dict[str, Any]) -> Iterable[tuple[str, str, list[int] | None]]:
    """Every unit of a draft as (label, text, citations); headline and dek have no citations (None)."""
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
    for key, label in (
        ("items", "item"),
        ("what_to_watch", "what-to-watch line"),
        ("what_changed", "what-changed item"),
    ):
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
        if not any(shows_both_sides(c, cites or [], text) for _, text, cites in units(draft)):
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
    mentions = {s.n: extract_mentions(s.text, record_language(s.text)) for s in sources}
    cited_anywhere = sorted({c for _, _, cites in units(draft) for c in cites or [] if c in by_n})
    problems = []
    for name, text, cites in units(draft):
        pool = [c for c in (cites if cites is not None else cited_anywhere) if c in by_n]
        for m in extract_mentions(without_citation_marks(text, pool)):
            if not any(supported_by(m, mentions[c], by_n[c].published_at) for c in pool):
                where = f"its cited sources {pool}" if cites is not None else "any cited source"
                found = [s.n for s in sources if supported_by(m, mentions[s.n], s.published_at)]
                hint = f" (it is in {found})" if found else " (it is in no source)"
                problems.append(f"{name}: “{m.display()}” does not appear in {where}{hint}")
    return problems


def shows_both_sides(conflict: dict[str, Any], citations: Iterable[int], text: str = "") -> bool:
    """True when a unit shows at least two sides of the disagreement: a side is shown when the unit cites
    one of its records, or states its value in `text` with some citation (the writer may cite another
    record carrying the same figure, a copy say; whether that record holds the value is the audit's
    `unsupported_values` to check, not this)."""
    cited = set(citations)
    plain = without_citation_marks(text, cited) if cited and text else ""
    stated = extract_mentions(plain) if plain else []
    shown = 0
    for side in conflict.get("values", []):
        if cited & set(side.get("citations", [])) or (
            plain and _states(str(side.get("value", "")), plain, stated)
        ):
            shown += 1
    return shown >= 2


def _states(value: str, text: str, text_mentions: list[Any]) -> bool:
    """Whether `text` states a side's value: each figure in it (as the value normaliser reads figures), or,
    for a value without figures (a named party), the name written as a name."""
    wanted = extract_mentions(value)
    if wanted:
        return all(supported_by(m, text_mentions, None) for m in wanted)
    return bool(value.strip()) and _named(value.strip(), text) is not None


def repair_citations(
    draft: dict[str, Any], sources: list[Source], max_added: int = 2, names: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[str]]:
    """Cite where a value really is: a unit stating a value its citations lack gets the sources that hold it.

    The same holds for the named parties in `names` (see `audit_draft`).

    Code can decide this (the value is, or is not, in a record's text), so the writer is not sent round
    again for it. Every addition is returned as a note for the editor; a value no source holds is left
    for the audit to report.
    """
    mentions = {s.n: extract_mentions(s.text, record_language(s.text)) for s in sources}
    by_n = {s.n: s for s in sources}
    draft = {k: ([dict(i) for i in v] if isinstance(v, list) else v) for k, v in draft.items()}
    notes: list[str] = []
    for key, label in (
        ("story_so_far", "story-so-far item"),
        ("sections", "section"),
        ("faq", "FAQ"),
        ("items", "item"),
        ("what_to_watch", "what-to-watch line"),
        ("what_changed", "what-changed item"),
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
                if any(supported_by(m, mentions[c], by_n[c].published_at) for c in cites):
                    continue
                found = [s.n for s in sources if supported_by(m, mentions[s.n], s.published_at)][:max_added]
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
