"""The explainer as readers and other systems get it: JSON from graph state, and Markdown/HTML renderings."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from newsroom.finishing import correction_sentence, disagreement_sentence
from newsroom.publishability import same_question
from newsroom.safe_markup import md_escape, md_link, md_text, render_html
from newsroom.verify import says_corrected, shows_both_sides

MAX_BRIEFING_ITEMS = 8


def _cited(draft: dict[str, Any]) -> set[int]:
    out: set[int] = set()
    for key in ("story_so_far", "sections", "faq", "items", "what_to_watch"):
        for item in draft.get(key, []):
            out.update(item.get("citations", []))
    return out


def methodology(state: dict[str, Any]) -> dict[str, Any]:
    draft = state.get("draft") or {}
    usage = state.get("usage") or []
    return {
        "records_considered": state.get("records_considered", 0),
        "records_cited": len(_cited(draft)),
        "sub_questions": state.get("sub_questions", []),
        "composed_by_code": state.get("composed", []),
        "models": state.get("models_used", {}),
        "prompts": state.get("prompts_used", {}),
        "model_calls": len(usage),
        "tokens": {
            "prompt": sum(u.get("prompt_tokens", 0) for u in usage),
            "completion": sum(u.get("completion_tokens", 0) for u in usage),
        },
        "generated_at": state.get("generated_at") or datetime.now(UTC).isoformat(),
    }


def sources_json(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {k: s.get(k) for k in ("n", "record_id", "title", "outlet", "url", "published_at", "duplicates")}
        for s in state.get("sources", [])
    ]


def envelope(state: dict[str, Any]) -> dict[str, Any]:
    """What every story's JSON starts with: who asked for what, and where it stands."""
    return {
        "story_id": state.get("story_id"),
        "topic": state.get("topic"),
        "beat": state.get("beat"),
        "requested_by": state.get("requested_by"),
        "status": state.get("status", "revising"),
        "draft_version": state.get("draft_version", 0),
    }


def checks(state: dict[str, Any]) -> dict[str, Any]:
    """What every story's JSON ends with: the fact-check, sources, audit, methodology and decisions."""
    return {
        "claims": state.get("claims", []),
        "conflicts": state.get("conflicts", []),
        "flagged": state.get("flagged", []),
        "sources": sources_json(state),
        "audit": state.get("audit") or {"passed": False, "problems": ["not audited yet"]},
        "methodology": methodology(state),
        "history": state.get("history", []),
        "published": state.get("published", {}),
    }


def explainer_json(state: dict[str, Any]) -> dict[str, Any]:
    """The explainer JSON contract (what `--json` writes and what is published)."""
    draft = state.get("draft") or {}
    return {
        **envelope(state),
        "headline": draft.get("headline", ""),
        "dek": draft.get("dek", ""),
        "story_so_far": draft.get("story_so_far", []),
        "sections": draft.get("sections", []),
        "faq": draft.get("faq", []),
        **checks(state),
    }


def _cites(c: list[int]) -> str:
    return " " + "".join(f"[{n}]" for n in c) if c else ""


def to_markdown(ex: dict[str, Any]) -> str:
    t = md_text
    lines = [f"# {t(ex['headline'])}", "", f"*{t(ex['dek'])}*", ""]
    if ex["story_so_far"]:
        lines += ["## The story so far", ""]
        lines += [
            f"- **{t(e['date'])}** — {t(e['event'])}{_cites(e['citations'])}" for e in ex["story_so_far"]
        ]
        lines.append("")
    for sec in ex["sections"]:
        lines += [f"## {t(sec['heading'])}", "", f"{t(sec['body'])}{_cites(sec['citations'])}", ""]
    if ex["faq"]:
        lines += ["## Questions and answers", ""]
        for qa in ex["faq"]:
            lines += [f"**{t(qa['question'])}**", "", f"{t(qa['answer'])}{_cites(qa['citations'])}", ""]
    lines += checks_markdown(ex)
    m = ex["methodology"]
    lines += [
        "",
        "## Methodology",
        "",
        f"Drafted by newsroom from {m['records_considered']} records considered, {m['records_cited']} cited; "
        f"{m['model_calls']} model calls. Models: "
        + ", ".join(f"{r}: {md_escape(n)}" for r, n in m["models"].items())
        + ". Prompts: "
        + ", ".join(md_escape(p) for p in m["prompts"].values())
        + ". Every number and date was checked against the sources it cites; conflicts were found by "
        "comparing the values sources state. Approved by a human editor before publication.",
    ]
    return "\n".join(lines) + "\n"


def checks_markdown(ex: dict[str, Any]) -> list[str]:
    """Disagreements, flagged records, audit problems and sources: the same for every kind of story."""
    lines: list[str] = []
    if ex["conflicts"]:
        lines += ["## Where the sources disagree", ""]
        for c in ex["conflicts"]:
            sides = "; ".join(f"{md_escape(v['value'])}{_cites(v['citations'])}" for v in c["values"])
            resolution = f" — {md_escape(c['resolution'])}" if c.get("resolution") else ""
            lines.append(f"- **{md_escape(c['subject'])}**: {sides}{resolution}")
        lines.append("")
    if ex["flagged"]:
        flagged = [f"- [{f['n']}] {md_escape(f['reason'])}" for f in ex["flagged"]]
        lines += ["## Flagged records", "", *flagged, ""]
    if not ex["audit"].get("passed"):
        lines += (
            ["## Citation audit problems", ""]
            + [f"- {md_escape(p)}" for p in ex["audit"].get("problems", [])]
            + [""]
        )
    lines += ["## Sources", ""]
    for s in ex["sources"]:
        date = md_escape((s.get("published_at") or "undated")[:10])
        lines.append(f"{s['n']}. {md_link(s.get('url'), s['title'])} — {md_escape(s['outlet'])}, {date}")
    return lines


def to_html(ex: dict[str, Any], markdown: str | None = None) -> str:
    return render_html(markdown if markdown is not None else to_markdown(ex), ex["headline"])


def complete_draft(
    draft: dict[str, Any], conflicts: list[dict[str, Any]], sources: list[dict[str, Any]], topic: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """Add a cited answer, composed by code, for each disagreement or correction the writer left out.

    When the writer already asks about it ("Who is investing?") the composed sentence joins that answer
    rather than asking the same question twice. Returns the completed draft and a note per change
    (shown in the methodology).
    """
    outlets = {int(s["n"]): str(s.get("outlet") or f"source {s['n']}") for s in sources}
    if "items" in draft:
        return _complete_briefing(draft, conflicts, outlets)
    faq = [dict(qa) for qa in draft.get("faq", [])]
    added: list[str] = []
    for c in conflicts:
        # a correction counts as told only where the reader is also told it is one
        if any(
            shows_both_sides(c, item.get("citations", []))
            and (not c.get("resolution") or says_corrected(" ".join(str(v) for v in item.values())))
            for item in [*faq, *draft.get("sections", []), *draft.get("story_so_far", [])]
        ):
            continue
        cites = sorted({n for v in c["values"] for n in v["citations"]})
        if c.get("resolution"):
            question = f"Was the figure for {c['subject']} corrected?"
            answer = correction_sentence(c, outlets)
        else:
            question = f"Do the sources agree on {c['subject']}?"
            answer = disagreement_sentence(c, outlets)
        answer = re.sub(r"\s*\[\d+\]", "", answer)  # the marks are drawn from the citations
        asked = next(
            (i for i, qa in enumerate(faq) if same_question(qa.get("question", ""), question, topic)), None
        )
        if asked is not None:
            qa = faq[asked]
            qa["answer"] = f"{str(qa.get('answer', '')).rstrip()} {answer}".strip()
            qa["citations"] = sorted(set(qa.get("citations", [])) | set(cites))
            added.append(
                f"FAQ {asked + 1}: code added the disagreement on {c['subject']} from the conflict list"
            )
            continue
        faq.append({"question": question, "answer": answer, "citations": cites, "composed_by": "code"})
        added.append(f"FAQ {len(faq)} (“{question}”) was composed by code from the conflict list")
    return {**draft, "faq": faq}, added


def _complete_briefing(
    draft: dict[str, Any], conflicts: list[dict[str, Any]], outlets: dict[int, str]
) -> tuple[dict[str, Any], list[str]]:
    """A briefing flags each disagreement in an item citing both sides; code adds the ones left out."""
    items = list(draft.get("items", []))
    added: list[str] = []
    for c in conflicts:
        if any(shows_both_sides(c, it.get("citations", [])) for it in items):
            continue
        cites = sorted({n for v in c["values"] for n in v["citations"]})
        text = re.sub(
            r"\s*\[\d+\]",
            "",
            correction_sentence(c, outlets) if c.get("resolution") else disagreement_sentence(c, outlets),
        )
        flagged = {"text": text, "citations": cites, "composed_by": "code"}
        if len(items) < MAX_BRIEFING_ITEMS:
            items.append(flagged)
            added.append(f"item {len(items)} (on {c['subject']}) was composed by code from the conflict list")
            continue
        # A full briefing: the flag takes the place of an item telling one side only, else the last one.
        writers = [i for i, it in enumerate(items) if it.get("composed_by") != "code"]
        one_sided = [i for i in writers if set(items[i]["citations"]) <= set(cites)]
        at = (one_sided or writers or [len(items) - 1])[0 if one_sided else -1]
        items[at] = flagged
        added.append(f"item {at + 1} was replaced by code with the disagreement on {c['subject']}")
    return {**draft, "items": items}, added
