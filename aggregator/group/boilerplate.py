"""What every item of one source says: its boilerplate, learned online from its recent items.

An official source dresses each item alike (a page header "Briefings & Statements ... The White
House", "Presidential Message on ..."); an outlet signs each summary the same way ("The post ...
appeared first on ...", "Image credit: ..."). Such terms say which source wrote an item, not
what it reports, yet two items of one source share all of them: two holiday messages of one
office were alike mainly through their common header. So a term that most of a source's recent
items carry is left out of that source's next items.

Per source, the counts of its last ``recent`` items' terms live in a small array of buckets
(CRC-32 of the term, as for the document frequencies), so memory is bounded per source and the
number of sources followed is bounded too (the least recently seen is forgotten). Pure and
deterministic for a given input order.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field

import numpy as np


@dataclass(slots=True)
class _Profile:
    counts: np.ndarray  # per bucket: how many of the recent items carry a term of it
    recent: deque[np.ndarray] = field(default_factory=deque)  # each item's distinct buckets


class SourceBoilerplate:
    """Finds the terms most of a source's recent items carry.

    A term is boilerplate for a source when at least ``share`` of the source's last ``recent``
    items carried it, once at least ``min_items`` of them have been seen (before that, too few
    items to tell boilerplate from a story the source follows).
    """

    __slots__ = ("_capacity", "_mask", "_min_items", "_profiles", "_recent", "_share")

    def __init__(
        self,
        *,
        recent: int = 20,
        share: float = 0.7,
        min_items: int = 6,
        bits: int = 13,
        capacity: int = 4096,
    ) -> None:
        if not 0 < recent < 256:
            raise ValueError(f"recent must be between 1 and 255, not {recent}")
        self._recent = recent
        self._share = share
        self._min_items = min_items
        self._mask = (1 << bits) - 1
        self._capacity = capacity
        self._profiles: OrderedDict[str, _Profile] = OrderedDict()

    def __len__(self) -> int:
        return len(self._profiles)

    def observe(self, source: str, hashes: np.ndarray) -> np.ndarray:
        """Which of an item's terms (given by their CRC-32 ``hashes``) are its source's
        boilerplate, judged on the items seen before it; then count the item in.

        Returns a boolean array aligned with ``hashes``.
        """
        buckets = (hashes & self._mask).astype(np.intp)
        profile = self._profiles.get(source)
        if profile is None:
            profile = _Profile(np.zeros(self._mask + 1, dtype=np.uint8))
            self._profiles[source] = profile
            while len(self._profiles) > self._capacity:
                self._profiles.popitem(last=False)
        else:
            self._profiles.move_to_end(source)
        seen = len(profile.recent)
        if seen >= self._min_items:
            common: np.ndarray = profile.counts[buckets] >= self._share * seen
        else:
            common = np.zeros(len(buckets), dtype=bool)
        distinct = np.unique(buckets)
        profile.counts[distinct] += 1
        profile.recent.append(distinct)
        if len(profile.recent) > self._recent:
            profile.counts[profile.recent.popleft()] -= 1
        return common
