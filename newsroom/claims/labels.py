"""What a value measures, as a short noun phrase an editor can read ("Series B", "new rates take effect").

Read from spaCy's dependency parse of the value's own sentence, never from a word list: the value's head is
followed to the word it qualifies (a count's noun, a copula's subject, a preposition's head, a verb's
subject and object), and that word's phrase, without the value and without articles, is the label. Labels
are at most `MAX_WORDS` words, all of them words of the sentence.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsroom.claims.nlp import parse

MAX_WORDS = 6
_QUALIFIES = {"nummod", "quantmod", "compound", "amod", "nmod", "poss", "npadvmod"}
_MODIFIERS = {"compound", "amod", "nmod", "poss"}
_COPULA = {"attr", "acomp", "oprd"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_NOUNS = {"NOUN", "PROPN"}


def value_label(sentence: str, value: str) -> str:
    """The label for `value` as `sentence` states it; "" when the parse gives nothing readable."""
    doc = parse(sentence)
    span = _locate(doc, value)
    if span is None:
        return ""
    inside = {t.i for t in span}
    head = span.root
    words: list[Any] = []
    if head.dep_ in _QUALIFIES and head.head.i not in inside and head.head.pos_ in _NOUNS:
        noun = head.head
        words = _noun_phrase(noun, inside)
        if noun.dep_ in _SUBJECTS and noun.head.pos_ in ("VERB", "AUX") and len(words) <= 2:
            words = [*words, *_predicate(noun.head, inside | {t.i for t in words})]
        elif noun.dep_ == "dobj" and noun.pos_ == "NOUN" and len(words) <= 2:
            words = [noun.head, *words]  # "enrolled … patients"
    elif head.dep_ in _COPULA:
        subject = _child(head.head, _SUBJECTS)
        if subject is not None and subject.pos_ != "PRON":
            words = _noun_phrase(subject, inside)
            if len(words) <= 2:  # "the increase for homeowners is …"
                words += _prep_phrase(head.head, inside)
    elif head.dep_ == "pobj" and head.head.dep_ == "prep":
        governor = head.head.head
        if governor.pos_ in _NOUNS and governor.i not in inside:
            words = _noun_phrase(governor, inside)
        elif governor.pos_ in ("VERB", "AUX"):
            words = _clause(governor, inside)
    elif head.head.pos_ in ("VERB", "AUX") and head.head.i not in inside:
        words = _clause(head.head, inside)
    return _tidy(words)


def counted_noun(sentence: str, value: str) -> str:
    """What a count counts, from the parse: the noun the number qualifies ("38-story tower" -> "story",
    "seven votes" -> "vote", "a five-hour hearing" -> "hour"); "" when it qualifies none."""
    span = _locate(parse(sentence), value)
    if span is None:
        return ""
    head = span.root
    while head.dep_ in ("compound", "quantmod") and head.head.i in {t.i for t in span}:
        head = head.head
    if head.dep_ in ("nummod", "quantmod", "compound") and head.head.pos_ == "NOUN":
        return str(head.head.lemma_).lower()
    return ""


def conflict_label(statements: list[tuple[str, str]]) -> str:
    """One label for a fact stated in several (sentence, value) pairs: the label most of them give (the
    shorter on a tie); "" when none gives one."""
    labels = [label for sentence, value in statements if (label := value_label(sentence, value))]
    if not labels:
        return ""
    counts = Counter(label.casefold() for label in labels)
    return min(labels, key=lambda lab: (-counts[lab.casefold()], len(lab.split()), lab))


def _locate(doc: Any, value: str) -> Any:
    value = value.strip()
    if not value:
        return None
    at = doc.text.find(value)
    if at < 0:
        at = doc.text.casefold().find(value.casefold())
    if at < 0:
        return None
    return doc.char_span(at, at + len(value), alignment_mode="expand")


def _child(token: Any, deps: set[str]) -> Any:
    return next((c for c in token.children if c.dep_ in deps), None)


def _noun_phrase(noun: Any, skip: set[int]) -> list[Any]:
    """The noun with its modifiers (not articles, not numbers, not the value), and an "of" phrase after it."""
    left = [
        t
        for t in noun.subtree
        if t.i < noun.i and t.dep_ in _MODIFIERS and t.head.i in {noun.i} | {x.i for x in noun.lefts}
    ]
    kept = sorted(
        (t for t in left if t.i not in skip and not t.like_num and t.pos_ != "SYM"), key=lambda t: t.i
    )
    words = [*kept, noun]
    for of in (c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"):
        target = _child(of, {"pobj"})
        if target is not None and target.i not in skip and target.pos_ in _NOUNS:
            words += [of, *[t for t in _noun_phrase(target, skip) if t.i > of.i]]
        break
    return words


def _predicate(verb: Any, skip: set[int]) -> list[Any]:
    """The verb with its particle and object: "needed treatment", "take effect"."""
    words = [verb]
    for c in verb.rights:
        if c.i in skip:
            continue
        if c.dep_ == "prt":
            words.append(c)
        elif c.dep_ == "dobj" and c.pos_ in _NOUNS:
            words += _noun_phrase(c, skip)
            break
    return words


def _prep_phrase(verb: Any, skip: set[int]) -> list[Any]:
    """A "for …", "of …" or "in …" phrase on the verb, when it names a noun: who or what a figure is for."""
    for c in verb.children:
        target = _child(c, {"pobj"}) if c.dep_ == "prep" and c.lower_ in ("for", "of", "in") else None
        if target is not None and target.pos_ in _NOUNS and target.i not in skip:
            return [c, *_noun_phrase(target, skip)]
    return []


def _clause(verb: Any, skip: set[int]) -> list[Any]:
    """Who did what, around a value attached to a verb: "new rates take effect", "financing values company"."""
    subject = _child(verb, _SUBJECTS)
    if subject is None and verb.dep_ in ("xcomp", "ccomp"):  # "the plant is projected to generate …"
        subject = _child(verb.head, _SUBJECTS)
    words = _noun_phrase(subject, skip) if subject is not None and subject.pos_ in _NOUNS else []
    return [*words, *_predicate(verb, skip | {t.i for t in words})]


def _tidy(tokens: list[Any]) -> str:
    ordered = list({t.i: t for t in tokens}.values())  # parts come in reading order; each part is sorted
    words = [
        w if t.pos_ == "PROPN" or w.isupper() else w.lower()
        for t in ordered
        if t.pos_ not in ("DET", "PUNCT") and (w := t.text.strip(".,;:!?\"'()[]"))
    ]
    return " ".join(words[-MAX_WORDS:])
