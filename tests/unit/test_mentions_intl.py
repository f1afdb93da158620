"""Values written as other languages write them: read into the values their English twins are, and English
records read as before."""

from __future__ import annotations

import pytest

from newsroom.claims.language import record_language
from newsroom.claims.mentions import extract_mentions, same_value
from newsroom.claims.values import typed_value


def _read(text: str) -> list[tuple[str, str, float]]:
    lang = record_language(text)
    return [(m.kind, m.text.strip(), m.low) for m in extract_mentions(text, lang) if m.kind != "year"]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("知情人士称，这家公司完成了74亿美元的新一轮融资，由多家机构参与。", "money", 7.4e9),
        ("该公司去年的营收为7.4亿元人民币，比前一年增长了一倍以上。", "money", 7.4e8),
        ("报道称，这轮融资金额约为1.5万亿日元，引起了市场的广泛关注。", "money", 1.5e12),
        ("同社は今回の資金調達で1兆2000億円を集めたと発表した。関係者が明らかにした。", "money", 1.2e12),
        ("同社は74億ドルを調達したと発表した。関係者が明らかにした。", "money", 7.4e9),
        ("Das Unternehmen hat in der jüngsten Finanzierungsrunde 7,4 Mrd. € eingesammelt.", "money", 7.4e9),
        (
            "L'entreprise a levé 7,4 milliards d'euros lors de ce dernier tour de table, selon ses dirigeants.",
            "money",
            7.4e9,
        ),
        (
            "La empresa recaudó 7.400 millones de euros en la última ronda, según fuentes cercanas.",
            "money",
            7.4e9,
        ),
        (
            "Le chiffre d'affaires a atteint 1.234,5 millions d'euros l'an dernier, selon le rapport annuel.",
            "money",
            1.2345e9,
        ),
        (
            "Le groupe emploie désormais 7 400 000 personnes dans le monde entier, selon le rapport annuel.",
            "number",
            7.4e6,
        ),
        (
            "Les ventes ont progressé de 12,5 % sur un an, a indiqué la direction du groupe vendredi.",
            "percent",
            12.5,
        ),
    ],
)
def test_a_value_written_in_another_language_is_read_as_its_english_twin(
    text: str, kind: str, value: float
) -> None:
    found = [(k, v) for k, _, v in _read(text)]
    assert (kind, pytest.approx(value)) in found


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("公司于2025年3月12日宣布完成融资，投资者包括多家国有基金和私人机构。", (2025, 3, 12)),
        ("Le tour de table a été bouclé le 12 mars 2025, selon les documents déposés.", (2025, 3, 12)),
        (
            "Die Finanzierungsrunde wurde am 12. März 2025 abgeschlossen, teilte das Unternehmen mit.",
            (2025, 3, 12),
        ),
        ("La ronda se cerró el 12 de marzo de 2025, según los documentos presentados ayer.", (2025, 3, 12)),
    ],
)
def test_a_localized_date_is_read(text: str, date: tuple[int, int, int]) -> None:
    dates = [m.date for m in extract_mentions(text, record_language(text)) if m.kind == "date"]
    assert date in dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English records keep their format: a comma groups thousands, a dot is a decimal point
        ("The company hired 1,234 engineers last year, its filing shows.", [("number", "1,234", 1234.0)]),
        ("Shares rose 1.234 points after the close on Friday, traders said.", [("number", "1.234", 1.234)]),
        (
            "It raised $7.4 billion, up 12.5% from the previous round.",
            [("money", "$7.4 billion", 7.4e9), ("percent", "12.5%", 12.5)],
        ),
        (
            "In 2024 300 people applied for 12 jobs at the plant, officials said.",
            [("number", "300", 300.0), ("number", "12", 12.0)],
        ),
        ("The council met on March 12, 2025, and voted 7-2 to approve the plan.", []),
    ],
)
def test_an_english_record_reads_as_it_always_did(text: str, expected: list[tuple[str, str, float]]) -> None:
    assert record_language(text) == "en"
    got = [r for r in _read(text) if r[0] not in ("date", "tally")]
    assert got == expected


def test_a_chinese_and_an_english_amount_are_one_value_and_a_different_one_is_not() -> None:
    zh = extract_mentions("完成74亿美元融资", "zh")[0]
    assert same_value(zh, extract_mentions("raised $7.4 billion")[0])
    assert not same_value(zh, extract_mentions("raised $6.8 billion")[0])
    # 7.4亿 is 740 million, not 7.4 billion
    assert not same_value(extract_mentions("7.4亿美元", "zh")[0], extract_mentions("$7.4 billion")[0])


def test_a_fact_value_is_read_in_its_record_language() -> None:
    assert typed_value("1.234,5", lang="de")[1].low == pytest.approx(1234.5)  # type: ignore[index]
    assert typed_value("1,234")[1].low == pytest.approx(1234.0)  # type: ignore[index]
    assert typed_value("1,234", lang="fr")[1].low == pytest.approx(1.234)  # type: ignore[index]


def test_the_language_of_a_record() -> None:
    assert record_language("深度求索(DeepSeek)周二表示，公司完成了新一轮融资。") == "zh"
    assert record_language("DeepSeekは火曜日、新たな資金調達を完了したと発表した。") == "ja"
    assert record_language("Das Unternehmen hat die Finanzierungsrunde am Dienstag abgeschlossen.") == "de"
    assert record_language("The company closed its funding round on Tuesday, people said.") == "en"
    assert record_language("$7.4bn") == "en"  # too few letters to tell: English, as before


def test_chinese_and_japanese_sentences_end_at_their_full_stops() -> None:
    from newsroom.claims.text import sentences

    assert sentences("公司完成了融资。估值为300亿美元！还有吗？") == [
        "公司完成了融资。",
        "估值为300亿美元！",
        "还有吗？",
    ]
    assert sentences("Sen. Amara Okafor spoke. It rained.") == ["Sen. Amara Okafor spoke.", "It rained."]


def test_an_english_amount_that_only_looks_european_is_left_as_english() -> None:
    # "millions" alone follows a number in English too; only "millions d'euros" is French whatever the record
    assert typed_value("1,500 millions of users")[1].low == pytest.approx(1500.0)  # type: ignore[index]
    assert typed_value("42 millions d'euros")[1].low == pytest.approx(42e6)  # type: ignore[index]
    assert typed_value("36 Mio. Euro")[1].low == pytest.approx(36e6)  # type: ignore[index]
