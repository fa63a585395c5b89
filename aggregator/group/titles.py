"""An event's title: the most central of its headlines, from a bounded pool.

    score(headline) = sum of the event centroid's weights of its content words / sqrt(their number)
    title = the headline with the highest score; ties go to the earliest
            (of an event reported in several languages: among its English headlines, when it
            has any; the digest's reader reads English)

The pool holds one article per distinct headline (by its content words, in order), the first
``POOL`` distinct headlines of the event in arrival order. Syndicated copies repeat a headline,
so most events hold far fewer; every event on ECB+ and realfeeds does, and their titles are the
same as when every article was scored. Only an event with more distinct headlines than that is
titled from its first ``POOL``: scoring every article each time a title was asked for made a
large event cost its size for each new article (quadratic over a syndication-heavy stream).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Protocol

POOL = 64  # distinct headlines an event is titled from


class Headline(Protocol):
    """What the pool needs of an article (the clusterer's member)."""

    @property
    def seq(self) -> int: ...  # arrival order

    @property
    def title(self) -> str: ...

    @property
    def title_terms(self) -> tuple[str, ...]: ...  # content words of the title, first occurrences

    @property
    def language(self) -> str | None: ...


class Headlines:
    """The first ``POOL`` distinct headlines of one event, in arrival order."""

    __slots__ = ("_pool",)

    def __init__(self, members: Iterable[Headline] = ()) -> None:
        self._pool: dict[tuple[str, ...], Headline] = {}
        for member in members:
            self.add(member)

    def add(self, member: Headline) -> None:
        """Offer a newly arrived article's headline (a later arrival than all held)."""
        terms = member.title_terms
        if terms and terms not in self._pool and len(self._pool) < POOL:
            self._pool[terms] = member

    def merged(self, other: Headlines) -> Headlines:
        """The pool of two events merged into one: both pools in arrival order, cut to POOL."""
        both = sorted([*self._pool.values(), *other._pool.values()], key=lambda m: m.seq)
        return Headlines(both)

    def best(self, centroid: Mapping[str, float], default: str, prefer: str | None = None) -> str:
        """The headline closest to ``centroid``; ``default`` when no headline has content words.

        With ``prefer`` (a language tag), only the headlines in that language compete when the
        pool holds any.
        """
        best, best_score = default, -1.0
        get = centroid.get
        pool = list(self._pool.items())
        if prefer is not None:
            preferred = [(t, m) for t, m in pool if m.language == prefer]
            pool = preferred or pool
        for terms, member in pool:
            score = sum(get(t, 0.0) for t in terms) / math.sqrt(len(terms))
            if score > best_score:  # strict: ties keep the earliest headline
                best, best_score = member.title, score
        return best
