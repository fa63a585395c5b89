"""Saved article pages as entries: dates, canonical URLs, titles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aggregator.backfill.folder import page_article, parse_page_date

BODY = (
    "<p>The foreign minister told reporters on Friday that the two delegations had agreed on "
    "a timetable for the withdrawal, and that observers would be admitted to every crossing "
    "point before the end of the month, a step both sides had long resisted.</p>"
) * 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-03T09:30:00+02:00", datetime(2026, 4, 3, 7, 30, tzinfo=UTC)),
        ("2026-04-03T09:30:00Z", datetime(2026, 4, 3, 9, 30, tzinfo=UTC)),
        ("2026-04-03T09:30:00", datetime(2026, 4, 3, 9, 30, tzinfo=UTC)),  # no zone: UTC
        ("2026-04-03", datetime(2026, 4, 3, tzinfo=UTC)),
        (" 2026-04-03 ", datetime(2026, 4, 3, tzinfo=UTC)),
        ("April 3, 2026", None),
        ("", None),
    ],
)
def test_parse_page_date(text: str, expected: datetime | None) -> None:
    assert parse_page_date(text) == expected


def page(head: str, body: str = BODY) -> bytes:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>".encode()


def test_page_with_meta_tags() -> None:
    article = page_article(
        page(
            "<title>Site | Talks</title>"
            '<meta property="og:title" content="Talks resume &amp; observers admitted">'
            "<meta name='description' content='A short summary.'>"
            '<link rel="canonical" href="https://mfa.example.org/news/7?utm_source=x">'
            '<meta itemprop="datePublished" content="2026-04-03T09:30:00+02:00">'
        ),
        source="mfa",
        path=Path("/saved/talks.html"),
        language="en",
    )
    assert article is not None
    assert article.title == "Talks resume & observers admitted"
    assert article.url == "https://mfa.example.org/news/7"
    assert article.guid == article.url
    assert article.summary == "A short summary."
    assert article.published == datetime(2026, 4, 3, 7, 30, tzinfo=UTC)
    assert "observers would be admitted" in article.text
    assert article.language == "en"


def test_page_without_metadata_falls_back_to_the_file_and_time_element() -> None:
    article = page_article(
        page("", '<time datetime="2026-05-01T12:00:00Z">1 May</time>' + BODY),
        source="mfa",
        path=Path("/saved/untitled.html"),
        language=None,
    )
    assert article is not None
    assert article.guid == "file:untitled.html"
    assert article.url is None
    assert article.title == "untitled"
    assert article.published == datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_a_page_without_main_text_is_no_entry() -> None:
    assert (
        page_article(page("<title>x</title>", ""), source="m", path=Path("e.html"), language=None)
        is None
    )
