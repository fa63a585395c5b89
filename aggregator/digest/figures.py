"""Figures in a statement: the numbers it gives of people killed, wounded, displaced or
captured, what each counts (digest/counted.py) and where. Pure, by rule; read by contested.py.

A number is a figure when a word for a kind of count is named near it ("2,000 civilians were
killed", "the death toll rose to 40"); a year ("since 1992"), a date, a time, a share, an age
("a 19-year-old") or a number below two is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from aggregator.digest.counted import ELIDED, MONTH_NAMES, MONTH_SHORT, Counted, counted

# the kinds of count a figure can be about, and the words that name each
_COUNTS: dict[str, re.Pattern[str]] = {
    "killed": re.compile(
        r"\b(kill\w*|dead|deaths?|death toll|died|die|casualt\w*|lives|bodies|massacr\w*|"
        r"genocide|lost|losses)\b",
        re.IGNORECASE,
    ),
    "wounded": re.compile(r"\b(wound\w*|injur\w*)\b", re.IGNORECASE),
    "displaced": re.compile(r"\b(refugees?|displaced|fled|flee\w*|evacuat\w*)\b", re.IGNORECASE),
    "captured": re.compile(
        r"\b(prisoners?|captives?|surrender\w*|taken prisoner|hostages?)\b", re.IGNORECASE
    ),
}

KINDS = tuple(_COUNTS)
_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}
_ANY_COUNT = re.compile(  # over lower-cased text, without IGNORECASE (about twice as fast)
    "|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in _COUNTS.items())
)

_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12, "dozens": 36,
    "hundreds": 300, "thousands": 3000, "scores": 60,
}  # fmt: skip
_NUMBER = re.compile(  # over lower-cased text, like _ANY_COUNT
    r"(?<![\w.,:])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|k)\b)?|"
    r"\b(" + "|".join(_NUMBER_WORDS) + r")\b"
)
_YEARLIKE = re.compile(r"^(1[89]|20)\d\d$")
# a number that is part of something else: a share ("40%"), an age or a size ("a 19-year-old",
# "a 12-storey block"), a time ("10:30"), a day of the month ("Feb. 17"; "17 February" is read
# by counted.py as a number of things)
_PART_OF_A_WORD = re.compile(r"%|:\d|-[a-z]")
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join((*MONTH_NAMES, *MONTH_SHORT)) + r")\.?\s+$")
SENTENCE_END = re.compile(r"[.!?;]\s")
_CLAUSE_BREAK = re.compile(r"\band\b|[,;]")
# a figure counts only when a count word is near it ("2,000 civilians ... killed")
FIGURE_WINDOW = 60
FIGURE_WINDOW_BEFORE = 40


class Figure(NamedTuple):
    """A number a statement gives for a kind of count."""

    kind: str  # of count, one of KINDS
    value: float
    written: str  # the number as written
    who: Counted | None  # what it counts, when a noun says
    place: str | None  # where, when a place is named after it


def _number_value(match: re.Match[str]) -> float | None:
    if match.group(3):
        return float(_NUMBER_WORDS[match.group(3).casefold()])
    written = match.group(1)
    digits = written.replace(",", "")
    if "," not in written and _YEARLIKE.match(digits) and not match.group(2):
        return None  # "since 1992" is a date, not a count
    value = float(digits)
    scale = (match.group(2) or "").casefold()
    if scale in ("thousand", "k"):
        value *= 1000
    elif scale == "million":
        value *= 1_000_000
    return value


def read_figures(
    lower: str,
    spans: list[tuple[int, int, int]],
    cased: str | None = None,
    place_after: Callable[[int], str | None] | None = None,
) -> tuple[Figure, ...]:
    """Numbers with a kind of count named near them, in lower-cased ``lower``, what each
    counts and where (``cased``: the text as written, when its offsets are those of ``lower``;
    ``place_after``: the place named after an offset, if any).

    ``spans`` are where each kind of count is named (count_spans); a number takes the kind named
    nearest it within its window, in its own clause if one is. A number with no noun of its own
    ("killed two guards and wounded five", "five others") counts what the figure before it in
    the sentence counts; a number of things ("two apartment blocks") is no figure.
    """
    if not spans:
        return ()  # no count named at all: no figure, and no need to look for numbers
    figures: list[Figure] = []
    before: tuple[int, Counted | None] | None = None  # the last number's end and what it counts
    for match in _NUMBER.finditer(lower):
        value = _number_value(match)
        if value is None or value < 2 or _not_a_count(lower, match):
            continue
        kind = _nearest_kind(lower, match, spans)
        if kind is None:
            continue
        who = counted(lower, match.end(), cased)
        if who is None or who is ELIDED:
            same_sentence = before is not None and not SENTENCE_END.search(
                lower, before[0], match.start()
            )
            # a number of things before it lends no noun ("a strike on two schools killed 40")
            lent = before[1] if before is not None and same_sentence else None
            who = None if lent is not None and lent.things else lent
        before = (match.end(), who)
        if who is not None and who.things:
            continue
        place = place_after(match.end()) if place_after is not None else None
        figures.append(Figure(kind, value, match.group(0).strip(), who, place))
    return tuple(figures)


def _not_a_count(lower: str, number: re.Match[str]) -> bool:
    """Whether ``number`` is a share, an age, a size, a time or a date ("a 19-year-old",
    "Feb. 17"), not a count of anyone."""
    if _PART_OF_A_WORD.match(lower, number.end()):
        return True
    return bool(_MONTH_BEFORE.search(lower, max(0, number.start() - 12), number.start()))


def _nearest_kind(
    lower: str, number: re.Match[str], spans: list[tuple[int, int, int]]
) -> str | None:
    """The kind of count named nearest ``number`` within its window, one in its own clause
    first ("3 killed and 40 wounded", "40 were wounded and 3 were killed"); the first in
    _COUNTS order on a tie; None when none is named."""
    low = max(0, number.start() - FIGURE_WINDOW_BEFORE)
    high = number.end() + FIGURE_WINDOW
    near = []
    for start, end, order in spans:
        if start < high and end > low:
            between = lower[end : number.start()] if end <= number.start() else ""
            between += lower[number.end() : start] if start >= number.end() else ""
            distance = max(start - number.end(), number.start() - end, 0)
            near.append((bool(_CLAUSE_BREAK.search(between)), distance, order))
    return KINDS[min(near)[2]] if near else None


def count_spans(lower: str) -> list[tuple[int, int, int]]:
    """Where lower-cased ``lower`` names each kind of count: (start, end, index in KINDS)."""
    return [
        (m.start(), m.end(), _KIND_ORDER[m.lastgroup or ""]) for m in _ANY_COUNT.finditer(lower)
    ]
