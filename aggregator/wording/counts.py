"""Counts in words, for every message a person reads: ``plural(1, "event")`` is ``"1 event"``.

The one helper behind CLI output, log and error sentences, and the digest templates (where it is
the Jinja2 filter ``plural``), so that no message says "1 sources" or "2 entry".
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` and the noun agreeing with it: ``plural(2, "entry")`` is ``"2 entries"``;
    ``plural`` gives an irregular form (``plural(3, "child", "children")``)."""
    return f"{count} {noun(count, singular, plural)}"


def noun(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun alone, singular for exactly one, else ``plural_form`` or the regular plural."""
    if count == 1:
        return singular
    return plural_form if plural_form is not None else regular_plural(singular)


def regular_plural(singular: str) -> str:
    """English's regular plural of the last word: copy -> copies, day -> days, box -> boxes."""
    if len(singular) > 1 and singular.endswith("y") and singular[-2] not in _VOWELS:
        return singular[:-1] + "ies"
    if singular.endswith(_SIBILANT_ENDINGS):
        return singular + "es"
    return singular + "s"


__all__ = ["noun", "plural", "regular_plural"]
