"""Pages made ahead: every live event's page and every speaker's first page, rendered once and
kept in the store (``store/pages.py``), so that ``serve`` sends them as they are.

    fingerprint(templates_dir)    what a page was made by: this version's code and templates
                                  (a page made by other code is never served)
    PageMaker(store, settings).run(budget=, progress=)
                                  makes the pages the store wants (new, changed since made,
                                  or made by other code), claim by claim (store/pages.py)
    page_key(path, query)         the stored page that answers a path, if any: an event's
                                  page or its JSON (/api/v1/events/{id}), a speaker's plain
                                  first page (no query string)

A page's links are made under a random placeholder (its mark) and the reader's base URL
replaces it when it is served, so one stored page serves every host and proxy path. The store
forgets a page as soon as a write reaches what it shows (the database's triggers); until the
maker runs again, such a page is rendered for each request as before.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import metadata
from pathlib import Path

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

import aggregator
from aggregator import clock as default_clock
from aggregator.config import Settings
from aggregator.digest import default_templates_dir
from aggregator.errors import StoreError
from aggregator.store import Store
from aggregator.store.pages import MAX_KEY, PageKind
from aggregator.web.api import event_json
from aggregator.web.pages import ACTOR_PAGE, actor_html, event_html
from aggregator.web.site import Archive, Links

log = logging.getLogger(__name__)

#: how long the daemon makes pages after a processing run; the rest is made after the next
#: (the daemon also processes now and then when nothing is new, so a backlog drains)
DAEMON_BUDGET = 20.0
#: pages claimed, rendered and kept together: a claim's write transaction is held back for
#: none of the rendering, so the batch only bounds the work a crash or a change wastes
BATCH = 50
#: path prefix -> (kind, the JSON rather than the HTML, the route template: the latency label)
_PREFIXES: tuple[tuple[str, PageKind, bool, str], ...] = (
    ("/events/", "event", False, "/events/{event_id}"),
    ("/actors/", "actor", False, "/actors/{slug}"),
    ("/api/v1/events/", "event", True, "/api/v1/events/{event_id}"),
)
#: PostgreSQL reads of kept pages at once, apart from the page handlers' threads (one: with
#: the handlers' four and the cache's token reader the pool's connections are enough)
READ_THREADS = 1
#: how often a worker asks whether the store keeps any page of its code at all: a store that
#: keeps none (stored pages are off by default) costs no read a request; a page made since is
#: served at most this late, and one dropped since is looked up for nothing until then
KEPT_CHECK = 10.0  # seconds


#: what renders a page, besides our own code and templates
_RENDERERS = ("jinja2", "markupsafe", "babel", "pydantic", "fastapi", "starlette")


def _code_digest() -> str:
    """The package's version and Python files, and the versions of the libraries that render,
    as this process loaded them: computed at import, so that an upgrade on disk while a daemon
    runs cannot lend its digest to pages the old code in memory makes."""
    digest = hashlib.sha256(aggregator.__version__.encode())
    for name in _RENDERERS:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    package = Path(aggregator.__file__).parent
    for path in _files(package, "*.py"):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def fingerprint(templates_dir: str | None) -> str:
    """A digest of everything a page is made by: the code (:func:`_code_digest`, read when
    this module was imported), the shipped templates and those of ``templates_dir`` (read at
    the first call: a changed template reaches the stored pages when ``serve`` and the daemon
    restart, docs/web.md)."""
    digest = hashlib.sha256(_CODE.encode())
    for folder in (default_templates_dir(), templates_dir):
        if folder is not None and Path(folder).is_dir():
            for path in _files(Path(folder), "*"):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _route_path(scope: Scope) -> str:
    """The request's path under the app's root (``--root-path`` behind a proxy): uvicorn puts
    the root into ``path``, and the routes match what follows it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _files(folder: Path, pattern: str) -> Iterator[Path]:
    found = (p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    yield from sorted(found)


_CODE = _code_digest()


@dataclass(frozen=True, slots=True)
class PageKey:
    """What answers a path from the stored pages."""

    kind: PageKind
    key: str
    api: bool  # the page's JSON (the API's event), not its HTML
    route: str  # the route template that answers it otherwise


def page_key(path: str, query: bytes) -> PageKey | None:
    """The stored page that answers ``path`` (the decoded path under the app's root) with
    ``query``, if any."""
    if query:
        return None
    for prefix, kind, api, route in _PREFIXES:
        if path.startswith(prefix):
            key = path[len(prefix) :]
            if key and "/" not in key and len(key) <= MAX_KEY:
                return PageKey(kind, key, api, route)
    return None


@dataclass(frozen=True, slots=True)
class MadeReport:
    """What one run of the maker did."""

    events: int  # event pages kept
    actors: int  # actor pages kept
    dropped: int  # claims with nothing to show (an event merged meanwhile, a speaker gone, a
    # page that failed to render: logged)
    lost: int  # pages a write reached while they were being made (made on the next run)
    left: int  # pages still wanted when the run's time budget ran out
    seconds: float


class PageMaker:
    """Makes the pages a store wants, as ``serve`` would render them."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = default_clock.now,
        batch: int = BATCH,
    ) -> None:
        self.store = store
        self.site = Archive(store=store, settings=settings, clock=clock)
        self.clock = clock
        self.batch = batch
        self.made_for = fingerprint(self.site.templates_dir)

    def run(
        self,
        *,
        budget: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> MadeReport:
        """Make the wanted pages, most recent events and busiest speakers first; stop after
        ``budget`` seconds (None: all of them). ``progress(done, total)`` after each batch."""
        started = time.monotonic()
        wanted = self.store.pages_wanted(self.made_for)
        kept = {"event": 0, "actor": 0}
        dropped = rendered = done = 0
        for start in range(0, len(wanted), self.batch):
            if budget is not None and time.monotonic() - started >= budget:
                break
            part = wanted[start : start + self.batch]
            try:
                marks = self.store.claim_pages(part, now=self.clock())
                made = {key: (mark, *self._render(key, mark)) for key, mark in marks.items()}
                for kind in kept:
                    kept[kind] += self.store.keep_pages(
                        {k: v for k, v in made.items() if k[0] == kind},
                        self.made_for,
                        now=self.clock(),
                    )
            except StoreError as exc:
                # a writer held on (PostgreSQL's lock timeout) or the store failed: what is
                # claimed and not kept is made on the next run
                log.warning("making pages stopped: %s (the rest on the next run)", exc)
                break
            empty = sum(1 for _, body, _ in made.values() if body is None)
            dropped += empty
            rendered += len(made) - empty
            done += len(part)
            if progress is not None:
                progress(done, len(wanted))
        return MadeReport(
            events=kept["event"],
            actors=kept["actor"],
            dropped=dropped,
            lost=rendered - kept["event"] - kept["actor"],
            left=len(wanted) - done,
            seconds=time.monotonic() - started,
        )

    def _render(self, key: tuple[PageKind, str], mark: str) -> tuple[str | None, str | None]:
        """:meth:`render`, a failure logged and the page left unmade (it is rendered for each
        request, as before): one page a bug cannot render must not stop the others."""
        try:
            return self.render(key, mark)
        except StoreError:
            raise
        except Exception:
            log.exception("making the %s page %r failed", key[0], key[1][:100])
            return None, None

    def render(self, key: tuple[PageKind, str], mark: str) -> tuple[str | None, str | None]:
        """The page under ``key`` with its links under ``mark``, and an event's JSON; (None,
        None) when there is nothing to show (no such event, or one merged into another: its
        address redirects)."""
        kind, name = key
        links = Links(mark)
        if kind == "event":
            detail = self.store.event(name)
            if detail is None or detail.merged_into is not None:
                return None, None
            return event_html(self.site, links, detail), event_json(detail, links)
        page = self.store.actor_statements(name, limit=ACTOR_PAGE)
        if page.actor is None:
            return None, None
        return actor_html(links, self.site.templates_dir, page, name), None


def make_pages(store: Store, settings: Settings) -> MadeReport:
    """The daemon's run of the maker, after each processing run (``Daemon(after_process=)``):
    at most :data:`DAEMON_BUDGET` seconds."""
    return PageMaker(store, settings).run(budget=DAEMON_BUDGET)


class StoredPageMiddleware:
    """Answers the plain event and actor pages and the API's events from the store's kept
    pages (see the module docstring); anything else, or a page not kept, goes on to the app. A
    kept page's mark is replaced by the reader's base URL (``Links.of``), as the page's own
    render would have put it. ``routes`` maps route templates to their routes, for the latency
    metric's label."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        made_for: str,
        routes: Mapping[str, object],
        inline: bool = False,
    ) -> None:
        self.app = app
        self.store = store
        self.made_for = made_for
        self.routes = routes
        # inline: SQLite's read of a local file on the loop's own thread (as the cache's token)
        self.inline = inline
        self._limiter: CapacityLimiter | None = None
        self._keeps = False  # whether the store keeps pages of this code, as last asked
        self._asked = -KEPT_CHECK  # when (time.monotonic()); never yet

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = (
            page_key(_route_path(scope), scope.get("query_string", b""))
            if scope["type"] == "http" and scope["method"] == "GET"
            else None
        )
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            found = self._read(key) if self.inline else await self._read_in_thread(key)
        except StoreError:
            found = None  # the app meets the store's trouble where its error pages are made
        if found is None:
            await self.app(scope, receive, send)
            return
        body, mark = found
        base = Links.of(Request(scope)).base
        content = body.replace(mark, base).encode("utf-8")
        if key.route in self.routes:
            scope["route"] = self.routes[key.route]
        kind = b"application/json" if key.api else b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(content)).encode("ascii")),
                    (b"content-type", kind),
                    (b"x-page", b"stored"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})

    def _read(self, key: PageKey) -> tuple[str, str] | None:
        """The kept page, or None (none kept, or the store could not say: the app answers). A
        store that keeps no page of this code is asked again every :data:`KEPT_CHECK` seconds,
        not at each request: the page cache behind answers those requests with one read."""
        now = time.monotonic()
        if now - self._asked >= KEPT_CHECK:
            self._keeps = self.store.keeps_pages(self.made_for)
            self._asked = now
        if not self._keeps:
            return None
        return self.store.stored_page(key.kind, key.key, self.made_for, api=key.api)

    async def _read_in_thread(self, key: PageKey) -> tuple[str, str] | None:
        if self._limiter is None:
            self._limiter = CapacityLimiter(READ_THREADS)
        return await anyio.to_thread.run_sync(self._read, key, limiter=self._limiter)
