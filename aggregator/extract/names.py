"""Names across scripts: a name in Latin letters, and the key two spellings of one name share.

    latin(name, language)   Cyrillic in Latin letters, by the system the news of each language
                            is romanised with: Ukrainian by the national system of 2010 (KMU 55,
                            translitua) when ``language`` is "uk" or the name has a letter only
                            Ukrainian writes (і ї є ґ): "Сибіга" -> "Sybiha", "Зеленський" ->
                            "Zelenskyi"; other Cyrillic by English Wikipedia's system for
                            Russian (iuliia): "Захарова" -> "Zakharova", "Сергей" -> "Sergey".
                            Latin text comes back as written.
    fold(name)              lower case, Cyrillic transliterated, accents and the marks that
                            vary between spellings removed: "Sergueï Lavrov" -> "serguei
                            lavrov", "Сергей Лавров" -> "sergey lavrov", "Erdoğan" -> "erdogan",
                            "O’Brien" -> "o'brien". Two spellings that differ beyond that
                            ("Sergei"/"Sergey"/"Sergueï") meet through the gazetteer's aliases.

Both are pure and cached (the same names recur in every article).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "has_cyrillic", "has_ukrainian_letters", "latin"]

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# a word with a Cyrillic letter, with the apostrophe Ukrainian writes inside words ("В’ячеслав")
_CYRILLIC_WORD = re.compile(
    r"[\u0400-\u04ff\w]*[\u0400-\u04ff][\u0400-\u04ff\w]*(?:['’ʼ][\u0400-\u04ff\w]+)*"
)
# letters Ukrainian writes and Russian does not, and the apostrophe inside a word (Russian
# writes "ъ" there: "Вячеслав", "объект")
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]|[\u0400-\u04ff]['’ʼ][\u0400-\u04ff]")
# letters NFKD does not take apart into a base letter and a mark
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ß": "ss",
        # apostrophes and dashes as typed and as typeset
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
    }
)
_SPACES = re.compile(r"\s+")
_CACHE = 65536


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` has a Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


def has_ukrainian_letters(text: str) -> bool:
    """Whether ``text`` has a letter Ukrainian writes and Russian does not (і ї є ґ), or an
    apostrophe inside a Cyrillic word ("В’ячеслав")."""
    return _UKRAINIAN_LETTERS.search(text) is not None


@lru_cache(maxsize=_CACHE)
def latin(name: str, language: str | None = None) -> str:
    """``name`` in Latin letters: Cyrillic transliterated (Ukrainian by the national system of
    2010, other Cyrillic by English Wikipedia's system for Russian); Latin text as written."""
    if not has_cyrillic(name):
        return name
    ukrainian = language == "uk" or has_ukrainian_letters(name)
    return _CYRILLIC_WORD.sub(lambda word: _word(word.group(0), ukrainian), name)


def _word(word: str, ukrainian: bool) -> str:
    """One word in Latin letters; a word in capitals stays in capitals ("ЗАХАРОВА" ->
    "ZAKHAROVA", where the systems would write "ZAKhAROVA")."""
    if ukrainian:
        import translitua  # imported on first use: English text never needs it

        found = str(translitua.translit(word, translitua.UkrainianKMU))
    else:
        import iuliia

        found = str(iuliia.WIKIPEDIA.translate(word))
    return found.upper() if len(word) > 1 and word.isupper() else found


@lru_cache(maxsize=_CACHE)
def fold(name: str) -> str:
    """The key two spellings of one name share: Latin letters, lower case, no accents, one
    kind of apostrophe and hyphen, single spaces."""
    text = name.lower()
    if not text.isascii():  # most English names are: nothing else to undo
        text = latin(text).lower().translate(_LETTERS)
        text = "".join(
            char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
        )
    return _SPACES.sub(" ", text.replace("`", "'")).strip()
