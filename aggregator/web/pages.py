"""The archive's HTML pages: Jinja2 templates under ``templates/web/`` that share the digest's
partials and CSS. No JavaScript; every feed-supplied string is autoescaped; links are http(s)
only (the digest's ``safe_url``) or the archive's own.

    GET /                                  latest digest of each subscription + calendar
    GET /digests/{subscription}/{date}     a whole digest, nothing folded
    GET /events/{id}                       every statement, timeline, articles, related events
    GET /actors/{slug}?from=&to=           a speaker's statements, newest first
    GET /search?q=&side=&actor=&from=&to=  ranked hits, highlighted
        (both pages: &after= the next page's cursor, &limit= its size, 1 to 100)
    GET /static/digest.css, /static/web.css

Each handler is a plain ``def``: it runs in the threadpool, as the store is synchronous.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aggregator.digest import default_templates_dir, render_page
from aggregator.digest.layout import language_tag, primary_language, safe_url
from aggregator.digest.speaker import present_fields
from aggregator.model import Event
from aggregator.store import ActorPage, SearchHit
from aggregator.web import params
from aggregator.web.site import Archive, Links, archive
from aggregator.web.views import (
    calendar,
    digest_of_day,
    event_page,
    latest_day,
    related_titles,
)

router = APIRouter(include_in_schema=False)

#: statements on one page of an actor; hits on one page of a search
ACTOR_PAGE = 50
SEARCH_PAGE = 20
_CSS_CACHE = "public, max-age=3600"


def render(
    request: Request,
    name: str,
    context: dict[str, object],
    *,
    timezone: str = "UTC",
    status: int = 200,
) -> HTMLResponse:
    """Template ``web/{name}`` with the links every page needs."""
    html = page_html(
        Links.of(request), archive(request).templates_dir, name, context, timezone=timezone
    )
    return HTMLResponse(html, status_code=status)


def page_html(
    links: Links,
    templates_dir: str | None,
    name: str,
    context: dict[str, object],
    *,
    timezone: str = "UTC",
) -> str:
    """Template ``web/{name}`` with the links every page needs, under ``links``' base (a
    request's, or a stored page's mark: ``web/made.py``)."""
    full: dict[str, object] = {
        "links": links,
        "actor_url": links.actor_of,
        "safe_url": safe_url,
        "language_of": primary_language,  # "ru-UA" -> "ru", for lang attributes
        "language_tag": language_tag,  # "RU" beside words not in English, as in the digest
        "q": "",
        **context,
    }
    return render_page(f"web/{name}", full, templates_dir=templates_dir, timezone=timezone)


def event_html(site: Archive, links: Links, detail: Event) -> str:
    """The page of a live event."""
    page = event_page(detail, links.base, related_titles(site, detail))
    return page_html(links, site.templates_dir, "event.html.j2", {"page": page})


def actor_html(
    links: Links,
    templates_dir: str | None,
    page: ActorPage,
    slug: str,
    *,
    start_day: date | None = None,
    end_day: date | None = None,
    size: int = 0,
    after: bool = False,
) -> str:
    """A page of a speaker's statements (``size`` 0: the default page size); with no
    arguments after ``slug``, the plain first page, the one stored."""
    kept = {
        "from": _iso(start_day),
        "to": _iso(end_day),
        "limit": str(size) if size not in (0, ACTOR_PAGE) else None,
    }
    context: dict[str, object] = {
        "page": page,
        "slug": slug,
        "start": _iso(start_day) or "",
        "end": _iso(end_day) or "",
        "first_url": links.actor(slug, kept) if after else None,
        "next_url": links.actor(slug, {**kept, "after": page.next_cursor})
        if page.next_cursor
        else None,
    }
    return page_html(links, templates_dir, "actor.html.j2", context)


@router.get("/")
def home(request: Request) -> HTMLResponse:
    """The latest digest of each subscription and the calendar of past days."""
    site = archive(request)
    links = Links.of(request)
    subscriptions = site.subscriptions()
    digests = []
    for sub in subscriptions:
        day = latest_day(site, sub)
        digests.append((digest_of_day(site, sub, day, links.base), links.digest(sub.name, day)))
    context: dict[str, object] = {
        "digests": digests,
        "months": calendar(site),
        "subscriptions": [s.name for s in subscriptions],
        "default_subscription": subscriptions[0].name,
    }
    return render(request, "home.html.j2", context, timezone=subscriptions[0].timezone)


@router.get("/digests/{subscription}/{day}")
def digest_page(request: Request, subscription: str, day: str) -> HTMLResponse:
    """The whole digest of one subscription for one day."""
    site = archive(request)
    sub = site.subscription(subscription)
    parsed = params.parse_day(day)
    if sub is None:
        raise params.NotFound(f"no subscription called {subscription[:100]!r}")
    if parsed is None:
        raise params.NotFound(f"not a day: {day[:40]!r} (the address ends with YYYY-MM-DD)")
    digest = digest_of_day(site, sub, parsed, Links.of(request).base)
    return render(request, "digest.html.j2", {"digest": digest}, timezone=sub.timezone)


@router.get("/events/{event_id}", response_model=None)
def event(request: Request, event_id: str) -> Response:
    """An event with every statement in its side's column; a merged event redirects."""
    links = Links.of(request)
    site = archive(request)
    detail = site.store.event(event_id) if len(event_id) <= 200 else None
    if detail is None:
        raise params.NotFound(f"no event {event_id[:100]!r} in the archive")
    if detail.merged_into is not None:
        return RedirectResponse(links.event(detail.merged_into), status_code=301)
    return HTMLResponse(event_html(site, links, detail))


@router.get("/actors/{slug}")
def actor(request: Request, slug: str) -> HTMLResponse:
    """One speaker's statements over time, newest first, within ``from``–``to``."""
    query = request.query_params
    start_day = params.day(query.get("from"), "from")
    end_day = params.day(query.get("to"), "to")
    start, end = params.day_range(start_day, end_day)
    after = params.cursor(query.get("after"))
    size = params.limit(query.get("limit"), default=ACTOR_PAGE)
    if len(slug) > params.MAX_NAME:
        raise params.NotFound("no such speaker")
    page = params.paged(
        lambda: archive(request).store.actor_statements(
            slug, start=start, end=end, after=after, limit=size
        )
    )
    if page.actor is None:
        raise params.NotFound(f"no statements by a speaker {slug[:100]!r} in the archive")
    html = actor_html(
        Links.of(request),
        archive(request).templates_dir,
        page,
        slug,
        start_day=start_day,
        end_day=end_day,
        size=size,
        after=after is not None,
    )
    return HTMLResponse(html)


@router.get("/search")
def search(request: Request) -> HTMLResponse:
    """Ranked hits with highlighted snippets, filters as a GET form, pages by cursor."""
    query = request.query_params
    q = params.text(query.get("q"), "q", limit=params.MAX_QUERY_TEXT)
    side = params.text(query.get("side"), "side")
    actor_slug = params.text(query.get("actor"), "actor")
    start_day = params.day(query.get("from"), "from")
    end_day = params.day(query.get("to"), "to")
    start, end = params.day_range(start_day, end_day)
    after = params.cursor(query.get("after"))
    size = params.limit(query.get("limit"), default=SEARCH_PAGE)
    form = {
        "q": q or "",
        "side": side or "",
        "actor": actor_slug or "",
        "from": _iso(start_day) or "",
        "to": _iso(end_day) or "",
    }
    kept = {**form, "limit": str(size) if size != SEARCH_PAGE else ""}
    page = None
    next_url = None
    if q:
        page = params.paged(
            lambda: archive(request).store.search(
                q,
                side=side,
                actor_slug=actor_slug,
                start=start,
                end=end,
                after=after,
                limit=size,
            )
        )
        if page.next_cursor:
            next_url = Links.of(request).path("/search", {**kept, "after": page.next_cursor})
    first_url = Links.of(request).path("/search", kept) if after else None
    return render(
        request,
        "search.html.j2",
        {
            "page": page,
            "form": form,
            "q": q or "",
            "next_url": next_url,
            "first_url": first_url,
            "who": _who,
        },
    )


def _who(hit: SearchHit) -> tuple[str | None, str | None]:
    """A statement hit's speaker and role as the digest shows them (no "the Secretary-General,
    the", no pronoun where the actor is known)."""
    return present_fields(hit.actor, hit.speaker, hit.role, hit.side, False)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# ------------------------------------------------------------------------------------ static
def stylesheets(templates_dir: str | None) -> dict[str, bytes]:
    """The two stylesheets: the digest's own (the mail's ``<style>``) and the page chrome."""
    digest_css = render_page("_digest.css.j2", {}, templates_dir=templates_dir)
    web_css = (Path(default_templates_dir()) / "web" / "web.css").read_text(encoding="utf-8")
    if templates_dir is not None and (Path(templates_dir) / "web" / "web.css").is_file():
        web_css = (Path(templates_dir) / "web" / "web.css").read_text(encoding="utf-8")
    return {"digest.css": digest_css.encode("utf-8"), "web.css": web_css.encode("utf-8")}


@router.get("/static/{name}")
def static(request: Request, name: str) -> Response:
    """``digest.css`` or ``web.css``; anything else is 404."""
    sheets: dict[str, bytes] = request.app.state.stylesheets
    if name not in sheets:
        raise params.NotFound("no such file")
    return Response(
        sheets[name], media_type="text/css; charset=utf-8", headers={"cache-control": _CSS_CACHE}
    )
