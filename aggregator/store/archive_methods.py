"""Store methods for the web archive (``aggregator serve``): one event, archive days, actors,
search, the digest days and the counts ``/metrics`` shows. Reads only, one transaction each."""

from __future__ import annotations

from datetime import datetime

from aggregator.store import ledger, period, reading
from aggregator.store import search as search_module
from aggregator.store.base import StoreBase
from aggregator.store.types import (
    ActorPage,
    DigestRow,
    EventDetail,
    EventSummary,
    SearchPage,
    StoreCounts,
)


class ArchiveMethods(StoreBase):
    """The web archive's reads (part of :class:`~aggregator.store.Store`).

    Pages take ``after``, the ``next_cursor`` of the page before (or ``EventSummary.cursor``
    of the last event shown); a string no page made is a ValueError. ``limit`` above 200 is
    lowered to 200; below 1 it is a ValueError.
    """

    def event(self, event_id: str) -> EventDetail | None:
        """One event with all its reports and canonical statements over its whole life (no
        period bound), as :meth:`events_in_period` shapes them; None when no such event.

        A merged event is returned too, with ``merged_into`` set (its articles went to the
        survivor: show that one instead); ``merged_from`` names the events absorbed into it.
        """
        with self._read(f"reading event {event_id}") as conn:
            return period.event(conn, event_id)

    def events_between(
        self, start: datetime, end: datetime, *, after: str | None = None, limit: int = 50
    ) -> list[EventSummary]:
        """Live events active in ``[start, end)`` (their span meets it, as for
        :meth:`events_in_period`), most recently active first (then by id): at most ``limit``,
        after the event whose ``cursor`` is ``after``."""
        with self._read("reading the events of a period") as conn:
            return reading.events_between(conn, start, end, after=after, limit=limit)

    def actor_statements(
        self,
        slug: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> ActorPage:
        """The canonical statements whose actor's slug (``aggregator.store.slugs.actor_slug``) is
        ``slug``, newest first by their article's time (published, else first seen), within
        ``[start, end)`` when given; with the actor's most frequent spelling, roles and sides
        over all its statements (``actor`` None: nobody has this slug)."""
        with self._read(f"reading the statements of {slug}") as conn:
            return reading.actor_statements(
                conn, slug, start=start, end=end, after=after, limit=limit
            )

    def search(
        self,
        q: str,
        *,
        side: str | None = None,
        actor_slug: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> SearchPage:
        """Canonical statements and article titles matching every word of ``q``, most relevant
        first (then newer, then by id); ``side``/``actor_slug`` keep statements only;
        ``start``/``end`` bound the article's time. Any ``q`` is safe (its words are taken
        out, never its syntax); one without words gives an empty page. Snippets are plain
        text with the matches between U+E000 and U+E001 (``storable.MARK_START``/``MARK_END``).
        Pages stop 1,000 hits deep."""
        with self._read("searching") as conn:
            return search_module.search(
                conn,
                q,
                search_module.Filters(side=side, actor_slug=actor_slug, start=start, end=end),
                after=after,
                limit=limit,
            )

    def digest_days(self, subscription: str | None = None, *, limit: int = 400) -> list[DigestRow]:
        """The digest ledger's rows, newest period first (the first ``limit``, at most 10,000),
        optionally of one subscription."""
        with self._read("reading the digest ledger") as conn:
            return ledger.status_rows(conn, subscription, limit=reading.page_size(limit, 10_000))

    def counts(self) -> StoreCounts:
        """Fetches by outcome, articles, statements, live events, digests sent and the latest
        successful poll, in two queries."""
        with self._read("counting rows") as conn:
            return reading.counts(conn)

    def actors(self, prefix: str = "", limit: int = 50) -> list[tuple[str, str, int]]:
        """(slug, most frequent spelling, canonical statements) of the actors whose slug starts
        with ``prefix``'s slug (all when empty), most statements first."""
        with self._read("reading actors") as conn:
            return reading.actors(conn, prefix, limit)
