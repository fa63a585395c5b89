"""Language-independent evidence: what two reports of one development share in any language.

A report in Russian and one in French of the same meeting share almost no words, but they name
the same people and countries, give the same figures and the same dates. This module reduces an
article (or a statement) to those, as keys that read the same in every language:

    names    "@lavrov"      capitalised names, in Latin letters, accents folded, spelling
                            variants of one transliteration brought together (Lawrow, Lavrov)
    places   "^russia"      the sides, countries and organisations the text names
                            (``aggregator.extract.places.places_in``)
    numbers  "#1200"        figures with their digit grouping and decimal comma normalised
                            ("1 200", "1,200", "1.200" are 1200; "7,5" is 7.5)
    dates    "%02-17"       day and month, written in any of the languages the locale database
                            (CLDR through Babel) names months in

Names are put in the nominative (Russian and Ukrainian, ``aggregator.extract.morph``) and
transliterated by ``aggregator.extract.names`` (``latin``: Latin letters; ``fold``: lower
case, accents off). Dates within a day of
the article's publication are left out, as in the text features (every report of that day
carries them), and so are the digits of the dates taken (the "17" of "17 February" is no
figure).

Pure and deterministic; the per-word work is cached (news repeats its names).
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache, lru_cache
from zlib import crc32

from aggregator.group.text import headline_names, names

#: the languages whose month names are read (others fall back to these all together)
MONTH_LANGUAGES = ("en", "ru", "uk", "fr", "de", "es")
#: figures and dates are read from the headline and this much of the text's opening
LEAD_CHARS = 2000

_CACHE = 65536

# A run of digits with the separators languages group them with or write decimals with (space,
# no-break and thin spaces, comma, point, apostrophe): one pattern that opens with a digit, so
# the engine skips ahead to the next digit (a pattern of month names tried at every position
# cost a millisecond a text)
_DIGITS = re.compile(r"\d+(?:[ \u00a0\u202f\u2009,.'’]\d+)*")
_SEPARATOR = re.compile(r"[ \u00a0\u202f\u2009,.'’]")
# a month after a day: "17 février", "17. Februar", "17 de febrero", "4th of March", "1er avril"
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?([^\W\d_]{3,})\.?")


def figures(text: str) -> list[str]:
    """The numbers of ``text``, written the same whatever the language's separators:
    "1 200" / "1,200" / "1.200" -> "1200", "7,5" / "7.5" -> "7.5", "2026" -> "2026" (dates
    included; :func:`scan` tells them apart)."""
    found: list[str] = []
    for match in _DIGITS.finditer(text):
        if not _glued(text, *match.span()):
            found.extend(_figure(match.group()))
    return found


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a run of digits is part of a word ("A320", "G7", "11th", "04h17")."""
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def _figure(run: str) -> list[str]:
    """One run of digits and separators as the numbers it writes."""
    groups = _SEPARATOR.split(run)
    if len(groups) == 1:
        return groups
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return ["".join(groups)]  # digit grouping: 1 200, 1,200, 1.200, 300 000
    if len(groups) == 2 and run[len(groups[0])] in ",.":
        return [groups[0] + "." + groups[1]]  # a decimal: 6,4, 7.5
    return groups  # numbers side by side ("2025 2026")


@cache
def _months() -> dict[str, int]:
    """Every month name and abbreviation of :data:`MONTH_LANGUAGES`, lower case -> 1..12."""
    from babel.dates import get_month_names

    months: dict[str, int] = {}
    for language in MONTH_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=language).items():
                    name = name.lower().rstrip(".")
                    if len(name) >= 3:
                        months.setdefault(name, number)
    months.setdefault("sept", 9)
    return months


def scan(text: str, published: datetime | None = None) -> tuple[list[str], list[str]]:
    """The figures (as :func:`figures` writes them) and the day-and-month dates ("MM-DD") of
    ``text``: a day of one or two digits beside a month name of any language in
    :data:`MONTH_LANGUAGES` is a date, not a figure. With ``published``, a date within a day
    of it is dropped (every report of that day has it)."""
    months = _months()
    found: list[str] = []
    dates_: list[str] = []
    size = len(text)
    for match in _DIGITS.finditer(text):
        start, end = match.span()
        if start and text[start - 1].isalpha():
            continue  # "A320", "G7"
        if end - start <= 2:
            month = _month_beside(text, start, end, months)
            if month is not None:
                day = int(match.group())
                if 1 <= day <= 31 and not (
                    published is not None and _near(published.date(), month, day)
                ):
                    dates_.append(f"{month:02d}-{day:02d}")
                continue
        if end < size and text[end].isalpha():
            continue  # "11th", "04h17"
        run = match.group()
        if run.isdigit():
            found.append(run)
        else:
            found.extend(_figure(run))
    return found, dates_


def dates(text: str, published: datetime | None = None) -> list[str]:
    """The day-and-month dates of ``text`` as "MM-DD" (see :func:`scan`)."""
    return scan(text, published)[1]


def _month_beside(text: str, start: int, end: int, months: dict[str, int]) -> int | None:
    """The month written right after or right before the day at ``text[start:end]``."""
    if end < len(text) and not text[end].isalnum():  # "4 mars", "17. Februar", not "4th"...
        after = _MONTH_AFTER.match(text, end)
    else:
        suffix = text[end : end + 2]
        after = _MONTH_AFTER.match(text, end) if suffix in _SUFFIXES or suffix[:1] == "º" else None
    if after is not None and (month := months.get(after.group(1).lower())) is not None:
        return month
    if start > 1 and text[start - 1] == " ":  # "March 4": the word before, without regex
        word = text[max(0, start - 12) : start - 1].rsplit(None, 1)[-1:]
        if word:
            return months.get(word[0].rstrip(".").lower())
    return None


_SUFFIXES = frozenset({"st", "nd", "rd", "th", "er"})


def _near(day: date, month: int, number: int) -> bool:
    for year in (day.year - 1, day.year, day.year + 1):
        try:
            if abs((date(year, month, number) - day).days) <= 1:
                return True
        except ValueError:  # 30 February
            return False
    return False


# spelling variants of one transliteration: Lawrow / Lavrov, Sergei / Sergey, Zelenskyy /
# Zelensky / Selenskyj, Makron / Macron, Wadephul / Vadeful, Johann / Yokhann
_VARIANTS = (
    ("ph", "f"),
    ("ck", "k"),
    ("kh", "h"),
    ("w", "v"),
    ("z", "s"),
    ("j", "i"),
    ("y", "i"),
    ("x", "ks"),
)
_SOFT_C = re.compile(r"c(?!h)")
# a Ukrainian "h" where Russian and English write "g" (Сибіга Sybiha, Сибига Sibiga), and the
# "kh" of a Russian transliteration where English writes "h" (Хакан Khakan, Hakan): one letter
_LONE_H = re.compile(r"(?<![cskptg])h")
_REPEATS = re.compile(r"(.)\1+")
_NOT_LATIN = re.compile(r"[^a-z]")


def spelling_key(latin_name: str) -> str:
    """A name in Latin letters (accents folded) reduced so that the usual transliteration
    variants of one name meet: "Lawrow" and "Lavrov" -> "lavrov", "Zelenskyy" and "Selenskyj"
    -> "selenski", "Sybiha" and "Sibiga" -> "sibiga"."""
    decomposed = unicodedata.normalize("NFKD", latin_name.lower())
    key = _NOT_LATIN.sub("", decomposed)  # accents (combining marks) go with the rest
    for old, new in _VARIANTS:
        key = key.replace(old, new)
    key = _SOFT_C.sub("k", key)
    key = _LONE_H.sub("g", key)
    return _REPEATS.sub(r"\1", key)


@lru_cache(maxsize=_CACHE)
def name_keys(word: str, language: str) -> tuple[str, ...]:
    """The keys of one capitalised word in ``language``: a person's name ("Лавров", "ru" ->
    "@lavrov"), the sides a place or body names ("России" -> "^rusia"), or none for a word too
    short to say anything across languages or a common noun (German capitalises them).

    A Russian or Ukrainian word is read as written and in the nominative the morphology gives
    ("Лаврова": "@lavrova" and "@lavrov"): a foreign name that does not decline is sometimes
    given a nominative it does not have ("Гросси" -> "Гроссия"), and the form as written then
    still meets the other languages' spelling.
    """
    from aggregator.extract.morph import nominative

    found = _word_keys(word, language)
    base = nominative(word, language)  # other languages: as written
    if base != word:
        found += tuple(k for k in _word_keys(base, language) if k not in found)
    places_ = tuple(k for k in found if k[0] == "^")
    return places_ or found  # a word that names a place is a place in any of its forms


def _word_keys(word: str, language: str) -> tuple[str, ...]:
    from aggregator.extract.names import fold, latin
    from aggregator.extract.places import places_in

    sides = places_in(word, language)
    if sides:
        return tuple(sorted("^" + spelling_key(side) for side in sides))
    if _common_noun(word, language):
        return ()
    key = spelling_key(fold(latin(word, language)))
    return ("@" + key,) if len(key) >= 4 else ()


def name_key(word: str, language: str) -> str | None:
    """The person's-name key of a capitalised word in its dictionary form (see
    :func:`name_keys`), else None."""
    keys = name_keys(word, language)
    return keys[-1] if keys and keys[-1][0] == "@" else None


#: languages that capitalise every noun: a capital says nothing there, the dictionary does
NOUN_CAPITALS = frozenset({"de"})


def _common_noun(word: str, language: str) -> bool:
    """Whether a capitalised word is a noun of the language's dictionary, not a name
    ("Erdbeben", "Außenminister"; not "Lawrow", "Pistorius"): German capitalises every noun.
    simplemma's bundled tables say which words are the language's own; acronyms are names."""
    if language not in NOUN_CAPITALS or word.isupper():
        return False
    import simplemma

    return bool(simplemma.is_known(word, lang=language))


def places(text: str, language: str) -> list[str]:
    """The sides, countries and organisations ``text`` names, as keys ("^rusia")."""
    from aggregator.extract.places import places_in

    return sorted("^" + spelling_key(side) for side in places_in(text, language))


def groups(
    title: str,
    text: str,
    language: str,
    *,
    names_: Mapping[str, float] | None = None,
    actors: Iterable[str] = (),
    published: datetime | None = None,
) -> dict[str, dict[str, float]]:
    """Weighted counts of an article's evidence in four groups: ``names``, ``places``,
    ``numbers``, ``dates`` (keys as in the module docstring).

    ``names_``: the article's capitalised names when the caller has them already: the text
    features' names group (``"@" + the name in lower case`` -> count; it holds the headline's
    names and the actors' too); else they are read here from ``title``, ``text`` and
    ``actors``.
    Places are the names that name a place (one word: "Russia", "России", "ONU"). Figures
    and dates are read from the headline and the first :data:`LEAD_CHARS` characters.
    """
    if names_ is None:
        body = names(text)
        names_ = {}
        for word in (*headline_names(title, body), *body, *_actor_words(actors)):
            names_["@" + word] = names_.get("@" + word, 0.0) + 1.0
    person: dict[str, float] = {}
    place: dict[str, float] = {}
    for name, count in names_.items():
        for key in name_keys(name[1:].capitalize(), language):
            bucket = person if key[0] == "@" else place
            bucket[key] = bucket.get(key, 0.0) + count
    # the development's figures and dates stand in its opening; a long article's later
    # paragraphs (background, other days) are not read for them, which bounds the cost
    found_figures, found_dates = scan(title + "\n" + text[:LEAD_CHARS], published)
    numbers_: dict[str, float] = {}
    for figure in found_figures:
        numbers_["#" + figure] = numbers_.get("#" + figure, 0.0) + 1.0
    dates_: dict[str, float] = {}
    for day in found_dates:
        dates_["%" + day] = dates_.get("%" + day, 0.0) + 1.0
    return {"names": person, "places": place, "numbers": numbers_, "dates": dates_}


def groups_from_terms(terms: Iterable[str], language: str) -> dict[str, dict[str, float]]:
    """The evidence groups of an article known only by its text features' terms (the
    clusterer keeps no text): its names ("@name") and figures ("#1,200"); no dates."""
    person: dict[str, float] = {}
    place: dict[str, float] = {}
    numbers_: dict[str, float] = {}
    for term in terms:
        if term[0] == "@":
            for key in name_keys(term[1:].capitalize(), language):
                bucket = person if key[0] == "@" else place
                bucket[key] = 1.0
        elif term[0] == "#":
            numbers_.update(dict.fromkeys(("#" + f for f in _figure(term[1:])), 1.0))
    return {"names": person, "places": place, "numbers": numbers_, "dates": {}}


class KeyFrequencies:
    """Online document frequencies of evidence keys, IDF as the text's
    (:class:`~aggregator.group.text.DocumentFrequencies`): counts in a fixed array of CRC-32
    buckets (bounded memory), counted in plain Python, which for the dozen or two keys of an
    article costs less than numpy's per-call overhead."""

    __slots__ = ("_counts", "_mask", "_n")

    def __init__(self, bits: int = 20) -> None:
        self._counts = array("l", bytes(8 << bits))
        self._mask = (1 << bits) - 1
        self._n = 0

    def observe(self, terms: Iterable[str]) -> dict[str, float]:
        """Count one document's distinct terms and return their IDF."""
        self._n += 1
        counts, mask = self._counts, self._mask
        top = math.log(1 + self._n) + 1.0
        idf: dict[str, float] = {}
        for term in terms:
            bucket = crc32(term.encode("utf-8")) & mask
            counts[bucket] += 1
            idf[term] = top - math.log1p(counts[bucket])
        return idf


def _actor_words(actors: Iterable[str]) -> list[str]:
    """The words of resolved actors' canonical names (written in Latin letters), lower case
    like the names of the text."""
    return [w.lower() for actor in actors for w in actor.split() if w[:1].isupper()]


def statement_keys(text: str, language: str) -> frozenset[str]:
    """The evidence of one statement's text, as a set of keys (names, places, numbers, dates):
    what a quotation carried in two languages keeps in both."""
    found_figures, found_dates = scan(text)
    keys = {"%" + d for d in found_dates}
    keys.update("#" + figure for figure in found_figures)
    keys.update(places(text, language))
    for word in names(text):
        keys.update(name_keys(word.capitalize(), language))
    return frozenset(keys)
