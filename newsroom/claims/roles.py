"""Which role a named party plays, read from spaCy's entities and dependency parse, whatever the wording.

A role is named by a noun the party stands in for: "serves as general contractor", "has been named general
contractor", "the study's lead author, Ines Marchetti", "lead author Ines Marchetti", "Castellan, the
stalking-horse bidder"; or by what the party does to a thing: "Hulls will be built by X", "X, which will
fabricate the hulls", "X will build the hulls". The role's key is the lemma of that noun (a role noun, or
the thing acted on), so "general contractor" meets "contractor" and "built the hulls" meets "fabricate the
aluminum hulls". Two records giving different parties one role are a disagreement about who plays it
(newsroom/claims/conflicts.py decides); words that only say what kind of party it is ("firm", "company")
name no role.
"""

from __future__ import annotations

from typing import Any

from newsroom.claims.injections import find_injection
from newsroom.claims.lexicon_en import KIND_NOUNS, SPEECH_VERBS
from newsroom.claims.nlp import parse_many
from newsroom.claims.text import SENTENCES, WINDOW
from newsroom.claims.types import PartyReading

# The small model's entity types are often wrong ("Tobiah Okafor" as a place), so any named entity that is
# not a quantity may be a party; a role must still be read for it.
QUANTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL"})
_ROLE_DEPS = {"compound", "amod", "nmod"}


def role_readings(n: int, text: str, exclude: frozenset[str]) -> list[PartyReading]:
    """Every named party a sentence gives a role, as readings with role `parse:<key>`."""
    kept = [s for s in SENTENCES.split(text) if s.strip() and not find_injection(s)]
    out: list[PartyReading] = []
    for sentence, doc in zip(kept, parse_many(kept), strict=True):
        for ent in doc.ents:
            if ent.label_ in QUANTITIES or ent.root.pos_ != "PROPN" or _excluded(ent.text, exclude):
                continue
            name = ent.text.removesuffix("'s").strip()
            masked = sentence.replace(ent.text, "<party>")
            words = masked.split()
            at = next((i for i, w in enumerate(words) if "<party>" in w), 0)
            window = " ".join(words[max(0, at - WINDOW) : at + WINDOW + 1])
            for key in dict.fromkeys(k for k in _roles_of(ent) if k):
                out.append(PartyReading(n, f"parse:{key}", (name,), sentence.strip(), window))
    return out


def role_label(key: str) -> str:
    """The label of a role conflict: "who is the contractor", "who works on the hull"."""
    kind, _, word = key.partition(":")
    return f"who is the {word}" if kind == "noun" else f"whose {word} it is" if kind == "of" else ""


def _excluded(name: str, exclude: frozenset[str]) -> bool:
    return bool({w.casefold().strip(".,'") for w in name.split()} & exclude)


def _roles_of(ent: Any) -> list[str]:
    root = ent.root
    inside = {t.i for t in ent}
    keys: list[str] = []
    # "the study's lead author, Ines Marchetti" / "Castellan, the stalking-horse bidder" / "X, 58, a
    # professor … and the study's lead author"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i not in inside:
        keys.append(_noun_key(root.head))
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            keys += [_noun_key(child)] + [_noun_key(c) for c in child.children if c.dep_ == "conj"]
    # "lead author Ines Marchetti", "sensor maker Optiline"
    titles = [t for t in root.lefts if t.i not in inside and t.dep_ in _ROLE_DEPS and t.pos_ == "NOUN"]
    if titles:
        keys.append(_noun_key(titles[-1]))
    # a party named in apposition stands where its noun stands: "an inquiry led by its chief engineer, X"
    for at in (root, root.head) if root.dep_ == "appos" else (root,):
        keys += _verb_roles(at, inside)
    return keys


def _verb_roles(root: Any, inside: set[int]) -> list[str]:
    """Roles a party gets from where it stands to a verb or a noun (see the module's docstring)."""
    keys: list[str] = []
    verb = root.head
    # "X will serve as general contractor", "X has been named general contractor", "X is the lead author"
    if root.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
        for child in verb.children:
            if child.dep_ in ("attr", "oprd") and child.pos_ == "NOUN":
                keys.append(_noun_key(child))
            if child.dep_ == "prep" and child.lower_ == "as":
                keys += [_noun_key(c) for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
        # "X will build the hulls"
        keys += [
            k for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN" for k in _thing_keys(c, verb)
        ]
    if root.dep_ in ("dobj", "oprd") and verb.pos_ == "VERB":
        # "the county named X its auditor"
        keys += [
            _noun_key(c)
            for c in verb.children
            if c.dep_ in ("oprd", "attr") and c.pos_ == "NOUN" and c.i != root.i
        ]
        # "Varrick hired X to run the cleanup"
        for xcomp in (c for c in verb.children if c.dep_ == "xcomp"):
            keys += [
                k
                for c in xcomp.children
                if c.dep_ == "dobj" and c.pos_ == "NOUN"
                for k in _thing_keys(c, verb)
            ]
    if root.dep_ == "pobj" and root.head.dep_ in ("agent", "prep"):
        prep, governor = root.head, root.head.head
        if prep.lower_ == "by":
            # "Hulls will be built by X"; "an inquiry led by X", "Senate Bill 308, sponsored by X"
            things = [c for c in governor.children if c.dep_ == "nsubjpass" and c.pos_ in ("NOUN", "PROPN")]
            if not things and governor.dep_ == "acl" and governor.head.pos_ in ("NOUN", "PROPN"):
                things = [governor.head]
            keys += [k for t in things for k in _thing_keys(t, governor)]
        elif prep.lower_ in ("with", "to", "from", "for") and governor.pos_ == "NOUN":
            # "a design-build deal with X", "cleanup crews from X"
            keys += _thing_keys(governor, governor)
    # "X, which will fabricate the hulls"
    for child in root.children:
        if child.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.tag_ == "WDT" for c in child.children):
            keys += [
                k
                for c in child.children
                if c.dep_ == "dobj" and c.pos_ == "NOUN"
                for k in _thing_keys(c, child)
            ]
    return keys


def _noun_key(noun: Any) -> str:
    """A role only one party can hold: "the lead author", "general contractor" — not "a professor" (one of
    many) or "backers" (several)."""
    lemma = str(noun.lemma_).lower()
    shared = noun.tag_ in ("NNS", "NNPS") or any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "another", "one", "some") for c in noun.children
    )
    return "" if lemma in KIND_NOUNS or shared else f"noun:{lemma}"


def _thing_keys(thing: Any, verb: Any) -> list[str]:
    """What a party does something to, by its noun and the nouns compounded with it ("transition team":
    team, transition), unless the verb only speaks of it ("confirmed the sale")."""
    if str(verb.lemma_).lower() in SPEECH_VERBS:
        return []
    words = [c for c in thing.lefts if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")] + [thing]
    keys = []
    for word in words:
        lemma = str(word.lemma_).lower()
        if word.pos_ == "PROPN" and lemma.endswith("s") and not lemma.endswith("ss") and len(lemma) > 3:
            lemma = lemma[:-1]  # a capitalised "Hulls" opening a sentence keeps its plural as its lemma
        if lemma not in KIND_NOUNS and lemma.isalpha():
            keys.append(f"of:{lemma}")
    return keys
