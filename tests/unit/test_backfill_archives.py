"""Archive discovery and the walk's decisions, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aggregator.backfill.archives import (
    Cursor,
    DateRange,
    cursor_url,
    expand_template,
    feed_links,
    first_cursor,
    judge_page,
    next_cursor,
    older_page,
    with_page,
)
from aggregator.model import Article

BASE = "https://example.org/feed/"
WINDOW = DateRange(date(2026, 3, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            b'<feed><link rel="prev-archive" href="/archive/2026-02"/></feed>',
            {"prev-archive": "https://example.org/archive/2026-02"},
        ),
        (
            b"<rss><channel><atom:link rel='next' href='?paged=2'/></channel></rss>",
            {"next": "https://example.org/feed/?paged=2"},
        ),
        (
            b'<feed><link href="page2.xml" rel="next"/><link rel="next" href="other.xml"/></feed>',
            {"next": "https://example.org/feed/page2.xml"},
        ),  # the first one wins
        (
            b'<feed><link rel="previous first" href="p1.xml"/></feed>',
            {
                "previous": "https://example.org/feed/p1.xml",
                "first": "https://example.org/feed/p1.xml",
            },
        ),
        (
            b'<feed><link rel="next" href="a.xml?x=1&amp;y=2"/></feed>',
            {"next": "https://example.org/feed/a.xml?x=1&y=2"},
        ),
        (b'<feed><link rel="self" href="https://example.org/feed/"/></feed>', {}),  # itself
        (b'<feed><link rel="next" href="javascript:alert(1)"/></feed>', {}),
        (b"<rss><channel><link>https://example.org/</link></channel></rss>", {}),
        (b"not xml at all <link", {}),
    ],
)
def test_feed_links(document: bytes, expected: dict[str, str]) -> None:
    assert feed_links(document, BASE) == expected


def test_older_page_prefers_archives_then_paging_and_skips_visited() -> None:
    links = {"prev-archive": "a", "next": "b", "previous": "c", "next-archive": "d"}
    assert older_page(links, []) == "a"
    assert older_page(links, ["a"]) == "b"
    assert older_page(links, ["a", "b"]) == "c"
    assert older_page(links, ["a", "b", "c"]) is None  # next-archive leads forwards
    assert older_page({"current": "x"}, []) is None


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("https://x.org/feed/", 2, "https://x.org/feed/?paged=2"),
        ("https://x.org/feed/?lang=en", 3, "https://x.org/feed/?lang=en&paged=3"),
        ("https://x.org/feed/?paged=4", 5, "https://x.org/feed/?paged=5"),
        ("https://x.org/feed/?paged=4", 1, "https://x.org/feed/"),
    ],
)
def test_with_page(url: str, page: int, expected: str) -> None:
    assert with_page(url, page) == expected


def test_expand_template() -> None:
    assert expand_template("https://x.org/a/{page}.xml", page=3) == "https://x.org/a/3.xml"
    assert expand_template("https://x.org/{date}/feed", day=date(2026, 3, 9)) == (
        "https://x.org/2026-03-09/feed"
    )


@pytest.mark.parametrize(
    "cursor", [Cursor.url("https://x.org/a?b=1:2"), Cursor.page(7), Cursor.day(date(2026, 1, 2))]
)
def test_cursor_round_trip(cursor: Cursor) -> None:
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("text", ["", "page:", "page:x", "date:2026-13-01", "ftp:x", "nothing"])
def test_cursor_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError, match=r"cursor|month|Invalid|isoformat"):
        Cursor.decode(text)


def test_first_cursor_and_its_url() -> None:
    assert first_cursor(BASE, None, date(2026, 3, 31)) == Cursor.url(BASE)
    page = first_cursor(BASE, "https://x.org/{page}.xml", date(2026, 3, 31))
    assert cursor_url(page, "https://x.org/{page}.xml") == "https://x.org/1.xml"
    day = first_cursor(BASE, "https://x.org/{date}.xml", date(2026, 3, 31))
    assert cursor_url(day, "https://x.org/{date}.xml") == "https://x.org/2026-03-31.xml"


def article(guid: str, published: datetime | None, updated: datetime | None = None) -> Article:
    return Article(
        source="s",
        guid=guid,
        url=None,
        title=guid,
        summary="",
        text="",
        html=None,
        published=published,
        updated=updated,
        language=None,
        author=None,
        content_hash=guid,
    )


def test_range_is_whole_utc_days_inclusive() -> None:
    assert WINDOW.contains(datetime(2026, 3, 1, tzinfo=UTC))
    assert WINDOW.contains(datetime(2026, 3, 31, 23, 59, tzinfo=UTC))
    assert not WINDOW.contains(datetime(2026, 4, 1, tzinfo=UTC))
    assert not WINDOW.contains(datetime(2026, 2, 28, 23, 59, tzinfo=UTC))
    assert len(WINDOW.days()) == 31
    with pytest.raises(ValueError, match="before"):
        DateRange(date(2026, 3, 2), date(2026, 3, 1))


def test_judge_page_keeps_the_range_and_sees_the_start() -> None:
    page = [
        article("new", datetime(2026, 4, 2, tzinfo=UTC)),
        article("in", datetime(2026, 3, 15, tzinfo=UTC)),
        article("updated-only", None, datetime(2026, 3, 16, tzinfo=UTC)),
        article("undated", None),
    ]
    verdict = judge_page(page, WINDOW)
    assert [a.guid for a in verdict.kept] == ["in", "updated-only"]
    assert verdict.undated == 1
    assert not verdict.reached_start
    older = judge_page([article("old", datetime(2026, 2, 27, tzinfo=UTC))], WINDOW)
    assert older.reached_start
    assert older.kept == ()


def nxt(cursor: Cursor, links: dict[str, str], **kw: object) -> Cursor | None:
    options: dict[str, object] = {
        "template": None,
        "visited": [cursor.value],
        "window": WINDOW,
        "feed_url": BASE,
        "try_paged": True,
    }
    options.update(kw)
    return next_cursor(cursor, links=links, **options)  # type: ignore[arg-type]


def test_next_cursor_follows_links_then_guesses_paged() -> None:
    assert nxt(Cursor.url(BASE), {"prev-archive": "https://a/1"}) == Cursor.url("https://a/1")
    assert nxt(Cursor.url(BASE), {}) == Cursor.url(BASE + "?paged=2")
    assert nxt(Cursor.url(BASE + "?paged=2"), {}) == Cursor.url(BASE + "?paged=3")
    assert nxt(Cursor.url(BASE), {}, try_paged=False) is None
    assert nxt(Cursor.url("file:///x.xml"), {}, feed_url="file:///x.xml") is None


def test_next_cursor_for_templates() -> None:
    assert nxt(Cursor.page(2), {}, template="https://x/{page}") == Cursor.page(3)
    assert nxt(Cursor.day(date(2026, 3, 5)), {}, template="t/{date}") == Cursor.day(
        date(2026, 3, 4)
    )
    assert nxt(Cursor.day(date(2026, 3, 1)), {}, template="t/{date}") is None  # the start
