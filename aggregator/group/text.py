"""Text helpers shared by the three grouping levels: words, shingles, weighted terms, TF-IDF.

Everything here is pure and deterministic; nothing depends on hash randomisation
(``PYTHONHASHSEED``), so the same input gives the same output in every process.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
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


def names(text: str) -> list[str]:
    """Lower-cased capitalised words that do not open a sentence: a cheap named-entity signal.

    "Tara Reid checked into Promises" -> ["reid", "promises"] ("Tara" opens the sentence). A
    capitalised word that opens a sentence is left out because it is most often an ordinary word.
    """
    found: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        tokens = _WORD.findall(sentence)
        for token in tokens[1:]:
            if token[0].isupper() and len(token) > 1:
                lowered = token.lower().replace("’", "'")
                if lowered not in STOPWORDS:
                    found.append(lowered)
    return found


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
        self._n += 1
        terms = list(terms)
        # hashing and counting in C and numpy: this runs for a few hundred terms an article
        buckets = np.fromiter(map(crc32, map(_encode, terms)), dtype=np.int64, count=len(terms))
        buckets &= self._mask
        np.add.at(self._counts, buckets, 1)  # add.at: two terms may share a bucket
        idf = math.log(1 + self._n) + 1.0 - np.log1p(self._counts[buckets])
        return dict(zip(terms, idf.tolist(), strict=True))

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


def feature_groups(
    title: str, text: str, *, actors: Iterable[str] = (), title_weight: float = 1.0
) -> dict[str, dict[str, float]]:
    """Weighted counts of one article in four groups, each with its own term prefix.

    ``words``: content words (headline words count ``1 + title_weight``); ``names``: capitalised
    mid-sentence words and the words of resolved actors; ``numbers``; ``pairs``: adjacent content
    word pairs. Two reports of one development share names, figures and phrases, while two events
    of the same kind (two earthquakes) share mostly words.
    """
    full = title + "\n" + text
    tokens = content_words(text)
    headline = content_words(title)
    words_: dict[str, float] = {}
    for word in tokens:
        words_[word] = words_.get(word, 0.0) + 1.0
    for word in headline:
        words_[word] = words_.get(word, 0.0) + 1.0 + title_weight
    names_: dict[str, float] = {}
    for word in names(full):
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
