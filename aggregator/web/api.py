"""The JSON API under ``/api/v1/``, described by ``/api/v1/openapi.json`` from the response models
below (the Swagger and ReDoc pages are off: they load JavaScript from a CDN).

    GET /api/v1/events?date=YYYY-MM-DD&limit=&after=   events active that day (UTC), newest first
    GET /api/v1/events/{id}                            an event, its columns and every statement
    GET /api/v1/search?q=&side=&actor=&from=&to=&limit=&after=
    GET /api/v1/actors/{slug}?from=&to=&limit=&after=

Lists are paged by cursor: ``next`` is the ``after`` of the next page and ``next_url`` its
address (both null on the last page). URLs are absolute; ``url`` is always the archive's page,
``source_url`` the publisher's article. Bad parameters answer 400 with ``{"detail": "…"}``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from aggregator.digest import Column, StatementView
from aggregator.digest.layout import primary_language, safe_url
from aggregator.model import Event
from aggregator.store import ActorStatement, EventSummary, SearchHit
from aggregator.web import params
from aggregator.web.schemas import (
    ActorOut,
    ActorStatementOut,
    ArticleOut,
    ClaimOut,
    ColumnOut,
    ContestedOut,
    EventItem,
    EventList,
    EventOut,
    HitOut,
    Outlet,
    RenderingOut,
    SearchOut,
    StatementOut,
)
from aggregator.web.site import Links, archive
from aggregator.web.views import EventPage, event_page

router = APIRouter(prefix="/api/v1", tags=["archive"])


# ------------------------------------------------------------------------------------ routes
Day = Annotated[date | None, Query(description="A day, YYYY-MM-DD (UTC)")]
Limit = Annotated[int, Query(ge=1, le=params.MAX_PAGE)]
After = Annotated[str | None, Query(max_length=600, description="`next` of the page before")]
Name = Annotated[str | None, Query(max_length=params.MAX_NAME)]
FromDay = Annotated[date | None, Query(alias="from", description="YYYY-MM-DD")]
ToDay = Annotated[date | None, Query(alias="to", description="YYYY-MM-DD, inclusive")]


@router.get("/events")
def events(
    request: Request,
    day: Annotated[
        date | None, Query(alias="date", description="YYYY-MM-DD; default today")
    ] = None,
    limit: Limit = 50,
    after: After = None,
) -> EventList:
    """The events active on one day (UTC), most recently active first."""
    site = archive(request)
    links = Links.of(request)
    day = day or site.clock().astimezone(UTC).date()
    start = datetime.combine(day, time(0), tzinfo=UTC)
    found = params.paged(
        lambda: site.store.events_between(
            start, start + timedelta(days=1), after=after or None, limit=limit + 1
        )
    )
    shown, more = found[:limit], len(found) > limit
    cursor = shown[-1].cursor if more and shown else None
    return EventList(
        date=day,
        events=[_event_item(e, links) for e in shown],
        next=cursor,
        next_url=links.api(
            "events", {"date": day.isoformat(), "limit": str(limit), "after": cursor}
        )
        if cursor
        else None,
    )


@router.get("/events/{event_id}", response_model=EventOut)
def event(request: Request, event_id: str) -> EventOut | Response:
    """An event with every statement in its column; a merged event redirects to the live one."""
    links = Links.of(request)
    detail = archive(request).store.event(event_id) if len(event_id) <= 200 else None
    if detail is None:
        raise params.NotFound(f"no event {event_id[:100]!r} in the archive")
    if detail.merged_into is not None:
        return RedirectResponse(links.api(f"events/{detail.merged_into}"), status_code=301)
    return _event_out(event_page(detail, links.base), links)


def event_json(detail: Event, links: Links) -> str:
    """The answer of ``GET /api/v1/events/{id}`` for a live event, as the route gives it."""
    return _event_out(event_page(detail, links.base), links).model_dump_json(by_alias=True)


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=params.MAX_QUERY_TEXT, description="Words to find")],
    side: Name = None,
    actor: Annotated[str | None, Query(max_length=params.MAX_NAME, description="Slug")] = None,
    start: FromDay = None,
    end: ToDay = None,
    limit: Limit = 20,
    after: After = None,
) -> SearchOut:
    """Statements and article titles holding every word of ``q``, most relevant first."""
    links = Links.of(request)
    since, until = params.day_range(start, end)
    page = params.paged(
        lambda: archive(request).store.search(
            q,
            side=side or None,
            actor_slug=actor or None,
            start=since,
            end=until,
            after=after or None,
            limit=limit,
        )
    )
    kept = {
        "q": q,
        "side": side,
        "actor": actor,
        **_period(start, end),
        "limit": str(limit),
    }
    return SearchOut(
        query=page.query,
        total=page.total,
        total_exact=page.total_exact,
        hits=[_hit(h, links) for h in page.hits],
        next=page.next_cursor,
        next_url=links.api("search", {**kept, "after": page.next_cursor})
        if page.next_cursor
        else None,
    )


@router.get("/actors/{slug}")
def actor(
    request: Request,
    slug: str,
    start: FromDay = None,
    end: ToDay = None,
    limit: Limit = 50,
    after: After = None,
) -> ActorOut:
    """An actor's statements, newest first."""
    links = Links.of(request)
    since, until = params.day_range(start, end)
    page = params.paged(
        lambda: archive(request).store.actor_statements(
            slug[: params.MAX_NAME], start=since, end=until, after=after or None, limit=limit
        )
    )
    if page.actor is None:
        raise params.NotFound(f"no statements by a speaker {slug[:100]!r} in the archive")
    kept = {
        **_period(start, end),
        "limit": str(limit),
        "after": page.next_cursor,
    }
    return ActorOut(
        slug=slug,
        actor=page.actor,
        url=links.actor(slug),
        roles=list(page.roles),
        sides=list(page.sides),
        total=page.total,
        statements=[_actor_statement(s, links) for s in page.statements],
        next=page.next_cursor,
        next_url=links.api(f"actors/{slug}", kept) if page.next_cursor else None,
    )


def _period(start: date | None, end: date | None) -> dict[str, str | None]:
    """The ``from``/``to`` a next page's URL keeps."""
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


# ------------------------------------------------------------------------------------ shapes
def _event_item(event: EventSummary, links: Links) -> EventItem:
    return EventItem(
        id=event.id,
        title=event.title,
        url=links.event(event.id),
        first_seen=event.first_seen_at,
        last_seen=event.last_seen_at,
        article_count=event.article_count,
        source_count=event.source_count,
        statement_count=event.statement_count,
        side_count=event.side_count,
    )


def _column(column: Column, links: Links) -> ColumnOut:
    return ColumnOut(
        side=column.side,
        label=column.label,
        kind=column.kind,
        statements=[_statement(s, links) for s in column.statements],
    )


def _statement(statement: StatementView, links: Links) -> StatementOut:
    return StatementOut(
        id=statement.id,
        text=statement.text,
        speaker=statement.speaker,
        actor=statement.actor,
        actor_url=links.actor_of(statement.actor),
        side=statement.side,
        role=statement.role,
        kind=statement.kind,
        contested=statement.contested,
        outlets=[
            Outlet(publisher=o.publisher, source=o.source, kind=o.kind, url=o.url)
            for o in statement.all_outlets
        ],
        language=statement.language,
        renderings=[RenderingOut(language=r.language, text=r.text) for r in statement.renderings],
    )


def _hit(hit: SearchHit, links: Links) -> HitOut:
    plain = hit.snippet.replace("\ue000", "").replace("\ue001", "")
    return HitOut(
        kind=hit.kind,
        text=plain,
        snippet=hit.snippet,
        title=hit.title,
        speaker=hit.speaker,
        actor=hit.actor,
        actor_url=links.actor(hit.actor_slug) if hit.actor_slug else None,
        side=hit.side,
        role=hit.role,
        event_id=hit.event_id,
        url=links.event(hit.event_id) if hit.event_id else None,
        source_url=safe_url(hit.url),
        published=hit.published,
        rank=hit.rank,
        language=primary_language(hit.language),
    )


def _actor_statement(statement: ActorStatement, links: Links) -> ActorStatementOut:
    return ActorStatementOut(
        id=statement.id,
        text=statement.text,
        kind=statement.kind,
        speaker=statement.speaker,
        role=statement.role,
        side=statement.side,
        event_id=statement.event_id,
        event_url=links.event(statement.event_id) if statement.event_id else None,
        article_title=statement.article_title,
        source_url=safe_url(statement.url),
        publisher=statement.publisher,
        published=statement.published,
        language=primary_language(statement.language),
    )


def _event_out(page: EventPage, links: Links) -> EventOut:
    view = page.view
    detail = page.detail
    return EventOut(
        id=view.id,
        title=view.title,
        url=links.event(view.id),
        first_seen=detail.first_seen_at,
        last_seen=detail.last_seen_at,
        article_count=detail.article_count,
        source_count=detail.source_count,
        statement_count=detail.statement_count,
        side_count=detail.side_count,
        merged_from=list(page.merged_from),
        articles=[
            ArticleOut(
                source=r.source,
                publisher=r.publisher,
                title=r.title,
                url=safe_url(r.url),
                published=r.published,
                language=primary_language(r.language),
            )
            for r in detail.articles
        ],
        contested=[
            ContestedOut(
                topic=p.topic,
                kind=p.kind,
                claims=[
                    ClaimOut(side=c.side, statement_id=c.statement_id, text=c.text, figure=c.figure)
                    for c in p.claims
                ],
            )
            for p in view.contested
        ],
        columns=[_column(c, links) for c in view.columns],
    )
