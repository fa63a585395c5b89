"""The text of a language beside English: working copy, quotations, sentences, words.

Every step keeps offsets: the working copy has the input's length (only spaces are swapped in:
tabs, carriage returns, non-breaking spaces), quotation interiors are masked with a character
of the same length, and every token, quotation and sentence is a pair of offsets into it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from aggregator.extract.languages.lexicon import DASHES, Lexicon

MASK = "~"
_SPACES = re.compile(r"[\t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_BLOCK = re.compile(r"[^\n]+")
# a sentence ends at . ! ? … (and any closing marks after it) before a space and a capital,
# a digit, an opening mark or a dash; "г." and initials are handled by the caller
_SENTENCE_END = re.compile(r"[.!?…]+[\"»“”’)]*(?=\s+[\"«„“‚‹»(\d\w" + DASHES + r"])")
# words joined by hyphens, and by apostrophes where the language writes them inside words
# (Ukrainian "зв'язок"); a French inverted pronoun ("a-t-il", "dit-elle") is a word of its own
_INVERTED = r"(?!t-|(?:il|elle|ils|elles|on)\b)"
_TOKEN = re.compile(r"\w+(?:-" + _INVERTED + r"\w+)*")
_TOKEN_APOSTROPHE = re.compile(r"\w+(?:[-’']" + _INVERTED + r"\w+)*")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``start``/``end`` cover it with its marks, ``inner_start``/``inner_end``
    its words; a dialogue line after a dash has no marks (the two pairs are equal)."""

    start: int
    end: int
    inner_start: int
    inner_end: int


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    low: str  # the text in lower case


def working_copy(text: str) -> str:
    """``text`` with every kind of space made a plain space (same length)."""
    return _SPACES.sub(" ", text)


def blocks(work: str) -> Iterator[tuple[int, int]]:
    """Paragraphs: the non-empty lines."""
    for match in _BLOCK.finditer(work):
        if match.group().strip():
            yield match.start(), match.end()


def find_quotes(work: str, start: int, end: int, lexicon: Lexicon) -> list[Quote]:
    """The outermost quotations of ``work[start:end]`` (nested ones stay inside), and the lines
    of a dialogue paragraph ("— Мы не допустим этого, — заявил Лавров. — …")."""
    found: list[Quote] = []
    closers: list[str] = []
    opened = start
    for mark in _marks(lexicon).finditer(work, start, end):  # only the marks are visited
        index = mark.start()
        char = mark.group()
        if closers and char == closers[-1]:
            closers.pop()
            if not closers:
                found.append(_quote(work, opened, index + 1))
            continue
        closing = lexicon.quotes.get(char)
        if closing is None:
            continue
        if char == '"' and index > start and work[index - 1].isalnum():
            continue  # a straight mark after a letter closes or is an inch mark; never opens
        if not closers:
            opened = index
        closers.append(closing)
    if closers:  # an open quotation runs to the paragraph's end
        found.append(Quote(opened, end, opened + 1, end))
    return _with_dialogue(found, work, start, end)


@cache
def _marks(lexicon: Lexicon) -> re.Pattern[str]:
    """Every opening and closing mark of the language, as one character class."""
    marks = set(lexicon.quotes) | set(lexicon.quotes.values())
    return re.compile("[" + "".join(re.escape(m) for m in sorted(marks)) + "]")


def _quote(work: str, start: int, end: int) -> Quote:
    """A closed quotation; its words without the spaces French sets inside the marks."""
    inner_start, inner_end = start + 1, end - 1
    while inner_start < inner_end and work[inner_start] == " ":
        inner_start += 1
    while inner_end > inner_start and work[inner_end - 1] == " ":
        inner_end -= 1
    return Quote(start, end, inner_start, inner_end)


def _with_dialogue(found: list[Quote], work: str, start: int, end: int) -> list[Quote]:
    """``found``, or the dialogue lines of a paragraph opening with a dash and holding no
    quotation marks."""
    if not found and work[start] in DASHES:
        found.extend(_dialogue(work, start, end))
    return found


_DIALOGUE_BREAK = re.compile(r"(?:[,!?…]|\.)\s+[" + DASHES + r"]\s+")


def _dialogue(work: str, start: int, end: int) -> Iterator[Quote]:
    """The spoken lines of a paragraph opening with a dash: from after the dash to the dash
    before the attribution, and from the attribution's next dash to the paragraph end."""
    pos = start + 1
    spoken = True
    for match in _DIALOGUE_BREAK.finditer(work, pos, end):
        if spoken:
            inner_end = match.start() + (0 if work[match.start()] in ",." else 1)
            yield _line(work, pos, inner_end)
        pos = match.end()
        spoken = not spoken
    if spoken and pos < end:
        yield _line(work, pos, end)


def _line(work: str, start: int, end: int) -> Quote:
    """A dialogue line without the spaces around it and its final full stop."""
    while start < end and work[start] == " ":
        start += 1
    while end > start and work[end - 1] in " .":
        end -= 1
    return Quote(start, end, start, end)


# an attribution inside one pair of marks: «A, — сказал Лавров. — B»
_INSIDE = re.compile(
    r"(?P<sep>[,!?…]\s*[" + DASHES + r"]\s+)(?P<verb>\w+)[^" + DASHES + r"«»„“”\n]{0,120}?"
    r"(?P<next>[.,:]\s*[" + DASHES + r"]\s+)"
)


def split_attributions(
    work: str, quotes: list[Quote], is_cue: Callable[[str], bool]
) -> list[Quote]:
    """Quotations with an attribution set inside their marks between dashes, as Russian and
    Ukrainian print them («A, — сказал Лавров. — B»), cut into the two quotations around it;
    the attribution is then text like any other."""
    out: list[Quote] = []
    for quote in quotes:
        start = quote.start
        inner_start = quote.inner_start
        for match in _INSIDE.finditer(work, quote.inner_start, quote.inner_end):
            if not is_cue(match.group("verb")):
                continue
            cut = match.start("sep") + (0 if work[match.start("sep")] == "," else 1)
            out.append(Quote(start, match.start("sep"), inner_start, cut))
            start = inner_start = match.end("next")
        out.append(Quote(start, quote.end, inner_start, quote.inner_end))
    return out


def mask(work: str, quotes: list[Quote]) -> str:
    """``work`` with each quotation's words replaced by :data:`MASK` (same length)."""
    pieces: list[str] = []
    pos = 0
    for quote in quotes:
        if quote.inner_end <= quote.inner_start:
            continue
        pieces.append(work[pos : quote.inner_start])
        pieces.append(MASK * (quote.inner_end - quote.inner_start))
        pos = quote.inner_end
    pieces.append(work[pos:])
    return "".join(pieces)


_LAST_WORD = re.compile(r"(\w+)\.*$")


def sentences(masked: str, start: int, end: int, lexicon: Lexicon) -> Iterator[tuple[int, int]]:
    """The sentences of one block of the masked copy."""
    pos = start
    for match in _SENTENCE_END.finditer(masked, start, end):
        # the word before the mark (a bounded look-back: a page of "г." stays linear)
        before = _LAST_WORD.search(masked, max(pos, match.start() - 40), match.start() + 1)
        word = before.group(1) if before else ""
        if masked[match.start()] == "." and (
            (len(word) == 1 and word.isupper()) or word.lower() in lexicon.abbreviations
        ):
            continue  # an initial ("С. Лавров") or an abbreviation ("г.", "Dr.")
        yield pos, match.end()
        pos = match.end()
        while pos < end and masked[pos] == " ":
            pos += 1
    if pos < end and masked[pos:end].strip():
        yield pos, end


def tokens(masked: str, start: int, end: int, lexicon: Lexicon) -> list[Token]:
    """The words of ``masked[start:end]`` (quotation interiors have none)."""
    pattern = _TOKEN_APOSTROPHE if lexicon.apostrophe_in_words else _TOKEN
    return [
        Token(m.start(), m.end(), m.group(), m.group().lower())
        for m in pattern.finditer(masked, start, end)
    ]
