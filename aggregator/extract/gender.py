"""A person's gender as the text shows it, for pronoun agreement: "she said", after Barack Obama
and Hillary Clinton were both named, is Hillary Clinton's and never Barack Obama's.

    a pronoun      he, him, his: masculine; she, her, hers: feminine
    a person       the first of these that tells one gender:
        1. the given name (aggregator/data/given_names.yaml: only names nearly everyone in the
           news who bears them shares one gender with), of a name of two words or more
        2. the mention's form of address ("Mrs. Trump", "Mr. Lavrov"), and the role's nouns
           before its first preposition, as common nouns ("a spokeswoman for the ministry",
           "the president's wife"; not "an aide to the king", "a professor at Duke
           University"), when they tell one gender only
        3. the forms of address the text gives the surname ("Mr. Lavrov", "Ms. Kallas"), when
           it gives only one gender's (Donald and Melania Trump in one text give both)
    otherwise unknown, which agrees with either pronoun; a name's own words tell nothing but
    its given name ("Gayle King", "Notre Dame")

:class:`Genders` reads one text's forms of address once; :mod:`aggregator.extract.coref` asks
it whether a pronoun agrees with the person it would resolve to.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from aggregator.extract.lexicon import (
    FEMININE_ADDRESS,
    FEMININE_NOUNS,
    MASCULINE_ADDRESS,
    MASCULINE_NOUNS,
    OFFICE_WORDS,
    TITLE_WORDS,
)

Gender = Literal["feminine", "masculine"]

_PRONOUNS: dict[str, Gender] = {
    "he": "masculine",
    "him": "masculine",
    "his": "masculine",
    "she": "feminine",
    "her": "feminine",
    "hers": "feminine",
}
_ADDRESS_WORDS: dict[str, Gender] = {}
for _word in FEMININE_ADDRESS:
    _ADDRESS_WORDS[_word] = "feminine"
for _word in MASCULINE_ADDRESS:
    _ADDRESS_WORDS[_word] = "masculine"
# a form of address, capitalised as written, and the capitalised words after it on its line
# ("Mr. Lavrov", "Mrs Clinton’s"; "Mr. and Mrs. Trump" gives only "Mrs. Trump")
_ADDRESS = re.compile(
    r"\b("
    + "|".join(sorted((w.capitalize() for w in _ADDRESS_WORDS), key=len, reverse=True))
    + r")\.?[ \t]+((?:[A-Z][\w’'-]+[ \t]+){0,2}[A-Z][\w’'-]+)"
)
_WORD = re.compile(r"[\w’'-]+")
_POSSESSIVE = re.compile(r"[’']s?$")
# the words after which a role's nouns are someone else's ("an aide to the king", "the wife of
# the president" keeps "wife")
_PREPOSITIONS = frozenset("to of for at with in from by on under".split())
_NOT_SURNAMES = TITLE_WORDS | OFFICE_WORDS


def pronoun_gender(word: str) -> Gender | None:
    """The gender a personal pronoun refers to ("she": feminine); None for any other word."""
    return _PRONOUNS.get(word.strip().lower())


@cache
def given_names() -> dict[str, Gender]:
    """The bundled given names by gender (case-folded)."""
    path = resources.files("aggregator").joinpath("data", "given_names.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names: dict[str, Gender] = {}
    for gender in ("feminine", "masculine"):
        for name in data[gender]:
            names[str(name).casefold()] = gender
    return names


def _one(genders: set[Gender]) -> Gender | None:
    return next(iter(genders)) if len(genders) == 1 else None


def words_gender(mention: str | None, role: str | None = None) -> Gender | None:
    """The gender a mention's form of address ("Mrs. Trump") and a role's common nouns before
    its first preposition ("a spokeswoman for the king": spokeswoman) tell, when they tell one
    only."""
    found: set[Gender] = set()
    first = _WORD.search(mention or "")
    if first is not None:
        address = _ADDRESS_WORDS.get(first.group(0).lower())
        if address is not None and first.group(0)[0].isupper():
            found.add(address)
    for text in (mention, role):
        for word in _WORD.findall(text or ""):
            noun = _POSSESSIVE.sub("", word)
            if noun.lower() in _PREPOSITIONS:
                break
            if noun.islower():  # a common noun, not a name's word ("Duke University")
                if noun in FEMININE_NOUNS:
                    found.add("feminine")
                elif noun in MASCULINE_NOUNS:
                    found.add("masculine")
    return _one(found)


def name_gender(name: str | None) -> Gender | None:
    """The gender a person's given name tells, in a name of two words or more: its first word
    that is a listed given name, the surname aside ("Marco Rubio", "State Marco Rubio" as a run
    of capitals reads "Secretary of State Marco Rubio")."""
    words = (name or "").split()
    names = given_names()
    for word in words[:-1]:
        found = names.get(word.strip(".,").casefold())
        if found is not None:
            return found
    return None


class Genders:
    """The genders one text tells: its forms of address by surname, and where each stands."""

    def __init__(self, text: str) -> None:
        found: dict[str, set[Gender]] = {}
        self.addressed: list[tuple[int, str, Gender]] = []  # (offset, surname, gender)
        for match in _ADDRESS.finditer(text):
            gender = _ADDRESS_WORDS[match.group(1).lower()]
            surname = _POSSESSIVE.sub("", match.group(2).split()[-1])
            if surname.lower() in _NOT_SURNAMES:  # "Mr. President", "Madam Secretary"
                continue
            found.setdefault(surname, set()).add(gender)
            self.addressed.append((match.start(2), surname, gender))
        self._by_surname = {name: g for name, genders in found.items() if (g := _one(genders))}
        self._starts = [offset for offset, _, _ in self.addressed]

    def of(self, name: str | None, role: str | None = None) -> Gender | None:
        """A person's gender (see the module docstring): by given name, by the name's form of
        address and the role's nouns, then by the forms of address the text gives the
        surname."""
        by_name = name_gender(name)
        if by_name is not None:
            return by_name
        by_words = words_gender(name, role)
        if by_words is not None:
            return by_words
        parts = (name or "").split()
        return self._by_surname.get(_POSSESSIVE.sub("", parts[-1])) if parts else None

    def before(self, position: int) -> int:
        """How many forms of address start before ``position`` (:attr:`addressed` is in text
        order)."""
        return bisect_left(self._starts, position)
