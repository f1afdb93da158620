"""The second lexicon: the words and marks the claims code reads values by in Chinese, Japanese, French,
German, Spanish, Italian and Portuguese (lexicon_en.py holds English's).

The lists only; how they are read is in newsroom/claims/mentions_intl.py.
"""

from __future__ import annotations

import re

# -- which number format a language writes --------------------------------------------------------

# Languages writing a decimal comma and grouping thousands with dots or spaces ("1.234,5", "7 400 000"):
# in their records "1,234" is one and a bit, not one thousand two hundred thirty-four.
DECIMAL_COMMA = frozenset(
    [
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "ca",
        "ru",
        "pl",
        "cs",
        "sk",
        "sl",
        "hr",
        "sr",
        "ro",
        "hu",
        "sv",
        "da",
        "no",
        "nb",
        "fi",
        "tr",
        "id",
        "vi",
        "el",
    ]
)
# Languages where "billion" (billion, Billion, billón) is a million millions, not a thousand millions.
LONG_SCALE = frozenset(
    [
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "ca",
        "pl",
        "cs",
        "sk",
        "sl",
        "hr",
        "ro",
        "hu",
        "sv",
        "da",
        "no",
        "nb",
        "fi",
    ]
)

# The languages a reader is told a source is in (an ISO 639-1 code otherwise).
LANGUAGE_NAMES = {"zh": "Chinese", "ja": "Japanese", "ko": "Korean", "fr": "French", "de": "German",
                  "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "ca": "Catalan",
                  "ru": "Russian"}  # fmt: skip

# A sentence does not end after these ("36 Mio. Euro", "7,4 Mrd. €", "M. Dupont", "Sra. Ruiz").
ABBREVIATIONS = ("Mio", "Mrd", "Md", "Mds", "Tsd", "Nr", "Abs", "bzw", "ca", "Sra", "Mme", "Mlle")

# -- Chinese and Japanese: 74亿美元, 7.4億ドル, 1兆2000億円 -------------------------------------------

CJK_UNITS = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12}
CJK_CURRENCY = "美元|美金|人民币|人民幣|元|港元|港币|日元|日圓|円|欧元|歐元|英镑|英鎊|ドル|米ドル|ユーロ|ポンド|ウォン|韩元"
CJK_CURRENCY_BEFORE = "人民币|人民幣|美元|US\\$|\\$|¥|￥|€|£"
CJK_PERCENT = "%|％|パーセント"
# a count's counter after the number: 名 people, 人, 家 companies, 个/個 items, 件 cases, 台 machines
CJK_COUNTERS = "名|人|家|个|個|件|台|座|次|位|所|户|戸|辆|台|隻|只|架"

# -- European languages: 7,4 Mrd. €, 7,4 milliards d'euros, 1.234,5, 7 400 000 -----------------------

EU_SCALES = {
    "mil millones": 1e9, "mil millón": 1e9, "milliarde": 1e9, "milliarden": 1e9, "milliard": 1e9,
    "milliards": 1e9, "mrd": 1e9, "mrd.": 1e9, "md": 1e9, "mds": 1e9, "md.": 1e9, "mds.": 1e9,
    "miliardo": 1e9, "miliardi": 1e9, "bilhão": 1e9, "bilhões": 1e9, "mil milhões": 1e9,
    "millionen": 1e6, "million": 1e6, "millions": 1e6, "millón": 1e6, "millones": 1e6, "mio": 1e6,
    "mio.": 1e6, "milione": 1e6, "milioni": 1e6, "milhão": 1e6, "milhões": 1e6,
    "billion": 1e12, "billionen": 1e12, "billions": 1e12, "billón": 1e12, "billones": 1e12,
    "mille": 1e3, "mil": 1e3, "tausend": 1e3, "tsd.": 1e3,
}  # fmt: skip
EU_SCALE_WORDS = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(EU_SCALES, key=len, reverse=True)
)
# Scale words and currency phrases no English text writes after a number ("42 millions d'euros", "36 Mio.
# Euro", "9.000 millones de yenes"): an amount written with one is read in the European format in any record.
EU_ONLY_SCALES = (
    r"mil\s+millones|mil\s+milhões|milliards?|milliarden?|mrd\.?|mds?\.?|miliardi|miliardo|bilhões|bilhão|"
    r"millionen|millions(?=\s+d[e'’]\s?)|millones|millón|mio\.?|milioni|milione|milhões|milhão|billones|billionen"
)
EU_CURRENCY = (
    r"€|euros?|Euro|EUR|US-Dollar|Dollar|dollars?|dólares|dólar|yenes|USD|\$|£|livres?(?:\s+sterling)?|"
    r"Pfund|libras?|francs?(?:\s+suisses)?|Franken|CHF|yuans?|Yuan|yens?|Yen|pesos?|reais|real"
)
EU_PERCENT = r"%|pour\s?cent\b|Prozent\b|por\s+ciento\b|per\s?cento\b|por\s+cento\b"
# the little words between an amount and its currency: "d'euros", "de dólares", "di euro"
EU_OF = r"(?:d[e']\s?|di\s+|de\s+)?"

# -- what an amount measures, when the words around it say (lexicon_en.MONEY_MEASURES' twins) -----------

MONEY_MEASURES = {
    "valuation": re.compile(
        r"估值|估价|評価額|時価総額|Bewertung|bewertet|valoris|valoración|valorad|valutazion"
    ),
    "revenue": re.compile(r"营收|營收|营业收入|売上|Umsatz|chiffre d'affaires|ingresos|fatturato|receita"),
    "profit": re.compile(r"利润|淨利|净利|純利益|Gewinn|bénéfice|beneficio|utile"),
}

# -- corrections (lexicon_en.CORRECTION and ERROR_CUE's twins) -------------------------------------------

CORRECTION = re.compile(
    r"\bKorrektur\b|\bBerichtigung\b|\bkorrigiert\b|\bfrüheren Version\b|\brectificatif\b|\berratum\b"
    r"|\bversion précédente\b|\bprécédente version\b|\bnous avons corrigé\b|\bfe de errores\b"
    r"|\bversión anterior\b|\bcorrección\b|更正|勘误|訂正|おわび",
    re.I,
)
ERROR_CUE = re.compile(
    r"\bfrüheren Version\b|\bfälschlich(?:erweise)?\b|\birrtümlich\b|\bhieß es\b|\bversion précédente\b"
    r"|\bprécédente version\b|\bpar erreur\b|\bà tort\b|\bversión anterior\b|\bpor error\b"
    r"|\berróneamente\b|此前报道|误报|错误地|誤って|誤りがありました",
    re.I,
)
