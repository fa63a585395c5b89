"""Word forms of the languages extraction reads beside English: dictionary forms and names.

    lemma(word, language)        the dictionary form, lower case: "заявил" -> "заявить",
                                 "наголосив" -> "наголосити", "erklärte" -> "erklären",
                                 "afirmó" -> "afirmar", "déclaré" -> "déclarer"
    lemmas(word, language)       every reading's dictionary form, lower case: "дому" -> "дім",
                                 "дома" (Russian and Ukrainian; else the one lemma)
    forms(word, language)        every form of every reading, lower case: "дім" -> "дому",
                                 "домі"…, "Київ" -> "києва"… (Russian and Ukrainian; else the
                                 word)
    nominative(word, language)   a name's nominative with its capitals: "Лаврова" -> "Лавров",
                                 "России" -> "Россия", "України" -> "Україна"; other languages,
                                 and words no analysis reads as a name, come back as written
    name_parses(word, language)  pymorphy3's readings of a capitalised word as a name (first
                                 name, surname, patronymic, place, organisation), else as a
                                 noun; never as a verb or an adjective

Russian and Ukrainian go through pymorphy3 with its bundled dictionaries (OpenCorpora for
Russian, the LanguageTool/VESUM data for Ukrainian: the pymorphy3-dicts-ru and -uk packages);
French, German and Spanish through simplemma's bundled lemma tables. Nothing is downloaded at
run time. An analyser loads once a process, on first use (about 0.2 s for Russian), and every
answer is cached, since news repeats its words.

A capitalised word is read as a name first: "Песков" is the surname, not the plural genitive of
"песок" (sand), which is pymorphy3's most frequent reading of it.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from pymorphy3.analyzer import Parse

#: The languages pymorphy3 analyses (case and name tags); the rest are lemmatised by simplemma.
MORPHOLOGY = frozenset({"ru", "uk"})
#: The languages simplemma lemmatises here.
LEMMA_TABLES = frozenset({"fr", "de", "es"})
#: pymorphy3's tags of a name: first name, surname, patronymic, place, organisation.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})

_CACHE = 65536


@cache
def _analyser(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def _parse(word: str, language: str) -> list[Parse]:
    """pymorphy3's readings of ``word``; none for a word it cannot read (it raises on some
    characters without a Unicode name, such as unassigned or private-use code points)."""
    try:
        return list(_analyser(language).parse(word))
    except (KeyError, ValueError):
        return []


@lru_cache(maxsize=_CACHE)
def lemma(word: str, language: str) -> str:
    """The dictionary form of ``word`` in ``language``, lower case (the word itself, lower
    case, in a language neither library reads)."""
    if language in MORPHOLOGY:
        parses = name_parses(word, language) or _parse(word, language)
        return str(parses[0].normal_form) if parses else word.lower()
    if language in LEMMA_TABLES:
        import simplemma

        return str(simplemma.lemmatize(word, lang=language)).lower()
    return word.lower()


@lru_cache(maxsize=_CACHE)
def lemmas(word: str, language: str) -> frozenset[str]:
    """The dictionary forms of every reading of ``word``, lower case: for matching a word
    against a list where the most frequent reading is not the one meant ("дому" is read first
    as a form of "дома", home, before "дім", house)."""
    if language in MORPHOLOGY:
        parses = name_parses(word, language) + tuple(_parse(word, language))
        return frozenset(str(p.normal_form) for p in parses) | {lemma(word, language)}
    return frozenset({lemma(word, language)})


def forms(word: str, language: str) -> frozenset[str]:
    """Every form of every reading of ``word``, lower case (its lexemes): what a word of a list
    may look like in a text."""
    if language not in MORPHOLOGY:
        return frozenset({word.lower()})
    parses = _parse(word, language)
    return frozenset(str(form.word) for parse in parses for form in parse.lexeme) | {word.lower()}


@lru_cache(maxsize=_CACHE)
def name_parses(word: str, language: str) -> tuple[Parse, ...]:
    """The readings of a capitalised ``word`` as a name, most frequent first, else as a noun;
    none for a word in lower case or a language without morphology."""
    if language not in MORPHOLOGY or not word[:1].isupper():
        return ()
    parses = _parse(word, language)
    named = tuple(p for p in parses if NAME_TAGS & set(p.tag.grammemes))
    # the Ukrainian dictionary tags few places ("України" is a plain noun): a capitalised
    # noun is then read as the name
    return named or tuple(p for p in parses if p.tag.POS == "NOUN")


@lru_cache(maxsize=_CACHE)
def nominative(word: str, language: str) -> str:
    """A name in the nominative case, capitalised as written ("Лаврова" -> "Лавров"); the word
    as written when it is not read as a name or the language has no morphology here."""
    for parse in name_parses(word, language):
        form = parse.inflect({"nomn"})
        if form is None:
            continue
        found = str(form.word)
        if word.isupper():
            return found.upper()
        return found[:1].upper() + found[1:]
    return word


#: pymorphy3's tags of a person's name: first name, surname, patronymic.
PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
#: pymorphy3's tags of a place or an organisation's name.
PLACE_TAGS = frozenset({"Geox", "Orgn"})


@lru_cache(maxsize=_CACHE)
def pos(word: str, language: str) -> str | None:
    """The part of speech of the most frequent reading of ``word`` (pymorphy3's tag: ``VERB``,
    ``INFN``, ``GRND`` for a gerund, ``NOUN`` …); None in a language without morphology."""
    if language not in MORPHOLOGY:
        return None
    parses = _parse(word, language)
    if not parses or not parses[0].tag.POS:
        return None
    if "infn" in parses[0].tag.grammemes:  # the Ukrainian dictionary's infinitive: VERB,infn
        return "INFN"
    return str(parses[0].tag.POS)


@lru_cache(maxsize=_CACHE)
def name_kind(word: str, language: str) -> str | None:
    """How a capitalised ``word`` reads as a name: ``"person"`` (a first name, surname or
    patronymic is among its readings), ``"place"`` (its first name reading is a place or an
    organisation), ``"word"`` (a word of the dictionary, no name), ``None`` (unknown to the
    dictionary, or a language without morphology)."""
    if language not in MORPHOLOGY or not word[:1].isupper():
        return None
    parses = _parse(word, language)
    person = max((p.score for p in parses if PERSON_TAGS & set(p.tag.grammemes)), default=-1.0)
    place = max((p.score for p in parses if PLACE_TAGS & set(p.tag.grammemes)), default=-1.0)
    if person >= 0 and person >= place:
        return "person"
    if place >= 0:
        return "place"
    known = any(parse.is_known for parse in parses)
    return "word" if known else None


@lru_cache(maxsize=_CACHE)
def is_first_name(word: str, language: str) -> bool:
    """Whether a capitalised ``word`` is read as a first name (pymorphy3's ``Name``)."""
    return any("Name" in parse.tag.grammemes for parse in name_parses(word, language))


@lru_cache(maxsize=_CACHE)
def is_plural(word: str, language: str) -> bool:
    """Whether the most frequent reading of ``word`` is plural (Russian and Ukrainian)."""
    if language not in MORPHOLOGY:
        return False
    parses = _parse(word, language)
    return bool(parses) and "plur" in parses[0].tag.grammemes
