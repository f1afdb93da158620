"""What code reads about named parties: which party a sentence gives a role (investor, buyer, winner...).

A verb's party is its subject ("Meridian Homes bought"), unless a preposition hands it over ("sold to X",
"led by X", "offer from X"); a noun's party stands next to it ("the bill's sponsor, Sen. Amara Okafor").
"""

from __future__ import annotations

import re

from newsroom.claims.injections import find_injection
from newsroom.claims.lexicon_en import (
    HAND_OVER,
    NAME_LINKS,
    NOUN_CUE_ENDINGS,
    NOUN_CUES_TOO,
    ONLY_HANDED_OVER,
    OPENERS,
    ROLE_CUES,
    SKIP,
    TITLES,
)
from newsroom.claims.text import SENTENCES, WINDOW
from newsroom.claims.types import PartyReading

_CUE = {w: role for role, words in ROLE_CUES.items() for w in words.split()}
_NOUN_CUES = {w for w in _CUE if w.endswith(NOUN_CUE_ENDINGS) or w in NOUN_CUES_TOO}
_TOKEN = re.compile(r"[A-Za-z][\w'&.-]*|\d[\d,.]*|[,;:()]")


def _name_runs(tokens: list[str], first: int) -> list[tuple[int, int]]:
    """Spans [start, end) of capitalised names; a sentence's first word counts only before another capital."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t[0].isupper() and (i != first or t.lower() not in OPENERS):
            j = i + 1
            while j < len(tokens) and (
                tokens[j][0].isupper()
                or (tokens[j] in NAME_LINKS and j + 1 < len(tokens) and tokens[j + 1][0].isupper())
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
    while words and (words[0].lower().strip(".") in TITLES or words[0].lower() in OPENERS):
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
            if tok.lower() in ONLY_HANDED_OVER and not _handed_over(tokens, c):
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


def _handed_over(tokens: list[str], c: int) -> int | None:
    """The index of 'by', 'to' or 'from' that hands a cue's role to what follows ("sold to X"), if any."""
    nxt = next((i for i in range(c + 1, min(c + 4, len(tokens))) if tokens[i].lower() in HAND_OVER), None)
    if nxt is not None and all(t.lower() in SKIP for t in tokens[c + 1 : nxt]):
        return nxt
    return None


def _party_for(tokens: list[str], runs: list[tuple[int, int]], c: int, cue: str) -> list[tuple[int, int]]:
    def after(start: int, reach: int) -> list[tuple[int, int]]:
        for k, (s, _e) in enumerate(runs):
            if start <= s <= start + reach and all(
                t.lower() in SKIP or t.lower() in TITLES for t in tokens[start:s]
            ):
                return _list_from(runs, k, tokens, +1)
        return []

    def before(reach: int) -> list[tuple[int, int]]:
        # the party is the subject: only function words stand between it and the cue
        for k in range(len(runs) - 1, -1, -1):
            _, e = runs[k]
            if e <= c:
                if c - e <= reach and all(t.lower() in SKIP for t in tokens[e:c]):
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
