"""Dictionary forms and name nominatives beyond English (aggregator.extract.morph)."""

from __future__ import annotations

import pytest

from aggregator.extract.morph import lemma, nominative


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("заявил", "ru", "заявить"),
        ("заявив", "ru", "заявить"),
        ("наголосив", "uk", "наголосити"),
        ("erklärte", "de", "erklären"),
        ("afirmó", "es", "afirmar"),
        ("déclaré", "fr", "déclarer"),
        ("Said", "en", "said"),
    ],
)
def test_lemma(word: str, language: str, expected: str) -> None:
    assert lemma(word, language) == expected


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("Лаврова", "ru", "Лавров"),  # genitive after "по словам"
        ("Песков", "ru", "Песков"),  # a surname, not a form of "песок"
        ("России", "ru", "Россия"),
        ("України", "uk", "Україна"),  # the Ukrainian dictionary has no place tag
        ("Зеленського", "uk", "Зеленський"),
        ("ЛАВРОВА", "ru", "ЛАВРОВ"),
        ("заявил", "ru", "заявил"),  # no name: as written
        ("Lavrov", "fr", "Lavrov"),
    ],
)
def test_nominative(word: str, language: str, expected: str) -> None:
    assert nominative(word, language) == expected


def test_lemmas_are_every_readings_dictionary_form() -> None:
    from aggregator.extract.morph import lemmas

    assert "дім" in lemmas("дому", "uk")  # the first reading is "дома"
    assert lemmas("erklärte", "de") == {"erklären"}


def test_forms_are_every_form_of_every_reading() -> None:
    from aggregator.extract.morph import forms

    assert {"києва", "києві"} <= forms("Київ", "uk")
    assert "дому" in forms("дім", "uk")
    assert forms("Kreml", "de") == {"kreml"}


def test_the_analyser_reads_its_dictionary_with_the_compiled_dawg() -> None:
    """pymorphy3 falls back to a pure-Python DAWG when DAWG2 is missing: every word then costs
    about 1 ms instead of 85 us (the ``fast`` extra declared in pyproject.toml)."""
    from aggregator.extract.morph import _analyser

    modules = {cls.__module__ for cls in type(_analyser("ru").dictionary.words).__mro__}
    assert "dawg" in modules, modules
