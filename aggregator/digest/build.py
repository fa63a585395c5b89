"""build_digest: the pure digest stage — select and rank events, then lay each one out.

    ranked = events active in the period that pass the subscription's filters, heaviest first
    main   = the first ``max_events`` of them that are relevant (international affairs) and have
             a statement a reader can use (an event with none is read for a party's act in its
             headlines, aggregator.digest.headlines), each laid out side by side
    also   = every other one, as a line (title and articles), at most ``max_also``

An event's title is the grouper's, unless that is the headline of a report in another language
than the digest's and some of its reports are in the digest's language: then the headline most
of those carry (:func:`event_title`).

An event that began before the period is *continuing*: it is marked, and what was first reported
inside the period leads its cells. With a ``base_url`` (the web archive), events and the digest
link to their pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote

from aggregator.digest.contested import find_contested
from aggregator.digest.headlines import with_headlines
from aggregator.digest.layout import (
    build_columns,
    clean_text,
    language_tag,
    order_sides,
    primary_language,
    safe_url,
    showable,
)
from aggregator.digest.model import (
    DIGEST_LANGUAGE,
    AlsoView,
    ArticleLink,
    Digest,
    DigestOptions,
    EventView,
    Period,
)
from aggregator.digest.relevance import is_relevant
from aggregator.digest.select import Ranked, in_period, rank_events
from aggregator.model import Event


def build_digest(
    events: Sequence[Event],
    options: DigestOptions,
    period: Period,
    *,
    generated_at: datetime,
) -> Digest:
    """The digest of ``events`` for ``period``: filtered, ranked and laid out. No I/O.

    Events whose span does not overlap the period are left out; see
    :mod:`aggregator.digest.select` for the filters and the weight,
    :mod:`aggregator.digest.relevance` for what earns the main section, and
    :mod:`aggregator.digest.layout` for the table.
    """
    views: list[EventView] = []
    also: list[AlsoView] = []
    # an event no statement of which a reader can use is read for its headlines' (headlines.py)
    events = [with_headlines(e) if in_period(e, period) else e for e in events]
    for ranked in rank_events(events, options, period):
        view = None
        if (
            len(views) < options.max_events
            and is_relevant(ranked.relevance)
            and any(showable(s) for s in ranked.event.statements)
        ):
            view = _event_view(ranked, len(views) + 1, options, period)
        if view is not None:
            views.append(view)
        else:
            also.append(_also_view(ranked.event, options))
    limit = max(options.max_also, 0)
    return Digest(
        subscription=options.subscription,
        timezone=options.timezone,
        period=period,
        generated_at=generated_at,
        events=tuple(views),
        considered=len(events),
        also=tuple(also[:limit]),
        also_omitted=max(len(also) - limit, 0),
        archive_url=_url(
            options, "digests", quote(options.subscription, safe=""), quote(period.label, safe="")
        ),
    )


def _event_view(
    ranked: Ranked, rank: int, options: DigestOptions, period: Period
) -> EventView | None:
    event = ranked.event
    continuing = event.first_seen_at < period.start
    usable = [s for s in event.statements if showable(s)]
    sides = order_sides(usable, options.sides)
    points = find_contested(usable, sides)
    contested = frozenset(claim.statement_id for p in points for claim in p.claims)
    columns = build_columns(
        event.statements, options, contested, sides, period, continuing, title=event.title
    )
    if not columns:
        return None
    title, title_language, title_tag = _title(event, options.language)
    return EventView(
        rank=rank,
        id=event.id,
        title=title,
        title_language=title_language,
        title_tag=title_tag,
        first_seen=event.first_seen_at,
        last_seen=event.last_seen_at,
        weight=round(ranked.weight, 3),
        source_count=ranked.sources,
        article_count=len({(a.source, a.url, a.title) for a in event.articles}),
        statement_count=sum(len(c.statements) for c in columns),
        side_count=len(sides),
        columns=columns,
        contested=points,
        articles=_articles(event),
        continuing=continuing,
        relevance=round(ranked.relevance, 3),
        url=_url(options, "events", quote(event.id, safe="")),
    )


def whole_event_view(event: Event, options: DigestOptions) -> EventView:
    """One event on its own, over its whole life (the web archive's event page): laid out as in
    the digest, with every usable statement in its column when ``options`` lift the caps. Unlike
    the digest, an event without a usable statement still has a view (with no columns)."""
    event = with_headlines(event)  # what the digest showed of it
    usable = [s for s in event.statements if showable(s)]
    sides = order_sides(usable, options.sides)
    points = find_contested(usable, sides)
    contested = frozenset(claim.statement_id for p in points for claim in p.claims)
    columns = build_columns(event.statements, options, contested, sides, title=event.title)
    title, title_language, title_tag = _title(event, options.language)
    return EventView(
        rank=1,
        id=event.id,
        title=title,
        title_language=title_language,
        title_tag=title_tag,
        first_seen=event.first_seen_at,
        last_seen=event.last_seen_at,
        weight=0.0,
        source_count=len({a.source for a in event.articles}),
        article_count=len({(a.source, a.url, a.title) for a in event.articles}),
        statement_count=sum(len(c.statements) for c in columns),
        side_count=len(sides),
        columns=columns,
        contested=points,
        articles=_articles(event),
        url=_url(options, "events", quote(event.id, safe="")),
    )


def _also_view(event: Event, options: DigestOptions) -> AlsoView:
    title, title_language, title_tag = _title(event, options.language)
    return AlsoView(
        id=event.id,
        title=title,
        title_language=title_language,
        title_tag=title_tag,
        articles=_articles(event),
        url=_url(options, "events", quote(event.id, safe="")),
    )


def event_title(event: Event, digest_language: str = DIGEST_LANGUAGE) -> str:
    """The title shown for ``event`` (see the module docstring): a foreign headline gives way
    to the most carried headline in the digest's language (ties: the earliest)."""
    title = clean_text(event.title)
    mine = primary_language(digest_language)
    own: list[str] = []
    foreign = False
    for report in event.articles:
        headline = clean_text(report.title)
        language = primary_language(report.language)
        if language == mine and headline:
            own.append(headline)
        elif language is not None and headline == title:
            foreign = True
    if not foreign or not own or title in own:
        return title or "(untitled event)"
    counts = Counter(own)
    return max(counts, key=lambda headline: (counts[headline], -own.index(headline)))


def _title(event: Event, digest_language: str) -> tuple[str, str | None, str | None]:
    """The title shown for ``event``, the language of the headline it is, and its tag."""
    title = event_title(event, digest_language)
    language = headline_language(event, title)
    return title, language, language_tag(language, digest_language)


def headline_language(event: Event, title: str) -> str | None:
    """The primary language of the earliest report whose headline is ``title`` (None: no
    report's, or its language unknown)."""
    return next(
        (
            primary_language(report.language)
            for report in event.articles
            if clean_text(report.title) == title and primary_language(report.language)
        ),
        None,
    )


def _articles(event: Event) -> tuple[ArticleLink, ...]:
    seen: dict[tuple[str, str | None], ArticleLink] = {}
    for article in event.articles:
        key = (article.source, article.url)
        if key not in seen:
            seen[key] = ArticleLink(
                source=article.source,
                publisher=clean_text(article.publisher) or article.source,
                url=safe_url(article.url),
                title=clean_text(article.title),
            )
    return tuple(seen.values())


def _url(options: DigestOptions, *parts: str) -> str | None:
    base = safe_url(options.base_url)
    if base is None:
        return None
    return "/".join([base.rstrip("/"), *parts])
