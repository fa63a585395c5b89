"""Level 3: incremental (online) event clustering.

Each new article joins the most similar live event or opens a new one; history is never
re-clustered. In a few lines::

    vector  = TF-IDF(title + text, names and actors weighted up)      # IDF learned online
    events  = live events sharing one of the vector's heaviest terms  # inverted index, bounded
    score   = half the cosine with the event's nearest article + half the cosine with its
              centroid, each * 0.5 ** (time gap / half_life)
    join the best event if score >= threshold, or if its score with its nearest article of
        another source is >= clear_threshold and stands clear of the runner-up; else, across
        languages, the
        best event of articles in other known languages by language-independent evidence
        (names, places, figures, dates; group/evidence.py) at cross_threshold when it stands
        clear of the runner-up; else the event whose headlines (other sources') match the
        article's at headline_threshold, clear of the runner-up; else open a new one
    merge the event with any other candidate whose centroid now reaches merge_threshold
    repair: at sizes 10, 13, 17, ... 55, bisect the event (two-means); split it when both parts
            hold split_min articles and their centroids' cosine is under split_cosine (an
            event in several languages is not repaired: its texts part by language)
    close events not updated within the window: their postings are evicted

Policy: when unsure, split. A split event shows a development twice in the digest, which a reader
notices and forgives; a wrong merge hides a second development (the other earthquake, the other
envoy's statement) inside the first, which a reader never sees. So the join threshold sits where
precision stays high, an article must resemble the event as a whole and not only its nearest
article (one loose resemblance would otherwise let a second development in, and everything that
later resembles it would follow), and converging events are merged later, when their centroids
(averaged over several articles, hence less noisy than one article) agree strongly. Time counts
too: two articles days apart rarely report the same development, so similarity halves every
``half_life`` and events close after ``window``. Articles without a date are taken to be "now".

Repair (the one exception to "never re-cluster"): the first report of a second development of
the same kind (the other earthquake) often joins the first one's event while that event holds
one or two articles, and the second development's later reports then follow it in. One article
is too little evidence to refuse it; a dozen is enough to see two groups. So a live event is
examined again as it grows - at 10 articles, then each time it has grown by a quarter, up to
``split_max`` - and split in two when a two-means bisection gives two parts of at least
``split_min`` articles whose centroids would not be merged (cosine under ``split_cosine``, which
sits below ``merge_threshold``, so the two are not merged straight back). The repair is local
(one event, at most ``split_max`` articles) and bounded (its cost, amortised over the articles
that grew the event, is a few vector products per article); it is deterministic for a given
order. The part holding the event's first article keeps the id; the other part becomes a new
event whose id is derived from its own first article (:func:`split_event_id`), and its articles
are reported by :meth:`moves` so a caller that stored their event can repoint them. ``restore``
never repairs: it replays what was stored.

Event ids are derived from the id of the event's first article, so they are stable across runs and
processes; a merge keeps the older event's id, a split the id of the part with the first article.
The cost of one article depends on the number of live events sharing its heaviest terms (bounded
by the window), not on the length of history.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import math
import sys
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import islice, repeat
from operator import itemgetter, mul

from aggregator.group import evidence as evidence_
from aggregator.group.boilerplate import SourceBoilerplate
from aggregator.group.text import DocumentFrequencies, content_words, dot, feature_groups
from aggregator.group.titles import Headlines
from aggregator.group.types import EventConfig, GroupDoc
from aggregator.model import MAX_TEXT_CHARS, text_end


def _aware(doc: GroupDoc) -> GroupDoc:
    """A date without a zone is taken as UTC, like every date in the project; a language tag
    is compared by its primary subtag ("en-GB" is "en")."""
    if doc.language is not None:
        language = doc.language.split("-")[0].split("_")[0].lower() or None
        if language != doc.language:
            doc = replace(doc, language=language)
    if doc.published is None or doc.published.tzinfo is not None:
        return doc
    return replace(doc, published=doc.published.replace(tzinfo=UTC))


# linked events headed alike (_headed_alike): the last reports each received, within a day
_ALIKE_MEMBERS = 12
_ALIKE_WITHIN = timedelta(days=1)
_BISECT_ROUNDS = 5  # two-means rounds of a repair; it settles in two or three


@functools.cache
def repair_sizes(split_min: int, split_max: int) -> frozenset[int]:
    """The event sizes at which a repair examines an event: twice ``split_min`` (the smallest
    event that can split), then each time it has grown by a quarter, up to ``split_max``."""
    if split_min <= 0:
        return frozenset()
    sizes, size = [], 2 * split_min
    while size <= split_max:
        sizes.append(size)
        size = max(size + 1, math.ceil(size * 1.25))
    return frozenset(sizes)


def event_id_for(doc_id: str) -> str:
    """The id of an event opened by the article ``doc_id``: stable across runs and processes."""
    return "ev-" + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:16]


def split_event_id(doc_id: str, count: int = 0) -> str:
    """The id of the ``count``-th event a repair split off with the article ``doc_id`` first.

    Not ``event_id_for(doc_id)``: that article may have opened an event that was later merged
    away, and an id once merged must not come back.
    """
    return event_id_for(f"{doc_id}\x00split {count}")


@dataclass(slots=True)
class _Member:
    doc_id: str
    seq: int  # arrival order
    title: str
    title_terms: tuple[str, ...]
    terms: tuple[str, ...]  # its vector (unit length, heaviest terms) as two compact arrays
    weights: array[float]
    published: datetime | None
    event: _Event
    splits: int = 0  # how many split-off events this article has led (their ids differ)
    headline: frozenset[str] = frozenset()  # its headline's words (headline_words), for the rule
    source: str | None = None  # who published it
    language: str | None = None  # its language tag (None: unknown)
    # its language-independent evidence vector (unit length, heaviest first); empty when its
    # language is unknown
    evidence_terms: tuple[str, ...] = ()
    evidence_weights: array[float] | None = None


@dataclass(slots=True, eq=False)
class _Event:
    id: str
    seq: int  # arrival number of its first article: the smaller, the older
    centroid: dict[str, float] = field(default_factory=dict)  # sum of member vectors
    norm2: float = 0.0  # squared length of the centroid
    first: datetime | None = None  # span of the dated members, for time decay
    last: datetime | None = None
    touched: datetime | None = None  # latest (effective) time a member arrived, for closing
    members: list[_Member] = field(default_factory=list)
    headlines: Headlines = field(default_factory=Headlines)  # what its title is chosen from
    title: str | None = None  # its title, until its centroid or its headlines change
    split_from: str | None = None  # the event a repair split this one off from
    evidence: dict[str, float] = field(default_factory=dict)  # sum of members' evidence
    evidence_norm2: float = 0.0
    languages: Counter[str | None] = field(default_factory=Counter)  # members per language


class EventClusterer:
    """Online event clustering, deterministic for a given input order (see the module policy)."""

    def __init__(self, config: EventConfig | None = None) -> None:
        self.config = config if config is not None else EventConfig()
        self._frequencies = DocumentFrequencies()
        # evidence keys have their own counts (1M buckets): the text's IDF stays as it was
        self._evidence_frequencies = evidence_.KeyFrequencies(bits=20)
        self._evidence_postings: dict[str, list[str]] = {}  # evidence key -> live article ids
        # the known languages seen; evidence is read once there are two (one language: no cost)
        self._languages: set[str] = set()
        self._boilerplate = SourceBoilerplate(share=self.config.boilerplate_share)
        self._events: dict[str, _Event] = {}  # live events
        self._docs: dict[str, _Member] = {}  # live articles
        # term -> live article ids in arrival order; lists, not sets: most terms have one or two
        # articles, and articles leave roughly in arrival order, so removal finds them up front
        self._postings: dict[str, list[str]] = {}
        self._headline_postings: dict[str, list[str]] = {}  # headline word -> live article ids
        self._headline_frequencies = DocumentFrequencies(bits=18)  # headlines' own (2 MB)
        self._closing: list[tuple[datetime, int, str]] = []  # heap of (touched, seq, event id)
        self._merges: list[tuple[str, str]] = []
        self._moves: list[tuple[str, str]] = []
        self._doc_seq = 0
        self._clock: datetime | None = None  # the latest publication time seen

    # -- public API ---------------------------------------------------------------------------

    def add(self, doc: GroupDoc, *, actors: Sequence[str] = ()) -> str:
        """Assign ``doc`` to an event and return its id; adding the same id again is a no-op."""
        known = self._docs.get(doc.id)
        if known is not None:
            return known.event.id
        doc = _aware(doc)
        groups = self._features(doc, actors)
        vector = self._vectorise(groups, doc.source)
        evidence = self._evidence(doc, groups)
        headline = self._headline(doc)
        self._advance(doc.published)
        scored, others = self._score(vector, doc.published, doc.source)
        threshold = self.config.threshold
        if scored and self._joins(scored, others):
            event = scored[0][1]
        else:
            event = (
                self._across(evidence, doc)
                or self._by_headline(doc, headline)
                or self._open(event_id_for(doc.id), self._doc_seq + 1)
            )
        member = self._join(event, doc, vector, evidence, headline)
        # only events this article also links to may have converged with its event
        linked = [other for score, other in scored if score >= threshold and other is not event]
        self._repair(self._merge_converging(event, linked))
        return member.event.id

    def restore(self, doc: GroupDoc, event_id: str, *, actors: Sequence[str] = ()) -> None:
        """Re-seed with an article already assigned to ``event_id`` (e.g. read back from the store).

        Call it for the recent history, in the original arrival order, before adding new
        articles. Later assignments then equal those of an uninterrupted run when the replay
        covers what that run saw; with a shorter replay they differ only through IDF drift.
        """
        if doc.id in self._docs:
            return
        doc = _aware(doc)
        groups = self._features(doc, actors)
        vector = self._vectorise(groups, doc.source)
        evidence = self._evidence(doc, groups)
        self._advance(doc.published)
        event = self._events.get(event_id)
        if event is None:
            event = self._open(event_id, self._doc_seq + 1)
        self._join(event, doc, vector, evidence, self._headline(doc))

    def moves(self) -> list[tuple[str, str]]:
        """The (article id, new event id) pairs of articles a repair split off into a new event
        since the last call, oldest first (see the module policy)."""
        moves, self._moves = self._moves, []
        return moves

    def split_from(self, event_id: str) -> str | None:
        """The event a live, split-off event left (whose title changed with it), else None."""
        event = self._events.get(event_id)
        return event.split_from if event is not None else None

    def merges(self) -> list[tuple[str, str]]:
        """The (absorbed, surviving) event id pairs since the last call, oldest first."""
        merges, self._merges = self._merges, []
        return merges

    def title(self, event_id: str) -> str:
        """The most central headline of a live event: the one closest to the event's centroid
        (among its first 64 distinct headlines, see :mod:`aggregator.group.titles`).

        Raises KeyError for an unknown or closed event (callers store titles as they go).
        """
        event = self._events[event_id]
        if event.title is None:  # copies and other events' articles leave it as it was
            # from an English report where there is one (the digest's readers read English)
            prefer = "en" if len(event.languages) > 1 and event.languages["en"] else None
            event.title = event.headlines.best(event.centroid, event.members[0].title, prefer)
        return event.title

    def event_of(self, doc_id: str) -> str | None:
        """The live event an article belongs to, or None when unknown or closed."""
        member = self._docs.get(doc_id)
        return member.event.id if member is not None else None

    def is_live(self, event_id: str) -> bool:
        """Whether ``event_id`` is open: inside the time window and not merged into another."""
        return event_id in self._events

    def live_events(self) -> int:
        """How many events are open (inside the time window)."""
        return len(self._events)

    def live_articles(self) -> int:
        """How many articles the open events hold."""
        return len(self._docs)

    # -- steps --------------------------------------------------------------------------------

    def _features(self, doc: GroupDoc, actors: Sequence[str]) -> dict[str, dict[str, float]]:
        """The article's feature groups (:func:`feature_groups`) over the part of its text
        that is read."""
        text = doc.text if len(doc.text) <= MAX_TEXT_CHARS else doc.text[: text_end(doc.text)]
        return feature_groups(
            doc.title,
            text,
            actors=actors,
            title_weight=self.config.title_weight,
            published=doc.published,
        )

    def _vectorise(
        self, groups: dict[str, dict[str, float]], source: str | None
    ) -> dict[str, float]:
        """A unit vector, heaviest terms first: each feature group normalised, then weighted."""
        config = self.config
        terms = [term for counts in groups.values() for term in counts]
        idf, hashes = self._frequencies.observe_hashed(terms)
        # what most of the source's recent items carry says who wrote it, not what happened
        common: set[str] = set()
        if source is not None and config.boilerplate_share > 0.0:
            flags = self._boilerplate.observe(source, hashes)
            if flags.any():
                common = {term for term, flag in zip(terms, flags.tolist(), strict=True) if flag}
        shares = {
            "words": 1.0,
            "names": config.names_share,
            "numbers": config.numbers_share,
            "pairs": config.pairs_share,
        }
        vector: dict[str, float] = {}
        log = math.log
        for name, counts in groups.items():
            if common:
                counts = {term: count for term, count in counts.items() if term not in common}
            if not counts or shares[name] <= 0.0:
                continue
            weights = {term: (1.0 + log(count)) * idf[term] for term, count in counts.items()}
            norm = math.sqrt(sum([w * w for w in weights.values()]))
            # each group speaks with its share; a group of very few terms (one shared year,
            # one shared name) with less, so it cannot link two short articles on its own
            scale = math.sqrt(shares[name]) * min(1.0, len(counts) / config.group_terms) / norm
            for term, weight in weights.items():
                vector[term] = weight * scale
        # keep the heaviest terms (a stable sort: ties stay in text order) at unit length
        kept = sorted(vector.items(), key=itemgetter(1), reverse=True)[: config.vector_terms]
        norm = math.sqrt(sum([w * w for _, w in kept]))
        if norm == 0.0:
            return {}
        return {term: w / norm for term, w in kept}

    def _evidence(self, doc: GroupDoc, features: dict[str, dict[str, float]]) -> dict[str, float]:
        """The article's language-independent evidence as a unit vector, heaviest keys first
        (each group normalised and weighted as the text's are); empty when its language is
        unknown, the comparison across languages is off, or no second language has been seen
        yet (articles before the first one in another language are compared by their text
        alone). Its names are the text features' names (headline, body, actors: the text is not
        read for them twice)."""
        config = self.config
        if doc.language is None or config.cross_threshold <= 0.0:
            return {}
        if doc.language not in self._languages:
            self._languages.add(doc.language)
            if len(self._languages) == 2:
                self._backfill()
        if len(self._languages) < 2:
            return {}  # nothing to compare it with: a stream in one language pays nothing
        groups = evidence_.groups(
            doc.title, doc.text, doc.language, names_=features["names"], published=doc.published
        )
        return self._evidence_vector(groups)

    def _backfill(self) -> None:
        """Give the live articles of the first language their evidence, now that a second one
        has come: read from their text vectors' names and figures (their texts are not kept;
        their dates, and figures that fell out of the vector, are not known)."""
        for member in self._docs.values():
            if member.language is None or member.evidence_weights is not None:
                continue
            groups = evidence_.groups_from_terms(member.terms, member.language)
            evidence = self._evidence_vector(groups)
            if evidence:
                self._add_evidence(member.event, member, evidence)

    def _evidence_vector(self, groups: dict[str, dict[str, float]]) -> dict[str, float]:
        """Evidence groups as a unit vector, heaviest keys first (each group normalised and
        weighted as the text's are; IDF counted as it goes)."""
        config = self.config
        terms = [term for counts in groups.values() for term in counts]
        if not terms:
            return {}
        idf = self._evidence_frequencies.observe(terms)
        vector: dict[str, float] = {}
        log = math.log
        for counts in groups.values():
            if not counts:
                continue
            weights = {term: (1.0 + log(count)) * idf[term] for term, count in counts.items()}
            norm = math.sqrt(sum([w * w for w in weights.values()]))
            scale = min(1.0, len(counts) / config.evidence_group_terms) / norm
            for term, weight in weights.items():
                vector[term] = weight * scale
        kept = sorted(vector.items(), key=itemgetter(1), reverse=True)[: config.evidence_terms]
        norm = math.sqrt(sum([w * w for _, w in kept]))
        return {term: w / norm for term, w in kept} if norm else {}

    def _advance(self, published: datetime | None) -> None:
        """Move the clock forward and close the events it leaves behind."""
        if published is None or (self._clock is not None and published <= self._clock):
            return
        if self._clock is None:
            # events opened before any date was seen start ageing now
            for undated in self._events.values():
                undated.touched = published
                heapq.heappush(self._closing, (published, undated.seq, undated.id))
        self._clock = published
        horizon = published - self.config.window
        while self._closing and self._closing[0][0] < horizon:
            touched, _, event_id = heapq.heappop(self._closing)
            event = self._events.get(event_id)
            if event is not None and event.touched == touched:
                self._close(event)

    def _score(
        self, vector: dict[str, float], published: datetime | None, source: str | None = None
    ) -> tuple[list[tuple[float, _Event]], dict[str, float]]:
        """Events by their join score (nearest article and centroid), best first (ties: older),
        and each event's score with its nearest article of another source than ``source`` in
        place of its nearest article (none when no article of another source is among the
        candidates scored: the event holds only ``source``'s reports, or the others resemble
        the article too little to be retrieved)."""
        if not vector or not self._docs:
            return [], {}
        config = self.config
        query = islice(vector, config.query_terms)  # the vector is ordered heaviest first
        # count shared query terms per live article; each posting list is read from its most
        # recent end and at most ``posting_scan`` deep, which bounds the cost per article
        hits: Counter[str] = Counter()
        depth = config.posting_scan
        for term in query:
            postings = self._postings.get(term)
            if postings:
                hits.update(islice(reversed(postings), depth))
        docs = self._docs
        zeros = repeat(0.0)
        # most shared terms first; among equals the first counted, i.e. the most recent (a
        # stable sort in C; Counter.most_common would loop in Python)
        ranked = sorted(hits.items(), key=itemgetter(1), reverse=True)[: config.max_candidates]
        best: dict[str, tuple[float, _Event]] = {}
        other: dict[str, float] = {}  # the nearest article of another source, by event
        for doc_id, _ in ranked:
            member = docs[doc_id]
            # the sparse dot product, iterated in C: zip the member's weights with the
            # incoming vector's weights for the same terms (0.0 where it has none)
            overlap = sum(map(mul, member.weights, map(vector.get, member.terms, zeros)))
            similarity = overlap * self._decay(published, member.published)
            current = best.get(member.event.id)
            if current is None or similarity > current[0]:
                best[member.event.id] = (similarity, member.event)
            if member.source is None or member.source != source:
                other[member.event.id] = max(other.get(member.event.id, 0.0), similarity)
        # the nearest article alone lets one loose resemblance pull in a second development
        # (and everything that later resembles it); blending in the cosine with the event's
        # centroid asks the article to resemble the event as a whole as well
        share = config.centroid_share
        decay = self._decay
        scored: list[tuple[float, _Event]] = []
        others: dict[str, float] = {}
        for similarity, event in best.values():
            cosine = dot(vector, event.centroid) / math.sqrt(event.norm2) if event.norm2 else 0.0
            cosine *= decay(published, event.last)
            scored.append(((1.0 - share) * similarity + share * cosine, event))
            if event.id in other:
                others[event.id] = (1.0 - share) * other[event.id] + share * cosine
        return sorted(scored, key=lambda pair: (-pair[0], pair[1].seq)), others

    def _joins(self, scored: list[tuple[float, _Event]], others: dict[str, float]) -> bool:
        """Whether an article joins the best of the ``scored`` events (best first).

        It does at ``threshold``. Below it, down to ``clear_threshold``, it does when the best
        event stands clear of the others: the runner-up scores at most ``clear_ratio`` of it.
        A long report shares much text that no other report has (background, quotes, the
        outlet's own angle), so its cosine with another report of the same incident is
        diluted; what still shows is that it resembles that one event far more than anything
        else live, whose scores are the noise any two reports of the period share. Among
        many related developments (one crisis, several events) the runner-up is close and the
        bar stays at ``threshold``. The lowered bar also asks that the resemblance come from
        another source's report (``others``: the event's score with its nearest article of
        another source): one source's items resemble each other through its own style and
        background paragraphs (an office's formulas for every message; a paper's paragraph on
        the occupied West Bank under its reports of land registration and of Al-Aqsa's
        policing alike), which is no evidence of one development.
        """
        config = self.config
        best = scored[0][0]
        if best >= config.threshold:
            return True
        if len(scored) < 2 or config.clear_ratio <= 0.0:
            return False
        clear = others.get(scored[0][1].id, 0.0)
        return clear >= config.clear_threshold and scored[1][0] <= config.clear_ratio * clear

    def _across(self, evidence: dict[str, float], doc: GroupDoc) -> _Event | None:
        """The event of other languages this article's evidence joins, if any.

        Only articles whose language is known and differs from ``doc``'s are compared (within
        a language the text decides). The score blends the nearest such article and the
        event's evidence centroid, time-decayed, as the text's does; the best event must reach
        ``cross_threshold`` and stand clear of the runner-up (``cross_ratio``): two
        developments with the same people, places and days differ by a figure or a name, and
        when the evidence cannot tell them apart the article opens an event of its own.
        """
        if not evidence or not self._evidence_postings:
            return None
        config = self.config
        docs = self._docs
        language = doc.language
        hits: Counter[str] = Counter()
        depth = config.posting_scan
        for term in islice(evidence, config.query_terms):
            postings = self._evidence_postings.get(term)
            if postings:
                hits.update(
                    doc_id
                    for doc_id in islice(reversed(postings), depth)
                    if docs[doc_id].language != language
                )
        ranked = sorted(hits.items(), key=itemgetter(1), reverse=True)[: config.max_candidates]
        zeros = repeat(0.0)
        best: dict[str, tuple[float, _Event]] = {}
        for doc_id, _ in ranked:
            member = docs[doc_id]
            assert member.evidence_weights is not None  # posted members have evidence
            overlap = sum(
                map(mul, member.evidence_weights, map(evidence.get, member.evidence_terms, zeros))
            )
            similarity = overlap * self._decay(doc.published, member.published)
            current = best.get(member.event.id)
            if current is None or similarity > current[0]:
                best[member.event.id] = (similarity, member.event)
        share = config.centroid_share
        scored: list[tuple[float, _Event]] = []
        for similarity, event in best.values():
            norm2 = event.evidence_norm2
            cosine = dot(evidence, event.evidence) / math.sqrt(norm2) if norm2 else 0.0
            cosine *= self._decay(doc.published, event.last)
            scored.append(((1.0 - share) * similarity + share * cosine, event))
        if not scored:
            return None
        scored.sort(key=lambda pair: (-pair[0], pair[1].seq))
        top = scored[0][0]
        if top < config.cross_threshold:
            return None
        if len(scored) > 1 and config.cross_ratio > 0.0 and scored[1][0] > config.cross_ratio * top:
            return None
        return scored[0][1]

    def _headline(self, doc: GroupDoc) -> frozenset[str]:
        """The article's headline words, counted into the headlines' own document frequencies
        (none when the rule is off)."""
        if self.config.headline_threshold <= 0.0:
            return frozenset()
        words = headline_words(tuple(dict.fromkeys(content_words(doc.title))))
        self._headline_frequencies.add(words)
        return words

    def _by_headline(self, doc: GroupDoc, own: frozenset[str]) -> _Event | None:
        """The live event whose headlines the article's own matches, when it stands clear.

        Editors of different outlets head one development with the same few words ("Tarique
        Rahman sworn in as …"; "U.S. releases / offers new details on … secret Chinese nuclear
        test") while their texts differ in all else: background, quotes, each outlet's angle,
        so two reports of one incident can score under the text's bars. The headline
        similarity is the overlap of the two headlines' words weighted by their IDF among
        headlines (weighted Jaccard: shared weight over the weight of their union), time-decayed
        like the text's; an event scores its best member. Only another source's headline
        counts (one source heads its series with one formula or brand: "Presidential Message
        on …", "… - KSLA News 12"), and it must share ``headline_words`` (3) words. The event
        joins at ``headline_threshold`` (0.3) when the runner-up event scores at most
        ``headline_ratio`` (0.6) of it. Measured in docs/evaluation/grouping.md (round of 7
        December, third session): on gva-dev it joined 11 reports, 10 rightly; on the tuning
        realfeeds day it joined the day's split stories (the Russia-Ukraine talks in Geneva,
        the Chinese nuclear test claim, Rubio in Hungary).
        """
        config = self.config
        if config.headline_threshold <= 0.0:
            return None
        if len(own) < config.headline_words:
            return None
        hits: Counter[str] = Counter()
        for term in own:
            postings = self._headline_postings.get(term)
            if postings:
                hits.update(islice(reversed(postings), config.posting_scan))
        # the words' weights come from headlines alone, without the smoothing's floor: a word
        # nearly every headline of the stream has ("shooting" in local crime news) weighs
        # nothing, a name few headlines have ("Tarique Rahman") most
        idf = self._headline_idf()
        own_weight = math.fsum(idf(term) for term in own)
        best: dict[str, tuple[float, _Event]] = {}
        for doc_id, shared in hits.items():
            if shared < config.headline_words:  # three words in common at least
                continue
            member = self._docs[doc_id]
            # one source heads its items with its own formulas and branding ("Presidential
            # Message on …", "… - KSLA News 12"): only another source's headline counts
            if member.source is not None and member.source == doc.source:
                continue
            # headlines in two languages share names only: that comparison is the evidence's
            # (and an event of two languages is never repaired)
            if member.language and doc.language and member.language != doc.language:
                continue
            alike = _headline_score(own, own_weight, member.headline, idf)
            if alike is None:  # every word in every headline so far: nothing tells them apart
                continue
            score = alike * self._decay(doc.published, member.published)
            current = best.get(member.event.id)
            if current is None or score > current[0]:
                best[member.event.id] = (score, member.event)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].seq))
        if not ranked or ranked[0][0] < config.headline_threshold:
            return None
        if len(ranked) > 1 and ranked[1][0] > config.headline_ratio * ranked[0][0]:
            return None
        return ranked[0][1]

    def _headline_idf(self) -> Callable[[str], float]:
        """A headline word's weight, from headlines alone and without the smoothing's floor
        (remembered for one comparison: the frequencies change with every article)."""
        frequencies = self._headline_frequencies

        @functools.cache
        def idf(term: str) -> float:
            return frequencies.idf(term) - 1.0

        return idf

    def _decay(self, a: datetime | None, b: datetime | None) -> float:
        if a is None or b is None or a == b:
            return 1.0
        return float(0.5 ** (abs(a - b) / self.config.half_life))

    def _span_decay(self, a: _Event, b: _Event) -> float:
        if a.first is None or a.last is None or b.first is None or b.last is None:
            return 1.0
        gap = max(a.first - b.last, b.first - a.last, timedelta(0))
        return float(0.5 ** (gap / self.config.half_life))

    def _open(self, event_id: str, seq: int) -> _Event:
        """A new live event; ``seq`` is the arrival number of its first article (its age)."""
        event = _Event(id=event_id, seq=seq)
        self._events[event_id] = event
        return event

    def _join(
        self,
        event: _Event,
        doc: GroupDoc,
        vector: dict[str, float],
        evidence: dict[str, float] | None = None,
        headline: frozenset[str] = frozenset(),
    ) -> _Member:
        overlap = dot(vector, event.centroid)
        event.norm2 += 2.0 * overlap + 1.0  # the vector has unit length
        event.title = None
        centroid = event.centroid
        postings = self._postings
        # one string object per term across articles, postings and centroids (memory)
        terms = tuple(map(sys.intern, vector))
        for term, weight in zip(terms, vector.values(), strict=True):
            centroid[term] = centroid.get(term, 0.0) + weight
        # only the heaviest terms are posted, as many as a query reads: retrieval matches the
        # heaviest terms of both articles (posting all 96 scored the same on ECB+, at 3x the
        # cost of indexing and evicting)
        for term in terms[: self.config.query_terms]:
            postings.setdefault(term, []).append(doc.id)
        if doc.published is not None:
            if event.first is None or doc.published < event.first:
                event.first = doc.published
            if event.last is None or doc.published > event.last:
                event.last = doc.published
        when = doc.published if doc.published is not None else self._clock
        if when is not None and (event.touched is None or when > event.touched):
            event.touched = when
            heapq.heappush(self._closing, (when, event.seq, event.id))
        self._doc_seq += 1
        title_terms = tuple(dict.fromkeys(content_words(doc.title)))
        weights = array("d", vector.values())
        member = _Member(
            doc.id,
            self._doc_seq,
            doc.title,
            title_terms,
            terms,
            weights,
            doc.published,
            event,
            source=doc.source,
            language=doc.language,
            headline=headline,
        )
        if self.config.headline_threshold > 0.0:
            for term in member.headline:
                self._headline_postings.setdefault(term, []).append(doc.id)
        event.languages[doc.language] += 1
        if evidence:
            self._add_evidence(event, member, evidence)
        event.members.append(member)
        event.headlines.add(member)
        self._docs[doc.id] = member
        return member

    def _add_evidence(self, event: _Event, member: _Member, evidence: dict[str, float]) -> None:
        """Post the member's evidence and add it to its event's evidence centroid."""
        member.evidence_terms = tuple(map(sys.intern, evidence))
        member.evidence_weights = array("d", evidence.values())
        centroid = event.evidence
        event.evidence_norm2 += 2.0 * dot(evidence, centroid) + 1.0
        for term, weight in evidence.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        postings = self._evidence_postings
        for term in member.evidence_terms[: self.config.query_terms]:
            postings.setdefault(term, []).append(member.doc_id)

    def _repair(self, event: _Event) -> None:
        """Split ``event`` in two when it has grown into two groups that would not be merged.

        Examined at the sizes of :func:`repair_sizes` only (an event of 10 articles, then each
        time it has grown by a quarter, up to ``split_max``), so the cost per article is bounded:
        a two-means bisection of at most ``split_max`` vectors, amortised over the articles
        that grew the event. The bisection starts from the article least like the event's
        centroid and the article least like that one, and moves each article to the nearer
        centroid for a few rounds. The event is split when both parts hold ``split_min``
        articles and their centroids' cosine is under ``split_cosine`` (below
        ``merge_threshold``, so a split is not merged straight back): the part holding the
        event's first article keeps the id, the other becomes a new event (see :meth:`_split`
        and :meth:`moves`).
        """
        config = self.config
        members = event.members
        n = len(members)
        if n not in repair_sizes(config.split_min, config.split_max):
            return
        if len(event.languages) > 1:
            return  # its text vectors part by language, not by development
        vectors = [dict(zip(m.terms, m.weights, strict=True)) for m in members]
        centroid = event.centroid
        far = min(range(n), key=lambda i: dot(vectors[i], centroid))
        near = min(range(n), key=lambda i: dot(vectors[i], vectors[far]))
        sums = [dict(vectors[near]), dict(vectors[far])]
        side: list[bool] = []
        for _ in range(_BISECT_ROUNDS):
            norms = [math.sqrt(sum([w * w for w in part.values()])) or 1.0 for part in sums]
            moved = [dot(v, sums[1]) / norms[1] > dot(v, sums[0]) / norms[0] for v in vectors]
            if moved == side:
                break
            if side and sum(a != b for a, b in zip(moved, side, strict=True)) * 4 < n:
                # few articles changed sides: move their weights instead of summing anew
                for vector, was, now in zip(vectors, side, moved, strict=True):
                    if was != now:
                        source, target = sums[was], sums[now]
                        for term, weight in vector.items():
                            target[term] = target.get(term, 0.0) + weight
                            source[term] -= weight
                side = moved
                continue
            side = moved
            sums = [{}, {}]
            for vector, right in zip(vectors, side, strict=True):
                total = sums[right]
                for term, weight in vector.items():
                    total[term] = total.get(term, 0.0) + weight
        count = sum(side)
        if count < config.split_min or n - count < config.split_min:
            return
        norm2 = [sum([w * w for w in part.values()]) for part in sums]
        if dot(sums[0], sums[1]) / math.sqrt(norm2[0] * norm2[1]) >= config.split_cosine:
            return
        keep = side[0]  # the side of the event's first article
        self._split(event, [m for m, right in zip(members, side, strict=True) if right != keep])

    def _split(self, event: _Event, part: list[_Member]) -> None:
        """Move ``part`` (in arrival order) out of ``event`` into a new event whose id derives
        from its first article (:func:`split_event_id`); the rest keeps the event's id."""
        first = part[0]
        new_id = split_event_id(first.doc_id, first.splits)
        while new_id in self._events:  # a restored split-off event holds it (a restart)
            first.splits += 1
            new_id = split_event_id(first.doc_id, first.splits)
        first.splits += 1
        split = self._open(new_id, first.seq)  # as old as its first article, as on restore
        split.split_from = event.id
        moving = {m.doc_id for m in part}
        split.members = part
        event.members = [m for m in event.members if m.doc_id not in moving]
        event.headlines, split.headlines = Headlines(event.members), Headlines(part)
        event.title = None
        centroid, other = event.centroid, split.centroid
        for member in part:
            member.event = split
            for term, weight in zip(member.terms, member.weights, strict=True):
                other[term] = other.get(term, 0.0) + weight
                left = centroid[term] - weight
                if abs(left) < 1e-9:  # only the moved articles had it
                    del centroid[term]
                else:
                    centroid[term] = left
        event.norm2 = math.fsum([w * w for w in centroid.values()])
        split.norm2 = math.fsum([w * w for w in other.values()])
        for side in (event, split):  # (only single-language events are split: no evidence moves
            side.languages = Counter(m.language for m in side.members)  # between languages)
            side.evidence, side.evidence_norm2 = _evidence_centroid(side.members)
        for side in (event, split):
            dates = [m.published for m in side.members if m.published is not None]
            side.first = min(dates) if dates else None
            side.last = max(dates) if dates else None
        split.touched = event.touched
        if split.touched is not None:
            heapq.heappush(self._closing, (split.touched, split.seq, split.id))
        self._moves.extend((member.doc_id, split.id) for member in part)

    def _merge_converging(self, event: _Event, candidates: list[_Event]) -> _Event:
        """Merge ``event`` with every candidate whose centroid has converged with it: at
        ``merge_threshold``, or at ``merge_headline_threshold`` when two of their reports from
        different sources are headed alike (:meth:`_headed_alike`)."""
        config = self.config
        for other in candidates:
            if other.id not in self._events or other is event:
                continue  # already merged away in this loop
            cosine = dot(event.centroid, other.centroid) / math.sqrt(event.norm2 * other.norm2)
            cosine *= self._span_decay(event, other)
            if cosine >= config.merge_threshold or (
                0.0 < config.merge_headline_threshold <= cosine and self._headed_alike(event, other)
            ):
                event = self._absorb(*sorted((event, other), key=lambda e: e.seq))
        return event

    def _headed_alike(self, a: _Event, b: _Event) -> bool:
        """Whether a recent report of ``a`` and one of ``b`` are headed alike: from two known
        sources, in one language, published within a day of each other, naming the same
        places (countries, sides, organisations: group/evidence.py), and passing the headline
        rule's test (:meth:`_by_headline`: ``headline_words`` words in common, their weighted
        Jaccard at ``headline_threshold``).

        Two events one article links whose centroids stay apart because one of them gathered
        a source's series of reports (its background paragraphs weigh in its centroid: Dawn's
        reports of the US-Iran talks in Geneva beside every other outlet's) are one development
        when two outlets head it alike. Developments of one crisis that headlines tell apart by
        a place ("Israel strikes Gaza …" / "Israel strikes Lebanon …", "… tariffs on Canada" /
        "… on Mexico") or by days are not; one source's series shares its own formula, hence two
        known sources. Only the last ``_ALIKE_MEMBERS`` reports each event received are compared,
        so the cost stays bounded however large the events grow."""
        config = self.config
        if config.headline_threshold <= 0.0:
            return False
        idf = self._headline_idf()
        for one in a.members[-_ALIKE_MEMBERS:]:
            if len(one.headline) < config.headline_words or one.published is None:
                continue
            own_weight = math.fsum(idf(term) for term in one.headline)
            for two in b.members[-_ALIKE_MEMBERS:]:
                if one.source is None or two.source is None or one.source == two.source:
                    continue  # two outlets, known to be two
                if one.language and two.language and one.language != two.language:
                    continue
                if two.published is None or abs(one.published - two.published) > _ALIKE_WITHIN:
                    continue
                common = one.headline & two.headline
                if len(common) < config.headline_words:
                    continue
                alike = _headline_score(one.headline, own_weight, two.headline, idf)
                if alike is None or alike < config.headline_threshold:
                    continue
                if _headline_places(one.title, one.language) == _headline_places(
                    two.title, two.language
                ):
                    return True
        return False

    def _absorb(self, survivor: _Event, absorbed: _Event) -> _Event:
        overlap = dot(absorbed.centroid, survivor.centroid)
        survivor.norm2 += absorbed.norm2 + 2.0 * overlap
        centroid = survivor.centroid
        for term, weight in absorbed.centroid.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        firsts = [t for t in (survivor.first, absorbed.first) if t is not None]
        lasts = [t for t in (survivor.last, absorbed.last) if t is not None]
        survivor.first = min(firsts) if firsts else None
        survivor.last = max(lasts) if lasts else None
        survivor.evidence_norm2 += absorbed.evidence_norm2 + 2.0 * dot(
            absorbed.evidence, survivor.evidence
        )
        for term, weight in absorbed.evidence.items():
            survivor.evidence[term] = survivor.evidence.get(term, 0.0) + weight
        survivor.languages.update(absorbed.languages)
        if absorbed.touched is not None and (
            survivor.touched is None or absorbed.touched > survivor.touched
        ):
            survivor.touched = absorbed.touched
            heapq.heappush(self._closing, (survivor.touched, survivor.seq, survivor.id))
        for member in absorbed.members:
            member.event = survivor
        # keep members in arrival order so title ties and restore replays stay deterministic
        survivor.members = sorted(survivor.members + absorbed.members, key=lambda m: m.seq)
        survivor.headlines = survivor.headlines.merged(absorbed.headlines)
        survivor.title = None
        del self._events[absorbed.id]
        self._merges.append((absorbed.id, survivor.id))
        return survivor

    def _close(self, event: _Event) -> None:
        # members are in arrival order, so each is found near the front of its posting lists
        for member in event.members:
            for term in member.terms[: self.config.query_terms]:
                postings = self._postings[term]
                postings.remove(member.doc_id)
                if not postings:
                    del self._postings[term]
            for term in member.evidence_terms[: self.config.query_terms]:
                postings = self._evidence_postings[term]
                postings.remove(member.doc_id)
                if not postings:
                    del self._evidence_postings[term]
            if self.config.headline_threshold > 0.0:
                for term in member.headline:
                    postings = self._headline_postings[term]
                    postings.remove(member.doc_id)
                    if not postings:
                        del self._headline_postings[term]
            del self._docs[member.doc_id]
        del self._events[event.id]


def _headline_score(
    own: frozenset[str], own_weight: float, other: frozenset[str], idf: Callable[[str], float]
) -> float | None:
    """The weighted Jaccard of two headlines' words (``own_weight``: the weight of ``own``);
    None when their union weighs nothing (every word in every headline so far)."""
    common = math.fsum(idf(term) for term in own & other)
    union = own_weight + math.fsum(idf(term) for term in other - own)
    return common / union if union > 0.0 else None


@functools.lru_cache(maxsize=4096)
def _headline_places(title: str, language: str | None) -> frozenset[str]:
    """The places a headline names (evidence keys: "^iran"), in its language (English when
    unknown)."""
    return frozenset(evidence_.places(title, language or "en"))


def headline_words(terms: Sequence[str]) -> frozenset[str]:
    """A headline's content words as the headline rule compares them: accents, a possessive
    and a plural "s" taken off ("Orbán" and "Orban", "Bangladesh's" and "Bangladesh", "talks"
    and "talk" agree)."""
    found: set[str] = set()
    for term in terms:
        if not term.isascii():
            term = _unaccented(term)
        if term.endswith(("'s", "’s")):
            term = term[:-2]
        elif len(term) > 3 and term.endswith("s") and not term.endswith(("ss", "us", "is")):
            term = term[:-1]
        found.add(term)
    return frozenset(found)


@functools.lru_cache(maxsize=65_536)
def _unaccented(word: str) -> str:
    """The word without its combining accents ("orbán" -> "orban"); a word in another script
    as it is (in Cyrillic "й" is a letter of its own, not an accented "и")."""
    if any("\u0400" <= c <= "\u04ff" for c in word):
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _evidence_centroid(members: Sequence[_Member]) -> tuple[dict[str, float], float]:
    """The sum of the members' evidence vectors and its squared length."""
    centroid: dict[str, float] = {}
    for member in members:
        if member.evidence_weights is not None:
            for term, weight in zip(member.evidence_terms, member.evidence_weights, strict=True):
                centroid[term] = centroid.get(term, 0.0) + weight
    return centroid, math.fsum([w * w for w in centroid.values()])
