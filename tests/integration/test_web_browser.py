"""The web archive as a person sees it: Debian's headless Chromium, driven by Playwright, over the
demo day served by uvicorn on loopback (tests/support/browser.py).

- at 375 px no page scrolls sideways; at 1280 px an event's party columns stand side by side
  (and on the phone they stack)
- a statement, speaker, side, title and publisher made of ``<script>alert(1)</script>`` and
  ``<img src=x onerror=alert(1)>`` raise no dialog on the event, actor and search pages: with
  the page's Content-Security-Policy, and without it (so escaping alone is what is tested)

SQLite only: what the browser sees does not depend on the database (test_web_pages.py reads
every page from both). A missing browser fails the test, as in test_digest_browser.py.
``python scripts/screenshots_web.py`` refreshes the screenshots in docs/img/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog

from tests.integration.test_digest_browser import _chromium
from tests.support.browser import Archive, chromium, demo_archive
from tests.support.web import HOSTILE_EVENT, HOSTILE_SLUG, IMG, SCRIPT

PAGES = ("event", "actor", "search")
# what a page's layout looks like to the script: widths, and where the party columns stand
MEASURE = """() => {
  const cells = [...document.querySelectorAll("table.sides")].slice(0, 1)
    .flatMap(t => [...t.querySelectorAll("td.cell")]).map(c => c.getBoundingClientRect());
  let widest = 0;
  document.querySelectorAll("body *").forEach(el => {
    widest = Math.max(widest, el.getBoundingClientRect().right);
  });
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    widestRight: Math.ceil(widest),
    tops: cells.map(c => Math.round(c.top)),
    lefts: cells.map(c => Math.round(c.left)),
  };
}"""
# what hostile markup would have made, had it been markup
INJECTED = """() => ({
  images: document.querySelectorAll('img[src="x"], img[onerror]').length,
  scripts: [...document.scripts].filter(s => s.textContent.includes("alert")).length,
  handlers: [...document.querySelectorAll("*")].filter(
    el => [...el.attributes].some(a => a.name.startsWith("on"))).length,
  text: document.body.innerText,
})"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    with demo_archive(tmp_path_factory.mktemp("browser")) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium(_chromium()) as launched:
        yield launched


def measure(browser: Browser, url: str, width: int) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        measured: dict[str, Any] = page.evaluate(MEASURE)
        return measured
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(name: str, archive: Archive, browser: Browser) -> None:
    m = measure(browser, archive.path(name), 375)
    assert m["innerWidth"] == 375, m  # the viewport is what we asked for
    assert m["scrollWidth"] <= m["innerWidth"], m
    assert m["widestRight"] <= m["innerWidth"], m


def test_party_columns_stand_side_by_side_at_1280_and_stack_on_a_phone(
    archive: Archive, browser: Browser
) -> None:
    assert archive.sides >= 2, archive  # the demo day has events with several parties
    wide, narrow = (measure(browser, archive.path("event"), w) for w in (1280, 375))
    assert len(wide["tops"]) >= 2, wide
    assert len(set(wide["tops"])) == 1, wide  # one row: every column's top edge level
    assert wide["lefts"] == sorted(set(wide["lefts"])), wide  # each right of the one before
    assert wide["scrollWidth"] <= wide["innerWidth"], wide
    assert len(set(narrow["lefts"])) == 1, narrow  # one column under the other
    assert narrow["tops"] == sorted(set(narrow["tops"])), narrow


HOSTILE_PAGES = {
    "event": f"/events/{HOSTILE_EVENT}",
    "actor": f"/actors/{HOSTILE_SLUG}",
    "search": "/search?q=ultimatum",
}


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "csp-bypassed"])
@pytest.mark.parametrize("name", list(HOSTILE_PAGES))
def test_hostile_statement_raises_no_dialog(
    name: str, csp: bool, archive: Archive, browser: Browser
) -> None:
    dialogs: list[str] = []
    context = browser.new_context(bypass_csp=not csp)
    page = context.new_page()

    def seen(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", seen)
    try:
        response = page.goto(archive.base + HOSTILE_PAGES[name])
        assert response is not None
        assert response.status == 200
        page.wait_for_load_state("load")
        injected = page.evaluate(INJECTED)
    finally:
        context.close()
    assert dialogs == []
    assert (injected["images"], injected["scripts"], injected["handlers"]) == (0, 0, 0)
    # the markup is shown as the text it is
    assert SCRIPT in injected["text"] or IMG.strip('">') in injected["text"], injected["text"]
