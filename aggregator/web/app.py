"""The web archive's application: FastAPI (the JSON API and its OpenAPI description) over
Starlette (the HTML pages), on one store. The app is stateless: the store is the only state, so
any number of workers and hosts may serve one PostgreSQL store.

    create_app(store, settings)   -> FastAPI: pages, /api/v1, feeds, /healthz, /metrics
        SecurityMiddleware        outermost: GET/HEAD only, bounded query, basic auth, headers
        LatencyMiddleware         request latency by route template (for /metrics)
        StoredPageMiddleware      event and actor pages made ahead, from the store (made.py)
        PageCacheMiddleware       answers kept while the store is unchanged (cache.py)
        routers                   pages.py, api.py, feeds.py, and the two below
        error handlers            404/400/503 as an HTML page, or JSON under /api/
    create_app_for_url(url)       the same, opening (and on shutdown closing) the store at url
    app_from_environment()        the factory each `serve` worker imports (uvicorn --factory):
                                  $AGGREGATOR_CONFIG and $AGGREGATOR_DATABASE_URL, as the CLI reads
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from http import HTTPStatus
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from aggregator import __version__
from aggregator import clock as default_clock
from aggregator.config import Settings, default_settings, load_settings
from aggregator.config import database_url as resolve_database_url
from aggregator.digest import render_page
from aggregator.errors import StoreError
from aggregator.store import Store, open_store
from aggregator.web import api, feeds, pages
from aggregator.web.cache import DEFAULT_MAX_BYTES, PageCacheMiddleware
from aggregator.web.made import StoredPageMiddleware, fingerprint
from aggregator.web.metrics import CONTENT_TYPE_LATEST, LatencyMiddleware, Metrics
from aggregator.web.security import Credentials, SecurityMiddleware
from aggregator.web.site import Archive, Links

log = logging.getLogger(__name__)

#: the variables `aggregator serve` sets for its workers (the CLI's own, --config and --db, and
#: --threads)
CONFIG_VARIABLE = "AGGREGATOR_CONFIG"
DATABASE_VARIABLE = "AGGREGATOR_DATABASE_URL"
THREADS_VARIABLE = "AGGREGATOR_SERVE_THREADS"
CACHE_VARIABLE = "AGGREGATOR_SERVE_CACHE_BYTES"
#: requests a worker reads the store and renders for at once (the page handlers are synchronous
#: and run in threads). More only take turns at the interpreter lock: at 20 concurrent clients
#: on two cores, anyio's default of 40 threads cost each event page 14 ms of CPU instead of 10,
#: and p95 436 ms instead of 247 (scripts/bench_web.py); the rest wait their turn in the loop.
DEFAULT_THREADS = 4


def create_app(
    store: Store,
    settings: Settings,
    *,
    clock: Callable[[], datetime] = default_clock.now,
    threads: int = DEFAULT_THREADS,
    cache_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The archive over ``store``. With ``settings.web.auth`` every page asks for the password,
    read now from its environment variable (a ConfigError when the variable is not set).
    ``threads``: requests handled at once (:data:`DEFAULT_THREADS`), set when the app starts;
    ``cache_bytes``: the page cache's bound (``cache.py``; 0: no cache)."""
    if threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    auth = settings.settings.web.auth
    credentials = Credentials(auth.username, auth.password()) if auth is not None else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        limit_threads(threads)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="aggregator web archive",
        version=__version__,
        summary="What each party said, side by side: events, statements, speakers, search.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.archive = Archive(store=store, settings=settings, clock=clock)
    app.state.stylesheets = pages.stylesheets(settings.settings.templates_dir)
    metrics = Metrics(store)
    app.state.metrics = metrics
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.add_api_route("/healthz", healthz, include_in_schema=False, response_model=None)
    app.add_api_route("/metrics", metrics_page, include_in_schema=False, response_model=None)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    if cache_bytes > 0:
        app.add_middleware(
            PageCacheMiddleware,
            token=store.change_token,
            max_bytes=cache_bytes,
            # SQLite's token is a PRAGMA on a local file, PostgreSQL's a round trip
            inline=store.dialect == "sqlite",
        )
    # outside the cache: a kept page is one read of the store, no more than the cache's own
    # token read (on PostgreSQL a round trip each), so it is looked up first and given alone;
    # what is not kept goes on to the cache and the handlers
    app.add_middleware(
        StoredPageMiddleware,
        store=store,
        made_for=fingerprint(settings.settings.templates_dir),
        routes={
            getattr(route, "path", ""): route
            for route in (*pages.router.routes, *api.router.routes)
        },
        inline=store.dialect == "sqlite",
    )
    # added last, so outermost: refusals and headers cover every answer, errors included
    app.add_middleware(LatencyMiddleware, histogram=metrics.latency)
    app.add_middleware(SecurityMiddleware, credentials=credentials)
    return app


def create_app_for_url(
    url: str,
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = default_clock.now,
    upgrade: bool = True,
    threads: int = DEFAULT_THREADS,
    cache_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The archive over the store at ``url``, opened now and closed when the app shuts down.

    ``upgrade=False`` leaves the schema as it is (``serve`` migrates once, before its workers).
    """
    store = open_store(url, upgrade=upgrade)
    try:
        app = create_app(
            store,
            settings or default_settings(),
            clock=clock,
            threads=threads,
            cache_bytes=cache_bytes,
        )
    except BaseException:
        store.close()
        raise

    started = app.router.lifespan_context  # create_app's: the thread limit

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        try:
            async with started(running):
                yield
        finally:
            store.close()

    app.router.lifespan_context = lifespan
    return app


def app_from_environment() -> FastAPI:
    """The app of one ``serve`` worker: configuration, store, threads and cache bound from the
    environment."""
    config = os.environ.get(CONFIG_VARIABLE)
    settings = load_settings(config) if config and Path(config).exists() else default_settings()
    url = os.environ.get(DATABASE_VARIABLE) or resolve_database_url(settings)
    threads = int(os.environ.get(THREADS_VARIABLE) or DEFAULT_THREADS)
    cache_bytes = int(os.environ.get(CACHE_VARIABLE) or DEFAULT_MAX_BYTES)
    return create_app_for_url(
        url, settings, upgrade=False, threads=threads, cache_bytes=cache_bytes
    )


def limit_threads(threads: int) -> None:
    """At most ``threads`` requests of this event loop run their synchronous handler at once
    (anyio's default thread limiter, which Starlette uses)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads


# ----------------------------------------------------------------------------- health, metrics
def healthz(request: Request) -> Response:
    """200 "ok" when the store answers a trivial read; 503 otherwise."""
    store = request.app.state.archive.store
    try:
        store.ping()
    except StoreError as exc:
        log.warning("health check: %s", exc)
        return PlainTextResponse("store unavailable\n", status_code=503)
    return PlainTextResponse("ok\n", headers={"cache-control": "no-store"})


def metrics_page(request: Request) -> Response:
    """Every metric in the Prometheus text format."""
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------------------------- errors
def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(
    request: Request, status: int, detail: str, headers: Mapping[str, str] | None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    if request.url.path.startswith(("/feeds/", "/static/", "/metrics", "/healthz")):
        return PlainTextResponse(detail + "\n", status_code=status, headers=headers)
    archive: Archive = request.app.state.archive
    links = Links.of(request)
    html = render_page(
        "web/error.html.j2",
        {
            "status": status,
            "reason": HTTPStatus(status).phrase,
            "detail": detail,
            "links": links,
            "q": "",
        },
        templates_dir=archive.templates_dir,
    )
    return Response(html, status_code=status, media_type="text/html", headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such page in the archive"
    return _error(request, exc.status_code, detail, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return _error(request, 400, "; ".join(problems) or "invalid request", None)


async def _store_error(request: Request, exc: Exception) -> Response:
    log.warning("store error serving %s: %s", request.url.path, exc)
    return _error(request, 503, "the archive's store cannot be read just now", None)
