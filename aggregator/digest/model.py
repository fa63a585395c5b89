"""Value types of the digest stage: what the store hands in, and what the templates read.

Inputs (:class:`EventInput`, :class:`StatementInput`, :class:`ReportRef`) are filled by the caller
from the store; the views (:class:`Digest` and below) are what :func:`build_digest` returns and what
the templates render. Every type is frozen: the stage returns new values, it never mutates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SourceKind = Literal["official", "wire", "outlet"]
StatementKind = Literal["direct", "indirect", "mixed"]
ContestKind = Literal["control", "figure", "denial"]

#: the column that collects folded sides and statements whose side is unknown
OTHERS = "Others"


# --------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True, slots=True)
class ReportRef:
    """One article (and its source) that carried an event or a statement."""

    source: str  # Source.name
    publisher: str
    kind: SourceKind
    url: str | None
    title: str
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class StatementInput:
    """One merged statement: the same words, carried by every report in ``reports``."""

    id: str
    text: str
    kind: StatementKind
    cue: str | None
    speaker: str | None
    actor: str | None
    role: str | None
    side: str | None
    reports: tuple[ReportRef, ...]


@dataclass(frozen=True, slots=True)
class EventInput:
    """One event as grouped by the pipeline, with its articles and merged statements."""

    id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    articles: tuple[ReportRef, ...]
    statements: tuple[StatementInput, ...]


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """What one subscription asks for. Filters are case-insensitive; empty means "no filter"."""

    subscription: str
    timezone: str
    sides: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    min_sources: int = 1
    max_columns: int = 5
    max_statements_per_cell: int = 3
    max_outlets_shown: int = 3


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open UTC interval ``[start, end)`` and the label shown to readers."""

    start: datetime
    end: datetime
    label: str


# ---------------------------------------------------------------------------------------- views
@dataclass(frozen=True, slots=True)
class OutletLink:
    """One source that carried a statement. ``url`` is None unless it is a safe http(s) URL."""

    publisher: str
    source: str
    kind: SourceKind
    url: str | None
    title: str


@dataclass(frozen=True, slots=True)
class StatementView:
    """A statement as shown in a cell: words, who, how, and where it was reported."""

    id: str
    text: str
    kind: StatementKind
    cue: str | None
    speaker: str | None
    role: str | None
    side: str | None
    outlets: tuple[OutletLink, ...]  # at most max_outlets_shown, official first
    more_outlets: int  # the "+N more" count
    reported_by: int  # distinct sources in all
    official: bool  # carried by at least one official source
    contested: bool = False


@dataclass(frozen=True, slots=True)
class Column:
    """One side's cell in an event's table. ``Others`` lists the sides folded into it."""

    side: str
    folded: tuple[str, ...]  # for Others: the sides it holds ("" for unattributed); else ()
    summary: StatementView | None  # the side's most central statement
    statements: tuple[StatementView, ...]  # the key statements, best first
    hidden: int  # statements beyond max_statements_per_cell

    @property
    def is_others(self) -> bool:
        """True for the folded column."""
        return self.side == OTHERS


@dataclass(frozen=True, slots=True)
class ContestedClaim:
    """One side's claim in a contested point."""

    side: str
    statement_id: str
    text: str
    figure: str | None = None  # the number as written, for casualty figures


@dataclass(frozen=True, slots=True)
class ContestedPoint:
    """Two or more sides making opposing claims about the same thing."""

    topic: str  # the place or the counted thing ("Tskhinvali", "killed")
    kind: ContestKind
    claims: tuple[ContestedClaim, ...]


@dataclass(frozen=True, slots=True)
class EventView:
    """One ranked event in the digest."""

    rank: int
    id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    weight: float
    source_count: int
    article_count: int
    statement_count: int
    side_count: int
    columns: tuple[Column, ...]
    contested: tuple[ContestedPoint, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """A subscription's digest for one period: events ranked, laid out, ready to render."""

    subscription: str
    timezone: str
    period: Period
    generated_at: datetime
    events: tuple[EventView, ...]
    considered: int  # events handed in, before the period and filters


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    """The rendered digest: a one-line subject, the HTML part (CSS inlined) and the text part."""

    subject: str
    html: str
    text: str
