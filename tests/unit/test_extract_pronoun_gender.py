"""A pronoun agrees in gender with the person it stands for: "she said" after a man spoke is
never his (the reader saw women's words under Donald Trump's and Barack Obama's names)."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements
from aggregator.extract.gender import Genders, name_gender, pronoun_gender, words_gender


def _speakers(text: str) -> list[tuple[str | None, str | None]]:
    return [(s.speaker, s.actor) for s in extract_statements(text)]


def test_she_is_the_woman_named_not_the_man_who_spoke_last() -> None:
    text = (
        "Senator Hillary Clinton sat beside the president at the dinner. Barack Obama said "
        'the talks had gone well. "We will not give up on this," she said.'
    )
    assert _speakers(text)[-1] == ("she", "Hillary Clinton")


def test_she_with_no_woman_named_is_no_one_rather_than_the_man() -> None:
    text = 'Barack Obama said the talks had gone well. "We will not give up on this," she said.'
    assert _speakers(text)[-1] == ("she", None)


def test_a_form_of_address_tells_a_gender_the_given_name_does_not() -> None:
    text = (
        "Adaeze Okafor chaired the meeting. Ms. Okafor later joined the delegation. Thomas "
        'Verlind said the plan was sound. "It is not enough," she said.'
    )
    assert _speakers(text)[-1] == ("she", "Adaeze Okafor")


def test_a_person_of_unknown_gender_agrees_with_either_pronoun() -> None:
    text = 'Jordan Reyes said the vote would be close. "We are ready," she said.'
    assert _speakers(text)[-1] == ("she", "Jordan Reyes")


def test_two_of_one_surname_are_told_apart_by_their_given_names() -> None:
    # "Mr. Trump" and "Mrs. Trump" both: the surname tells nothing, the given names do
    text = (
        "Donald Trump said the rally was a success. Melania Trump stood beside him. Mr. Trump "
        'and Mrs. Trump left together. "It was a wonderful evening," she said.'
    )
    assert _speakers(text)[-1] == ("she", "Melania Trump")


@pytest.mark.parametrize(
    ("word", "gender"),
    [("he", "masculine"), ("His", "masculine"), ("she", "feminine"), ("her", "feminine"),
     ("they", None), ("it", None)],
)  # fmt: skip
def test_pronoun_gender(word: str, gender: str | None) -> None:
    assert pronoun_gender(word) == gender


@pytest.mark.parametrize(
    ("name", "gender"),
    [("Hillary Clinton", "feminine"), ("Sergei Lavrov", "masculine"), ("Kaja Kallas", "feminine"),
     ("Kelly Ayotte", None), ("Jean Dupont", None), ("Clinton", None), (None, None)],
)  # fmt: skip
def test_a_given_name_tells_only_when_nearly_all_its_bearers_share_one_gender(
    name: str | None, gender: str | None
) -> None:
    assert name_gender(name) == gender


def test_role_words_tell_one_gender_or_none() -> None:
    assert words_gender("a spokeswoman for the ministry") == "feminine"
    assert words_gender("Mr. Lavrov") == "masculine"
    assert words_gender("the chairman's wife") is None
    assert words_gender("Foreign Minister") is None


def test_the_text_gives_a_surname_one_gender_or_none() -> None:
    genders = Genders("Mr. Lavrov met Ms. Kallas. Mr. Trump and Mrs. Trump arrived.")
    assert genders.of("Lavrov") == "masculine"
    assert genders.of("Kaja Kallas") == "feminine"
    assert genders.of("Trump") is None
    assert genders.of("Melania Trump") == "feminine"  # the given name first
    assert [surname for _, surname, _ in genders.addressed_before(20)] == ["Lavrov", "Kallas"]
