"""The publishability check: what an editor would send back in a draft that passes the citation audit.

Deterministic and fast (no model, no embedding): every unit of a draft — headline, dek, story-so-far
events, sections, questions and answers, briefing items — is read for the defects small models make
and editors refuse: text cut off mid-sentence, loops, letters of a script no source uses, source
paragraphs pasted as prose, a corrected value stated as fact, one side of an open disagreement stated
as settled, citation marks written twice, questions that are one question, answers that answer
something else, and lengths past the house limits. Each finding names the unit and the evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsroom.claims.corrections import says_corrected
from newsroom.claims.lexicon_en import ASKS_AMOUNT, ASKS_DATE, ASKS_WHO, ATTRIBUTION, DANGLING, FUNCTION_WORDS
from newsroom.claims.mentions import extract_mentions, same_value
from newsroom.claims.standing import Standing
from newsroom.claims.text import sentences
from newsroom.claims.updates import says_changed, updated
from newsroom.claims.values import parties, typed_value

HEADLINE_CHARS = 90
DEK_CHARS = 200
ANSWER_SENTENCES = 3
COPY_WORDS = 20  # a run this long copied from a record, outside quotation marks, is the record's prose
LOOP_WORDS = 15  # the same long run of words in two body units is a loop, not a summary
MIN_REPEAT = 3  # a sentence of at least this many words, said twice, is a loop
SAME_QUESTION = 0.7  # share of content words two questions have in common, values set aside

_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_MARKS = re.compile(r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")
_BAD_MARK = re.compile(
    r"\[\s*(?:\d+\s*[,;]?\s*)*(?:sources?|ref|cite|citation)?\s*\d*\s*[,;]?\s*\]|\[\s*\d+\s*,\s*$"
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class Finding:
    """One defect in one unit: which unit, what kind, and the words that show it."""

    unit: str
    kind: str
    evidence: str

    def sentence(self) -> str:
        what = {
            "truncated": "is cut off mid-sentence",
            "repeated": "repeats text the draft already has",
            "foreign_script": "has letters of a script no source uses",
            "copied": f"copies {COPY_WORDS}+ words of a source as its own prose",
            "superseded": "states a value that was corrected, without saying it was corrected",
            "settled": "states one side of an open disagreement as settled",
            "citation_marks": "has duplicate or malformed citation marks",
            "same_question": "asks what another question already asks",
            "off_question": "does not answer its question",
            "too_long": "is longer than the house limit",
            "empty": "is empty",
            "unattributed": "states as established what only sources below the policy's minimum tier carry",
        }.get(self.kind, self.kind)
        return f"{self.unit} {what}: “{self.evidence}”"


@dataclass(frozen=True)
class Unit:
    """One piece of a draft a reader meets on its own."""

    label: str
    key: str  # where it lives in the draft: ("faq", 2, "answer") as "faq.2.answer"
    text: str
    citations: tuple[int, ...] | None


def draft_units(draft: dict[str, Any]) -> Iterator[Unit]:
    """Every unit of an explainer or briefing draft, with the field it came from."""
    yield Unit("headline", "headline", str(draft.get("headline") or ""), None)
    if "dek" in draft:
        yield Unit("dek", "dek", str(draft.get("dek") or ""), None)
    parts = (
        ("story_so_far", "story-so-far item", ("event",)),
        ("sections", "section", ("body",)),
        ("faq", "FAQ", ("question", "answer")),
        ("items", "item", ("text",)),
        ("what_to_watch", "what-to-watch line", ("text",)),
    )
    for key, label, fields in parts:
        for i, item in enumerate(draft.get(key) or [], 1):
            cites = tuple(int(c) for c in item.get("citations") or [])
            for f in fields:
                name = f"{label} {i}" + (f" {f}" if len(fields) > 1 else "")
                yield Unit(name, f"{key}.{i - 1}.{f}", str(item.get(f) or ""), cites)


def without_marks(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKS.sub(" ", text)).strip()


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def scripts(text: str) -> set[str]:
    """The writing systems of a text's letters ("LATIN", "CJK", "CYRILLIC" ...)."""
    out = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            out.add(name.split(" ")[0] if name else "UNKNOWN")
    return out


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "") if ch.isalpha() else ""
    return name.split(" ")[0] if name else ""


def foreign_runs(text: str, allowed: set[str]) -> list[str]:
    """Runs of letters in a script outside `allowed` (what a small model leaks: "city预算")."""
    runs, current = [], ""
    for ch in text:
        script = _script_of(ch)
        if script and script not in allowed:
            current += ch
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def ngrams(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


SHARE_WORDS = 8  # copying is read in runs this long when a unit's copy spans sentences


def copied_share(sentence: str, grams: set[tuple[str, ...]]) -> float:
    """Share of a sentence's words lying in runs of SHARE_WORDS words a source holds (outside quotes);
    `grams` are the source's SHARE_WORDS-grams."""
    tokens = words(_QUOTED.sub(" ", without_marks(sentence)))
    covered = [False] * len(tokens)
    for i in range(len(tokens) - SHARE_WORDS + 1):
        if tuple(tokens[i : i + SHARE_WORDS]) in grams:
            covered[i : i + SHARE_WORDS] = [True] * SHARE_WORDS
    return sum(covered) / len(tokens) if tokens else 0.0


def copied_runs(text: str, source_grams: set[tuple[str, ...]]) -> list[str]:
    """Maximal runs of COPY_WORDS or more words a source holds, outside quotation marks."""
    unquoted = _QUOTED.sub(" ¶ ", without_marks(text))
    tokens = words(unquoted)
    runs, i = [], 0
    while i + COPY_WORDS <= len(tokens):
        if tuple(tokens[i : i + COPY_WORDS]) in source_grams:
            j = i + COPY_WORDS
            while j < len(tokens) and tuple(tokens[j - COPY_WORDS + 1 : j + 1]) in source_grams:
                j += 1
            runs.append(" ".join(tokens[i:j]))
            i = j
        else:
            i += 1
    return runs


def truncated(unit: Unit) -> bool:
    text = without_marks(unit.text)
    if not text:
        return False
    last = words(text)[-1:] or [""]
    if unit.key == "headline" or unit.key.endswith(".question"):
        if text.endswith(("?", "!", ".")):
            return False  # "Who?" is a whole question
        return last[0] in DANGLING or text.endswith((",", ";", ":", "-", "—"))
    return not _END.search(text)


def states_value(value: str, text: str) -> bool:
    """Does the text state this value (a number by its reading, a party by its name)?"""
    typed = typed_value(value)
    if typed and typed[0] != "parties":
        return any(m.kind == typed[1].kind and same_value(m, typed[1]) for m in extract_mentions(text))
    names = parties(value) or {value.casefold()}
    return all(re.search(rf"\b{re.escape(n)}\b", text, re.I) for n in names)


def _content(text: str) -> set[str]:
    masked = " ".join(w for w in words(text) if not any(ch.isdigit() for ch in w))
    return {w[:5] for w in words(masked) if w not in FUNCTION_WORDS and len(w) > 2}


def check_draft(
    draft: dict[str, Any],
    sources: Iterable[str],
    conflicts: list[dict[str, Any]],
    topic: str = "",
    standing: Standing | None = None,
) -> list[Finding]:
    """Every publishability finding in a draft; `sources` are the texts of the story's records,
    `topic` what the editor asked about (its words are in every question and tell none apart) and
    `standing` which sources the source policy trusts (a value only others carry must be attributed)."""
    texts = list(sources)
    allowed = {"LATIN"} | {s for t in texts for s in scripts(t)}
    grams: set[tuple[str, ...]] = set()
    for t in texts:
        grams |= ngrams(words(t), COPY_WORDS)
    findings: list[Finding] = []
    units = list(draft_units(draft))
    seen_sentences: dict[str, str] = {}
    seen_runs: dict[tuple[str, ...], str] = {}
    for unit in units:
        findings += _unit_findings(unit, allowed, grams, conflicts)
        body = without_marks(unit.text)
        if standing is not None and not unit.key.endswith(".question"):
            for s in sentences(body):
                findings += [
                    Finding(unit.label, "unattributed", f"{v} in “{s}”") for v, _ in standing.unattributed(s)
                ]
        if unit.key in ("headline", "dek") or unit.key.endswith(".question"):
            continue  # headline, dek and questions restate what the body tells: that is their job
        for s in sentences(body):
            key = " ".join(w for w in words(s) if not w.isdigit())
            if len(key.split()) < MIN_REPEAT:
                continue
            if key in seen_sentences:
                findings.append(Finding(unit.label, "repeated", s))
                continue
            seen_sentences[key] = unit.label
            tokens = words(s)
            for gram in ngrams(tokens, LOOP_WORDS):
                other = seen_runs.get(gram)
                if other is not None and other != unit.label:
                    findings.append(Finding(unit.label, "repeated", " ".join(gram)))
                    break
            for gram in ngrams(tokens, LOOP_WORDS):
                seen_runs.setdefault(gram, unit.label)
    findings += _question_findings(units, _content(topic))
    return _unique(findings)


def _unit_findings(
    unit: Unit, allowed: set[str], grams: set[tuple[str, ...]], conflicts: list[dict[str, Any]]
) -> list[Finding]:
    out: list[Finding] = []
    text = unit.text.strip()
    if not text:
        return [Finding(unit.label, "empty", "")] if unit.key in ("headline", "dek") else []
    if truncated(unit):
        out.append(Finding(unit.label, "truncated", without_marks(text)[-60:]))
    for run in foreign_runs(text, allowed):
        out.append(Finding(unit.label, "foreign_script", run))
    for run in copied_runs(text, grams):
        out.append(Finding(unit.label, "copied", run))
    marks = [tuple(int(x) for x in re.findall(r"\d+", m)) for m in _MARKS.findall(text)]
    flat = [n for m in marks for n in m]
    if len(flat) != len(set(flat)) or _BAD_MARK.search(_MARKS.sub(" ", text)):
        out.append(Finding(unit.label, "citation_marks", " ".join(_MARKS.findall(text)) or text[-40:]))
    body = without_marks(text)
    if unit.key == "headline" and len(body) > HEADLINE_CHARS:
        out.append(Finding(unit.label, "too_long", f"{len(body)} characters; at most {HEADLINE_CHARS}"))
    if unit.key == "dek" and (len(body) > DEK_CHARS or len(sentences(body)) > 1):
        out.append(
            Finding(unit.label, "too_long", f"{len(sentences(body))} sentences, {len(body)} characters")
        )
    if unit.key.endswith(".answer") and len(sentences(body)) > ANSWER_SENTENCES:
        out.append(Finding(unit.label, "too_long", f"{len(sentences(body))} sentences"))
    out += _conflict_findings(unit, body, conflicts)
    return out


def _conflict_findings(unit: Unit, body: str, conflicts: list[dict[str, Any]]) -> list[Finding]:
    out: list[Finding] = []
    for c in conflicts:
        values = [str(v.get("value", "")) for v in c.get("values", [])]
        resolved = c.get("resolved_value")
        for s in sentences(body):
            stated = [v for v in values if states_value(v, s)]
            if not stated:
                continue
            if resolved:
                wrong = [v for v in stated if v != resolved and not states_value(resolved, v)]
                if wrong and not says_corrected(s) and not (updated(c) and says_changed(s)):
                    out.append(Finding(unit.label, "superseded", s))
            elif (
                len(stated) == 1
                and c.get("status") not in ("clarified", "updated")
                and not ATTRIBUTION.search(s)
            ):
                out.append(Finding(unit.label, "settled", s))
    return out


def same_question(a: str, b: str, topic: str = "") -> bool:
    """Do two questions ask one thing? (their content words, values and the topic's words set aside)"""
    shared = _content(topic)
    words_a, words_b = _content(a) - shared, _content(b) - shared
    if not words_a or not words_b:
        return False
    return len(words_a & words_b) / min(len(words_a), len(words_b)) >= SAME_QUESTION


def _question_findings(units: list[Unit], topic: set[str]) -> list[Finding]:
    out: list[Finding] = []
    questions = [(u, _content(u.text) - topic) for u in units if u.key.endswith(".question")]
    for i, (u, words_i) in enumerate(questions):
        for v, words_j in questions[:i]:
            if (
                words_i
                and words_j
                and len(words_i & words_j) / min(len(words_i), len(words_j)) >= SAME_QUESTION
            ):
                out.append(Finding(u.label, "same_question", f"{u.text} / {v.text}"))
                break
    answers = {u.key.rsplit(".", 1)[0]: u for u in units if u.key.endswith(".answer")}
    for u, asked in questions:
        answer = answers.get(u.key.rsplit(".", 1)[0])
        if not answer or not asked or (asked | topic) & _content(answer.text):
            continue
        if not _gives_what_is_asked(u.text, answer.text):
            out.append(Finding(answer.label, "off_question", without_marks(answer.text)[:80]))
    return out


def _gives_what_is_asked(question: str, answer: str) -> bool:
    """An answer in other words still answers when it gives the kind of thing asked for: an amount for
    "how much", a date for "when", a name for "who" ("Who named CATL?" / "The Compute Desk did.")."""
    kinds = {m.kind for m in extract_mentions(without_marks(answer))}
    if ASKS_AMOUNT.search(question):
        return bool(kinds & {"money", "number", "percent", "tally"})
    if ASKS_DATE.search(question):
        return bool(kinds & {"date", "year"})
    if ASKS_WHO.search(question):
        return bool(
            re.search(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+", without_marks(answer)[1:])
            or re.match(r"[A-Z][a-z]+\s+[A-Z]", answer)
        )
    return False


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))
