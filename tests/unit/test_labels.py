"""Conflict labels read from the parse: a short phrase of the sentence's own words naming what a value
measures. Every sentence here is in no packet."""

from __future__ import annotations

import pytest

from newsroom.claims.labels import MAX_WORDS, conflict_label, counted_noun, value_label


@pytest.mark.parametrize(
    ("sentence", "value", "label"),
    [
        ("The county hired 40 deputies over the summer.", "40", "hired deputies"),
        ("Nine patients were discharged on Friday.", "Nine", "patients discharged"),
        ("For renters, the increase is 4.2 percent.", "4.2 percent", "increase for renters"),
        ("The ferry service resumes March 3, the port authority said.", "March 3", "ferry service resumes"),
        ("The deal values the brewery at $85 million.", "$85 million", "deal values brewery"),
        ("It closed a $12 million Series A in May.", "$12 million", "Series A"),
        ("The median price of a condo rose to $410,000.", "$410,000", "median price of condo rose"),
    ],
)
def test_the_label_names_what_the_value_measures(sentence: str, value: str, label: str) -> None:
    assert value_label(sentence, value) == label


def test_labels_stay_short_and_use_only_words_of_the_sentence() -> None:
    sentence = (
        "According to a filing made late on Thursday with the state's public utilities commission, which "
        "regulates the cooperative, the average residential electricity bill for customers in the northern "
        "service territory would rise by 11 percent over two years."
    )
    label = value_label(sentence, "11 percent")
    assert label and len(label.split()) <= MAX_WORDS
    assert all(word.casefold() in sentence.casefold() for word in label.split())


def test_a_value_not_in_the_sentence_gets_no_label() -> None:
    assert value_label("The council met on Tuesday.", "$5 million") == ""


def test_the_label_most_statements_give_wins() -> None:
    statements = [
        ("The trial enrolled 300 patients.", "300"),
        ("Researchers enrolled 320 patients at four hospitals.", "320"),
        ("About 300 people joined the study.", "300"),
    ]
    assert conflict_label(statements) == "enrolled patients"


@pytest.mark.parametrize(
    ("sentence", "value", "noun"),
    [
        ("The hearing ran past midnight after a nine-hour debate.", "nine", "hour"),
        ("Plans call for a 44-story office tower.", "44", "story"),
        ("The measure passed with 61 votes in favor.", "61", "vote"),
        ("The district will lay off 35 teachers.", "35", "teacher"),
        ("The ferry carried 212 on its last trip.", "212", ""),
    ],
)
def test_a_count_counts_the_noun_it_qualifies(sentence: str, value: str, noun: str) -> None:
    assert counted_noun(sentence, value) == noun


def test_counts_of_different_things_are_never_paired() -> None:
    from newsroom.claims.pairing import pair_values
    from newsroom.claims.readings import value_readings
    from newsroom.embedding import embed

    readings = value_readings(1, "The tower will rise 38 stories above the waterfront.") + value_readings(
        2, "The tower was approved in a 7-2 vote after 11 speakers addressed the council."
    )
    stories = next(i for i, r in enumerate(readings) if r.mention.text == "38")
    speakers = next(i for i, r in enumerate(readings) if r.mention.text == "11")
    assert readings[stories].unit == "story" and readings[speakers].unit == "speaker"
    assert (stories, speakers) not in pair_values(readings, embed)
