"""What code reads about named parties: which party a sentence gives a role (investor, buyer, winner...).

A verb's party is its subject ("Meridian Homes bought"), unless a preposition hands it over ("sold to X",
"led by X", "offer from X"); a noun's party stands next to it ("the bill's sponsor, Sen. Amara Okafor").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from newsroom.readings import WINDOW, mutual_best
from newsroom.verify import SENTENCES, find_injection

# The roles a named party plays, each under the words (verbs and nouns) reporters use for it.
# A verb's party is its subject ("Meridian Homes bought"), unless a preposition hands it over
# ("sold to X", "led by X", "offer from X"); a noun's party stands next to it ("the sponsor, Sen. X").
_ROLE_CUES = {
    "investor": "invest invests invested investing investor investors investment backer backers backed "
    "funder funders funded financed financing stake stakes",
    "buyer": "buy buys bought buying buyer buyers acquire acquires acquired acquiring acquirer acquisition "
    "purchase purchased purchases purchaser owner owners sold sale sells offer outbid bidder",  # owner: "new owner"
    "winner": "won win wins winner winners beat defeated champion champions victory",
    "scorer": "scored scores scorer goal goals",
    "leader": "led leads leading leader lead",
    "departure": "resigned resigns resignation quit ousted fired dismissed departed",
    "appointee": "appointed appoints named hired elected nominated successor replacement",
    "sponsor": "sponsor sponsors sponsored cosponsor authored author authors introduced",
    "plaintiff": "sued sues plaintiff plaintiffs lawsuit",
    "recipient": "awarded granted recipient recipients",
}
ROLE_LABELS = {
    "investor": "who is investing",
    "buyer": "who is buying",
    "winner": "who won",
    "scorer": "who scored",
    "leader": "who led",
    "departure": "who left",
    "appointee": "who was appointed",
    "sponsor": "who sponsored it",
    "plaintiff": "who sued",
    "recipient": "who received it",
}
_CUE = {w: role for role, words in _ROLE_CUES.items() for w in words.split()}
_HAND_OVER = {"by", "to", "from"}
_NOUN_CUES = {
    w
    for w in _CUE
    if w.endswith(("er", "ers", "or", "ors", "ion", "ions", "ment", "ship", "sale", "offer", "goal", "goals"))
    or w in {"stake", "stakes", "lead", "owner", "owners", "champion", "champions", "victory", "lawsuit"}
}
_TITLES = {
    "sen",
    "senator",
    "rep",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "judge",
    "mayor",
    "coach",
    "gov",
    "president",
}
_LINK = {"of", "de", "da", "van", "von", "&"}
_TOKEN = re.compile(r"[A-Za-z][\w'&.-]*|\d[\d,.]*|[,;:()]")
# Words that may stand between a party and its cue: articles, auxiliaries, "agreed to", "in talks to".
_SKIP = set(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "new",
        "will",
        "would",
        "could",
        "may",
        "might",
        "be",
        "is",
        "was",
        "were",
        "are",
        "has",
        "had",
        "been",
        "have",
        ",",
        "came",
        "come",
        "comes",
        "agreed",
        "as",
        "to",
        "who",
        "which",
        "also",
        "jointly",
        "reportedly",
        "already",
        "now",
        "in",
        "talks",
        "advanced",
        "plans",
        "plan",
        "set",
        "poised",
        "expected",
        "likely",
        "seeking",
        "looking",
        "about",
    ]
)
# A sentence's first word is a name only when it is not one of these ("If Tencent ..." names Tencent).
_OPENERS = set(
    [
        "the",
        "a",
        "an",
        "if",
        "when",
        "while",
        "but",
        "as",
        "after",
        "before",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "under",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "our",
        "we",
        "it",
        "he",
        "she",
        "they",
        "his",
        "her",
        "two",
        "three",
        "four",
        "five",
        "several",
        "some",
        "many",
        "most",
        "all",
        "both",
        "one",
    ]
)


@dataclass(frozen=True)
class PartyReading:
    """The named party (or list of parties) a sentence gives a role to."""

    n: int
    role: str
    names: tuple[str, ...]
    sentence: str
    masked: str  # the words around the party, the party masked


def _name_runs(tokens: list[str], first: int) -> list[tuple[int, int]]:
    """Spans [start, end) of capitalised names; a sentence's first word counts only before another capital."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t[0].isupper() and (i != first or t.lower() not in _OPENERS):
            j = i + 1
            while j < len(tokens) and (
                tokens[j][0].isupper()
                or (tokens[j] in _LINK and j + 1 < len(tokens) and tokens[j + 1][0].isupper())
            ):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _list_from(runs: list[tuple[int, int]], k: int, tokens: list[str], step: int) -> list[tuple[int, int]]:
    """The run at index k and the runs joined to it by 'and' or commas ("X, Y and Z"), going `step` way."""
    out = [runs[k]]
    while 0 <= k + step < len(runs):
        a, b = (runs[k], runs[k + step]) if step > 0 else (runs[k + step], runs[k])
        between = tokens[a[1] : b[0]]
        if not between or any(t not in {",", "and", "&"} for t in between):
            break
        out.append(runs[k + step])
        k += step
    return out


def _display(tokens: list[str], span: tuple[int, int]) -> str:
    words = tokens[span[0] : span[1]]
    while words and (words[0].lower().strip(".") in _TITLES or words[0].lower() in _OPENERS):
        words = words[1:]
    return " ".join(words).removesuffix("'s").strip(".'")


def party_readings(n: int, text: str, exclude: frozenset[str]) -> list[PartyReading]:
    """Every sentence that gives a named party a role: investors, buyers, winners, sponsors, leaders..."""
    out = []
    for sentence in SENTENCES.split(text):
        if find_injection(sentence):
            continue
        tokens = _TOKEN.findall(sentence)
        runs = _name_runs(tokens, 0)
        if not runs:
            continue
        for c, tok in enumerate(tokens):
            role = _CUE.get(tok.lower())
            if role is None or (tok[0].isupper() and c != 0):
                continue
            if tok.lower() in ("owner", "owners") and (c == 0 or tokens[c - 1].lower() != "new"):
                continue  # the owner is who has it; the *new* owner is who bought it
            if tok.lower() in _ONLY_HANDED_OVER and not _handed_over(tokens, c):
                continue  # "X sold" names the seller; only "sold to X" names the buyer
            found = _party_for(tokens, runs, c, tok.lower())
            names = tuple(
                d
                for span in found
                if (d := _display(tokens, span)) and not set(re.findall(r"[\w'.&-]+", d.casefold())) & exclude
            )
            if names:
                masked = sentence
                for name in names:
                    masked = masked.replace(name, "<party>")
                words = masked.split()
                at = next((i for i, w in enumerate(words) if "<party>" in w), 0)
                window = " ".join(words[max(0, at - WINDOW) : at + WINDOW + 1])
                out.append(PartyReading(n, role, names, sentence.strip(), window))
                break  # one role per sentence: the first cue governs
    return out


_ONLY_HANDED_OVER = {"sold", "sells", "sale"}


def _handed_over(tokens: list[str], c: int) -> int | None:
    """The index of 'by', 'to' or 'from' that hands a cue's role to what follows ("sold to X"), if any."""
    nxt = next((i for i in range(c + 1, min(c + 4, len(tokens))) if tokens[i].lower() in _HAND_OVER), None)
    if nxt is not None and all(t.lower() in _SKIP for t in tokens[c + 1 : nxt]):
        return nxt
    return None


def _party_for(tokens: list[str], runs: list[tuple[int, int]], c: int, cue: str) -> list[tuple[int, int]]:
    def after(start: int, reach: int) -> list[tuple[int, int]]:
        for k, (s, _e) in enumerate(runs):
            if start <= s <= start + reach and all(
                t.lower() in _SKIP or t.lower() in _TITLES for t in tokens[start:s]
            ):
                return _list_from(runs, k, tokens, +1)
        return []

    def before(reach: int) -> list[tuple[int, int]]:
        # the party is the subject: only function words stand between it and the cue
        for k in range(len(runs) - 1, -1, -1):
            _, e = runs[k]
            if e <= c:
                if c - e <= reach and all(t.lower() in _SKIP for t in tokens[e:c]):
                    return list(reversed(_list_from(runs, k, tokens, -1)))
                return []
        return []

    nxt = _handed_over(tokens, c)
    if nxt is not None:
        return after(nxt + 1, 2)
    if cue in _NOUN_CUES:
        # a name right against a plural role noun qualifies it ("Western investors"), it is not the party
        return after(c + 1, 4) or [r for r in before(3) if not (r[1] == c and cue.endswith("s"))]
    return before(6)


def pair_parties(
    readings: list[PartyReading], embed: Callable[[list[str]], np.ndarray], floor: float
) -> dict[tuple[int, int], float]:
    """Pairs (i, j) of readings in different records that give one role, each the other's closest."""
    if not readings:
        return {}
    vecs = embed([r.masked for r in readings])
    sims = vecs @ vecs.T

    def score(i: int, j: int) -> float:
        same = readings[i].role == readings[j].role and sims[i, j] >= floor
        return float(sims[i, j]) if same else -1.0

    return mutual_best([r.n for r in readings], score)
