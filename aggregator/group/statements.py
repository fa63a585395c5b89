"""Level 2: one canonical statement for the same quote or claim carried by several outlets.

Outlets trim a quote differently, cut it with an ellipsis, insert a bracketed word ("[the
ministry] will respond"), and punctuate it their own way. Each statement is normalised into
fragments of lower-case words (brackets and ellipses cut fragments, punctuation goes), and two
statements of the same speaker merge when the shorter one's fragments are found in the longer one
with a rapidfuzz ``partial_ratio`` of at least ``min_ratio``, weighted by fragment length.

Policy: never merge different speakers (a statement without a speaker merges with nothing: it may
be anyone's), and prefer a missed merge over a wrong one, since a wrong merge attributes one
outlet's wording to another and can hide a disagreement. Hence: short statements (under
``min_words`` words, e.g. "a disgrace") merge only when identical; and two statements that differ
in negation where they overlap ("will respond" / "will not respond") never merge, however
similar the rest.

Speakers are compared after case-folding and dropping punctuation and courtesy titles: "Mr
Lavrov" matches "lavrov" but not "Sergei Lavrov". Pass the resolved canonical actor when there is
one.

Across languages (the same quotation carried by a Russian and a French outlet) wording cannot
be compared, so a statement whose ``language`` and ``event`` are given and that matches no
statement by wording merges with a statement of the same speaker, the same event and another
language when their language-independent content agrees (:func:`same_content`: the same
figures and dates, and names or places in common, at least one of them a figure, a date or a
person's name), and only when exactly one such statement matches: two candidates mean the
speaker said several things alike, and the statement stays on its own. The canonical statement
keeps its wording (nothing is widened across languages); the store keeps each merged
statement's own text and language, so every wording stays available.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass
from zlib import crc32

from rapidfuzz import fuzz

from aggregator.group.evidence import statement_keys
from aggregator.group.text import words

_CUTS = re.compile(r"\[[^\]]*\]|\([^)]*\)|\.\s*\.\s*\.|…|\s[-–—]{1,2}\s")
_COURTESY = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "madam"})
_NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "nothing", "none", "cannot"})


def fragments(text: str) -> list[list[str]]:
    """Lower-case word fragments of a statement: brackets, parentheses and ellipses cut it."""
    found = []
    for piece in _CUTS.split(text):
        tokens = words(piece)
        if tokens:
            found.append(tokens)
    return found


def speaker_key(speaker: str | None) -> str | None:
    """The comparable form of a speaker name, or None when there is none."""
    if speaker is None:
        return None
    tokens = [t for t in words(speaker) if t not in _COURTESY]
    return " ".join(tokens) or None


def _negations(tokens: list[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if t in _NEGATIONS or t.endswith("n't"))


@dataclass(slots=True)
class _Canonical:
    id: str
    speaker: str
    pieces: tuple[str, ...]  # the fragments of the longest wording seen, words joined by spaces
    flat: str  # all its words joined by spaces
    words: int
    keys: tuple[int, ...]  # postings it is listed under
    language: str | None = None
    event: str | None = None
    evidence: frozenset[str] = frozenset()  # statement_keys, when language and event are known


class StatementMerger:
    """Merges the same statement carried by several outlets; keeps ``capacity`` canonical ones."""

    def __init__(
        self,
        *,
        min_ratio: float = 90.0,
        min_words: int = 5,
        max_candidates: int = 8,
        capacity: int = 100_000,
    ) -> None:
        self.min_ratio = min_ratio
        self.min_words = min_words
        self.max_candidates = max_candidates
        self.capacity = capacity
        self._canonical: OrderedDict[str, _Canonical] = OrderedDict()
        self._merged: dict[str, str] = {}  # statement id -> canonical id (live canonicals only)
        # CRC-32 of "speaker|word pair" -> canonical ids; ints and short lists keep it small
        self._postings: dict[int, list[str]] = {}
        # (speaker, event) -> canonical ids with a known language: candidates across languages
        self._by_event: dict[tuple[str, str], list[str]] = {}

    def add(
        self,
        statement_id: str,
        *,
        speaker: str | None,
        text: str,
        kind: str,
        language: str | None = None,
        event: str | None = None,
    ) -> str:
        """Return the canonical id for this statement (its own id when it is the first copy).

        ``kind`` is the extractor's (direct, indirect, mixed); wording is compared the same way
        for every kind, so a direct quote and a report of it in near-identical words merge.
        With ``language`` and ``event`` (the article's), a statement that matches none by
        wording may merge with the same quotation in another language (see the module).
        """
        del kind  # accepted for the pipeline's convenience; see the docstring
        known = self._merged.get(statement_id)
        if known is not None:
            return known
        key = speaker_key(speaker)
        tokens = fragments(text)
        if key is None or not tokens:
            return statement_id
        pieces = tuple(" ".join(piece) for piece in tokens)
        incoming = _Canonical(
            id=statement_id,
            speaker=key,
            pieces=pieces,
            flat=" ".join(pieces),
            words=sum(len(piece) for piece in tokens),
            keys=_posting_keys(key, tokens),
        )
        for candidate in self._candidates(incoming):
            if self._same(incoming, candidate):
                if incoming.words > candidate.words:
                    self._widen(candidate, incoming)
                self._merged[statement_id] = candidate.id
                return candidate.id
        if language is not None and event is not None:
            incoming.language, incoming.event = language, event
            incoming.evidence = statement_keys(text, language)
            translated = self._translated(incoming)
            if translated is not None:
                self._merged[statement_id] = translated
                return translated
            self._by_event.setdefault((key, event), []).append(statement_id)
        for posting_key in incoming.keys:
            self._postings.setdefault(posting_key, []).append(statement_id)
        self._canonical[statement_id] = incoming
        self._merged[statement_id] = statement_id
        self._evict()
        return statement_id

    def __len__(self) -> int:
        return len(self._canonical)

    def _candidates(self, incoming: _Canonical) -> list[_Canonical]:
        hits: Counter[str] = Counter()
        for posting_key in incoming.keys:
            postings = self._postings.get(posting_key)
            if postings:
                hits.update(postings)
        return [self._canonical[c] for c, _ in hits.most_common(self.max_candidates)]

    def _same(self, a: _Canonical, b: _Canonical) -> bool:
        if a.speaker != b.speaker:
            return False
        short, long = (a, b) if a.words <= b.words else (b, a)
        if short.words < self.min_words:
            return short.flat == long.flat
        total = 0.0
        length = 0
        for text in short.pieces:
            alignment = fuzz.partial_ratio_alignment(text, long.flat)
            if alignment is None:
                return False
            matched = long.flat[alignment.dest_start : alignment.dest_end].split()
            if _negations(text.split()) != _negations(matched):
                return False  # "will respond" is not "will not respond"
            total += alignment.score * len(text)
            length += len(text)
        return total / length >= self.min_ratio

    def _translated(self, incoming: _Canonical) -> str | None:
        """The one canonical statement of the same speaker and event, in another language,
        whose content matches (None when none does, or several do)."""
        assert incoming.event is not None
        found = [
            candidate
            for candidate_id in self._by_event.get((incoming.speaker, incoming.event), ())
            if (candidate := self._canonical[candidate_id]).language != incoming.language
            and _comparable_length(incoming.words, candidate.words)
            and same_content(incoming.evidence, candidate.evidence)
        ]
        return found[0].id if len(found) == 1 else None

    def _widen(self, canonical: _Canonical, longer: _Canonical) -> None:
        """Keep the fullest wording, so later trimmed copies are compared against all of it."""
        canonical.pieces = longer.pieces
        canonical.flat = longer.flat
        canonical.words = longer.words
        known = set(canonical.keys)
        added = tuple(k for k in longer.keys if k not in known)
        for posting_key in added:
            self._postings.setdefault(posting_key, []).append(canonical.id)
        canonical.keys += added

    def _evict(self) -> None:
        while len(self._canonical) > self.capacity:
            old_id, old = self._canonical.popitem(last=False)
            if old.event is not None:
                same = self._by_event[(old.speaker, old.event)]
                same.remove(old_id)
                if not same:
                    del self._by_event[(old.speaker, old.event)]
            for posting_key in old.keys:
                postings = self._postings[posting_key]
                postings.remove(old_id)
                if not postings:
                    del self._postings[posting_key]
        if len(self._merged) > 2 * self.capacity:
            # forget statements whose canonical was evicted; keep the map bounded
            self._merged = {s: c for s, c in self._merged.items() if c in self._canonical}


def _posting_keys(speaker: str, tokens: list[list[str]]) -> tuple[int, ...]:
    """The statement's posting keys (its word pairs; a one-word piece is its own key), in text
    order: the order candidates are counted in, which breaks ties between them. (They were
    taken from a set, whose order changes with the process's string hashing, and with it which
    of two equally good candidates a statement merged into.)"""
    keys: dict[int, None] = {}
    for piece in tokens:
        for index in range(max(len(piece) - 1, 1)):
            pair = " ".join(piece[index : index + 2])
            keys[crc32(f"{speaker}|{pair}".encode())] = None
    return tuple(keys)


def _comparable_length(a: int, b: int) -> bool:
    """Whether two wordings are of lengths one translation could give (within a factor 2)."""
    return max(a, b) <= 2 * min(a, b)


def same_content(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two statements' language-independent content (:func:`statement_keys`) says they
    are one quotation: the same figures and dates, and either nothing else or names and places
    mostly in common (at least two keys shared, two thirds of all either has), at least one
    shared key a figure, a date or a person's name (places alone are what every statement of a
    conflict names)."""
    if {k for k in a if k[0] in "#%"} != {k for k in b if k[0] in "#%"}:
        return False
    if a == b and any(k[0] in "#%" for k in a):
        return True  # the same figures or dates and nothing else: one figure is enough
    shared = a & b
    if len(shared) < 2 or 3 * len(shared) < 2 * len(a | b):
        return False
    return any(k[0] in "#%@" for k in shared)
