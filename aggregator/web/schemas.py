"""The JSON API's response models: what ``/api/v1/openapi.json`` describes. Frozen pydantic models,
filled by :mod:`aggregator.web.api` from the store's values and the digest's views."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: what a statement's ``language`` is
LANGUAGE = 'Its article\'s language, a lower-case primary tag ("ru"); null: unknown'
#: what an article's ``language`` is
ARTICLE_LANGUAGE = 'The article\'s language, a lower-case primary tag ("ru"); null: unknown'


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class EventItem(_Model):
    """One event of a day, without its statements."""

    id: str
    title: str
    url: str = Field(description="The event's page in the archive")
    first_seen: datetime
    last_seen: datetime
    article_count: int
    source_count: int
    statement_count: int
    side_count: int


class EventList(_Model):
    """A page of the events active on one day (UTC), most recently active first."""

    date: date
    events: list[EventItem]
    next: str | None = Field(description="The `after` of the next page; null on the last")
    next_url: str | None


class Outlet(_Model):
    """A source that carried a statement."""

    publisher: str
    source: str
    kind: Literal["official", "wire", "outlet"]
    url: str | None = Field(description="The article, when it is an http(s) URL")


class RenderingOut(_Model):
    """A statement's words in another language its reports carry it in."""

    language: str = Field(description='A lower-case primary language tag ("fr")')
    text: str


class StatementOut(_Model):
    """A statement as the event page shows it."""

    id: str
    text: str
    speaker: str | None = Field(description="The name as shown")
    actor: str | None = Field(description="The canonical actor")
    actor_url: str | None = Field(description="The actor's page in the archive")
    side: str | None
    role: str | None
    kind: Literal["direct", "indirect", "mixed"]
    contested: bool
    outlets: list[Outlet]
    language: str | None = Field(default=None, description=LANGUAGE)
    renderings: list[RenderingOut] = Field(
        default=[], description="The same statement in its reports' other languages"
    )


class ColumnOut(_Model):
    """One column of the side-by-side table: a party, the commentary, or Others."""

    side: str | None = Field(description="The party's side; null for commentary and others")
    label: str
    kind: Literal["party", "commentary", "others"]
    statements: list[StatementOut]


class ArticleOut(_Model):
    """An article of the event and the source that carried it."""

    source: str
    publisher: str
    title: str
    url: str | None
    published: datetime | None
    language: str | None = Field(default=None, description=ARTICLE_LANGUAGE)


class ClaimOut(_Model):
    """One side's claim in a contested point."""

    side: str
    statement_id: str
    text: str
    figure: str | None


class ContestedOut(_Model):
    """Sides making opposing claims about the same thing."""

    topic: str
    kind: Literal["control", "figure", "denial"]
    claims: list[ClaimOut]


class EventOut(EventItem):
    """An event with its articles, contested points and every statement by column."""

    merged_from: list[str] = Field(description="Events merged into this one")
    articles: list[ArticleOut]
    contested: list[ContestedOut]
    columns: list[ColumnOut]


class HitOut(_Model):
    """A search hit: a statement, or an article whose title matched."""

    kind: Literal["statement", "article"]
    text: str = Field(description="The snippet as plain text (marks removed)")
    snippet: str = Field(description="The snippet; matches between U+E000 and U+E001")
    title: str = Field(description="The article's title")
    speaker: str | None
    actor: str | None
    actor_url: str | None
    side: str | None
    role: str | None
    event_id: str | None
    url: str | None = Field(description="The event's page in the archive")
    source_url: str | None = Field(description="The publisher's article")
    published: datetime | None
    rank: float
    language: str | None = Field(default=None, description=LANGUAGE)


class SearchOut(_Model):
    """A page of search hits, most relevant first."""

    query: str
    total: int = Field(description="matches: statements and titles, each counted up to 1,000")
    total_exact: bool = Field(description="false: more than `total` match")
    hits: list[HitOut]
    next: str | None
    next_url: str | None


class ActorStatementOut(_Model):
    """One statement of an actor."""

    id: int
    text: str
    kind: Literal["direct", "indirect", "mixed"]
    speaker: str | None
    role: str | None
    side: str | None
    event_id: str | None
    event_url: str | None
    article_title: str
    source_url: str | None
    publisher: str
    published: datetime | None
    language: str | None = Field(default=None, description=LANGUAGE)


class ActorOut(_Model):
    """A page of an actor's statements, newest first."""

    slug: str
    actor: str
    url: str
    roles: list[str]
    sides: list[str]
    total: int
    statements: list[ActorStatementOut]
    next: str | None
    next_url: str | None
