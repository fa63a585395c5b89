"""The English of every message a person reads: counts in words, a/an, characters made visible.

Used by every layer that speaks to a person (configuration errors, fetch notes, the store's
refusals, CLI output, the digest's templates), so it sits at the bottom, beside errors and
clock, and imports nothing of the project. Modules:

    counts     plural(2, "entry") -> "2 entries"; noun(); regular_plural()
    english    a_or_an("hour") -> "an hour"; shown() escapes what a terminal must not get raw;
               describe_char() -> "U+001B ESC"
"""

from aggregator.wording.counts import noun, plural, regular_plural
from aggregator.wording.english import a_or_an, describe_char, shown

__all__ = ["a_or_an", "describe_char", "noun", "plural", "regular_plural", "shown"]
