"""Small pieces of English for messages built from parts, so that each part reads right."""

from __future__ import annotations

import unicodedata

# Spelled with a vowel but said with a consonant ("a unique", "a one-off"), and the reverse:
# a silent h ("an hour").
_SAID_WITH_A_CONSONANT = ("uni", "use", "usu", "uti", "eu", "one", "once", "ubiq")
_SAID_WITH_A_VOWEL = ("hour", "honest", "honour", "honor", "heir")
# Initialisms are read letter by letter: "an SMTP relay", "an HTTP error", "a UTF-8 file".
_LETTERS_SAID_WITH_A_VOWEL = frozenset("AEFHILMNORSX")
# unicodedata has no names for control characters
_CONTROL_NAMES = {0: "NUL", 9: "TAB", 10: "LINE FEED", 13: "CARRIAGE RETURN", 27: "ESC", 127: "DEL"}


def a_or_an(phrase: str) -> str:
    """``phrase`` with its indefinite article: "an unspecified address", "a loopback address"."""
    word = phrase.split(maxsplit=1)[0] if phrase.strip() else ""
    letters = "".join(ch for ch in word if ch.isalpha())
    if letters.isupper() and (len(letters) > 1 or len(word) == 1):
        vowel = letters[0] in _LETTERS_SAID_WITH_A_VOWEL
    else:
        lower = word.lower()
        vowel = (lower[:1] in tuple("aeiou") and not lower.startswith(_SAID_WITH_A_CONSONANT)) or (
            lower.startswith(_SAID_WITH_A_VOWEL)
        )
    return f"{'an' if vowel else 'a'} {phrase}"


def shown(text: str) -> str:
    """``text`` with every non-printable character written as an escape (``\\x1b``, ``\\x00``).

    Messages quote what a user or a server wrote; a raw ESC or NUL must not reach the terminal.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def describe_char(ch: str) -> str:
    """A character by code point and name: ``U+001B ESC``, ``U+00A0 NO-BREAK SPACE``."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "control character")
    return f"U+{ord(ch):04X} {name}"


__all__ = ["a_or_an", "describe_char", "shown"]
