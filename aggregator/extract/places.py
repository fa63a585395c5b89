"""The side a phrase names in Russian, Ukrainian, French, German or Spanish (and English).

    place_side(text, language)  the side of the first place, body or demonym in ``text`` that
                                qualifies it, for a speaker's role or description: "министр
                                иностранных дел России" -> "Russia", "le chef de la diplomatie
                                américaine" -> "United States", "el secretario general de la
                                ONU" -> "United Nations"; a destination does not count ("посол
                                России в США" -> "Russia", "ambassadeur en France" -> None), as
                                "ambassador to" does not in English
    places_in(text, language)   every side named anywhere in ``text``, destinations included:
                                language-independent evidence for grouping reports of one event

Where the words come from:

- country names, and the UN's and the EU's, from CLDR through Babel (``Locale(lang).territories``),
  each territory mapped once to the side the gazetteer uses by its English CLDR name and the
  place terms of ``places.yaml`` ("RU" -> "Russia", "CZ" ("Czechia") -> "Czech Republic");
- adjectives (CLDR has no demonyms), abbreviations and short names (США, ONU, Nato) and seats of
  government (Кремль, l'Élysée) from ``data/place_words.yaml``, hand-listed for the main parties.

Words are compared by their dictionary form (:mod:`aggregator.extract.morph`): "России",
"Росії", "russischen" and "américaine" are "Россия", "Росія", "russisch" and "américain". A
term's capitals are kept ("ONU" only in capitals, "Россия" only capitalised), so French "on" or
Spanish "uno" never name a body. English goes through the gazetteer's own place terms. The
tables are built once per language, on first use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml

from aggregator.extract.morph import forms, lemmas, name_parses
from aggregator.extract.sides import Gazetteer, default_gazetteer

__all__ = ["LANGUAGES", "place_side", "places_in", "territory_sides"]

#: The languages whose place words are read here beside English.
LANGUAGES = frozenset({"ru", "uk", "fr", "de", "es"})

Case = Literal["upper", "title", "any"]

# a place after one of these is where something goes or what it is about, not whose it is:
# "посол России в США", "l'ambassadeur de Russie en France", "Botschafter in den USA"
_OBJECT_BEFORE: Mapping[str, frozenset[str]] = {
    "ru": frozenset("в во на к ко против для о об с со при перед между через".split()),
    "uk": frozenset("в у до на проти для про з із зі при перед між через щодо".split()),
    "fr": frozenset("à au aux en contre vers pour avec sur auprès envers chez entre".split()),
    "de": frozenset(
        "in im nach gegen für mit zu zum zur bei beim an am auf über gegenüber zwischen".split()
    ),
    "es": frozenset("a al en contra hacia para con ante sobre entre".split()),
}
# articles between such a word and the place: "à la France", "in den USA", "a la ONU"
_ARTICLES: Mapping[str, frozenset[str]] = {
    "fr": frozenset("le la l les".split()),
    "de": frozenset("der die das den dem des".split()),
    "es": frozenset("el la los las".split()),
}
# "auprès de l'ONU", "cerca de la ONU": a preposition of two words ending in "de"
_OBJECT_BEFORE_DE: Mapping[str, frozenset[str]] = {
    "fr": frozenset({"auprès", "près"}),
    "es": frozenset({"cerca", "acerca"}),
}
_DE = frozenset({"de", "du", "des", "d", "del"})
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class _Term:
    keys: tuple[frozenset[str], ...]  # each word's forms to compare (see _keys)
    side: str
    case: Case  # how the first word must be written in the text
    name: bool  # a name (a destination when after "в", "en"...), not an adjective


@dataclass(frozen=True, slots=True)
class _Found:
    side: str
    start: int  # index of the first token
    name: bool
    end: int  # index after the last token


@dataclass(frozen=True)
class _Table:
    """A language's terms, by each form their first word is compared by."""

    language: str
    by_first: Mapping[str, frozenset[_Term]]
    # the first letters of every form of every term's words: a word that starts otherwise is
    # no term's, and is not lemmatised (most words of a text)
    prefixes: frozenset[str]

    def find(self, tokens: list[str]) -> Iterator[_Found]:
        """The terms in ``tokens``, left to right, the longest at each position."""
        keys = [
            _keys(token, self.language) if _prefix(token) in self.prefixes else _NO_KEYS
            for token in tokens
        ]
        i = 0
        while i < len(tokens):
            match = None if keys[i] is _NO_KEYS else self._match_at(tokens, keys, i)
            if match is None:
                i += 1
                continue
            yield _Found(match.side, i, match.name, i + len(match.keys))
            i += len(match.keys)

    def _match_at(self, tokens: list[str], keys: list[frozenset[str]], i: int) -> _Term | None:
        candidates = {
            term for key in keys[i] if key in self.by_first for term in self.by_first[key]
        }
        if not candidates:
            return None
        for term in sorted(candidates, key=lambda t: (-len(t.keys), t.side)):
            n = len(term.keys)
            if (
                i + n <= len(tokens)
                and all(term.keys[j] & keys[i + j] for j in range(n))
                and _case_fits(tokens[i], term.case)
            ):
                return term
        return None


_NO_KEYS: frozenset[str] = frozenset()
_PREFIX = 3


def _prefix(word: str) -> str:
    return word[:_PREFIX].lower().replace("ё", "е")


def _case_fits(token: str, case: Case) -> bool:
    if case == "upper":
        return token.isupper()
    if case == "title":
        return token[:1].isupper()
    return True


def _case_of(term: str) -> Case:
    first = term.split()[0]
    if len(first) > 1 and first.isupper():
        return "upper"
    if first[:1].isupper():
        return "title"
    return "any"


@functools.lru_cache(maxsize=65536)
def _keys(token: str, language: str) -> frozenset[str]:
    """The forms a word is compared by: itself in lower case and the dictionary form of each
    of its readings (the lemma tables do not always agree on a name's words: "Vereinigte" ->
    "vereinigt", "Vereinigten" -> "vereinigte"), without accents in the languages that drop
    them on capitals ("Elysée", "Etat", "Mexico"), and in German without the genitive "-s" of
    a name ("Russlands", "Chinas")."""
    lower = token.lower().replace("ё", "е")
    keys = {lower, *(form.replace("ё", "е") for form in lemmas(token, language))}
    if language in _ACCENTS_DROPPED:
        keys |= {_without_accents(key) for key in keys}
    if language == "de" and token[:1].isupper() and lower.endswith("s") and len(lower) > 3:
        keys.add(lower[:-1])
    return frozenset(keys)


_ACCENTS_DROPPED = frozenset({"fr", "de", "es"})


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# ---------------------------------------------------------------- the side of a phrase


def place_side(text: str, language: str, gazetteer: Gazetteer | None = None) -> str | None:
    """The side of the first place, body or demonym that qualifies ``text`` (a role or a
    description), skipping a place that is a destination or object ("в США", "en France",
    "gegen Russland"); None when none does. English (and any language not read here) is read
    by the gazetteer's rules, the bundled one's unless ``gazetteer`` is given."""
    if language not in LANGUAGES:
        return (gazetteer or default_gazetteer()).place_side(text)
    return _place_side(text, language)


@functools.lru_cache(maxsize=20_000)
def _place_side(text: str, language: str) -> str | None:
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens = [text[start:end] for start, end in spans]
    for found in _table(language).find(tokens):
        if found.name and _is_object(tokens, found.start, language):
            continue
        if found.name and _in_a_name(text, spans, tokens, found, language):
            continue  # "Israel Katz", "Denzel Washington", "Джек Лондон", "Реал Мадрид"
        if _at_start(text, spans, found.start) and _is_common_word(tokens, found, language):
            continue  # "Того же мнения…": the pronoun, not Togo
        if not found.name and _is_a_language(tokens, found, language):
            continue  # "en español", "auf Deutsch", "на русском языке"
        return found.side
    return None


def _at_start(text: str, spans: list[tuple[int, int]], i: int) -> bool:
    """Whether token ``i`` opens the text or a sentence (where a capital says nothing)."""
    if i == 0:
        return True
    between = text[spans[i - 1][1] : spans[i][0]]
    return any(mark in between for mark in _SENTENCE_MARKS)


_SENTENCE_MARKS = frozenset('.!?:;«»"“”„—–')


def _adjacent(text: str, spans: list[tuple[int, int]], i: int, j: int) -> bool:
    """Whether tokens ``i`` and ``j`` (i < j) stand next to each other, with only a space or a
    hyphen between (a name is not cut by punctuation)."""
    between = text[spans[i][1] : spans[j][0]]
    return between.strip(" \u00a0-") == "" and "\n" not in between


def _title(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _in_a_name(
    text: str, spans: list[tuple[int, int]], tokens: list[str], found: _Found, language: str
) -> bool:
    """Whether a place opens or ends a person's or a body's name, as English's rule has it
    ("Chad Wolf", "Mark Cuban"): a name word right after or right before it. In Russian and
    Ukrainian only a place in its dictionary form can be part of a name ("Джек Лондон", "Реал
    Мадрид"; "министр России Сергей Лавров" is a genitive before a name); in German only the
    bare name, not the genitive ("Frankreichs Präsident"), and only before a word no lemma table
    knows ("Denzel Washington"), since German writes every noun with a capital."""
    place = tokens[found.start : found.end]
    if any(len(w) > 1 and w.isupper() for w in place):
        return False  # an abbreviation opens no name: "госсекретарь США Марко Рубио"
    if language in _MORPHOLOGY and not all(_declined_nominative(w, language) for w in place):
        return False
    if language == "de" and not all(_is_dictionary_form(w, language) for w in place):
        return False
    after = found.end
    if (
        after < len(tokens)
        and not _complement_country(tokens, found, language)
        and _title(tokens[after])
        and _adjacent(text, spans, after - 1, after)
        and _name_word(tokens[after], language, initial=False)
    ):
        return True
    before = found.start - 1
    return (
        before >= 0
        and _title(tokens[before])
        and _adjacent(text, spans, before, found.start)
        and tokens[before].lower() not in _MODIFIERS.get(language, frozenset())
        and _name_word(tokens[before], language, initial=_at_start(text, spans, before))
    )


_MORPHOLOGY = frozenset({"ru", "uk"})


def _complement_country(tokens: list[str], found: _Found, language: str) -> bool:
    """Whether, in French or Spanish, a country's name follows "de" (an article between or
    not): the office's complement, before the holder's name written without its comma ("el
    presidente de Francia Emmanuel Macron"), not the start of a name ("du Washington Post")."""
    if language not in ("fr", "es"):
        return False
    i = found.start - 1
    while i >= 0 and tokens[i].lower() in _ARTICLES.get(language, frozenset()):
        i -= 1
    place = " ".join(tokens[found.start : found.end]).lower()
    return i >= 0 and tokens[i].lower() in _DE and place in _country_names(language)


@functools.cache
def _country_names(language: str) -> frozenset[str]:
    """The CLDR names of the territories that are a side, in lower case, as tokens joined by
    spaces ("états unis")."""
    from babel import Locale

    names = Locale.parse(language).territories
    return frozenset(
        " ".join(_TOKEN.findall(names[code])).lower() for code in territory_sides() if code in names
    )


# capitalised words before a place that make no name with it
_MODIFIERS: Mapping[str, frozenset[str]] = {
    "fr": frozenset("le la les l du des de au aux en et ou à".split()),
    "es": frozenset("el la los las del de al en y o".split()),
    "de": frozenset("der die das den dem des in im und oder".split()),
}


def _declined_nominative(word: str, language: str) -> bool:
    """Whether a Russian or Ukrainian word is in its dictionary form and declines (an
    indeclinable name, "Чили", "Перу", may be a genitive: "президент Чили Габриэль Борич")."""
    if any("Fixd" in parse.tag for parse in name_parses(word, language)):
        return False
    return _is_dictionary_form(word, language)


def _is_dictionary_form(word: str, language: str) -> bool:
    lower = word.lower().replace("ё", "е")
    if language == "de":
        return not (lower.endswith("s") and lower[:-1] in _keys(word, language))
    return lower in {form.replace("ё", "е") for form in lemmas(word, language)}


def _name_word(word: str, language: str, *, initial: bool) -> bool:
    """Whether a capitalised word next to a place reads as part of a name. Inside a sentence a
    capital says so in Russian, Ukrainian, French and Spanish; at a sentence start, a noun in
    the nominative says so in Russian and Ukrainian ("Джек", "Реал"; not "Сегодня"), a word no
    lemma table knows in French and Spanish ("Denzel"). German capitalises every noun: only a
    word the lemma table does not know."""
    if language == "de":
        return not _known(word, language)
    if not initial:
        return True
    if language in _MORPHOLOGY:
        return any(
            parse.tag.POS == "NOUN" and parse.tag.case == "nomn"
            for parse in name_parses(word, language)
        )
    return not _known(word, language)


def _known(word: str, language: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang=language)) or bool(
        simplemma.is_known(word.lower(), lang=language)
    )


def _is_common_word(tokens: list[str], found: _Found, language: str) -> bool:
    """Whether the place is one word that is also a common word or a given name of the language
    (``common_words`` of place_words.yaml: Russian "того", Ukrainian "малі", French
    "Maurice")."""
    listed = (listed_words().get("common_words") or {}).get(language) or ()
    return found.end - found.start == 1 and tokens[found.start] in {str(w) for w in listed}


def _is_a_language(tokens: list[str], found: _Found, language: str) -> bool:
    """Whether an adjective names a language, not a side: right after the preposition a
    language follows ("en español", "en russe", "auf Deutsch", not "auf deutscher Seite") or
    next to the word for
    language ("на русском языке", "українською мовою", "la langue française")."""
    before = tokens[found.start - 1].lower() if found.start > 0 else ""
    word = tokens[found.start]
    # German writes the language as a noun: "auf Deutsch", not "auf deutscher Seite"
    noun = language != "de" or (word[:1].isupper() and word.lower() in _keys(word, language))
    if before in _LANGUAGE_BEFORE.get(language, frozenset()) and noun:
        return True
    near = [tokens[i] for i in (found.start - 1, found.end) if 0 <= i < len(tokens)]
    nouns = _LANGUAGE_NOUNS.get(language, frozenset())
    return any(lemmas(word, language) & nouns or word.lower() in nouns for word in near)


_LANGUAGE_BEFORE: Mapping[str, frozenset[str]] = {
    "fr": frozenset({"en"}),
    "es": frozenset({"en"}),
    "de": frozenset({"auf"}),
}
_LANGUAGE_NOUNS: Mapping[str, frozenset[str]] = {
    "ru": frozenset({"язык"}),
    "uk": frozenset({"мова"}),
    "fr": frozenset({"langue"}),
    "es": frozenset({"idioma", "lengua"}),
    "de": frozenset({"sprache"}),
}


def _is_object(tokens: list[str], start: int, language: str) -> bool:
    """Whether the place starting at ``tokens[start]`` follows a preposition of destination or
    object, with an article between or not."""
    i = start - 1
    articles = _ARTICLES.get(language, frozenset())
    while i >= 0 and tokens[i].lower() in articles:
        i -= 1
    if i < 0:
        return False
    before = tokens[i].lower()
    if before in _OBJECT_BEFORE[language]:
        return True
    two_words = _OBJECT_BEFORE_DE.get(language, frozenset())
    return before in _DE and i > 0 and tokens[i - 1].lower() in two_words


def places_in(text: str, language: str, gazetteer: Gazetteer | None = None) -> frozenset[str]:
    """Every side a place, body or demonym in ``text`` names, destinations included (English
    by the gazetteer's place terms, as for :func:`place_side`)."""
    if language not in LANGUAGES:
        return (gazetteer or default_gazetteer()).places_in(text)
    return frozenset(found.side for found in _table(language).find(_TOKEN.findall(text)))


# ---------------------------------------------------------------- the tables, built once


@functools.cache
def _table(language: str) -> _Table:
    terms: dict[tuple[tuple[frozenset[str], ...], Case], _Term] = {}
    for words, side, name in _words(language):
        keys = tuple(_keys(token, language) for token in _TOKEN.findall(words))
        case = _case_of(words)
        if keys and (keys, case) not in terms:  # "NATO" and "Nato" are two terms
            terms[keys, case] = _Term(keys, side, case, name)
    by_first: dict[str, set[_Term]] = {}
    for term in terms.values():
        for key in term.keys[0]:
            by_first.setdefault(key, set()).add(term)
    # the forms a word takes in a text, to know which words to lemmatise: "Києва" for
    # "Київ", "дому" for "дім" (the stem changes)
    written = {
        form
        for words, _, _ in _words(language)
        for word in _TOKEN.findall(words)
        for form in forms(word, language)
    }
    prefixes = frozenset(
        {_prefix(key) for term in terms.values() for keys in term.keys for key in keys}
        | {_prefix(form) for form in written}
    )
    return _Table(
        language, {first: frozenset(found) for first, found in by_first.items()}, prefixes
    )


def _words(language: str) -> Iterator[tuple[str, str, bool]]:
    """(words, side, is a name) of a language: the hand-listed words first, then CLDR's."""
    listed = listed_words()
    for section, name in (("short_names", True), ("seats", True), ("adjectives", False)):
        for side, by_language in (listed.get(section) or {}).items():
            for words in by_language.get(language) or ():
                yield str(words), str(side), name
    from babel import Locale

    names = Locale.parse(language).territories
    for code, side in territory_sides().items():
        if code in names:
            yield names[code], side, True


@functools.cache
def listed_words() -> dict[str, Any]:
    """The hand-listed place words of ``data/place_words.yaml`` (adjectives, short names, seats
    of government, common words), as parsed, read once: part of the extractor's fingerprint."""
    text = resources.files("aggregator").joinpath("data", "place_words.yaml").read_text("utf-8")
    found: dict[str, Any] = yaml.safe_load(text)
    return found


@functools.cache
def territory_sides() -> dict[str, str]:
    """CLDR territory code -> the gazetteer's side, for the territories that are a side: by the
    territory's English CLDR name, a side's name or one of its place terms ("RU" -> "Russia",
    "UN" -> "United Nations", "CZ" -> "Czech Republic" by "Czechia")."""
    from babel import Locale

    places = default_gazetteer().places
    known = {side.lower(): side for side in places.values()}
    known.update({term.lower(): side for term, side in places.items()})
    sides = {code: known[side] for code, side in _CODE_SIDES.items() if side in known}
    for code, english in Locale("en").territories.items():
        if not code.isalpha() or code in sides:
            continue  # "001" (World), "150" (Europe): regions, not parties
        for candidate in _english_forms(english):
            if candidate.lower() in known:
                sides[code] = known[candidate.lower()]
                break
    return sides


# territories whose English CLDR name is none of the side's terms ("Congo - Kinshasa",
# "Vatican City", "Palestinian Territories")
_CODE_SIDES = {
    "CD": "democratic republic of the congo",
    "CG": "republic of the congo",
    "CI": "ivory coast",
    "PS": "palestine",
    "VA": "vatican",
}


def _english_forms(name: str) -> Iterator[str]:
    """The name and its parts: "Myanmar (Burma)" -> Myanmar, Burma; "Bosnia & Herzegovina" ->
    Bosnia and Herzegovina; "Congo - Kinshasa" stays whole (both Congos would be "Congo")."""
    yield name
    yield name.replace("&", "and")
    if "(" in name:
        outside, _, inside = name.partition("(")
        yield outside.strip()
        yield inside.rstrip(")").strip()
