"""The web archive in a real browser: the demo day served on loopback, and Debian's Chromium
driven by Playwright (its Python package only: no browser of its own is downloaded).

    demo_archive(folder)  -> Archive: a SQLite store of the demo day (processed) plus the hostile
                             event of tests/support/web.py, served by uvicorn on a free port
    chromium(executable)  -> a headless Chromium browser, closed afterwards

Used by tests/integration/test_web_browser.py and scripts/screenshots_web.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from aggregator.pipeline.process import process_pending
from aggregator.store import open_store
from aggregator.web import create_app
from tests.support.demo import demo_settings, ingest_demo
from tests.support.web import NOW, add_hostile_event, live_server


@dataclass(frozen=True)
class Archive:
    """A served demo archive and what its pages are about."""

    base: str  # http://127.0.0.1:PORT
    event: str  # the event with the most parties (then statements)
    sides: int  # how many parties speak in it
    actor: str  # the slug of the speaker with the most statements
    query: str  # a search with several hits

    def path(self, page: str) -> str:
        """The URL of ``page``: "event", "actor" or "search"."""
        paths = {
            "event": f"/events/{self.event}",
            "actor": f"/actors/{self.actor}",
            "search": f"/search?q={self.query}",
        }
        return self.base + paths[page]


@contextmanager
def demo_archive(folder: Path, *, hostile: bool = True) -> Iterator[Archive]:
    """The demo day (and, with ``hostile``, the hostile event) served on loopback."""
    settings = demo_settings()
    with open_store(f"sqlite:///{folder / 'archive.db'}") as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        if hostile:
            add_hostile_event(store, settings)
        day = NOW - timedelta(days=1)
        events = store.events_between(day - timedelta(days=7), NOW, limit=200)
        busiest = max(events, key=lambda e: (e.side_count, e.statement_count, e.id))
        actor = store.actors(limit=1)[0][0]
        app = create_app(store, settings, clock=lambda: NOW)
        with live_server(app) as base:
            yield Archive(base, busiest.id, busiest.side_count, actor, "Dolvany")


@contextmanager
def chromium(executable: str) -> Iterator[Browser]:
    """Headless Chromium at ``executable``, launched by Playwright."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()
