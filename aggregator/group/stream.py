"""The grouping pipeline for articles: near-duplicates first, then events.

    copy_of = near_duplicates.add(doc)          # level 1
    if copy_of's event is live: same event      # a copy is a reporting source, not a new article
    else: event = events.add(doc)               # level 3
    step = flush()                              # what changed since the last flush, as stored

:class:`Grouper` is what the pipeline calls; :func:`cluster_stream` runs the same object over a
stream (``aggregator cluster FILE.jsonl --json``; :mod:`aggregator.group.jsonl` reads that file).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from aggregator.group.copies import CopyEvents
from aggregator.group.duplicates import NearDuplicateIndex
from aggregator.group.events import EventClusterer
from aggregator.group.types import EventConfig, EventUpdate, GroupDoc, GroupingStep


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its event, and the earlier copy it duplicates, if any."""

    doc_id: str
    event_id: str
    duplicate_of: str | None = None


@dataclass
class _Draft:
    """The step being gathered until the next flush."""

    assignments: list[tuple[str, str]] = field(default_factory=list)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    spans: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)  # event -> span
    # titles are known only while an event is live, and a long batch may close an event before
    # the flush: each touched event's latest title, kept as it goes
    titles: dict[str, str] = field(default_factory=dict)


class Grouper:
    """Near-duplicates and events together; the one object the pipeline and the CLI share.

    :meth:`add` groups one article; :meth:`flush` hands over what was decided since the last
    flush, as one :class:`GroupingStep`.
    """

    def __init__(
        self,
        config: EventConfig | None = None,
        *,
        duplicates: NearDuplicateIndex | None = None,
    ) -> None:
        self.events = EventClusterer(config)
        self.duplicates = duplicates if duplicates is not None else NearDuplicateIndex()
        self._copies = CopyEvents()  # copy id -> its live event (copies skip the clusterer)
        self._draft = _Draft()

    def add(self, doc: GroupDoc, *, actors: Sequence[str] = ()) -> Assignment:
        """Group one new article (idempotent for an id already added)."""
        assignment = self._assign(doc, actors)
        draft = self._draft
        draft.assignments.append((doc.id, assignment.event_id))
        when = doc.published
        for moved in self._moves():
            # a repair split an event: the articles it moved (added earlier or now) follow; both
            # events get fresh titles, and the store recomputes their spans
            draft.assignments.append(moved)
            for event_id in (moved[1], self.events.split_from(moved[1])):
                if event_id is not None and self.events.is_live(event_id):
                    draft.titles[event_id] = self.events.title(event_id)
                    if when is not None:
                        draft.spans.setdefault(event_id, (when, when))
        event_id = assignment.event_id
        if self.events.is_live(event_id):
            draft.titles[event_id] = self.events.title(event_id)
        else:  # merged away at once: the article's own headline until the survivor's known
            draft.titles.setdefault(event_id, doc.title)
        if assignment.duplicate_of is not None:
            draft.near_duplicates.append((doc.id, assignment.duplicate_of))
        if when is not None:  # undated ("now" to the clusterer): no time to record
            first, last = draft.spans.get(event_id, (when, when))
            draft.spans[event_id] = (min(first, when), max(last, when))
        return assignment

    def restore(
        self,
        doc: GroupDoc,
        event_id: str,
        *,
        duplicate_of: str | None = None,
        actors: Sequence[str] = (),
    ) -> None:
        """Re-seed with an article grouped in an earlier run (recent history, arrival order);
        nothing of it goes into the next :meth:`flush`."""
        self.duplicates.add(doc.id, doc.text or doc.title)
        if duplicate_of is not None and self.events.is_live(event_id):
            self._copies.add(doc.id, duplicate_of, event_id)
        else:
            self.events.restore(doc, event_id, actors=actors)

    def flush(self) -> GroupingStep:
        """What the articles added since the last flush changed: their events, copies and
        moves, the events they created or changed (those still standing, with their titles and
        the span of this step's articles) and the events merged meanwhile."""
        merges = self._merges()
        absorbed = {a for a, _ in merges}
        draft, self._draft = self._draft, _Draft()
        events = tuple(
            EventUpdate(event_id, self._title(event_id, draft.titles), first, last)
            for event_id, (first, last) in draft.spans.items()
            if event_id not in absorbed
        )
        return GroupingStep(
            assignments=tuple(draft.assignments),
            near_duplicates=tuple(draft.near_duplicates),
            events=events,
            merges=tuple(merges),
        )

    def _assign(self, doc: GroupDoc, actors: Sequence[str]) -> Assignment:
        original = self.duplicates.add(doc.id, doc.text or doc.title)
        if original is not None:
            event_id = self.events.event_of(original) or self._copies.event_of(original)
            if event_id is not None and self.events.is_live(event_id):
                self._copies.add(doc.id, original, event_id)
                return Assignment(doc.id, event_id, original)
        return Assignment(doc.id, self.events.add(doc, actors=actors), original)

    def _title(self, event_id: str, titles: dict[str, str]) -> str:
        """The event's most central headline while it is live, else the last one recorded."""
        return self.events.title(event_id) if self.events.is_live(event_id) else titles[event_id]

    def _merges(self) -> list[tuple[str, str]]:
        """The (absorbed, surviving) event pairs since the last call."""
        merges = self.events.merges()
        for absorbed, survivor in merges:
            self._copies.merge(absorbed, survivor)
        self._copies.prune(self.events.is_live)  # forgets the copies of closed events
        return merges

    def _moves(self) -> list[tuple[str, str]]:
        """The (article id, new event id) pairs split off by a repair since the last call,
        copies included (a copy follows its original); see ``EventClusterer.moves``."""
        moves = self.events.moves()
        if not moves:
            return moves
        found: list[tuple[str, str]] = []
        for doc_id, event_id in moves:
            found.append((doc_id, event_id))
            found.extend((copy, event_id) for copy in self._copies.move(doc_id, event_id))
        return found


def cluster_stream(
    docs: Iterable[GroupDoc], config: EventConfig | None = None
) -> Iterator[tuple[str, str]]:
    """(doc id, event id) for each document, in input order, through :class:`Grouper`.

    An event may still absorb another while it is live, so a pair is yielded once its event has
    closed (left the time window) or at the end of the input, with merges applied: the ids are
    final. Undated input never closes an event, so everything comes out at the end.
    """
    grouper = Grouper(config)
    pending: deque[tuple[str, str]] = deque()
    survivor: dict[str, str] = {}

    def final(event_id: str) -> str:
        while event_id in survivor:
            event_id = survivor[event_id]
        return event_id

    moved: dict[str, str] = {}  # doc id -> the event a repair moved it to (while pending)

    for doc in docs:
        grouper.add(doc)
        step = grouper.flush()
        own, *moves = step.assignments  # the document's own assignment, then a repair's moves
        pending.append(own)
        survivor.update(step.merges)
        moved.update(moves)
        while pending and not grouper.events.is_live(final(moved.get(*pending[0]))):
            doc_id, event_id = pending.popleft()
            yield doc_id, final(moved.pop(doc_id, event_id))
    for doc_id, event_id in pending:
        yield doc_id, final(moved.pop(doc_id, event_id))
