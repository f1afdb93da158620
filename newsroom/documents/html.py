"""A story as one self-contained HTML page: inline styles, no fonts or scripts from elsewhere, all text escaped."""

from __future__ import annotations

import html
from typing import Any

from newsroom.documents.explainer import (
    STAGES,
    beat_label,
    counts_line,
    kind_label,
    methodology_sentences,
    source_date,
    translated_lines,
    version_lines,
)
from newsroom.documents.markup import http_url, inline

# Styles live on the elements: the page opens offline, from a mail attachment or a file share, looking the
# same, and there is no <style> element for anything to hide in.
_SANS = "font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"
_CSS = {
    "body": "margin:0;background:#f4f1ea;color:#1f1d1a;font-family:Georgia,'Times New Roman',serif",
    "article": "max-width:760px;margin:0 auto;padding:56px 56px 64px;background:#fffdf9;"
    "box-shadow:0 1px 3px rgba(0,0,0,.08)",
    "kicker": f"{_SANS};font-size:13px;font-weight:700;letter-spacing:.09em;text-transform:uppercase;"
    "color:#a4262c;margin:0 0 10px",
    "h1": "font-size:42px;line-height:1.12;font-weight:700;margin:0 0 14px;letter-spacing:-.01em",
    "dek": "font-size:21px;line-height:1.45;color:#4a4640;font-style:italic;margin:0 0 18px",
    "counts": f"{_SANS};font-size:13px;color:#6b665e;padding:10px 0;margin:0 0 8px;"
    "border-top:1px solid #e3ddd1;border-bottom:1px solid #e3ddd1",
    "h2": "font-size:26px;line-height:1.25;margin:44px 0 12px",
    "h2-aside": f"{_SANS};font-size:15px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;"
    "color:#6b665e;margin:48px 0 14px;padding-top:18px;border-top:2px solid #1f1d1a",
    "p": "font-size:18px;line-height:1.65;margin:0 0 16px",
    "sup": f"{_SANS};font-size:11px;color:#8a6a2f;margin-left:1px",
    "timeline": "list-style:none;margin:0;padding:0 0 0 18px;border-left:3px solid #e3ddd1",
    "event": "font-size:17px;line-height:1.55;margin:0 0 14px",
    "date": f"{_SANS};display:block;font-size:12px;font-weight:700;color:#a4262c;letter-spacing:.04em",
    "question": "font-size:19px;line-height:1.4;margin:26px 0 6px",
    "conflict": "margin:14px 0;padding:14px 18px;background:#fff6e0;border-left:5px solid #d08a00;"
    "border-radius:0 6px 6px 0",
    "flag": "margin:14px 0;padding:14px 18px;background:#fdecea;border-left:5px solid #a4262c;"
    "border-radius:0 6px 6px 0",
    "callout-title": f"{_SANS};font-size:15px;font-weight:700;margin:0 0 6px",
    "sides": "margin:0;padding:0 0 0 20px;font-size:17px;line-height:1.55",
    "resolution": "font-size:16px;font-style:italic;color:#4a4640;margin:8px 0 0",
    "sources": "margin:0;padding:0 0 0 26px;font-size:16px;line-height:1.5",
    "source": "margin:0 0 8px",
    "link": "color:#1a4f8b;text-decoration:underline",
    "kind": f"{_SANS};display:inline-block;font-size:11px;font-weight:700;letter-spacing:.04em;"
    "text-transform:uppercase;color:#6b665e;background:#f1ede4;border-radius:3px;padding:1px 6px;margin-left:6px",
    "meta": f"{_SANS};font-size:13px;color:#6b665e",
    "method": "margin:48px 0 0;padding:20px 24px;background:#f1ede4;border-radius:6px",
    "method-h": f"{_SANS};font-size:15px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;"
    "color:#6b665e;margin:0 0 12px",
    "stages": f"{_SANS};font-size:13px;font-weight:600;color:#1f1d1a;margin:0 0 12px;line-height:2",
    "stage": "display:inline-block;padding:2px 10px;border-radius:12px;background:#fffdf9;"
    "border:1px solid #d6cfc0",
    "arrow": "color:#8a8375;padding:0 6px",
    "method-p": f"{_SANS};font-size:14px;line-height:1.6;color:#4a4640;margin:0 0 8px",
}


def _tag(name: str, style: str, body: str, cls: str = "", **attrs: str) -> str:
    extra = f' class="{cls}"' if cls else ""
    extra += "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f'<{name}{extra} style="{_CSS[style]}">{body}</{name}>'


def _cites(numbers: list[int], sources: dict[int, dict[str, Any]]) -> str:
    """Citation marks, each titled with its source's outlet and date (a tooltip, not a link to chase)."""
    marks = []
    for n in numbers:
        s = sources.get(int(n), {})
        title = f"{s.get('outlet') or 'source'}, {source_date(s)}" if s else f"source {n}"
        marks.append(_tag("sup", "sup", f"[{int(n)}]", title=" ".join(title.split())))
    return "".join(marks)


def _paragraphs(text: object, cites: str) -> str:
    parts = [p for p in str(text or "").split("\n\n") if p.strip()] or [""]
    return "".join(
        _tag("p", "p", inline(p) + (cites if i == len(parts) - 1 else "")) for i, p in enumerate(parts)
    )


def _head(doc: dict[str, Any], kicker: str, dek: str) -> str:
    out = _tag("p", "kicker", html.escape(kicker), "beat")
    out += _tag("h1", "h1", inline(doc["headline"]))
    if dek:
        out += _tag("p", "dek", dek, "dek")
    return out + _tag("p", "counts", html.escape(counts_line(doc)), "counts")


def _checks(doc: dict[str, Any], by_n: dict[int, dict[str, Any]]) -> str:
    """Disagreements as call-outs, flagged records, audit problems and the sources list."""
    out = ""
    if doc["conflicts"]:
        out += _tag("h2", "h2-aside", "Where the sources disagree")
        for c in doc["conflicts"]:
            sides = "".join(
                _tag(
                    "li",
                    "source",
                    html.escape(str(v["value"]))
                    + _tag("span", "meta", " — " + html.escape(_outlets(v["citations"], by_n)))
                    + _cites(v["citations"], by_n),
                )
                for v in c["values"]
            )
            body = _tag("p", "callout-title", html.escape(_capital(c["subject"]))) + _tag(
                "ul", "sides", sides
            )
            if c.get("resolution"):
                body += _tag("p", "resolution", html.escape(str(c["resolution"])))
            out += _tag("aside", "conflict", body, "conflict")
    if doc["flagged"]:
        out += _tag("h2", "h2-aside", "Flagged records")
        items = "".join(
            _tag("li", "source", f"[{int(f['n'])}] " + html.escape(str(f["reason"]))) for f in doc["flagged"]
        )
        out += _tag("aside", "flag", _tag("ul", "sides", items), "flagged")
    if not doc["audit"].get("passed"):
        out += _tag("h2", "h2-aside", "Citation audit problems")
        items = "".join(_tag("li", "source", html.escape(str(p))) for p in doc["audit"].get("problems", []))
        out += _tag("aside", "flag", _tag("ul", "sides", items), "audit")
    out += _tag("h2", "h2-aside", "Sources")
    return out + _tag("ol", "sources", "".join(_source(s) for s in doc["sources"]), "sources")


def _outlets(numbers: list[int], by_n: dict[int, dict[str, Any]]) -> str:
    names = [str(by_n.get(int(n), {}).get("outlet") or f"source {n}") for n in numbers]
    return ", ".join(dict.fromkeys(" ".join(n.split()) for n in names))


def _source(s: dict[str, Any]) -> str:
    title = html.escape(" ".join(str(s.get("title") or "untitled").split()))
    href = http_url(s.get("url"))
    if href:
        title = _tag("a", "link", title, href=href)
    elif s.get("url"):
        title += " " + _tag("span", "meta", "(" + html.escape(str(s["url"])) + ")")
    outlet = html.escape(" ".join(str(s.get("outlet") or "").split()))
    meta = _tag(
        "span",
        "meta",
        f' — <span class="outlet">{outlet}</span>, <time class="date">{html.escape(source_date(s))}</time>',
    )
    label = kind_label(s)
    if label:
        meta += _tag("span", "kind", html.escape(label), "kind")
    if s.get("tier"):
        meta += _tag("span", "kind", html.escape(f"tier: {s['tier']}"), "tier")
    quotes = "".join(
        _tag("span", "meta", "<br>" + html.escape(line), "translated") for line in translated_lines(s)
    )
    return _tag("li", "source", title + meta + quotes, "source", value=str(int(s["n"])))


def _capital(text: object) -> str:
    s = " ".join(str(text or "").split())
    return s[:1].upper() + s[1:]


def _sentence(text: object) -> str:
    s = _capital(text)
    return s + ("" if s.endswith((".", "?", "!")) else ".")


def _methodology(doc: dict[str, Any]) -> str:
    m = doc["methodology"]
    stages = _tag("span", "arrow", "→").join(_tag("span", "stage", html.escape(s), "stage") for s in STAGES)
    first, second = methodology_sentences(doc)
    sentences = [first]
    if m["models"]:
        sentences.append("Models: " + ", ".join(f"{r}: {n}" for r, n in m["models"].items()) + ".")
    if m["prompts"]:
        sentences.append("Prompts: " + ", ".join(str(p) for p in m["prompts"].values()) + ".")
    sentences += [_sentence(note) for note in m.get("composed_by_code", [])]
    sentences.append(second)
    body = _tag("h2", "method-h", "Methodology") + _tag("p", "stages", stages, "stages")
    body += "".join(_tag("p", "method-p", html.escape(s)) for s in sentences)
    return _tag("section", "method", body, "methodology")


def _page(doc: dict[str, Any], body: str) -> str:
    title = html.escape(" ".join(str(doc.get("headline") or "").split()))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title}</title></head>\n"
        f'<body style="{_CSS["body"]}">{_tag("article", "article", body)}</body></html>\n'
    )


def explainer_html(ex: dict[str, Any]) -> str:
    """The explainer page: the seed explainer's shape, with the disagreements and sources a reader can check."""
    by_n = {int(s["n"]): s for s in ex["sources"]}
    body = _head(ex, beat_label(ex), inline(ex["dek"]))
    if ex.get("what_changed"):
        changed = "".join(
            _tag("li", "event", inline(it["text"]) + _cites(it["citations"], by_n))
            for it in ex["what_changed"]
        )
        title = f"What changed since version {int(ex['edition']) - 1}"
        body += _tag("aside", "conflict", _tag("p", "callout-title", title) + _tag("ul", "sides", changed))
    for sec in ex["sections"]:
        body += _tag("h2", "h2", inline(sec["heading"])) + _paragraphs(
            sec["body"], _cites(sec["citations"], by_n)
        )
    if ex["story_so_far"]:
        events = "".join(
            _tag(
                "li",
                "event",
                _tag("span", "date", inline(e["date"])) + inline(e["event"]) + _cites(e["citations"], by_n),
            )
            for e in ex["story_so_far"]
        )
        body += _tag("h2", "h2", "The story so far") + _tag("ol", "timeline", events, "story-so-far")
    if ex["faq"]:
        body += _tag("h2", "h2", "Frequently asked")
        for qa in ex["faq"]:
            body += _tag("h3", "question", inline(qa["question"])) + _paragraphs(
                qa["answer"], _cites(qa["citations"], by_n)
            )
    return _page(ex, body + _checks(ex, by_n) + _versions(ex) + _methodology(ex))


def _versions(doc: dict[str, Any]) -> str:
    """Every published version with its date, each earlier one a link to its own page (kept as published)."""
    if not doc.get("editions"):
        return ""
    items = []
    for e, line in zip(reversed(doc["editions"]), version_lines(doc), strict=True):
        text = html.escape(line)
        page = str(e.get("page") or "")
        if page and e["edition"] != doc.get("edition") and "/" not in page and not page.startswith("."):
            text = _tag("a", "link", text, href=page)
        items.append(_tag("li", "source", text, "version"))
    return _tag("h2", "h2-aside", "Versions") + _tag("ul", "sources", "".join(items), "versions")


def briefing_html(b: dict[str, Any]) -> str:
    """The briefing page: items, what to watch, then the same disagreements, sources and methodology."""
    by_n = {int(s["n"]): s for s in b["sources"]}
    since = (b.get("since") or "")[:10]
    dek = html.escape(f"Briefing on {b['beat']}" + (f", new since {since}" if since else ""))
    body = _head(b, beat_label(b), dek)
    items = "".join(
        _tag("li", "event", inline(it["text"]) + _cites(it["citations"], by_n)) for it in b["items"]
    )
    body += _tag("ul", "sources", items, "items")
    if b.get("what_to_watch"):
        watch = "".join(
            _tag("li", "event", inline(w["text"]) + _cites(w["citations"], by_n)) for w in b["what_to_watch"]
        )
        body += _tag("h2", "h2", "What to watch") + _tag("ul", "sources", watch, "watch")
    body += _checks(b, by_n)
    if b.get("failed_sources"):
        failed = "".join(
            _tag("li", "source", html.escape(f"{f['source']}: {f['error']}")) for f in b["failed_sources"]
        )
        body += _tag("h2", "h2-aside", "Sources that could not be read this time") + _tag(
            "ul", "sources", failed
        )
    return _page(b, body + _methodology(b))


def render_html(doc: dict[str, Any]) -> str:
    """The page for either kind of story."""
    return briefing_html(doc) if doc.get("kind") == "briefing" else explainer_html(doc)
