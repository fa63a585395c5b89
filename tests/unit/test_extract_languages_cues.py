"""Cue words are found without analysing every word (aggregator.extract.languages.sentence)."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements, morph
from aggregator.extract.languages import lexicon_for
from aggregator.extract.languages.sentence import Lemmas, cue_forms
from aggregator.extract.languages.text import tokens


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("ru", {"заявил", "заявила", "заявили", "заявив", "сообщил", "подчеркнул"}),
        ("uk", {"заявив", "заявила", "наголосив", "зазначила", "повідомив"}),
    ],
)
def test_every_form_of_a_speech_verb_is_a_possible_cue(language: str, forms: set[str]) -> None:
    lexicon = lexicon_for(language)
    assert lexicon is not None
    found = cue_forms(lexicon)
    assert found is not None
    assert forms <= found
    assert not {"министр", "россия", "переговоры", "україна"} & found


def test_the_languages_without_generated_forms_read_every_word() -> None:
    for language in ("fr", "de", "es"):
        lexicon = lexicon_for(language)
        assert lexicon is not None
        assert cue_forms(lexicon) is None


def test_a_word_that_is_no_verb_form_is_never_analysed() -> None:
    text = "Министр иностранных дел России Сергей Лавров заявил, что переговоры продолжатся."
    extract_statements("Разминка.", language="ru")  # the analyser and tables load
    morph.lemma.cache_clear()
    found = extract_statements(text, language="ru")
    assert [s.cue for s in found] == ["заявил"]
    asked = morph.lemma.cache_info().currsize
    assert asked < len(text.split())  # only the words around the cue were looked up


def test_lemmas_index_as_a_list_does() -> None:
    lexicon = lexicon_for("ru")
    assert lexicon is not None
    text = "Лавров заявил журналистам"
    words = tokens(text, 0, len(text), lexicon)
    lemmas = Lemmas(words, lexicon)
    assert len(lemmas) == 3
    assert lemmas[1] == "заявить"
    assert lemmas[-1] == lemmas[2] == "журналист"
    with pytest.raises(IndexError):
        lemmas[3]
