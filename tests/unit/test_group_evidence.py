"""Language-independent evidence: names, places, figures, dates (fixtures written here)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.group.evidence import dates, figures, groups, name_key, scan, spelling_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,200 troops", ["1200"]),  # English thousands
        ("1 200 soldats", ["1200"]),  # French: a space between digit groups
        ("1\u202f200 soldats", ["1200"]),  # a narrow no-break space
        ("1.200 Soldaten", ["1200"]),  # German: a point
        ("300.000 civiles", ["300000"]),  # Spanish
        ("magnitude 6,4", ["6.4"]),  # a decimal comma
        ("magnitude 6.4", ["6.4"]),
        ("3,2 % à 61,40 dollars", ["3.2", "61.40"]),
        ("in 2026 and 2027", ["2026", "2027"]),  # years stay apart
        ("the 11th time", []),  # an ordinal glued to letters is no figure
        ("an A320 and the G7", []),  # nor a model or a group's name
        ("300 000 civils", ["300000"]),
        ("in 2025 2026", ["2025", "2026"]),  # numbers side by side
    ],
)
def test_figures_read_the_same_whatever_the_separators(text: str, expected: list[str]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the swap on March 4, which", ["03-04"]),
        ("the 4th of March", ["03-04"]),
        ("le 4 mars", ["03-04"]),
        ("am 4. März", ["03-04"]),
        ("el 4 de marzo", ["03-04"]),
        ("состоялся 4 марта", ["03-04"]),
        ("відбувся 4 березня", ["03-04"]),
        ("le 1er avril", ["04-01"]),
    ],
)
def test_dates_in_every_language(text: str, expected: list[str]) -> None:
    found_figures, found_dates = scan(text)
    assert found_dates == expected
    assert found_figures == []  # a date's digits are no figure


def test_the_publication_date_is_no_evidence() -> None:
    published = datetime(2026, 3, 4, 12, tzinfo=UTC)
    assert dates("Le 4 mars, puis le 9 mars", published) == ["03-09"]


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (("Lavrov", "Lawrow", "Lavrow"), "lavrov"),
        (("Zelensky", "Zelenskyy", "Selenskyj", "Zelenskiy"), "selenski"),
        (("Macron", "Makron"), "makron"),
        (("Sergei", "Sergey", "Sergej"), "sergei"),
        (("Erdoğan", "Erdogan"), "erdogan"),
        (("Wadephul", "Vadeful"), "vadeful"),
        (("Sybiha", "Sibiga", "Sybiga"), "sibiga"),  # Ukrainian h, Russian g
        (("Hakan", "Khakan"), "gakan"),
        (("Johann", "Yokhann", "Iogann"), "iogan"),
    ],
)
def test_spelling_variants_meet(variants: tuple[str, ...], key: str) -> None:
    assert {spelling_key(v) for v in variants} == {key}


@pytest.mark.parametrize(
    ("word", "language"),
    [("Lavrov", "en"), ("Лавров", "ru"), ("Лаврова", "ru"), ("Lavrov", "fr"), ("Lawrow", "de")],
)
def test_a_name_is_one_key_in_every_language(word: str, language: str) -> None:
    assert name_key(word, language) == "@lavrov"


@pytest.mark.parametrize(("word", "language"), [("Россия", "ru"), ("Russie", "fr")])
def test_a_place_is_no_person(word: str, language: str) -> None:
    assert name_key(word, language) is None


@pytest.mark.parametrize("word", ["Erdbeben", "Außenminister", "Trümmern", "Menschen"])
def test_a_german_noun_is_no_name(word: str) -> None:
    assert name_key(word, "de") is None


@pytest.mark.parametrize(("word", "key"), [("Pistorius", "@pistorius"), ("AFAD", "@afad")])
def test_a_german_name_is_a_name(word: str, key: str) -> None:
    assert name_key(word, "de") == key


def test_two_languages_share_their_evidence() -> None:
    russian = groups(
        "Лавров провел переговоры с Фиданом",
        "Министр иностранных дел России Сергей Лавров провел в Анкаре переговоры с главой МИД "
        "Турции Хаканом Фиданом. Стороны обсудили план из 4 пунктов и 1 200 судов.",
        "ru",
    )
    english = groups(
        "Lavrov holds talks with Fidan",
        "Russian Foreign Minister Sergei Lavrov held talks in Ankara with Turkey's Hakan "
        "Fidan. They discussed a plan of 4 points and 1,200 ships.",
        "en",
    )
    for group in ("names", "numbers"):
        assert set(russian[group]) & set(english[group]), group
    assert {"@lavrov", "@fidan", "@gakan"} <= set(russian["names"]) & set(english["names"])
    assert {"#4", "#1200"} <= set(russian["numbers"]) & set(english["numbers"])
    turkey = "^" + spelling_key("Turkey")
    assert turkey in russian["places"]
    assert turkey in english["places"]
