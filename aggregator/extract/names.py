"""Names across scripts: a name in Latin letters, and the key two spellings of one name share.

    latin(name, language)   Cyrillic in Latin letters, by the system the news of each language
                            is romanised with: Ukrainian by the national system of 2010 (KMU 55,
                            translitua) when ``language`` is "uk" or the name has a letter only
                            Ukrainian writes (і ї є ґ): "Сибіга" -> "Sybiha", "Зеленський" ->
                            "Zelenskyi"; other Cyrillic by English Wikipedia's system for
                            Russian (iuliia): "Захарова" -> "Zakharova", "Сергей" -> "Sergey";
                            a word with ы э ё ъ is Russian in any text ("Пётр" -> "Pyotr"),
                            and no Cyrillic letter is left. Latin text comes back as written.
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
# letters only Russian writes: a word with one is read by the Russian system in any text
_RUSSIAN_LETTERS = re.compile(r"[ыэёъЫЭЁЪ]")
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
    2010, other Cyrillic by English Wikipedia's system for Russian); Latin text as written.

    The system is chosen for the name (Ukrainian by ``language`` or a Ukrainian letter), then
    for each word: a word with ы э ё ъ is Russian ("Пётр", "Рыбаков", "Эрдоган" in a Ukrainian
    text), one with і ї є ґ or an inner apostrophe Ukrainian. No Cyrillic letter is left: one
    neither system writes (Serbian "ђ", Kazakh "ә", Old Church Slavonic "ѣ") is written by
    :func:`_letter`."""
    if not has_cyrillic(name):
        return name
    ukrainian = language == "uk" or has_ukrainian_letters(name)
    return _CYRILLIC_WORD.sub(lambda word: _word(word.group(0), ukrainian), name)


def _word(word: str, ukrainian: bool) -> str:
    """One word in Latin letters; a word in capitals stays in capitals ("ЗАХАРОВА" ->
    "ZAKHAROVA", where the systems would write "ZAKhAROVA")."""
    if _RUSSIAN_LETTERS.search(word):
        ukrainian = False
    elif has_ukrainian_letters(word):
        ukrainian = True
    found = _system(word, ukrainian)
    if has_cyrillic(found):
        found = _CYRILLIC.sub(lambda letter: _letter(letter.group(0)), found)
    return found.upper() if len(word) > 1 and word.isupper() else found


def _system(text: str, ukrainian: bool) -> str:
    if ukrainian:
        import translitua  # imported on first use: English text never needs it

        return str(translitua.translit(text, translitua.UkrainianKMU))
    import iuliia

    return str(iuliia.WIKIPEDIA.translate(text))


# letters of other languages written in Cyrillic that neither system writes, by the usual
# romanisation of their language (Serbian, Macedonian, Belarusian, Kazakh and the like)
_OTHER_LETTERS = {
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dz",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    "ў": "w",
    "ә": "a",
    "ғ": "gh",
    "қ": "q",
    "ң": "ng",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ӏ": "",
    "ѣ": "e",
    "ѳ": "f",
    "ѵ": "i",
    "ѡ": "o",
    "ѯ": "ks",
    "ѱ": "ps",
}


@lru_cache(maxsize=1024)
def _letter(char: str) -> str:
    """A Cyrillic character neither system wrote, in Latin letters: by the table above, else
    its base letter without marks ("ѐ" -> "e", "ӂ" -> "zh"), else from its Unicode name
    ("CYRILLIC SMALL LETTER ABKHASIAN CHE" -> "ch"); a mark or sign that is no letter is
    dropped."""
    lower = char.lower()
    found = _OTHER_LETTERS.get(lower)
    if found is None:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c)
        )
        if base and base != lower:
            found = _system(base, has_ukrainian_letters(base))
            found = (
                found
                if not has_cyrillic(found)
                else _CYRILLIC.sub(lambda m: _letter(m.group(0)), found)
            )
        elif unicodedata.category(char).startswith("L"):
            name = unicodedata.name(char, "").split()
            last = name[-1].lower() if name else ""
            found = last[:-1] if len(last) > 2 and last[-1] in "aeiou" else last
            found = found if found.isascii() and found.isalpha() else ""
        else:
            found = ""
    return found[:1].upper() + found[1:] if char.isupper() else found


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
