"""Value types of the grouping stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class GroupDoc:
    """One article as the grouping stage sees it; ``published`` None means "now"."""

    id: str
    title: str
    text: str
    published: datetime | None = None
    source: str | None = None
    # its language tag ("en", "ru"); None: unknown, compared by its text alone
    language: str | None = None


@dataclass(frozen=True, slots=True)
class EventConfig:
    """Settings of :class:`~aggregator.group.events.EventClusterer`.

    Only ``threshold`` and ``centroid_share`` were tuned (on ECB+ topics 1-35, see
    docs/evaluation/grouping.md); the weights and the time scales are set from what they mean,
    not fitted.
    """

    # join the best live event when its score reaches this; score = (1 - centroid_share) x the
    # nearest member's cosine + centroid_share x the cosine with the event's centroid (both
    # time-decayed)
    threshold: float = 0.22
    centroid_share: float = 0.5
    # below threshold, join the best event from clear_threshold up when the runner-up scores
    # at most clear_ratio of it (clear_ratio 0 turns it off)
    clear_threshold: float = 0.14
    clear_ratio: float = 0.4
    # merge two events an article links to when their centroids' cosine reaches this
    merge_threshold: float = 0.5
    # ... or from this cosine up when a report of each, from different sources, is headed like
    # the other (the headline rule's test); 0 turns it off
    merge_headline_threshold: float = 0.35
    # repair: an event of split_max articles or fewer, examined as it grows, is split in two
    # when both parts hold split_min articles and their centroids' cosine is under split_cosine
    # (below merge_threshold, so a split is not merged straight back); split_min 0 turns it off
    split_cosine: float = 0.45
    split_min: int = 5
    split_max: int = 64
    # extra count per occurrence of a headline word
    title_weight: float = 1.0
    # how much of the similarity each feature group carries, relative to plain words (1.0)
    names_share: float = 1.0
    numbers_share: float = 1.0
    pairs_share: float = 1.0
    # a feature group with fewer distinct terms than this speaks with proportionally less
    group_terms: int = 4
    # a term that at least this share of a source's recent items carry is that source's
    # boilerplate and left out of its next items (0 turns it off); see group/boilerplate.py
    boilerplate_share: float = 0.7
    # similarity halves for every ``half_life`` between two articles' publication times
    half_life: timedelta = timedelta(days=2)
    # events not updated for this long are closed: no longer candidates, their postings evicted
    window: timedelta = timedelta(days=7)
    # bounded retrieval: an article is compared with at most ``max_candidates`` live articles,
    # those sharing most of its ``query_terms`` heaviest terms; stored vectors keep
    # ``vector_terms`` terms
    query_terms: int = 32
    max_candidates: int = 8
    posting_scan: int = 32  # read at most this many (most recent) postings per query term
    vector_terms: int = 96
    # across languages (both articles' languages known and different), articles are compared
    # by their language-independent evidence (names, places, numbers, dates; see
    # group/evidence.py), scored like the text (nearest article and centroid, time-decayed):
    # an article its text joins to no event joins the best event of other languages at
    # cross_threshold when the runner-up scores at most cross_ratio of it (cross_ratio 0: the
    # threshold alone); cross_threshold 0 turns the comparison off
    cross_threshold: float = 0.25
    cross_ratio: float = 0.7
    # an evidence group with fewer distinct keys than this speaks with proportionally less
    evidence_group_terms: int = 3
    evidence_terms: int = 48  # keys kept per article
    # an article its text and evidence join to no event joins the event whose headlines its
    # own matches best (overlap of their content words weighted by IDF among headlines,
    # time-decayed) at headline_threshold, when the runner-up event scores at most
    # headline_ratio of it; only another source's headline sharing at least headline_words
    # words counts; headline_threshold 0 turns the rule off
    headline_threshold: float = 0.3
    headline_ratio: float = 0.6
    headline_words: int = 3


@dataclass(frozen=True, slots=True)
class EventUpdate:
    """An event as one grouping step leaves it: its title, and the span of the articles the step
    assigned to it (the store inserts or updates it by id)."""

    id: str
    title: str
    first_seen_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class GroupingStep:
    """What grouping decided since the last :meth:`~aggregator.group.Grouper.flush`: exactly what
    :meth:`aggregator.store.Store.save_grouping` stores, in one transaction.

    Articles are named by their :class:`GroupDoc` ids (the pipeline's are the store's article
    ids as text).
    """

    # (article, event): each added article's own, then those a repair moved while adding it
    assignments: tuple[tuple[str, str], ...] = ()
    # (copy, original) for each added article that copies an earlier one
    near_duplicates: tuple[tuple[str, str], ...] = ()
    # the events the step created or changed and that still stand (not absorbed by ``merges``)
    events: tuple[EventUpdate, ...] = ()
    # (absorbed, surviving) event pairs, oldest first
    merges: tuple[tuple[str, str], ...] = ()
