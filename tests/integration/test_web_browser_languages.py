"""Statements in Russian and French as a person sees them in headless Chromium (issue 16): an
event whose Russian quotation was also carried in English and French, and a French minister's
statement in French (tests/support/languages.py), on the event, speaker and search pages.

- the tags (RU, FR, and EN beside the English words of the Russian quotation) are on screen,
  inside the viewport, in type no smaller than the speaker line's
- the Russian and French words are on screen in the language the page says they are in (``lang``),
  at a readable size, and no line of them is cut off
- at 375 px nothing scrolls sideways; at 1280 px the Russian and French columns stand side by side
- the title is the English headline, though the event's stored title is Russian

SQLite only, as test_web_browser.py: what the browser sees does not depend on the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.integration.test_digest_browser import _chromium
from tests.support.browser import chromium
from tests.support.languages import (
    ENGLISH_TITLE,
    ENGLISH_WORDS,
    FRANCE_WORDS,
    FRENCH_WORDS,
    RUSSIAN_WORDS,
    LanguagesArchive,
    languages_archive,
)

# the tags and the words in another language, as laid out on the page
LOOK = """() => {
  const box = el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {text: el.innerText, lang: el.getAttribute("lang"), left: r.left, right: r.right,
            width: r.width, height: r.height, size: parseFloat(style.fontSize),
            visible: style.visibility !== "hidden" && style.display !== "none",
            clipped: el.scrollWidth > Math.ceil(r.width) + 1};
  };
  const cells = [...document.querySelectorAll("table.sides td.cell")].map(c => {
    const r = c.getBoundingClientRect();
    return {side: c.querySelector(".side-name").innerText, top: Math.round(r.top),
            left: Math.round(r.left)};
  });
  const speaker = document.querySelector(".w");
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    title: document.querySelector("h1").innerText,
    text: document.body.innerText,
    tags: [...document.querySelectorAll(".lang")].map(box),
    words: [...document.querySelectorAll("main [lang]")].map(box),
    cells: cells,
    speakerSize: speaker ? parseFloat(getComputedStyle(speaker).fontSize) : 11,
  };
}"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LanguagesArchive]:
    with languages_archive(tmp_path_factory.mktemp("languages")) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium(_chromium()) as launched:
        yield launched


def look(browser: Browser, url: str, width: int) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        seen: dict[str, Any] = page.evaluate(LOOK)
        return seen
    finally:
        page.close()


def _on_screen(box: dict[str, Any], seen: dict[str, Any]) -> bool:
    return bool(
        box["visible"]
        and box["width"] > 0
        and box["height"] > 0
        and box["left"] >= 0
        and box["right"] <= seen["innerWidth"]
    )


def _words(seen: dict[str, Any], language: str) -> str:
    return " ".join(w["text"] for w in seen["words"] if w["lang"] == language)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_event_page_shows_each_language_tagged_and_readable(
    width: int, archive: LanguagesArchive, browser: Browser
) -> None:
    seen = look(browser, archive.path("event"), width)
    assert seen["scrollWidth"] <= seen["innerWidth"], seen  # no layout break
    assert seen["title"] == ENGLISH_TITLE
    tags = [t["text"] for t in seen["tags"]]
    assert {"RU", "FR", "EN"} <= set(tags), tags
    for tag in seen["tags"]:
        assert _on_screen(tag, seen), tag
        assert tag["size"] >= seen["speakerSize"] - 1, tag  # as legible as the speaker line
    for language, words in (("ru", RUSSIAN_WORDS), ("fr", FRENCH_WORDS), ("fr", FRANCE_WORDS)):
        assert words in _words(seen, language), (language, seen["words"])
    assert ENGLISH_WORDS in seen["text"]  # English, the page's own language: no mark needed
    assert "en" not in {w["lang"] for w in seen["words"]}
    for box in seen["words"]:
        assert _on_screen(box, seen), box
        assert box["size"] >= 11, box
        assert not box["clipped"], box


def test_the_russian_and_french_columns_stand_side_by_side_at_1280_and_stack_at_375(
    archive: LanguagesArchive, browser: Browser
) -> None:
    wide, narrow = (look(browser, archive.path("event"), w) for w in (1280, 375))
    assert [c["side"] for c in wide["cells"]] == ["Russia", "France"], wide["cells"]
    assert len({c["top"] for c in wide["cells"]}) == 1, wide["cells"]
    assert wide["cells"][0]["left"] < wide["cells"][1]["left"], wide["cells"]
    assert len({c["left"] for c in narrow["cells"]}) == 1, narrow["cells"]


@pytest.mark.parametrize("name", ["actor", "search"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_speaker_and_search_pages_tag_the_russian_words(
    name: str, width: int, archive: LanguagesArchive, browser: Browser
) -> None:
    seen = look(browser, archive.path(name), width)
    assert seen["scrollWidth"] <= seen["innerWidth"], seen
    ru = [t for t in seen["tags"] if t["text"] == "RU"]
    assert ru, seen["tags"]
    assert all(_on_screen(t, seen) for t in ru), ru
    assert RUSSIAN_WORDS.split()[0] in _words(seen, "ru"), seen["words"]
    assert all(_on_screen(w, seen) and not w["clipped"] for w in seen["words"]), seen["words"]
