"""Which values of a draft stand on sources the source policy trusts, and which must be attributed.

A value (an amount, figure or date; a named person or organisation) that only sources below the story's
minimum tier carry — by default, only social posts — is someone's word, not an established fact: a draft
must say whose ("posts on r/LocalLLaMA report…", "…, according to a Bluesky post by @x"). Whether a sentence
attributes a value is read from its parse, not from a phrase: the value lies in what a verb of saying
reports (its clause or object) and that verb names who says it, or the value's clause is given "according
to" someone, or "as" someone reports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsroom.claims.lexicon_en import ATTRIBUTING_VERBS
from newsroom.claims.mentions import extract_mentions, same_value
from newsroom.claims.nlp import parse
from newsroom.claims.types import Mention

# Handles and subreddits split into pieces a parser misreads ("r/LocalLLaMA report" as a noun): each is
# read as one name while parsing.
_HANDLE = re.compile(r"(?<![\w/])(?:[ru]/[A-Za-z0-9_]+|@[\w-]+(?:\.[\w-]+)*)")
_STAND_IN = "Alex"
# How a value may hang below the verb that reports it; a verb it is only joined to (“said nothing, and …”),
# a clause about it (“…, which investors said was a record”) or a reason for it does not report it.
_NOT_REPORTED = {"conj", "parataxis", "relcl", "acl", "advcl", "cc", "punct"}
_SUBJECTS = {"nsubj", "agent"}
_ENTITIES = {"PERSON", "ORG"}
_PLATFORM = {"reddit": "Reddit", "bluesky": "Bluesky", "mastodon": "Mastodon", "hn": "Hacker News"}
_MARK = {"reddit": "u/", "bluesky": "@", "mastodon": "@"}


def _reports(verb: Any) -> bool:
    """A verb of saying that names who says (not "it is reported", which names no one)."""
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in ATTRIBUTING_VERBS:
        return False
    return any(c.dep_ in _SUBJECTS and not (c.lower_ == "it" and c.dep_ == "nsubj") for c in verb.children)


def attributed(sentence: str, value: str) -> bool:
    """Does the sentence give `value` as someone's word rather than as established fact?"""
    text = _HANDLE.sub(_STAND_IN, sentence)
    doc = parse(text)
    at = text.find(value.strip()) if value.strip() else -1
    if at < 0:
        at = text.casefold().find(value.strip().casefold())
    span = doc.char_span(at, at + len(value.strip()), alignment_mode="expand") if at >= 0 else None
    if span is None:
        return False
    token, below = span.root, None
    while True:
        if below is not None and below.dep_ not in _NOT_REPORTED and _reports(token):
            return True  # "posts … report that it runs at 38 tok/s", "users report speeds of 38 tok/s"
        for child in token.children:
            if below is not None and child.i == below.i:
                continue
            if child.lower_ == "according":
                return True  # "according to a post on r/X, …"
            if child.dep_ in ("advcl", "parataxis", "ccomp") and _reports(child) and child.i > token.i:
                return True  # "…, a Reddit user claimed" read as a clause after the value's
            if child.lower_ == "as" and any(
                t.lemma_.lower() in ATTRIBUTING_VERBS for t in child.subtree if t.i != child.i
            ):
                return True  # "…, as users on r/X report"
        if token.head.i == token.i:
            return False
        below, token = token, token.head


def _named(sentence: str) -> list[str]:
    doc = parse(_HANDLE.sub(_STAND_IN, sentence))
    return [e.text for e in doc.ents if e.label_ in _ENTITIES and e.text != _STAND_IN]


@dataclass
class Standing:
    """The story's sources as the policy ranks them: `below` are the numbers of those under the minimum
    tier; `who` says, per such source, whose word it is ("a post on r/LocalLLaMA by u/x")."""

    texts: Mapping[int, str]
    below: frozenset[int]
    who: Mapping[int, str]
    contested: Sequence[str] = ()
    """The values of the fact-check's disagreements: a side of one is told with its source by the
    conflict rules (`publishability`, `compose`), so it is not read again here."""
    _mentions: dict[int, list[Mention]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        sources: Sequence[Mapping[str, Any]],
        below: set[int] | frozenset[int],
        conflicts: Sequence[Mapping[str, Any]] = (),
    ) -> Standing:
        return cls(
            {int(s["n"]): str(s.get("text") or "") for s in sources},
            frozenset(below),
            {int(s["n"]): whose_word(s) for s in sources if int(s["n"]) in below},
            [str(v.get("value", "")) for c in conflicts for v in c.get("values", [])],
        )

    def _contested(self, value: Mention | str) -> bool:
        if isinstance(value, Mention):
            return any(
                m.kind == value.kind and same_value(m, value)
                for c in self.contested
                for m in extract_mentions(c)
            )
        return any(value.casefold() in c.casefold() for c in self.contested)

    def _carried(self, n: int) -> list[Mention]:
        if n not in self._mentions:
            self._mentions[n] = extract_mentions(self.texts[n])
        return self._mentions[n]

    def carriers(self, value: Mention | str) -> set[int]:
        """The sources that state a value (a mention by its reading, a name by its words)."""
        if isinstance(value, Mention):
            return {
                n
                for n in self.texts
                if any(m.kind == value.kind and same_value(m, value) for m in self._carried(n))
            }
        pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.I)
        return {n for n, t in self.texts.items() if pattern.search(t)}

    def unattributed(self, sentence: str) -> list[tuple[str, set[int]]]:
        """The values a sentence states that only sources below the minimum tier carry, and that it does not
        attribute: (the value as written, the sources carrying it)."""
        if not self.below:
            return []
        out: list[tuple[str, set[int]]] = []
        values: list[Mention | str] = [*extract_mentions(sentence), *_named(sentence)]
        for value in values:
            if self._contested(value):
                continue
            carriers = self.carriers(value)
            written = value.text.strip() if isinstance(value, Mention) else value
            if carriers and carriers <= self.below and not attributed(sentence, written):
                out.append((written, carriers))
        return out

    def attribution(self, carriers: set[int], cited: Sequence[int] = ()) -> str:
        """Whose word a value is, for a sentence: "a post on r/LocalLLaMA by u/x", "posts on r/LocalLLaMA";
        the sentence's own citations among the carriers, when it cites any of them."""
        carriers = (carriers & set(cited)) or carriers
        phrases = [self.who.get(n, f"source {n}") for n in sorted(carriers)]
        grouped: dict[str, list[str]] = {}
        for p in phrases:
            grouped.setdefault(_where(p), []).append(p)
        parts = [ps[0] if len(ps) == 1 else _plural(ps[0]) for ps in grouped.values()]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def whose_word(source: Mapping[str, Any]) -> str:
    """A source as attributed in a sentence: "a post on r/LocalLLaMA by u/x", "a Bluesky post by @x",
    or its outlet for a record that is no post."""
    if source.get("kind") != "social":
        return " ".join(str(source.get("outlet") or f"source {source.get('n')}").split())
    platform = str(source.get("platform") or "")
    author = " ".join(str(source.get("author") or "").split())
    by = f" by {_MARK.get(platform, '')}{author}" if author else ""
    outlet = " ".join(str(source.get("outlet") or "").split())
    if platform == "reddit" and outlet.startswith("r/"):
        return f"a post on {outlet}{by}"
    return f"a {_PLATFORM.get(platform, 'social')} post{by}"


def source_names(sources: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """Each source as code names it in a sentence it composes: a post by whose word it is ("a post on
    r/LocalLLaMA by u/x"), anything else by its outlet."""
    return {
        int(s["n"]): whose_word(s)
        if s.get("kind") == "social"
        else str(s.get("outlet") or f"source {s['n']}")
        for s in sources
    }


def _where(phrase: str) -> str:
    """What a phrase names apart from its author: "a post on r/X" for "a post on r/X by u/y"."""
    return phrase.split(" by ", 1)[0]


def _plural(phrase: str) -> str:
    """Several posts in one place: "a post on r/X by u/y" -> "posts on r/X"; "a Bluesky post" -> "Bluesky posts"."""
    where = _where(phrase)
    if where.startswith("a post "):
        return "posts " + where.removeprefix("a post ")
    if where.startswith("a ") and where.endswith(" post"):
        return where.removeprefix("a ") + "s"
    return where
