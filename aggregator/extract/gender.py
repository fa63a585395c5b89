"""A person's gender as the text shows it, for pronoun agreement: "she said", after Barack Obama
and Hillary Clinton were both named, is Hillary Clinton's and never Barack Obama's.

    a pronoun      he, him, his: masculine; she, her, hers: feminine
    a person       the first of these that tells one gender:
        1. the given name (aggregator/data/given_names.yaml: only names nearly everyone in the
           news who bears them shares one gender with), of a name of two words or more
        2. the words of the mention and the role ("Mrs. Trump", "a spokeswoman", "Queen",
           "the president's wife"), when they tell one gender only
        3. the forms of address the text gives the surname ("Mr. Lavrov", "Ms. Kallas"), when
           it gives only one gender's (Donald and Melania Trump in one text give both)
    otherwise unknown, which agrees with either pronoun

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

from aggregator.extract.lexicon import FEMININE_WORDS, HONORIFICS, MASCULINE_WORDS

Gender = Literal["feminine", "masculine"]

_PRONOUNS: dict[str, Gender] = {
    "he": "masculine",
    "him": "masculine",
    "his": "masculine",
    "she": "feminine",
    "her": "feminine",
    "hers": "feminine",
}
# forms of address before a name, capitalised as written ("Mr.", "Mrs", "Lady", "Lord")
_ADDRESS_WORDS = (FEMININE_WORDS | MASCULINE_WORDS) & (HONORIFICS | {"lady", "lord"})
_ADDRESS = re.compile(
    r"\b("
    + "|".join(sorted((w.capitalize() for w in _ADDRESS_WORDS), key=len, reverse=True))
    + r")\.?\s+((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)"
)
_WORD = re.compile(r"[\w’'-]+")
_POSSESSIVE = re.compile(r"[’']s?$")


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


def words_gender(*texts: str | None) -> Gender | None:
    """The gender the words of a mention or role tell, when they tell one only."""
    words = {_POSSESSIVE.sub("", w.lower()) for text in texts if text for w in _WORD.findall(text)}
    feminine, masculine = bool(words & FEMININE_WORDS), bool(words & MASCULINE_WORDS)
    if feminine == masculine:
        return None
    return "feminine" if feminine else "masculine"


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
            gender: Gender = "feminine" if match.group(1).lower() in FEMININE_WORDS else "masculine"
            surname = match.group(2).split()[-1]
            found.setdefault(surname, set()).add(gender)
            self.addressed.append((match.start(2), surname, gender))
        self._by_surname = {name: next(iter(g)) for name, g in found.items() if len(g) == 1}
        self._starts = [offset for offset, _, _ in self.addressed]

    def of(self, name: str | None, *words: str | None) -> Gender | None:
        """A person's gender (see the module docstring): by given name, by the words of the
        mention and role, then by the forms of address the text gives the surname."""
        by_name = name_gender(name)
        if by_name is not None:
            return by_name
        by_words = words_gender(name, *words)
        if by_words is not None:
            return by_words
        parts = (name or "").split()
        return self._by_surname.get(parts[-1]) if parts else None

    def addressed_before(self, position: int) -> list[tuple[int, str, Gender]]:
        """The forms of address that start before ``position``, nearest last."""
        return self.addressed[: bisect_left(self._starts, position)]
