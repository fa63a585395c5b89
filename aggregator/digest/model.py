"""Value types of the digest stage: its options, and what the templates read.

The stage's input is the store's own value types (:class:`~aggregator.model.Event`,
:class:`~aggregator.model.EventStatement`, :class:`~aggregator.model.Report`, in
``aggregator/model.py``); the views (:class:`Digest` and below) are what :func:`build_digest`
returns and what the templates render. Every type is frozen: the stage returns new values, it
never mutates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from aggregator.model import SourceKind, StatementKind

ContestKind = Literal["control", "figure", "denial"]
ColumnKind = Literal["party", "commentary", "others"]

#: the column that collects folded sides and statements whose side is unknown
OTHERS = "Others"
#: the column of speakers who are no party: journalists, outlets, academics, experts, NGOs
COMMENTARY = "Commentary"
#: the language a digest is written in unless its subscription says otherwise; a statement in
#: another language carries a tag ("RU") beside it
DIGEST_LANGUAGE = "en"


# -------------------------------------------------------------------------------------- options
@dataclass(frozen=True, slots=True)
class DigestOptions:
    """What one subscription asks for. Filters are case-insensitive; empty means "no filter"."""

    subscription: str
    timezone: str
    sides: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    min_sources: int = 1
    max_columns: int = 4  # parties side by side; commentary and Others come below them
    max_statements_per_cell: int = 3
    max_outlets_shown: int = 3
    max_events: int = 25  # events in the main section; the rest are one line under "Also reported"
    max_also: int = 60  # lines under "Also reported"; beyond them only a count
    base_url: str | None = None  # the web archive, for links to whole events and digests
    language: str = DIGEST_LANGUAGE  # statements in other languages are tagged


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
class RenderingView:
    """A statement's words in another language than the one it is shown in ("also in FR")."""

    language: str  # the primary tag ("fr")
    tag: str  # as shown ("FR")
    text: str
    digest_language: bool  # in the digest's own language: the reader's translation


@dataclass(frozen=True, slots=True)
class StatementView:
    """A statement as shown in a cell: words, who, how, and where it was reported.

    ``speaker`` is the name as shown (the resolved actor, never a bare pronoun) and ``role`` the
    role as shown (never a repeat of the name); ``actor`` is the canonical actor, for links.
    """

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
    actor: str | None = None
    commentary: bool = False
    all_outlets: tuple[OutletLink, ...] = ()  # every source that carried it (for --json)
    new: bool = True  # first reported inside the digest's period
    sentence: str = ""  # the statement as a sentence naming its speaker ("X said Y.")
    language: str | None = None  # its article's language as a primary tag ("ru"), if known
    language_tag: str | None = None  # shown beside it ("RU"): only if not the digest's language
    # the same statement in its reports' other languages, the digest's language first
    renderings: tuple[RenderingView, ...] = ()

    @property
    def translation(self) -> RenderingView | None:
        """Its words in the digest's language, when it is shown in another one."""
        return next((r for r in self.renderings if r.digest_language), None)

    @property
    def other_languages(self) -> tuple[str, ...]:
        """The tags of its renderings other than :attr:`translation` ("FR", "DE")."""
        return tuple(r.tag for r in self.renderings if not r.digest_language)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language it was reported in, its own first ("RU", "EN", "FR"); () when only
        its own language is known."""
        if not self.renderings or self.language is None:
            return ()
        return (self.language.upper(), *(r.tag for r in self.renderings))


@dataclass(frozen=True, slots=True)
class Column:
    """One cell of an event's table: a party's side, the commentary, or ``Others`` (the sides
    folded into it and the statements whose speaker's standing is unknown).

    ``statements`` holds every statement of the cell, best first; a rendering shows the first
    ``len(statements) - hidden`` of them (``shown``) and counts the rest.
    """

    side: str | None  # the party's side; None for the commentary and Others
    label: str  # the heading: the side, "Commentary" or "Others"
    kind: ColumnKind
    folded: tuple[str, ...]  # for Others: the sides it holds; else ()
    summary: StatementView | None  # the side's most central statement
    summary_text: str | None  # that statement as a sentence: "Lavrov said Russia was …"
    statements: tuple[StatementView, ...]  # every statement, best first
    hidden: int  # statements beyond max_statements_per_cell

    @property
    def is_others(self) -> bool:
        """True for the folded column."""
        return self.kind == "others"

    @property
    def shown(self) -> tuple[StatementView, ...]:
        """The statements a rendering shows in the cell."""
        return self.statements[: len(self.statements) - self.hidden]

    @property
    def details(self) -> tuple[StatementView, ...]:
        """The shown statements other than the summary (which a rendering gives above the
        table), unless the summary is the only one."""
        shown = self.shown
        if self.summary is None or len(self.statements) < 2:
            return shown
        return tuple(s for s in shown if s.id != self.summary.id)


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
class ArticleLink:
    """One article of an event: its source and title, and its link when it is a safe URL."""

    source: str
    publisher: str
    url: str | None
    title: str


@dataclass(frozen=True, slots=True)
class EventView:
    """One ranked event in the digest's main section."""

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
    articles: tuple[ArticleLink, ...] = ()
    continuing: bool = False  # already reported before the period: what is new leads
    relevance: float = 0.0
    url: str | None = None  # the event's page in the web archive, when there is one
    title_language: str | None = None  # the language of the headline that is its title ("uk")
    title_tag: str | None = None  # shown beside the title ("UK"): only if not the digest's

    @property
    def hidden(self) -> int:
        """Statements of the event that the cells do not show."""
        return sum(column.hidden for column in self.columns)


@dataclass(frozen=True, slots=True)
class AlsoView:
    """An event kept out of the main section, shown as one line under "Also reported"."""

    id: str
    title: str
    articles: tuple[ArticleLink, ...]
    url: str | None = None
    title_language: str | None = None  # the language of the headline that is its title ("uk")
    title_tag: str | None = None  # shown beside the title ("UK"): only if not the digest's


@dataclass(frozen=True, slots=True)
class Digest:
    """A subscription's digest for one period: events ranked, laid out, ready to render."""

    subscription: str
    timezone: str
    period: Period
    generated_at: datetime
    events: tuple[EventView, ...]
    considered: int  # events handed in, before the period and filters
    also: tuple[AlsoView, ...] = ()  # other events of the period, one line each
    also_omitted: int = 0  # further events not even listed under "Also reported"
    archive_url: str | None = None  # the whole digest in the web archive, when there is one

    @property
    def hidden_statements(self) -> int:
        """Statements of the main events that the cells do not show."""
        return sum(event.hidden for event in self.events)


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    """The rendered digest: a one-line subject, the HTML part (CSS inlined) and the text part."""

    subject: str
    html: str
    text: str
