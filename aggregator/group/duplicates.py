"""Level 1: near-duplicate articles (the same wire story on several sites, lightly edited).

MinHash over word shingles, indexed with locality-sensitive hashing (datasketch), so one article
is compared with a handful of candidates instead of all history. A candidate counts as a copy when
the estimated Jaccard similarity of the two shingle sets reaches the threshold.

Policy: a false "copy" hides an article (its text never reaches the reader), a missed copy only
shows the same story twice, inside the same event. So the threshold is high (0.6 Jaccard over
word 3-shingles: a copy with a rewritten headline and a trimmed last paragraph passes, two
different reports of one press conference do not) and texts too short to judge (under
``min_words`` words, e.g. a bare headline) are only copies when they are identical.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from datasketch import MinHash, MinHashLSH

from aggregator.group.text import shingles, words


class NearDuplicateIndex:
    """Finds the earlier copy an article duplicates; keeps the latest ``capacity`` articles.

    Copies appear within hours of the original, so the default (20,000 articles, about 85 MB)
    covers days of a busy stream.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.6,
        num_perm: int = 64,
        shingle_size: int = 3,
        min_words: int = 8,
        capacity: int = 20_000,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.min_words = min_words
        self.capacity = capacity
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        # the random permutations depend only on (num_perm, seed): draw them once, not per text
        prototype = MinHash(num_perm=num_perm)
        self._permutations = prototype.permutations
        self._scheme = prototype.scheme
        # doc id -> (signature, the first copy of its story); insertion order = arrival order
        self._entries: OrderedDict[str, tuple[MinHash | None, str]] = OrderedDict()
        self._exact: dict[str, str] = {}  # digest of a short text -> first doc id
        self._digest_of: dict[str, str] = {}  # short-text doc id -> its digest, for eviction
        self._order: dict[str, int] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, doc_id: str, text: str) -> str | None:
        """Index ``text``; return the id of the earliest indexed copy it duplicates, else None.

        Copies of copies resolve to the first copy. Adding an id again returns the same answer.
        """
        known = self._entries.get(doc_id)
        if known is not None:
            return known[1] if known[1] != doc_id else None
        tokens = words(text)
        if len(tokens) < self.min_words:
            return self._add_short(doc_id, tokens)
        signature = MinHash(
            num_perm=self.num_perm,
            permutations=self._permutations,
            scheme=self._scheme,
        )
        # the signature is a minimum over all shingles, so their order does not matter
        signature.update_batch([s.encode("utf-8") for s in shingles(tokens, self.shingle_size)])
        best: str | None = None
        # earliest first, so the first verified candidate is the answer
        for candidate in sorted(self._lsh.query(signature), key=self._order.__getitem__):
            entry = self._entries[candidate]
            if entry[0] is not None and entry[0].jaccard(signature) >= self.threshold:
                best = candidate
                break
        original = self._entries[best][1] if best is not None else doc_id
        self._lsh.insert(doc_id, signature)
        self._remember(doc_id, signature, original)
        return original if original != doc_id else None

    def _add_short(self, doc_id: str, tokens: list[str]) -> str | None:
        if not tokens:
            self._remember(doc_id, None, doc_id)
            return None
        digest = hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()
        first = self._exact.get(digest)
        original = self._entries[first][1] if first is not None else doc_id
        if first is None:
            self._exact[digest] = doc_id
            self._digest_of[doc_id] = digest
        self._remember(doc_id, None, original)
        return original if original != doc_id else None

    def _remember(self, doc_id: str, signature: MinHash | None, original: str) -> None:
        self._seq += 1
        self._order[doc_id] = self._seq
        self._entries[doc_id] = (signature, original)
        while len(self._entries) > self.capacity:
            old_id, (old_signature, _) = self._entries.popitem(last=False)
            del self._order[old_id]
            if old_signature is not None:
                self._lsh.remove(old_id)
            digest = self._digest_of.pop(old_id, None)
            if digest is not None:
                del self._exact[digest]
