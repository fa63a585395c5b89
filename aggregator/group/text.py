"""Text helpers shared by the three grouping levels: words, shingles, weighted terms, TF-IDF.

Everything here is pure and deterministic; nothing depends on hash randomisation
(``PYTHONHASHSEED``), so the same input gives the same output in every process.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from itertools import repeat
from operator import mul
from zlib import crc32

import numpy as np

# Words: runs of letters/digits, keeping inner apostrophes ("don't", "Côte d'Ivoire" -> d'ivoire).
# Tokeniser quotes (`` and '') and typographic quotes are not word characters, so they vanish.
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# A sentence ends at . ! ? or a line break; used to tell a capitalised name from a capitalised
# sentence opening.
_SENTENCE_BREAK = re.compile(r"[.!?]['\"’”)]*\s+|\n+")

# Function words and newsroom boilerplate that carry no topic. Kept short on purpose: IDF does the
# rest once a few hundred documents have been seen; this list only protects the first few.
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t said says say told according also new one two may might must us mr mrs ms dr
    """.split()
)


def _encode(term: str) -> bytes:
    return term.encode("utf-8")


# the last text tokenised and its tokens: an article's body is tokenised by the near-duplicate
# level and then again by the event level; the second call is served from here (by identity,
# so a different string with equal contents is simply tokenised again)
_last_words: tuple[str, tuple[str, ...]] = ("", ())


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``, in order (stopwords kept)."""
    global _last_words
    last = _last_words  # one read: another thread may replace it, never half of it
    if last[0] is text:
        return list(last[1])
    found: list[str] = _WORD.findall(text.lower().replace("’", "'"))
    _last_words = (text, tuple(found))
    return found


def content_words(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords and one-character tokens."""
    return [w for w in words(text) if len(w) > 1 and w not in STOPWORDS]


def shingles(tokens: Sequence[str], size: int) -> set[str]:
    """The set of ``size``-word shingles of ``tokens`` (the whole sequence if it is shorter)."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# Month and day names are capitalised but name no one: they are never names. ("May" is a
# stopword already, so Theresa May is lost either way.)
CALENDAR: frozenset[str] = frozenset(_MONTHS + _WEEKDAYS)
_WEEKDAY_WORDS = frozenset(_WEEKDAYS)


def _name_key(token: str) -> str | None:
    """The name a capitalised token stands for ("Iran’s" -> "iran"), or None for a word that is
    capitalised without naming anything (a stopword, a month, a day of the week)."""
    lowered = token.lower()
    if "’" in lowered:
        lowered = lowered.replace("’", "'")
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    if len(lowered) < 2 or lowered in STOPWORDS or lowered in CALENDAR:
        return None
    return lowered


def _acronym(token: str) -> bool:
    """All capitals ("NATO", "EU") or a capital after the first letter ("McCarthy"): a name
    wherever it stands."""
    return not token[1:].islower()


def names(text: str) -> list[str]:
    """Lower-cased capitalised words that do not open a sentence: a cheap named-entity signal.

    "Tara Reid checked into Promises" -> ["reid", "promises"] ("Tara" opens the sentence). A
    capitalised word that opens a sentence is most often an ordinary word, so it counts only when
    the text also writes it capitalised mid-sentence, or it is an acronym ("NATO said ..."). A
    possessive counts as its name ("Iran’s" -> "iran"); months and days of the week are no names.
    """
    found: list[str] = []
    openers: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        tokens = _WORD.findall(sentence)
        if not tokens:
            continue
        for token in tokens[1:]:
            if token[0].isupper() and (key := _name_key(token)) is not None:
                found.append(key)
        first = tokens[0]
        if first[0].isupper() and (key := _name_key(first)) is not None:
            (found if _acronym(first) else openers).append(key)
    if openers:
        known = set(found)
        found.extend(key for key in openers if key in known)
    return found


def headline_names(title: str, known: Iterable[str]) -> list[str]:
    """The names of a headline, the same whether the outlet writes it in sentence case or in
    title case.

    In sentence case ("Rubio visits Hungary") a capitalised word after the first is a name, as
    in running text. In title case ("Rubio Visits Hungary, Backs Orban") every word is
    capitalised, so capitals say nothing: a word counts only when the body names it (``known``:
    the body's names) or it is an acronym. The first word counts on the same terms in both.
    Without this, one outlet's headline words all became names that another outlet's
    sentence-case headline for the same story did not have.
    """
    tokens = _WORD.findall(title)
    content = [t for t in tokens if len(t) > 1 and t.lower() not in STOPWORDS]
    # title case: no word of substance in lower case (sentence case has its verbs and nouns so)
    title_case = len(content) >= 3 and all(t[0].isupper() or t[0].isdigit() for t in content)
    known = set(known)
    found: list[str] = []
    for position, token in enumerate(tokens):
        if not token[0].isupper():
            continue
        key = _name_key(token)
        if key is None:
            continue
        if key in known or _acronym(token) or (position > 0 and not title_case):
            found.append(key)
    return found


_MONTH_PATTERN = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# a month, with the day after it ("February 17, 2026", "Feb. 17"): a pattern that opens with a
# capital, so the engine skips ahead on the first character (one that opened with a lookbehind
# or a digit, or also matched weekdays, tried every position: a quarter of a millisecond a
# text). A day before the month ("17 February 2026") is looked for behind the match
# (:data:`_DAY_BEFORE`); what may stand before a month is checked on the match (:func:`_glued`).
_MONTH_DATE = re.compile(
    _MONTH_PATTERN + r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?)?"
)
_DAY_BEFORE = re.compile(r"(?<!\w)(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_YEAR_AFTER = re.compile(r",?\s+(?P<year>\d{4})\b")


def _glued(text: str, start: int) -> bool:
    """Whether a month or weekday at ``start`` is the tail of a longer capitalised word
    ("DEMonday", "ÉMay"): only a lower-case letter may run into it (page furniture run together:
    "The White HouseFebruary 17, 2026")."""
    if start == 0:
        return False
    before = text[start - 1]
    return before.isalpha() and not ("a" <= before <= "z")


def _month_number(name: str) -> int:
    return _MONTHS.index(next(m for m in _MONTHS if m.startswith(name.lower()[:3]))) + 1


def _near(day: date, month: int, number: int, written: str | None) -> bool:
    """Whether the date ``number`` ``month`` (of the year ``written``, else the nearest year)
    is within a day of ``day``."""
    years = [int(written)] if written else [day.year - 1, day.year, day.year + 1]
    for year in years:
        try:
            if abs((date(year, month, number) - day).days) <= 1:
                return True
        except ValueError:  # "February 30"
            return False
    return False


def strip_publication_date(text: str, published: datetime) -> str:
    """``text`` without the dates that repeat its publication date (within a day).

    Every report of one day carries that day's date ("Feb 17 (Reuters)", a page header "February
    17, 2026"), whatever it reports; the publication time itself is weighed by the time decay.
    Left in, it made two unrelated items of one day alike (two messages of one official source
    with the same dated header). A date that is not the publication date ("the shooting on
    January 5") is evidence and stays. (The days of the week, "on Monday", are dropped from the
    words by :func:`feature_groups`.) Returns ``text`` itself when nothing is cut, so the tokens
    cached for it still serve.
    """
    day = published.date()
    cuts: list[tuple[int, int]] = []
    for match in _MONTH_DATE.finditer(text):
        start, end = match.span()
        if _glued(text, start):
            continue
        number, year = match["day"], match["year"]
        if number is None:  # a month alone, or a day before it
            before = _DAY_BEFORE.search(text, max(0, start - 12), start)
            if before is None:
                continue
            number, start = before["day"], before.start()
            after = _YEAR_AFTER.match(text, end)
            if after is not None:
                year, end = after["year"], after.end()
        if _near(day, _month_number(match["month"]), int(number), year):
            cuts.append((start, end))
    if not cuts:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in sorted(cuts):
        if start < last:  # overlaps the previous cut
            continue
        pieces += (text[last:start], " ")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


class DocumentFrequencies:
    """Online document frequencies: IDF learned from what has been seen so far, in order.

    Counts live in a fixed array of ``2 ** bits`` buckets indexed by a CRC-32 of the term, so
    memory stays bounded however large the vocabulary grows (word pairs alone add thousands of
    new terms a day); a rare collision only makes a term look a little more common. CRC-32 is
    used, not ``hash()``, because ``hash()`` of a string changes from process to process.
    """

    __slots__ = ("_counts", "_mask", "_n")

    def __init__(self, bits: int = 22) -> None:
        self._counts = np.zeros(1 << bits, dtype=np.int64)  # 4M buckets x 8 bytes = 32 MB
        self._mask = (1 << bits) - 1
        self._n = 0

    @property
    def documents(self) -> int:
        """How many documents have been counted."""
        return self._n

    def add(self, terms: Iterable[str]) -> None:
        """Count one document's distinct terms."""
        self._n += 1
        counts, mask = self._counts, self._mask
        for term in terms:
            counts[crc32(term.encode("utf-8")) & mask] += 1

    def observe(self, terms: Iterable[str]) -> dict[str, float]:
        """Count one document's distinct terms and return their IDF (one hash per term)."""
        return self.observe_hashed(terms)[0]

    def observe_hashed(self, terms: Iterable[str]) -> tuple[dict[str, float], np.ndarray]:
        """:meth:`observe`, and the terms' CRC-32 hashes too (in the order given)."""
        self._n += 1
        terms = list(terms)
        # hashing and counting in C and numpy: this runs for a few hundred terms an article
        hashes = np.fromiter(map(crc32, map(_encode, terms)), dtype=np.int64, count=len(terms))
        buckets = hashes & self._mask
        np.add.at(self._counts, buckets, 1)  # add.at: two terms may share a bucket
        idf = math.log(1 + self._n) + 1.0 - np.log1p(self._counts[buckets])
        return dict(zip(terms, idf.tolist(), strict=True)), hashes

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency (scikit-learn's ``smooth_idf`` formula)."""
        df = int(self._counts[crc32(term.encode("utf-8")) & self._mask])
        return math.log((1 + self._n) / (1 + df)) + 1.0


def tfidf(counts: Mapping[str, float], frequencies: DocumentFrequencies) -> dict[str, float]:
    """A unit-length TF-IDF vector with sublinear term frequency (``1 + log tf``)."""
    vector = {
        term: (1.0 + math.log(count)) * frequencies.idf(term) if count >= 1.0 else 0.0
        for term, count in counts.items()
    }
    norm = math.sqrt(sum(v * v for v in vector.values()))
    if norm == 0.0:
        return {}
    return {term: v / norm for term, v in vector.items() if v > 0.0}


def dot(small: Mapping[str, float], large: Mapping[str, float]) -> float:
    """Sparse dot product; iterate over the smaller mapping for speed."""
    if len(small) > len(large):
        small, large = large, small
    # iterated in C: the small mapping's weights times the large one's for the same terms
    return float(sum(map(mul, small.values(), map(large.get, small, repeat(0.0)))))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> list[str]:
    """Numbers as written ("7.1", "2013", "20"): tolls, scores, magnitudes, years."""
    return _NUMBER.findall(text)


# the credit lines an outlet opens a text with: who wrote or carried it, not what happened.
# "[Capital Radio] Nairobi -- ...", "By Ann Lee and Bo Kim\n\nOSLO (Reuters) - ...",
# "DUNMORE (AP) — ..." (the place stays: it is part of the story)
_CREDIT_OPENING = re.compile(
    r"\s*(?:\[[^\]\n]{1,80}\]"  # a bracketed credit
    r"|By(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|le|la|al|bin)\b,?)+\s*\n)"  # a byline line
)
# a dateline's agency: "OSLO (Reuters) -", "OSLO, Norway, March 3 (AP) —" (the place in capitals)
_AGENCY = re.compile(r"\s*[A-Z][A-Z./'’-]+\b[^()\n]{0,50}?(\s*\([^()\n]{1,40}\))\s*[-–—:]")


def strip_credits(text: str) -> str:
    """``text`` without the credits it opens with: a bracketed carrier ("[Capital Radio]"),
    byline lines ("By Ann Lee and Bo Kim"), the agency of a dateline ("OSLO (Reuters) -").

    An outlet that carries several publishers opens each item with one of a handful of
    credits, and a wire's bylines repeat the same reporters over unrelated stories; left in,
    they linked items that had nothing else in common.
    """
    start = 0
    while match := _CREDIT_OPENING.match(text, start):
        start = match.end()
    agency = _AGENCY.match(text, start)
    if agency is not None:
        return text[start : agency.start(1)] + text[agency.end(1) :]
    return text[start:] if start else text


def feature_groups(
    title: str,
    text: str,
    *,
    actors: Iterable[str] = (),
    title_weight: float = 1.0,
    published: datetime | None = None,
) -> dict[str, dict[str, float]]:
    """Weighted counts of one article in four groups, each with its own term prefix.

    ``words``: content words (headline words count ``1 + title_weight``); ``names``: capitalised
    mid-sentence words (:func:`names`, :func:`headline_names`) and the words of resolved actors;
    ``numbers``; ``pairs``: adjacent content word pairs. Two reports of one development share
    names, figures and phrases, while two events of the same kind (two earthquakes) share mostly
    words. With ``published``, the dates that repeat it (:func:`strip_publication_date`) and the
    days of the week are left out: every report of that day has them.
    """
    text = strip_credits(text)
    if published is not None:
        title = strip_publication_date(title, published)
        text = strip_publication_date(text, published)
    full = title + "\n" + text
    tokens = content_words(text)
    headline = content_words(title)
    if published is not None:
        tokens = [w for w in tokens if w not in _WEEKDAY_WORDS]
        headline = [w for w in headline if w not in _WEEKDAY_WORDS]
    words_: dict[str, float] = {}
    for word in tokens:
        words_[word] = words_.get(word, 0.0) + 1.0
    for word in headline:
        words_[word] = words_.get(word, 0.0) + 1.0 + title_weight
    names_: dict[str, float] = {}
    body_names = names(text)
    for word in itertools.chain(headline_names(title, body_names), body_names):
        key = "@" + word
        names_[key] = names_.get(key, 0.0) + 1.0
    for actor in actors:
        for word in content_words(actor):
            key = "@" + word
            names_[key] = names_.get(key, 0.0) + 1.0
    numbers_: dict[str, float] = {}
    for number in numbers(full):
        key = "#" + number
        numbers_[key] = numbers_.get(key, 0.0) + 1.0
    pairs: dict[str, float] = {}
    for sequence in (headline, tokens):
        for first, second in itertools.pairwise(sequence):
            key = first + " " + second
            pairs[key] = pairs.get(key, 0.0) + 1.0
    return {"words": words_, "names": names_, "numbers": numbers_, "pairs": pairs}
