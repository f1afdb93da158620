"""Fact-check: the model extracts facts per record; code verifies quotes, compares values, finds conflicts."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from typing import Any

import numpy as np

from newsroom.claims.conflicts import find_conflicts, subject_overlap, subject_words
from newsroom.claims.corrections import correction_conflicts, is_correction
from newsroom.claims.injections import find_injection, redact_injections
from newsroom.claims.language import record_language
from newsroom.claims.lexicon_en import ROLE_LABELS
from newsroom.claims.mentions import extract_mentions
from newsroom.claims.pairing import pair_parties, pair_values
from newsroom.claims.parties import party_readings
from newsroom.claims.readings import value_readings
from newsroom.claims.roles import role_label, role_readings
from newsroom.claims.text import sentences
from newsroom.claims.types import Fact
from newsroom.claims.values import parties, typed_value
from newsroom.deps import Deps
from newsroom.records import normalize_text
from newsroom.schemas import RecordFacts
from newsroom.state import StoryState
from prompts import load_prompt

PROMPT = "factcheck.v1"
_NEGATED = re.compile(r"\b(?:not|no longer|never|neither|nor|without|denied|denies)\b|n't\b", re.I)


def _value_in(value: str, sentence: str, lang: str = "en") -> bool:
    """The value the model read must be in the cited sentence itself, not in the model's paraphrase."""
    found = [m for m in extract_mentions(value, lang) if m.kind != "year"]
    low = normalize_text(sentence)
    if found:
        return all(normalize_text(m.text.strip()) in low for m in found)
    names = parties(value)
    return bool(names) and all(name in low for name in names)


def _extract(source: dict[str, Any], topic: str, deps: Deps) -> list[Fact]:
    prompt = load_prompt(PROMPT)
    numbered = sentences(redact_injections(source["text"])[: deps.research.source_chars])
    rendered = prompt.render(
        {"record_id": source["record_id"], "sentences": numbered},
        n=source["n"],
        outlet=source["outlet"],
        date=(source.get("published_at") or "undated")[:10],
        text="\n".join(f"S{i}. {s}" for i, s in enumerate(numbered, 1)),
        topic=topic,
    )
    answer = deps.model.structured("factcheck", rendered, RecordFacts, max_tokens=400)
    out = []
    lang = record_language(source["text"])
    for f in answer.facts:
        # The quote is the record's own sentence, looked up by code: it cannot be invented.
        quote = numbered[f.sentence - 1] if 1 <= f.sentence <= len(numbered) else ""
        out.append(Fact(source["n"], f.subject.strip(), f.value.strip(), quote, lang=lang))
    return out


def _corrects(sources: list[dict[str, Any]]) -> dict[int, frozenset[int]]:
    """Each correction notice among the sources, with the records published no later than it."""
    return {
        s["n"]: frozenset(
            o["n"]
            for o in sources
            if o["n"] != s["n"] and str(o.get("published_at") or "") <= str(s.get("published_at") or "~")
        )
        for s in sources
        if is_correction(str(s.get("text", "")))
    }


def _code_facts(
    sources: list[dict[str, Any]], topic_words: frozenset[str], deps: Deps
) -> tuple[list[Fact], dict[tuple[int, int], float]]:
    """What code reads from every source — values with their context, named parties with their roles — as
    facts, and the pairs of them that are about the same thing (see newsroom/claims/readings.py)."""
    values = [r for s in sources for r in value_readings(s["n"], s["text"])]
    facts = [
        Fact(r.n, f"{r.mention.kind}|{r.masked}", r.mention.text.strip(), r.sentence, "code", r.lang)
        for r in values
    ]
    pairs = pair_values(
        values, deps.embed, deps.claims, corrects=_corrects(sources), embed_across=deps.embed_across
    )
    party = [
        r
        for s in sources
        for read in (party_readings, role_readings)
        for r in read(s["n"], s["text"], topic_words)
    ]
    if party:
        offset = len(facts)
        found = pair_parties(party, deps.embed, deps.claims.party_similarity)
        pairs |= {(offset + i, offset + j): score for (i, j), score in found.items()}
        facts += [
            Fact(r.n, f"role:{r.role}|{r.masked}", " and ".join(r.names), r.sentence, origin="code")
            for r in party
        ]
    return facts, pairs


def _named_together(conflict: dict[str, Any], sources: list[dict[str, Any]]) -> bool:
    """Whether one record names every side's party: then they hold the role together, or it is no role."""
    names = [str(v["value"]) for v in conflict["values"]]
    return any(
        all(name in text for name in names)
        for s in sources
        if not is_correction(text := str(s.get("text", "")))  # a correction names the wrong party too
    )


def run(state: StoryState, deps: Deps) -> dict[str, Any]:
    sources = state.get("sources", [])
    by_n = {s["n"]: s for s in sources}
    # The model reads the most relevant sources (it is the slow part); code reads every source.
    ranked = sorted(sources, key=lambda s: s.get("relevance", 0.0), reverse=True)[
        : deps.claims.model_fact_sources
    ]
    # Each worker thread runs in a copy of this context, so its model calls count for this story.
    contexts = [copy_context() for _ in ranked]
    with ThreadPoolExecutor(max_workers=max(1, deps.claims.fact_workers)) as pool:
        extracted = list(
            pool.map(lambda s, ctx: ctx.run(_extract, s, state["topic"], deps), ranked, contexts)
        )
    model_facts = [f for facts in extracted for f in facts]
    verified, unsupported = [], []
    for f in model_facts:
        if f.quote and _value_in(f.value, f.quote, f.lang) and typed_value(f.value, lang=f.lang):
            verified.append(f)
        else:
            unsupported.append(f)
    topic_words = frozenset(re.findall(r"[\w'.&-]+", state["topic"].casefold()))
    code, code_pairs = _code_facts(sources, topic_words, deps)
    # The model's subject labels decide only which *named parties* are compared: on the embedded model they
    # were often wrong for numbers (a valuation labelled "amount raised"), so numbers are compared by code,
    # by the sentences that state them.
    # A sentence that denies a name ("Alibaba was not part of the final group") is no list of parties.
    facts = [
        f
        for f in verified
        if (typed_value(f.value) or ("",))[0] == "parties" and not _NEGATED.search(f.quote)
    ]
    model_count = len(facts)
    facts += code
    # only the model's subject labels need comparing by meaning; code facts come paired
    vecs = deps.embed([f.subject for f in facts[:model_count]]) if model_count else np.zeros((0, 1))
    sims = vecs @ vecs.T if model_count else np.zeros((0, 0))

    topic_words = subject_words(state["topic"])
    words = [subject_words(f.subject, topic_words) if f.origin == "model" else frozenset() for f in facts]

    def same_subject(i: int, j: int) -> bool:
        a, b = facts[i], facts[j]
        if a.n == b.n or a.origin != b.origin:
            return False
        if a.origin == "code":
            return (i - model_count, j - model_count) in code_pairs or (
                j - model_count,
                i - model_count,
            ) in code_pairs
        # Same content words once the story's own words are set aside ("investors in DeepSeek" ~
        # "investors in the round"), or close in meaning ("backers" ~ "investors").
        return subject_overlap(words[i], words[j]) >= 0.5 or bool(
            sims[i, j] >= deps.claims.subject_similarity
        )

    def strength(i: int, j: int) -> float:
        """How sure code is that two facts are about one thing: the strongest pairs group first."""
        if facts[i].origin == "code":
            key = (i - model_count, j - model_count)
            return code_pairs.get(key, code_pairs.get((key[1], key[0]), 0.0))
        return float(sims[i, j])

    # Names in the editor's topic are the story's subject, never one of its parties.
    conflicts = find_conflicts(facts, same_subject, by_n, exclude=topic_words, strength=strength)
    for c in conflicts:  # a role code read is labelled by the role ("who is buying"), not by masked words
        roles = {facts[i].subject.split("|", 1)[0] for i in c["members"]}
        if len(roles) == 1 and (role := roles.pop()).startswith("role:"):
            c["subject"] = ROLE_LABELS.get(role[5:]) or role_label(role[11:]) or c["subject"]
            if role.startswith("role:parse:") and _named_together(c, sources):
                c["values"] = []  # "co-founders A and B": one record names both, so they share the role
    conflicts = [c for c in conflicts if c["values"]]
    in_conflict = {
        (facts[i].n, facts[i].subject, facts[i].value) for c in conflicts for i in c.pop("members")
    }
    conflicts += correction_conflicts(by_n, conflicts)
    claims: dict[tuple[str, str], dict[str, Any]] = {}
    for f in verified:
        claim = claims.setdefault(
            (f.subject.casefold(), f.value.casefold()),
            {
                "text": f"{f.subject}: {f.value}",
                "subject": f.subject,
                "value": f.value,
                "quote": f.quote,
                "status": "supported",
                "citations": [],
            },
        )
        claim["citations"] = sorted(set(claim["citations"]) | {f.n})
        if (f.n, f.subject, f.value) in in_conflict:
            claim["status"] = "contested"
    for c in conflicts:  # every side of every disagreement is a claim the editor sees
        for v in c["values"]:
            resolved = c.get("resolved_value")
            status = (
                "contested" if not resolved else ("supported" if v["value"] == resolved else "unsupported")
            )
            key = (c["subject"].casefold(), v["value"].casefold())
            claims[key] = {
                "text": f"{c['subject']}: {v['value']}",
                "subject": c["subject"],
                "value": v["value"],
                "status": status,
                "citations": v["citations"],
            }
            if status == "unsupported":
                claims[key]["note"] = f"corrected by source [{c.get('corrected_by')}]"
    for f in unsupported:
        claims.setdefault(
            (f.subject.casefold(), f.value.casefold()),
            {
                "text": f"{f.subject}: {f.value}",
                "subject": f.subject,
                "value": f.value,
                "quote": f.quote,
                "status": "unsupported",
                "citations": [f.n],
                "note": "the value was not found in the sentence of the record the model pointed to",
            },
        )
    flagged = []
    for s in sources:
        passage = find_injection(s["text"])
        if passage:
            flagged.append(
                {
                    "n": s["n"],
                    "record_id": s["record_id"],
                    "reason": f"contains text addressed to an AI system (“{passage}”); it was treated "
                    "as data and nothing in it was followed",
                }
            )
    return {
        "claims": list(claims.values()),
        "conflicts": conflicts,
        "flagged": flagged,
        "prompts_used": {PROMPT: load_prompt(PROMPT).fingerprint},
        "models_used": {"factcheck": deps.model.model_name("factcheck")},
        "usage": deps.model.drain_usage(),
    }
