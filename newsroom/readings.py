"""What code reads from source sentences for the conflict pass: values with their context, parties with roles.

Two records disagree when they state different values *for the same thing*. Code decides "the same thing"
from evidence it can see: the kind of value, what a count counts ("187 residents" ~ "214 residents"),
the order of magnitude, a per-unit rate ("$34 a share" is no valuation), and how alike the words around
the values read — each value is paired with its closest counterpart in every other record, both ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from newsroom.verify import Mention, extract_mentions, find_injection, is_correction, retracted_mentions

_ABBREVIATIONS = (
    "Sen",
    "Rep",
    "Gov",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Prof",
    "St",
    "Jr",
    "Sr",
    "Inc",
    "Corp",
    "Co",
    "No",
    "Lt",
    "Gen",
)
# A sentence ends at . ! ? before a capital, except after a title or abbreviation ("Sen. Amara Okafor").
SENTENCES = re.compile(
    r"(?<=[.!?])" + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS) + r"\s+(?=[A-Z\"'(])"
)
_WINDOW = 6  # words either side of a value that say what it is
_MIN_SIMILARITY = 0.30  # sentence or window similarity for each other's closest counterparts
_MIN_SIMILARITY_BARE = 0.45  # a bare count ("about 40") names nothing it counts: its words must agree more
_MIN_SIMILARITY_SAME_UNIT = 0.20  # "187 residents" and "214 residents" need less of the rest to agree
_MAX_RATIO = 10.0  # reports of one quantity do not differ tenfold
_UNIT_SIMILARITY = 0.6  # "employees" ~ "workers" ~ "staff"
_MEASURES = {
    "year",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "light-year",
    "mile",
    "kilometer",
    "km",
}
_IRREGULAR_UNITS = {"people", "staff", "personnel", "children", "men", "women", "police"}
_IDENTIFIER = re.compile(
    r"(?:\b[A-Z]{2,}|\b(?i:phase|route|ward|district|section|article|chapter|stage|level|grade|tier|page|line|"
    r"bill|number|no\.|room|gate|flight|proposition|measure|item|lot|unit|precinct))\s*$"
)
_RATE = re.compile(r"^\s*-?\s*(?:a|an|per|each)[\s-]+([a-z]+)", re.I)


@dataclass(frozen=True)
class ValueReading:
    """One value in one record's sentence, with what code can tell about what it measures."""

    n: int
    mention: Mention
    sentence: str
    masked: str
    window: str
    unit: str  # what a count counts, or "per share"-style rate for money; "" when unseen


# What an amount measures, when the words around it say: a valuation is not the sum raised.
_MONEY_MEASURES = {
    "valuation": re.compile(r"\b(?:valu(?:ed|es|ing|ation|ations))\b", re.I),
    "revenue": re.compile(r"\b(?:revenues?|sales|turnover)\b", re.I),
    "profit": re.compile(r"\b(?:profits?|earnings|net income|net loss)\b", re.I),
}


def _unit(kind: str, after: str, window: str = "") -> str:
    rate = _RATE.match(after)
    if kind == "money":
        if rate:
            return f"per {rate.group(1).lower()}"
        return next((f"as {name}" for name, cue in _MONEY_MEASURES.items() if cue.search(window)), "")
    if kind != "number":
        return ""
    m = re.match(r"\s*([A-Za-z][a-z-]+)", after)
    if not m:
        return ""
    word = m.group(1).lower()
    if word in _IRREGULAR_UNITS:
        return word
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return ""


def value_readings(n: int, text: str) -> list[ValueReading]:
    """Every number, amount, percentage, tally and date in a record, one reading per value."""
    out = []
    # what a correction withdraws is not something it states
    withdrawn = {(m.kind, m.text) for m in retracted_mentions(text)} if is_correction(text) else set()
    for sentence in SENTENCES.split(text):
        if find_injection(sentence):
            continue  # text addressed to an AI is not evidence
        mentions = [
            m for m in extract_mentions(sentence) if m.kind != "year" and (m.kind, m.text) not in withdrawn
        ]
        masked = sentence
        for m in mentions:
            masked = masked.replace(m.text.strip(), "<value>", 1)
        words = masked.split()
        slots = [i for i, w in enumerate(words) if "<value>" in w]
        for k, m in enumerate(mentions):
            if m.kind == "number" and _IDENTIFIER.search(sentence[: m.start]):
                continue  # "phase 3", "SB 212", "Route 9" name things; they count nothing
            at = slots[k] if k < len(slots) else 0
            window = " ".join(words[max(0, at - _WINDOW) : at + _WINDOW + 1])
            after = sentence[m.start + len(m.text) :]
            out.append(ValueReading(n, m, sentence.strip(), masked, window, _unit(m.kind, after, window)))
    return out


def _magnitude_ok(a: Mention, b: Mention) -> bool:
    if a.kind not in ("money", "number"):
        return True
    x, y = abs(a.high) or 1e-9, abs(b.high) or 1e-9
    return max(x, y) / min(x, y) <= _MAX_RATIO


def pair_values(
    readings: list[ValueReading], embed: Callable[[list[str]], np.ndarray]
) -> set[tuple[int, int]]:
    """Pairs (i, j) of readings in different records that state a value for the same thing."""
    if not readings:
        return set()
    sent = embed([r.masked for r in readings])
    win = embed([r.window for r in readings])
    sim = np.maximum(sent @ sent.T, win @ win.T)
    units = sorted({r.unit for r in readings if r.unit and not r.unit.startswith(("per ", "as "))})
    unit_vec = dict(zip(units, embed(units), strict=True)) if units else {}

    def same_unit(a: str, b: str) -> bool | None:
        """True/False when both name a unit; None when either does not."""
        money = ("per ", "as ")
        if not a or not b:
            return None if not (a.startswith(money) or b.startswith(money)) else a == b
        if a == b:
            return True
        if a.startswith(money) or b.startswith(money) or a in _MEASURES or b in _MEASURES:
            return False
        return float(unit_vec[a] @ unit_vec[b]) >= _UNIT_SIMILARITY

    def score(i: int, j: int) -> float:
        a, b = readings[i], readings[j]
        if a.n == b.n or a.mention.kind != b.mention.kind or not _magnitude_ok(a.mention, b.mention):
            return -1.0
        unit = same_unit(a.unit, b.unit)
        if unit is False:
            return -1.0
        bare = a.mention.kind == "number" and not (a.unit and b.unit)
        floor = _MIN_SIMILARITY_SAME_UNIT if unit else _MIN_SIMILARITY_BARE if bare else _MIN_SIMILARITY
        return float(sim[i, j]) if sim[i, j] >= floor else -1.0

    by_record: dict[int, list[int]] = {}
    for i, r in enumerate(readings):
        by_record.setdefault(r.n, []).append(i)
    best: dict[tuple[int, int], int] = {}  # (reading, other record) -> its best counterpart there
    for i, r in enumerate(readings):
        for n, others in by_record.items():
            if n == r.n:
                continue
            scored = [(score(i, j), j) for j in others]
            top = max(scored, default=(-1.0, -1))
            if top[0] >= 0:
                best[(i, n)] = top[1]
    return {
        (i, j)
        for (i, n), j in best.items()
        if best.get((j, readings[i].n)) == i  # each is the other's closest counterpart
    }


# -- named parties -----------------------------------------------------------------------------

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
                window = " ".join(words[max(0, at - _WINDOW) : at + _WINDOW + 1])
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
