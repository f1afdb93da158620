"""Code finishes what the writer could not: a draft with publishability findings left after its rounds is
mended here, sentence by sentence, and every change is named for the editor.

Nothing here invents a fact. Code cuts (a unit back to its last whole sentence, a repeated sentence, a
stray script, a length past the limit), turns copied prose into an attributed quotation, and composes
the sentences about disagreements and corrections from the fact-check's own list — the same values,
the same sources, cited.
"""

from __future__ import annotations

import re
from typing import Any

from newsroom.claims.corrections import says_corrected
from newsroom.claims.lexicon_en import ATTRIBUTION, DANGLING
from newsroom.claims.publishability import (
    ANSWER_SENTENCES,
    COPY_WORDS,
    DEK_CHARS,
    HEADLINE_CHARS,
    LOOP_WORDS,
    MIN_REPEAT,
    SHARE_WORDS,
    Unit,
    check_draft,
    copied_runs,
    copied_share,
    foreign_runs,
    ngrams,
    scripts,
    states_value,
    truncated,
    without_marks,
    words,
)
from newsroom.claims.standing import Standing, source_names
from newsroom.claims.text import sentences
from newsroom.claims.updates import says_changed, updated

_PARTS = {
    "story_so_far": ("story-so-far item", "event"),
    "sections": ("section", "body"),
    "items": ("item", "text"),
    "what_to_watch": ("what-to-watch line", "text"),
}
_WHOLE = re.compile(r"[.!?…][\"'”’)\]]*$")


def _names(cites: list[int], outlets: dict[int, str]) -> str:
    names = list(dict.fromkeys(outlets.get(n, f"source {n}") for n in cites))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _marks(cites: list[int]) -> str:
    return "".join(f"[{n}]" for n in cites)


def disagreement_sentence(conflict: dict[str, Any], outlets: dict[int, str]) -> str:
    """'Reports differ on the takeover premium: Market Watchtower gives 22% [1]; Financial Ledger, 28% [2].'"""
    sides = []
    for i, v in enumerate(conflict.get("values", [])):
        cites = [int(n) for n in v.get("citations", [])]
        who = _names(cites, outlets)
        several = " and " in who or "," in who
        verb = (
            ("name" if several else "names")
            if conflict.get("kind") == "parties"
            else ("give" if several else "gives")
        )
        sides.append(
            f"{who} {verb} {v['value']} {_marks(cites)}" if i == 0 else f"{who}, {v['value']} {_marks(cites)}"
        )
    return f"Reports differ on {conflict.get('subject') or 'this point'}: " + "; ".join(sides) + "."


def correction_sentence(conflict: dict[str, Any], outlets: dict[int, str]) -> str:
    """'Open Weights Weekly first reported the cache hit rate as 25% [4], then corrected it to 35% [5].'"""
    right = str(conflict.get("resolved_value") or "")
    by = conflict.get("corrected_by")
    wrong = [v for v in conflict.get("values", []) if v["value"] != right]
    if not wrong or by is None:  # told only in words: the fact-check's own sentence stands
        return str(conflict.get("resolution") or disagreement_sentence(conflict, outlets))
    first = [int(n) for n in wrong[0].get("citations", []) if n != by] or [int(by)]
    earlier, corrector = _names(first, outlets), outlets.get(int(by), f"source {by}")
    what = f"{conflict['subject']} as " if conflict.get("subject") else ""
    if earlier == corrector:
        return f"{earlier} first reported {what}{wrong[0]['value']} {_marks(first)}, then corrected it to {right} [{by}]."
    return f"{earlier} reported {what}{wrong[0]['value']} {_marks(first)}; {corrector} corrected it to {right} [{by}]."


def conflict_cites(conflict: dict[str, Any]) -> list[int]:
    return sorted({int(n) for v in conflict.get("values", []) for n in v.get("citations", [])})


def _whole_sentences(text: str) -> str:
    """The text up to its last complete sentence ('' when it has none)."""
    return " ".join(s for s in sentences(text) if _WHOLE.search(s))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", without_marks(text)).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", text)


def _short_headline(text: str) -> str:
    if len(text) > HEADLINE_CHARS:
        for sep in (": ", " — ", " - ", ", "):
            head = text.split(sep)[0]
            if len(head) <= HEADLINE_CHARS and len(head.split()) >= 3:
                text = head
                break
        else:
            text = text[: HEADLINE_CHARS + 1].rsplit(" ", 1)[0]
    tokens = text.rstrip(",;:-— ").split()
    while tokens and tokens[-1].casefold() in DANGLING:
        tokens.pop()
    return " ".join(tokens)


def _one_sentence(text: str, limit: int) -> str:
    first = (sentences(text) or [""])[0]
    if len(first) <= limit:
        return first
    head = first[:limit]
    cut = max(head.rfind(", "), head.rfind("; "), head.rfind(" — "))
    return (head[:cut] if cut > 40 else head.rsplit(" ", 1)[0]).rstrip(",;: ") + "."


class Finisher:
    """Mends one draft; `notes` says what code changed, unit by unit."""

    def __init__(
        self,
        draft: dict[str, Any],
        sources: list[dict[str, Any]],
        conflicts: list[dict[str, Any]],
        topic: str = "",
        standing: Standing | None = None,
    ) -> None:
        self.standing = standing
        self.draft = {k: ([dict(i) for i in v] if isinstance(v, list) else v) for k, v in draft.items()}
        self.conflicts = conflicts
        self.topic = topic
        self.outlets = source_names(sources)
        self.allowed = {"LATIN"} | {x for s in sources for x in scripts(str(s.get("text", "")))}
        self.grams = {int(s["n"]): ngrams(words(str(s.get("text", ""))), COPY_WORDS) for s in sources}
        self.short_grams = {int(s["n"]): ngrams(words(str(s.get("text", ""))), SHARE_WORDS) for s in sources}
        self.loops: set[tuple[str, ...]] = set()  # long runs of words earlier body units already have
        self.notes: list[str] = []
        self.seen: set[str] = set()
        self.told: set[int] = set()  # conflicts already told by a composed sentence

    def note(self, where: str, what: str) -> None:
        self.notes.append(f"{where}: {what}")

    def _clash(self, s: str) -> tuple[int, dict[str, Any]] | None:
        """The conflict a sentence gets wrong: a corrected value stated as fact, or one side of an open
        disagreement stated as settled."""
        for i, c in enumerate(self.conflicts):
            stated = [
                str(v.get("value", ""))
                for v in c.get("values", [])
                if states_value(str(v.get("value", "")), s)
            ]
            if not stated:
                continue
            resolved = c.get("resolved_value")
            if resolved:
                wrong = any(v != resolved and not states_value(str(resolved), v) for v in stated)
                if wrong and not says_corrected(s) and not (updated(c) and says_changed(s)):
                    return i, c
            elif (
                len(stated) == 1
                and c.get("status") not in ("clarified", "updated")
                and not ATTRIBUTION.search(s)
            ):
                return i, c
        return None

    def mend(self, label: str, text: str, cites: list[int], kind: str) -> tuple[str, list[int]]:
        """The mended text of one unit (answer, event, body, item) and its citations."""
        before = _tidy(text)
        text = before
        for run in foreign_runs(text, self.allowed):
            text = text.replace(run, " ")
        text = _tidy(text)
        if text != before:
            self.note(label, "dropped letters of a script no source uses")
        if truncated(Unit(label, kind, text, None)):
            whole = _whole_sentences(text)
            if whole:
                self.note(label, f"cut back to its last complete sentence (it ended “…{text[-30:]}”)")
                text = whole
            elif len(words(text)) >= 5 and words(text)[-1] not in DANGLING:
                self.note(label, "closed with a full stop (its one sentence had none)")
                text = text.rstrip(",;: ") + "."
            else:
                self.note(label, f"dropped: cut off mid-sentence (“{text[-30:]}”)")
                text = ""
        out: list[str] = []
        for s in sentences(text):
            key = " ".join(w for w in words(s) if not w.isdigit())
            if len(key.split()) >= MIN_REPEAT and key in self.seen:
                self.note(label, f"dropped a sentence the draft already has (“{s[:60]}”)")
                continue
            self.seen.add(key)
            s, cites = self._sentence(label, s, cites)
            if s and ngrams(words(s), LOOP_WORDS) & self.loops:
                self.note(label, f"dropped a sentence the draft already has (“{s[:60]}”)")
                continue
            if s:
                out.append(s)
        out, cites = self._quote_copies(label, out, cites)
        for s in out:
            self.loops |= ngrams(words(s), LOOP_WORDS)
        if kind == "answer" and len(out) > ANSWER_SENTENCES:
            out = out[:ANSWER_SENTENCES]
            self.note(label, f"cut to {ANSWER_SENTENCES} sentences")
        return " ".join(out), cites

    def _sentence(self, label: str, s: str, cites: list[int]) -> tuple[str, list[int]]:
        clash = self._clash(s)
        if clash and clash[1].get("resolved_value"):
            i, c = clash
            cites = sorted(set(cites) | set(conflict_cites(c)))
            if i in self.told:
                self.note(
                    label, f"dropped “{s[:60]}”: it repeated the value {c.get('subject')} was corrected from"
                )
                return "", cites
            self.told.add(i)
            self.note(label, f"replaced “{s[:60]}”, which stated a corrected value, with the correction")
            return _tidy(correction_sentence(c, self.outlets)), cites
        for n, grams in self.grams.items():
            if copied_runs(s, grams):  # a quotation with its source is attributed, and no longer copied
                self.note(label, f"quoted and attributed words copied from {self.outlets[n]} [{n}]")
                return f"{self.outlets[n]} reported: “{s}”", sorted(set(cites) | {n})
        if clash:
            return self._attributed(label, s, cites)
        return self._weak(label, s, cites)

    def _weak(self, label: str, s: str, cites: list[int]) -> tuple[str, list[int]]:
        """A value only sources below the policy's minimum tier carry, stated as fact, is said to be their word."""
        weak = self.standing.unattributed(s) if self.standing else []
        if not weak or self.standing is None:
            return s, cites
        carriers = set().union(*(c for _, c in weak))
        carriers = (carriers & set(cites)) or carriers
        who = self.standing.attribution(carriers)
        values = ", ".join(dict.fromkeys(v for v, _ in weak))
        self.note(
            label,
            f"attributed “{s[:60]}” to {who}: only sources below the policy's minimum tier carry {values}",
        )
        return f"{s.rstrip('.!? ')}, according to {who}.", sorted(set(cites) | carriers)

    def _quote_copies(self, label: str, out: list[str], cites: list[int]) -> tuple[list[str], list[int]]:
        """Sentences that together copy a source's prose (each short of the copy limit alone) become
        one quotation, attributed."""
        if not any(copied_runs(" ".join(out), g) for g in self.grams.values()):
            return out, cites
        mended: list[str] = []
        for s in out:
            source = max(self.short_grams, key=lambda n: copied_share(s, self.short_grams[n]), default=None)
            if source is not None and copied_share(s, self.short_grams[source]) >= 0.6:
                self.note(label, f"quoted and attributed words copied from {self.outlets[source]} [{source}]")
                mended.append(f"{self.outlets[source]} reported: “{s}”")
                cites = sorted(set(cites) | {source})
            else:
                mended.append(s)
        return mended, cites

    def _attributed(self, label: str, s: str, cites: list[int]) -> tuple[str, list[int]]:
        """One side of an open disagreement, stated as settled, is said to be that side's report."""
        carriers: set[int] | None = None
        for c in self.conflicts:
            for v in c.get("values", []):
                if not c.get("resolved_value") and states_value(str(v.get("value", "")), s):
                    side = {int(n) for n in v.get("citations", [])}
                    carriers = side if carriers is None else (carriers & side) or carriers | side
        own = sorted(carriers or set())
        self.note(label, f"attributed “{s[:60]}” to {_names(own, self.outlets)}: the sources disagree on it")
        return f"{s.rstrip('.!? ')}, according to {_names(own, self.outlets)}.", sorted(set(cites) | set(own))

    def _short(self, label: str, text: str, limit: int, headline: bool) -> str:
        """Headline and dek carry no citations: a clash there is told in the body, so they say less."""
        text = _tidy(text)
        clash = [self._clash(s) for s in sentences(text) or [text]]
        if self.standing is not None and any(
            self.standing.unattributed(s) for s in sentences(text) or [text]
        ):
            self.note(label, "rewritten: it stated as established what only lower-tier sources carry")
            if headline:
                text = f"What is reported about {self.topic}, and by whom"
            else:
                text = " ".join(self._weak(label, s, [])[0] for s in sentences(text))
        if any(clash):
            if headline:
                text = f"What we know about {self.topic}, and where reports differ"
            else:
                text = " ".join(
                    self._attributed(label, s, [])[0] if k else s
                    for s, k in zip(sentences(text), clash, strict=True)
                )
                if len(_one_sentence(text, limit)) < len(sentences(text)[0]):
                    text = f"What is known about {self.topic}, what is disputed, and who reports what."
            self.note(label, "rewritten: it stated a disputed or corrected value as settled")
        if headline:
            short = _short_headline(text)
        else:
            for run in foreign_runs(text, self.allowed):
                text = _tidy(text.replace(run, " "))
            short = _one_sentence(_whole_sentences(text), limit)
            if not short or any(copied_runs(short, g) for g in self.grams.values()):
                self.note(label, "rewritten: nothing of it could stand (cut off, or a source's sentence)")
                short = f"What is known about {self.topic}, what is disputed, and who reports what."
        if short != text:
            self.note(label, "cut to one sentence within the house limit" if not headline else "shortened")
        return short

    def run(self) -> dict[str, Any]:
        d = self.draft
        if "headline" in d:
            d["headline"] = self._short("headline", str(d.get("headline") or ""), HEADLINE_CHARS, True)
        if "dek" in d:
            d["dek"] = self._short("dek", str(d.get("dek") or ""), DEK_CHARS, False)
        for key, (label, field) in _PARTS.items():
            if key in d:
                d[key] = self._mend_list(d[key], key, label, field)
        if "faq" in d:
            d["faq"] = self._mend_faq(d["faq"])
        return d

    def _mend_list(
        self, items: list[dict[str, Any]], key: str, label: str, field: str
    ) -> list[dict[str, Any]]:
        kept = []
        for i, item in enumerate(items, 1):
            text, cites = self.mend(
                f"{label} {i}", str(item.get(field) or ""), [int(c) for c in item.get("citations") or []], key
            )
            if not text:
                self.note(f"{label} {i}", "dropped: nothing of it could stand")
                continue
            kept.append({**item, field: text, "citations": cites})
        return kept

    def _mend_faq(self, faq: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for i, qa in enumerate(faq, 1):
            answer, cites = self.mend(
                f"FAQ {i} answer",
                str(qa.get("answer") or ""),
                [int(c) for c in qa.get("citations") or []],
                "faq.answer",
            )
            if not answer:
                self.note(f"FAQ {i}", "dropped: nothing of its answer could stand")
                continue
            kept.append(
                {**qa, "question": _tidy(str(qa.get("question") or "")), "answer": answer, "citations": cites}
            )
        findings = check_draft({"faq": kept}, [], [], self.topic)
        drop = {f.unit.split()[1] for f in findings if f.kind in ("same_question", "off_question")}
        if drop and len(kept) > len(drop):
            self.note(
                "FAQ", f"dropped {', '.join(sorted(drop))}: asked what another question asks, or not answered"
            )
            kept = [qa for i, qa in enumerate(kept, 1) if str(i) not in drop]
        return kept


def finish_draft(
    draft: dict[str, Any],
    sources: list[dict[str, Any]],
    conflicts: list[dict[str, Any]],
    topic: str = "",
    standing: Standing | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The draft with every finding code can mend mended, and a note per change."""
    finisher = Finisher(draft, sources, conflicts, topic, standing)
    return finisher.run(), finisher.notes
