"""What a figure counts (digest/counted.py): the noun after a number, on our own phrases."""

from __future__ import annotations

import pytest

from aggregator.digest.counted import ELIDED, THINGS, Counted, counted, same_count


def _what(phrase: str, number: str) -> Counted | None:
    lower = phrase.lower()
    return counted(lower, lower.index(number.lower()) + len(number), phrase)


@pytest.mark.parametrize(
    ("phrase", "number", "expected"),
    [
        ("raiders killed at least 12 people", "12", Counted("people")),
        ("three of its soldiers died at the post", "three", Counted("forces")),
        ("two Norland border guards were shot", "two", Counted("forces")),
        ("some 40 villagers fled", "40", Counted("civilians", population=True)),
        ("there were 11 civilian deaths", "11", Counted("civilians", population=True)),
        ("eight child casualties", "eight", Counted("children")),
        ("nine children and two women", "nine", Counted("children")),
        ("30 Sudrians were killed", "30", Counted("sudrians", population=True)),
        ("30 herders were killed", "30", Counted("herders")),
        ("dozens of journalists were held", "dozens", Counted("journalists")),
        ("most lived in three tower blocks", "three", THINGS),
        ("it fell two years ago", "two", THINGS),
        ("twelve drones were downed", "twelve", THINGS),
        ("five others died later", "five", ELIDED),
        ("40 wounded in the town", "40", None),
        ("a toll of 9,000.", "9,000", None),
    ],
)
def test_the_noun_after_a_number_says_what_it_counts(
    phrase: str, number: str, expected: Counted | None
) -> None:
    assert _what(phrase, number) == expected


def test_a_peoples_name_needs_its_capital() -> None:
    lower = "30 sudrians were killed"
    assert counted(lower, 2) == Counted("sudrians")  # no cased text: an unknown noun


PEOPLE = Counted("people")
CIVILIANS = Counted("civilians", population=True)
SUDRIANS = Counted("sudrians", population=True)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (PEOPLE, Counted("forces"), False),  # "12 people" is no count of soldiers
        (PEOPLE, Counted("children"), False),  # the children are a part of the people
        (PEOPLE, Counted("herders"), False),  # a noun the rules do not know
        (Counted("herders"), Counted("fishermen"), False),
        (SUDRIANS, Counted("norlanders", population=True), False),
        (SUDRIANS, CIVILIANS, False),
        (PEOPLE, CIVILIANS, True),  # a ministry's toll of people is its toll of civilians
        (PEOPLE, SUDRIANS, True),
        (Counted("forces"), Counted("forces"), True),
        (Counted("herders"), Counted("herders"), True),
        (None, Counted("forces"), True),  # a figure that names no one may be any count
    ],
)
def test_same_count(a: Counted | None, b: Counted | None, same: bool) -> None:
    assert same_count(a, b) is same
    assert same_count(b, a) is same
