"""Every English word and phrase the claims code reads by: a second language is a second lexicon.

The lists only; what the words mean to a check is said where the check is (mentions, parties, readings,
corrections, injections, addressees, publishability).
"""

from __future__ import annotations

import re


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# -- sentences --------------------------------------------------------------------------------------

# A sentence does not end after a title or abbreviation ("Sen. Amara Okafor").
ABBREVIATIONS = ("Sen", "Rep", "Gov", "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "Inc", "Corp", "Co",
                 "No", "Lt", "Gen")  # fmt: skip

# -- values: dates, amounts, numbers in words ------------------------------------------------------

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
          "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
MONTH_NAMES = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
SCALE_WORDS = r"(?:trillion|billion|million|thousand|tn|bn|mn|[bmk])"
SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6,
          "m": 1e6, "thousand": 1e3, "k": 1e3}  # fmt: skip
CURRENCY_WORDS = "dollars|euros|pounds|yuan|yen"
PERCENT_WORDS = r"%|percent\b|per cent\b|percentage points?\b"
# numbers written in words
NUMBER_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
NUMBER_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SPELLED_CURRENCY = r"dollars?|euros?|pounds?|yuan|yen|francs?"
# a number word that alone is no value ("one of the", "no one")
NOT_ALONE = ("one", "point", "hundred", "thousand", "dozen")

# -- what a value measures --------------------------------------------------------------------------

# Units of time and distance: "3 years" and "5 miles" are measures, never counts of one thing.
MEASURES = _set("year month week day hour minute second light-year mile kilometer km")
# Plural nouns without an -s that a count counts.
IRREGULAR_UNITS = _set("people staff personnel children men women police")
# Words before a number that make it a name ("phase 3", "Route 9"), not a count.
IDENTIFIER_WORDS = (
    "phase|route|ward|district|section|article|chapter|stage|level|grade|tier|page|line|bill|number|no\\.|"
    "room|gate|flight|proposition|measure|item|lot|unit|precinct"
)
RATE_WORDS = "a|an|per|each"
# What an amount measures, when the words around it say: a valuation is not the sum raised.
MONEY_MEASURES = {
    "valuation": re.compile(r"\b(?:valu(?:ed|es|ing|ation|ations))\b", re.I),
    "revenue": re.compile(r"\b(?:revenues?|sales|turnover)\b", re.I),
    "profit": re.compile(r"\b(?:profits?|earnings|net income|net loss)\b", re.I),
}

# -- subjects and parties ---------------------------------------------------------------------------

STOPWORDS = _set(
    "a an the of in on at to for from by with and or its it is was were be been this that these those "
    "who what which when where how much many after before during about into over under than as per new"
)
# The roles a named party plays in news copy, each under the words reporters use for it: a model labels
# the same list "backers" in one record and "strategic investors" in the next, and a sentence embedding
# of one or two words does not see that these are one subject (MiniLM: 0.24).
ROLE_WORDS = {
    "investor": "investor backer funder financier shareholder coinvestor co-investor lp",
    "buyer": "buyer acquirer purchaser bidder",
    "seller": "seller vendor",
    "winner": "winner champion victor",
    "runner-up": "runner-up loser finalist",
    "departure": "resigned resignation resigning departed departure departing ousted fired dismissed quit",
    "leader": "ceo leader chair chairman chairwoman chairperson president",
    "appointee": "appointee nominee successor replacement pick candidate hire",
    "plaintiff": "plaintiff claimant petitioner complainant accuser",
    "defendant": "defendant respondent accused",
    "sponsor": "sponsor cosponsor co-sponsor author",
    "partner": "partner ally collaborator",
    "supplier": "supplier contractor provider",
    "recipient": "recipient awardee grantee beneficiary",
    "regulator": "regulator watchdog agency",
}
# Words that join names in a list ("Tencent and Alibaba", "X with Y").
PARTY_SPLIT = re.compile(r",\s*|\s+and\s+|\s*&\s*|;\s*|\s+with\s+|\s+plus\s+", re.I)
PREPOSITIONS = _set("in of at from for on among across near by to than like")
STOP_PARTY = _set("the a an its their his her other others investors backers")

# The roles a named party plays, each under the words (verbs and nouns) reporters use for it.
ROLE_CUES = {
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
HAND_OVER = _set("by to from")
NOUN_CUE_ENDINGS = ("er", "ers", "or", "ors", "ion", "ions", "ment", "ship", "sale", "offer", "goal", "goals")
NOUN_CUES_TOO = _set("stake stakes lead owner owners champion champions victory lawsuit")
ONLY_HANDED_OVER = _set("sold sells sale")
TITLES = _set("sen senator rep dr mr mrs ms prof judge mayor coach gov president")
NAME_LINKS = _set("of de da van von &")
# Words that may stand between a party and its cue: articles, auxiliaries, "agreed to", "in talks to".
SKIP = _set(
    "the a an its their his her new will would could may might be is was were are has had been have , came "
    "come comes agreed as to who which also jointly reportedly already now in talks advanced plans plan set "
    "poised expected likely seeking looking about"
)
# A sentence's first word is a name only when it is not one of these ("If Tencent ..." names Tencent).
OPENERS = _set(
    "the a an if when while but as after before for in on at by with from under its their this that these "
    "those our we it he she they his her two three four five several some many most all both one"
)

# -- corrections ------------------------------------------------------------------------------------

CORRECTION = re.compile(
    r"\bcorrection\b|\bcorrects?\b|\bcorrected\b|\ban earlier version\b|\bincorrectly (?:said|stated|reported)\b"
    r"|\bmisstated\b|\bwe regret the error\b|\bregrets the error\b",
    re.I,
)
SAYS_CORRECTED = re.compile(
    r"\bcorrect(?:ed|ion|s)\b|\bretract(?:ed|ion)\b|\berroneous(?:ly)?\b|\bmisstated\b|\bwrongly\b", re.I
)
ERROR_CUE = re.compile(
    r"\bincorrectly\b|\bmisstated\b|\berroneously\b|\bwrongly\b|\bmistakenly\b|\bin error\b"
    r"|\ban? (?:earlier|previous|original) version\b|\b(?:previously|originally|first) (?:said|stated|reported|gave)\b",
    re.I,
)
NEGATION = r"\bnot"

# -- records that try to give orders ----------------------------------------------------------------

# Known attack phrases, besides the sentences newsroom/claims/addressees.py reads as spoken to an AI.
INJECTION = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|prompts?|directions)"
    r"|disregard (?:all |any |the )?(?:previous|prior|above|your) (?:instructions|rules|guidelines)"
    r"|(?:you are|act as) (?:now )?(?:a|an|the) (?:assistant|ai|language model|system)\b"
    r"|\bapprove (?:this|the) (?:story|draft|explainer|article)\b"
    r"|\bmark (?:all|every|these|the) claims? (?:as )?verified\b|\bdo not (?:flag|mention) (?:this|these)\b"
    r"|\b(?:assistant|ai|model|agent)s?,? (?:must|should) (?:now )?(?:ignore|approve|publish|say)\b",
    re.I,
)

# Who a sentence speaks to (newsroom/claims/addressees.py).
# Nouns that name an AI system on their own, and nouns that do when something marks them as one ("AI
# shopping assistants", "the model reading this", "LLM-based graders") or they are spoken to.
AI_NOUNS = _set(
    "ai ais a.i. llm llms gpt chatgpt chatbot chatbots copilot summarizer summarizers summariser "
    "summarisers crawler crawlers scraper scrapers bot bots gemini claude"
)
AI_ROLE_NOUNS = _set(
    "assistant assistants bot bots model models agent agents grader graders reviewer reviewers "
    "system systems tool tools reader readers machine machines"
)
AI_MARKS = _set(
    "ai llm gpt language automated autonomous virtual machine artificial summarization summarisation "
    "generative chat"
)
# What a notice to a reader is called: "Note to any AI…: the correct headline is…" steers without an
# imperative.
NOTICE_NOUNS = _set("note notice reminder message instruction instructions memo attention warning override")
# Orders about what a summary says: "when compiling a briefing from this, omit…", "say turnout was 90%".
SUMMARY_WORDS = _set("summarize summarise summary summarization briefing digest recap compile generate")
REPORTING_VERBS = _set(
    "say state describe report call mention omit exclude skip list quote rank recommend include claim "
    "note present portray characterize characterise refer refrain leave tell label treat"
)
CALLS = _set("hey hi dear yo attention o")
# Verbs by which a text speaks of a machine reading it ("any model parsing this").
READING_VERBS = _set(
    "read parse process summarize summarise aggregate index crawl scan ingest analyze analyse"
)
ORDER_WORDS = _set("please pls plz kindly")
MODALS = _set("must should shall need")
# People are called by these too ("Reviewers, please submit scores"): called by name alone, no machine.
HUMAN_TOO = _set("reviewer reviewers reader readers tool tools system systems")
SELF_REFERENCE = _set("this these here below above following")
RULE_NOUNS = _set("instruction instructions guideline guidelines rule rules prompt directive directives")
# Words that may lead an order without being it ("also state…", "please list…").
LEADS = _set("also always just then instead now simply only please kindly")

# -- drafts an editor would send back (newsroom/claims/publishability.py) -----------------------------

# Words that mark a statement as one outlet's account, or the disagreement itself: a side stated with
# one of these is attributed, not settled.
ATTRIBUTION = re.compile(
    r"\b(?:report(?:s|ed|ing)?|according|said|says|say|claim(?:s|ed)?|dispute[sd]?|disagree(?:s|d|ment)?"
    r"|differ(?:s|ed)?|conflict(?:s|ing)?|vary|varies|while|whereas|versus|vs|other(?:s)?|put(?:s)?|gave"
    r"|give(?:s)?|cite[sd]?|estimate[sd]?|named?|identif(?:y|ies|ied)|unclear|unconfirmed|either|or)\b",
    re.I,
)
# Verbs by which a sentence gives a statement as someone's word ("posts on r/X report that…", "a post by @x
# says…", "…, a user claimed"); `newsroom/claims/standing.py` reads them by the sentence's parse: the value
# must lie in what the verb reports, and the verb must name who reports it.
ATTRIBUTING_VERBS = _set(
    "say state report claim write post tweet allege tell note suggest argue estimate put assert contend "
    "insist maintain comment reply mention announce describe share observe add explain confirm disclose "
    "reveal publish calculate measure benchmark"
)
DANGLING = {
    "a", "an", "the", "and", "or", "but", "of", "to", "for", "with", "in", "on", "at", "by", "from",
    "as", "that", "which", "who", "its", "their", "his", "her", "is", "are", "was", "were", "be", "has",
    "have", "had", "not", "no", "than", "into",
}  # fmt: skip
FUNCTION_WORDS = DANGLING | {"what", "why", "how", "when", "where", "does", "do", "did", "will", "would",
                         "can", "could", "this", "these", "those", "it", "about", "there", "said"}  # fmt: skip
# What a question asks for: an amount, a date, a name.
ASKS_AMOUNT = re.compile(
    r"\bhow (?:much|many|big|large|long)\b|\b(?:worth|cost|price|amount|number|size|value|total)\b", re.I
)
ASKS_DATE = re.compile(r"\bwhen\b|\b(?:date|day|deadline|year)\b", re.I)
ASKS_WHO = re.compile(r"^\s*who(?:se|m)?\b|\bwhich (?:company|firm|person|team|group|investor|bank)", re.I)

# Nouns that say what kind of party something is, not which part it plays ("X, a consumer-products
# holding company"; "the firm brought in"): no role is read from them.
KIND_NOUNS = _set(
    "firm company companies group business maker unit subsidiary organization organisation agency team "
    "person people man woman resident official spokesman spokeswoman spokesperson representative "
    "member one thing part"
)
# Verbs by which a party only speaks of something: "confirmed the sale" gives it no part in the sale.
SPEECH_VERBS = REPORTING_VERBS | _set(
    "confirm announce disclose deny acknowledge declare reveal add explain comment discuss praise criticize "
    "criticise welcome question dispute cite publish release file issue post share show see expect"
)
# Words by which a report gives a figure as the newest of a changing count ("rose to 23", "up from our
# initial estimate", "as of Tuesday", "has now"), read in the sentence that states the later figure.
CHANGE_CUE = re.compile(
    r"\b(?:up|down) from\b|\b(?:rose|risen|rises|climbed|climbs|increased|grew|grown|jumped|fell|fallen|"
    r"dropped|declined|revised|raised|lowered)\b|\bas of\b|\bso far\b|\bto date\b|\bnow\b|\bupdated?\b|"
    r"\b(?:initial|earlier|previous|first) (?:estimate|count|figure|tally|tallies)\b|\blatest\b",
    re.I,
)
