"""The grouping pipeline for articles: near-duplicates first, then events.

    copy_of = near_duplicates.add(doc)          # level 1
    if copy_of's event is live: same event      # a copy is a reporting source, not a new article
    else: event = events.add(doc)               # level 3

:class:`Grouper` is what the pipeline calls; :func:`cluster_stream` runs the same object over a
stream (``aggregator cluster FILE.jsonl --json``; :mod:`aggregator.group.jsonl` reads that file).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from aggregator.group.copies import CopyEvents
from aggregator.group.duplicates import NearDuplicateIndex
from aggregator.group.events import EventClusterer
from aggregator.group.types import EventConfig, GroupDoc


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its event, and the earlier copy it duplicates, if any."""

    doc_id: str
    event_id: str
    duplicate_of: str | None = None


class Grouper:
    """Near-duplicates and events together; the one object the pipeline and the CLI share."""

    def __init__(
        self,
        config: EventConfig | None = None,
        *,
        duplicates: NearDuplicateIndex | None = None,
    ) -> None:
        self.events = EventClusterer(config)
        self.duplicates = duplicates if duplicates is not None else NearDuplicateIndex()
        self._copies = CopyEvents()  # copy id -> its live event (copies skip the clusterer)

    def add(self, doc: GroupDoc, *, actors: Sequence[str] = ()) -> Assignment:
        """Group one new article (idempotent for an id already added)."""
        original = self.duplicates.add(doc.id, doc.text or doc.title)
        if original is not None:
            event_id = self.events.event_of(original) or self._copies.event_of(original)
            if event_id is not None and self.events.is_live(event_id):
                self._copies.add(doc.id, original, event_id)
                return Assignment(doc.id, event_id, original)
        return Assignment(doc.id, self.events.add(doc, actors=actors), original)

    def restore(
        self,
        doc: GroupDoc,
        event_id: str,
        *,
        duplicate_of: str | None = None,
        actors: Sequence[str] = (),
    ) -> None:
        """Re-seed with an article grouped in an earlier run (recent history, arrival order)."""
        self.duplicates.add(doc.id, doc.text or doc.title)
        if duplicate_of is not None and self.events.is_live(event_id):
            self._copies.add(doc.id, duplicate_of, event_id)
        else:
            self.events.restore(doc, event_id, actors=actors)

    def merges(self) -> list[tuple[str, str]]:
        """The (absorbed, surviving) event pairs since the last call."""
        merges = self.events.merges()
        for absorbed, survivor in merges:
            self._copies.merge(absorbed, survivor)
        self._copies.prune(self.events.is_live)  # forgets the copies of closed events
        return merges

    def moves(self) -> list[tuple[str, str]]:
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
        pending.append((doc.id, grouper.add(doc).event_id))
        survivor.update(grouper.merges())
        moved.update(grouper.moves())
        while pending and not grouper.events.is_live(final(moved.get(*pending[0]))):
            doc_id, event_id = pending.popleft()
            yield doc_id, final(moved.pop(doc_id, event_id))
    for doc_id, event_id in pending:
        yield doc_id, final(moved.pop(doc_id, event_id))
