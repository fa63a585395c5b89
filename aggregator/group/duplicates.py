"""Level 1: near-duplicate articles (the same wire story on several sites, lightly edited).

MinHash over word shingles, indexed with locality-sensitive hashing, so one article is compared
with a handful of candidates instead of all history. A candidate counts as a copy when the
estimated Jaccard similarity of the two shingle sets reaches the threshold. The permutations and
the banding (bands x rows for the threshold) are datasketch's; the signature itself is computed
here in a few numpy operations over CRC-32 hashes of the words (datasketch hashes every shingle
with SHA-1 in a Python loop, which cost more than the rest of this level together).

Cost: each band bucket lists its articles in arrival order, so the candidates are read earliest
first by merging the article's 16 buckets lazily and the search stops at the first verified one;
at most ``max_checks`` candidates are verified. An article costs the same however many copies of
one story the index holds (syndication fills one bucket with thousands of them; collecting and
sorting every bucket member made such a stream quadratic).

Policy: a false "copy" hides an article (its text never reaches the reader), a missed copy only
shows the same story twice, inside the same event. So the threshold is high (0.6 Jaccard over
word 3-shingles: a copy with a rewritten headline and a trimmed last paragraph passes, two
different reports of one press conference do not) and texts too short to judge (under
``min_words`` words, e.g. a bare headline) are only copies when they are identical.
"""

from __future__ import annotations

import hashlib
import heapq
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from zlib import crc32

import numpy as np
from datasketch import MinHash, MinHashLSH

from aggregator.group.text import words
from aggregator.model import MAX_TEXT_CHARS, text_end

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
# odd 64-bit constants that mix a shingle's word hashes into one (wrapping arithmetic)
_MIX = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)


def _encode(word: str) -> bytes:
    return word.encode("utf-8")


# a bucket entry: (arrival number, doc id); a bucket lists them in arrival order
_Entry = tuple[int, str]


class NearDuplicateIndex:
    """Finds the earlier copy an article duplicates; keeps the latest ``capacity`` articles.

    Copies appear within hours of the original, so the default (20,000 articles) covers days of
    a busy stream. ``max_checks`` bounds the candidates verified for one article (earliest
    first); on the benchmark stream (100,000 articles from shared real sentences) no article
    needed more than 25.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.6,
        num_perm: int = 64,
        shingle_size: int = 3,
        min_words: int = 8,
        capacity: int = 20_000,
        max_checks: int = 64,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.min_words = min_words
        self.capacity = capacity
        self.max_checks = max_checks
        # datasketch's banding for this threshold, a missed copy weighed 9x a false candidate
        # (candidates are verified, so a false one costs one comparison; with equal weights,
        # 10 bands of 6 rows, a pair at Jaccard 0.6 was found 38 % of the time, now 16 x 4:
        # 89 %, at 0.7 99 %), and its permutations (seed 1): drawn once, not per text
        banding = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
        self._bands, self._rows = banding.b, banding.r
        a, b = MinHash(num_perm=num_perm).permutations
        self._a = np.asarray(a, dtype=np.uint64)
        self._b = np.asarray(b, dtype=np.uint64)
        # band key -> its articles in arrival order; evicted articles are the oldest, so they
        # form a prefix of each bucket, skipped by arrival number and cut off in bulk
        self._tables: list[dict[bytes, list[_Entry]]] = [{} for _ in range(self._bands)]
        # doc id -> (signature, its band keys, the first copy of its story, arrival number);
        # in arrival order
        self._entries: OrderedDict[str, tuple[np.ndarray | None, tuple[bytes, ...], str, int]] = (
            OrderedDict()
        )
        self._exact: dict[str, str] = {}  # digest of a short text -> first doc id
        self._digest_of: dict[str, str] = {}  # short-text doc id -> its digest, for eviction
        self._seq = 0
        self._oldest = 1  # arrival number of the oldest article still indexed

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, doc_id: str, text: str) -> str | None:
        """Index ``text``; return the id of the earliest indexed copy it duplicates, else None.

        Copies of copies resolve to the first copy. Adding an id again returns the same answer.
        """
        known = self._entries.get(doc_id)
        if known is not None:
            return known[2] if known[2] != doc_id else None
        if len(text) > MAX_TEXT_CHARS:  # the part every stage reads (memory: tokens x 64)
            text = text[: text_end(text)]
        tokens = words(text)
        if len(tokens) < self.min_words:
            return self._add_short(doc_id, tokens)
        signature = self._signature(tokens)
        raw = signature.tobytes()
        width = 8 * self._rows
        keys = tuple(raw[i * width : (i + 1) * width] for i in range(self._bands))
        best: str | None = None
        # earliest first, so the first verified candidate is the answer
        for checked, candidate in enumerate(self._candidates(keys)):
            if checked == self.max_checks:
                break
            other = self._entries[candidate][0]
            if other is not None and self._similarity(other, signature) >= self.threshold:
                best = candidate
                break
        original = self._entries[best][2] if best is not None else doc_id
        self._remember(doc_id, signature, keys, original)
        return original if original != doc_id else None

    def _candidates(self, keys: tuple[bytes, ...]) -> Iterator[str]:
        """The indexed articles sharing a band key with ``keys``, earliest first, each once;
        lazily, so a search that stops early never reads the rest of a large bucket."""
        oldest = (self._oldest,)
        runs: list[Iterator[_Entry]] = []
        for table, key in zip(self._tables, keys, strict=True):
            bucket = table.get(key)
            if bucket:
                # from the first live entry on, without copying the bucket
                first = bisect_left(bucket, oldest)
                runs.append(map(bucket.__getitem__, range(first, len(bucket))))
        merged = heapq.merge(*runs) if len(runs) > 1 else runs[0] if runs else iter(())
        # an article in several of the buckets comes out once per bucket, one after the other
        return map(itemgetter(1), (entry for entry, _ in groupby(merged)))

    def _signature(self, tokens: list[str]) -> np.ndarray:
        """The MinHash signature of the word shingles of ``tokens`` (at least ``min_words``)."""
        hashes = np.fromiter(map(crc32, map(_encode, tokens)), dtype=np.uint64, count=len(tokens))
        size = min(self.shingle_size, len(tokens))
        span = len(tokens) - size + 1
        # a shingle's hash mixes its words' hashes by position (uint64 arithmetic wraps)
        shingle = np.zeros(span, dtype=np.uint64)
        for offset in range(size):
            shingle = shingle * _MIX[offset % 3] + hashes[offset : offset + span]
        shingle = (shingle ^ (shingle >> np.uint64(31))) & _MAX_HASH
        # datasketch's permutation: ((a * h + b) mod p) & max_hash, then the minimum per row
        permuted = (np.outer(shingle, self._a) + self._b) % _MERSENNE & _MAX_HASH
        result: np.ndarray = permuted.min(axis=0)
        return result

    def _similarity(self, first: np.ndarray, second: np.ndarray) -> float:
        """Estimated Jaccard similarity: the share of equal signature values."""
        return float(np.count_nonzero(first == second)) / self.num_perm

    def _add_short(self, doc_id: str, tokens: list[str]) -> str | None:
        if not tokens:
            self._remember(doc_id, None, (), doc_id)
            return None
        digest = hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()
        first = self._exact.get(digest)
        original = self._entries[first][2] if first is not None else doc_id
        if first is None:
            self._exact[digest] = doc_id
            self._digest_of[doc_id] = digest
        self._remember(doc_id, None, (), original)
        return original if original != doc_id else None

    def _remember(
        self, doc_id: str, signature: np.ndarray | None, keys: tuple[bytes, ...], original: str
    ) -> None:
        self._seq += 1
        entry = (self._seq, doc_id)
        # a short text has no band keys: zip stops at once
        for table, key in zip(self._tables, keys, strict=False):
            table.setdefault(key, []).append(entry)
        self._entries[doc_id] = (signature, keys, original, self._seq)
        while len(self._entries) > self.capacity:
            old_id, (_, old_keys, _, _) = self._entries.popitem(last=False)
            self._oldest = next(iter(self._entries.values()))[3] if self._entries else self._seq + 1
            for table, key in zip(self._tables, old_keys, strict=False):
                self._trim(table, key)
            digest = self._digest_of.pop(old_id, None)
            if digest is not None:
                del self._exact[digest]

    def _trim(self, table: dict[bytes, list[_Entry]], key: bytes) -> None:
        """Drop the evicted prefix of a bucket once it is half the bucket (amortised O(1))."""
        bucket = table[key]
        dead = bisect_left(bucket, (self._oldest,))
        if dead == len(bucket):
            del table[key]
        elif 2 * dead >= len(bucket):
            del bucket[:dead]
