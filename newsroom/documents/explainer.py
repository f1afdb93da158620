"""The explainer as readers and other systems get it: JSON from graph state, and its Markdown."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from newsroom import costs
from newsroom.claims.lexicon_intl import LANGUAGE_NAMES
from newsroom.documents.markup import http_url, md_escape, md_link, md_text
from newsroom.sourcepolicy import SourcePolicy

# What made the story, in order; the methodology block names them so a reader knows a human decided last.
STAGES = ("ingest", "research", "fact-check", "framing", "write", "audit", "editor")


def cited_numbers(draft: dict[str, Any]) -> set[int]:
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
        "records_cited": len(cited_numbers(draft)),
        "sub_questions": state.get("sub_questions", []),
        "composed_by_code": [*state.get("composed", []), *draft.get("translation_notes", [])],
        "models": state.get("models_used", {}),
        "prompts": state.get("prompts_used", {}),
        "model_calls": len(usage),
        "tokens": {
            "prompt": sum(u.get("prompt_tokens", 0) for u in usage),
            "completion": sum(u.get("completion_tokens", 0) for u in usage),
        },
        # Per role: its models, calls, tokens and cost (None: no price set for its models); the story's too.
        "by_role": costs.by_role(usage),
        "cost": costs.priced(costs.add_up(costs.usage_rows(usage))),
        "generated_at": state.get("generated_at") or datetime.now(UTC).isoformat(),
        "policy": policy_json(state),
    }


def policy_json(state: dict[str, Any]) -> dict[str, Any] | None:
    """Which source policy the story ran under and what it kept out (None: drafted before policies)."""
    if not state.get("policy"):
        return None
    policy = SourcePolicy.from_json(state["policy"])
    dropped = list(state.get("policy_dropped") or [])
    return {
        "name": policy.name,
        "summary": policy.summary(),
        "allowed_domains": list(policy.allowed_domains),
        "blocked_domains": list(policy.blocked_domains),
        "min_tier": policy.min_tier,
        "freshness_days": policy.freshness_days,
        "dropped": len(dropped),
        "dropped_records": dropped,
    }


def policy_sentence(doc: dict[str, Any]) -> str:
    """The methodology's sentence on the source policy: which applied, and how many records it kept out and
    why ("" for a story drafted before policies)."""
    p = doc.get("methodology", {}).get("policy")
    if not p:
        return ""
    reasons = Counter(str(d.get("reason") or "refused") for d in p.get("dropped_records", []))
    if reasons:
        why = ", ".join(f"{n} ({reason})" for reason, n in reasons.most_common())
        kept_out = f"it kept {p['dropped']} record{'s' * (p['dropped'] != 1)} out: {why}."
    else:
        kept_out = "it kept no record out."
    return f"Sources were chosen under {p['summary']}; {kept_out}"


_SOURCE_KEYS = ("n", "record_id", "title", "outlet", "url", "published_at", "duplicates")
# Added later, so a story drafted before them has none: included only when the source carries them.
_SOURCE_EXTRAS = ("kind", "platform", "author", "score", "tier")


def sources_json(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources as published; a source the writer quoted in translation lists those quotes with the
    original words (`quoted_in_translation`)."""
    quoted: dict[int, list[dict[str, Any]]] = {}
    for q in (state.get("draft") or {}).get("translated_quotes") or []:
        quoted.setdefault(int(q["source"]), []).append(
            {k: q.get(k, "") for k in ("translation", "original", "language")}
        )
    return [
        {k: s.get(k) for k in _SOURCE_KEYS}
        | {k: s[k] for k in _SOURCE_EXTRAS if s.get(k) not in (None, "")}
        | ({"quoted_in_translation": quoted[s["n"]]} if s.get("n") in quoted else {})
        for s in state.get("sources", [])
    ]


def translated_lines(source: dict[str, Any]) -> list[str]:
    """Each quote taken from this source in translation, as plain text (escaped where it lands)."""
    return [
        f"quoted in translation: “{q['translation']}” — original{_language(q)}: “{q['original']}”"
        for q in source.get("quoted_in_translation", [])
    ]


def _language(q: dict[str, Any]) -> str:
    lang = str(q.get("language") or "")
    return f" ({LANGUAGE_NAMES.get(lang, lang)})" if lang else ""


_HANDLE_MARK = {"reddit": "u/", "bluesky": "@", "mastodon": "@"}


def kind_label(source: dict[str, Any]) -> str:
    """What kind of source this is, as a reader sees it: "news", "press release", "social post by u/name"."""
    kind = str(source.get("kind") or "")
    if kind != "social":
        return kind
    author = " ".join(str(source.get("author") or "").split())
    if not author:
        return "social post"
    return f"social post by {_HANDLE_MARK.get(str(source.get('platform') or ''), '')}{author}"


def source_labels(source: dict[str, Any]) -> list[str]:
    """What a reader sees beside a source: its kind and its outlet tier ("news", "tier: wire")."""
    tier = str(source.get("tier") or "")
    return [x for x in (kind_label(source), f"tier: {tier}" if tier else "") if x]


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
        **versions(state),
        "story_so_far": draft.get("story_so_far", []),
        "sections": draft.get("sections", []),
        "faq": draft.get("faq", []),
        **checks(state),
    }


def versions(state: dict[str, Any]) -> dict[str, Any]:
    """A living story's version (1 for its first publication), the versions published, each with its date,
    and what changed since the last one; nothing for a story never published nor updated."""
    editions = [
        {k: e.get(k) for k in ("edition", "published_at", "draft_version", "page") if e.get(k) is not None}
        for e in state.get("editions") or []
    ]
    update = state.get("update") or {}
    if not editions and not update:
        return {}
    if state.get("status") == "published" and editions:
        edition = int(editions[-1]["edition"])
    else:
        edition = int(update.get("edition") or len(editions) + 1)
    return {
        "edition": edition,
        "editions": editions,
        "what_changed": (state.get("draft") or {}).get("what_changed", []) if update else [],
    }


def cites(c: list[int]) -> str:
    """Citation marks after a sentence: ` [1][2]`."""
    return " " + "".join(f"[{n}]" for n in c) if c else ""


def beat_label(doc: dict[str, Any]) -> str:
    """The kicker above the headline: the beat a story belongs to, else what kind of story it is."""
    return str(doc.get("beat") or ("Briefing" if doc.get("kind") == "briefing" else "Explainer"))


def counts_line(doc: dict[str, Any]) -> str:
    """`N records · M web citations`: the records read (posts among them), and how many sources are web
    pages a reader can open and weigh as reporting; a social post is a record, not a web citation."""
    considered = doc["methodology"]["records_considered"]
    web = sum(1 for s in doc["sources"] if http_url(s.get("url")) and s.get("kind") != "social")
    return f"{considered} records · {web} web citations"


def source_date(source: dict[str, Any]) -> str:
    return (source.get("published_at") or "undated")[:10]


def version_lines(doc: dict[str, Any]) -> list[str]:
    """'Version 2, published 2026-11-23 (this version)', newest first."""
    out = []
    for e in reversed(doc.get("editions") or []):
        line = f"Version {int(e['edition'])}, published {str(e.get('published_at') or 'undated')[:10]}"
        out.append(line + (" (this version)" if e["edition"] == doc.get("edition") else ""))
    return out


def methodology_sentences(doc: dict[str, Any]) -> list[str]:
    """The methodology block as plain sentences (escaped where they land), shared by Markdown and HTML."""
    m = doc["methodology"]
    policy = policy_sentence(doc)
    return [
        f"Drafted by newsroom from {m['records_considered']} records considered, {m['records_cited']} cited; "
        f"{m['model_calls']} model calls.{usage_sentence(m)}" + (f" {policy}" if policy else ""),
        "Every number and date was checked against the sources it cites; conflicts were found by "
        "comparing the values sources state. Approved by a human editor before publication.",
    ]


def usage_sentence(m: dict[str, Any]) -> str:
    """ " Tokens and cost by role: research 1,234 tokens (…), $0.0012; … Total: …" (empty with no calls)."""
    roles = m.get("by_role") or {}
    if not roles:
        return ""
    parts = [f"{role} {costs.tokens(t)}, {costs.money(t)}" for role, t in roles.items()]
    total = m.get("cost") or {}
    return (
        f" Tokens and cost by role: {'; '.join(parts)}. Total: {costs.tokens(total)}, {costs.money(total)}."
    )


def to_markdown(ex: dict[str, Any]) -> str:
    t = md_text
    # The title stays the first line (what a Markdown reader and `--md` users expect); the beat label
    # that sits above the headline on the page joins the counts line here.
    lines = [f"# {t(ex['headline'])}", "", f"*{t(ex['dek'])}*", ""]
    lines += [md_escape(f"{beat_label(ex)} · {counts_line(ex)}"), ""]
    if ex.get("what_changed"):
        lines += [f"## What changed since version {int(ex['edition']) - 1}", ""]
        lines += [f"- {t(it['text'])}{cites(it['citations'])}" for it in ex["what_changed"]] + [""]
    for sec in ex["sections"]:
        lines += [f"## {t(sec['heading'])}", "", f"{t(sec['body'])}{cites(sec['citations'])}", ""]
    if ex["story_so_far"]:
        lines += ["## The story so far", ""]
        lines += [
            f"- **{t(e['date'])}** — {t(e['event'])}{cites(e['citations'])}" for e in ex["story_so_far"]
        ]
        lines.append("")
    if ex["faq"]:
        lines += ["## Frequently asked", ""]
        for qa in ex["faq"]:
            lines += [f"**{t(qa['question'])}**", "", f"{t(qa['answer'])}{cites(qa['citations'])}", ""]
    lines += checks_markdown(ex)
    if ex.get("editions"):
        lines += ["", "## Versions", ""] + [f"- {md_escape(v)}" for v in version_lines(ex)]
    m = ex["methodology"]
    first, second = methodology_sentences(ex)
    lines += [
        "",
        "## Methodology",
        "",
        " → ".join(STAGES),
        "",
        f"{first} Models: "
        + ", ".join(f"{r}: {md_escape(n)}" for r, n in m["models"].items())
        + ". Prompts: "
        + ", ".join(md_escape(p) for p in m["prompts"].values())
        + f". {second}",
    ]
    return "\n".join(lines) + "\n"


def checks_markdown(ex: dict[str, Any]) -> list[str]:
    """Disagreements, flagged records, audit problems and sources: the same for every kind of story."""
    lines: list[str] = []
    if ex["conflicts"]:
        lines += ["## Where the sources disagree", ""]
        for c in ex["conflicts"]:
            sides = "; ".join(f"{md_escape(v['value'])}{cites(v['citations'])}" for v in c["values"])
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
        date = md_escape(source_date(s))
        kind = "".join(f" · {md_escape(label)}" for label in source_labels(s))
        lines.append(
            f"{s['n']}. {md_link(s.get('url'), s['title'])} — {md_escape(s['outlet'])}, {date}{kind}"
        )
        lines += [f"   - {md_escape(line)}" for line in translated_lines(s)]
    return lines
