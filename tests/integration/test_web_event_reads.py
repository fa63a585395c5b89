"""The web archive's own store reads on SQLite and PostgreSQL: the calendar's days with events
(one query), related events by title (one query), and each article's language in the API."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from aggregator.group import EventUpdate, GroupingStep
from aggregator.store import Store, open_store
from aggregator.web.views import CALENDAR_EVENT_DAYS
from tests.support.demo import demo_settings
from tests.support.languages import LANGUAGES_EVENT, add_multilingual_event
from tests.support.web import HOSTILE_EVENT, MERGED_EVENT, NOW, web_client

DAY = timedelta(days=1)
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def _events(store: Store, *spans: tuple[str, datetime, datetime]) -> None:
    updates = tuple(EventUpdate(e, f"Title of {e}", first, last) for e, first, last in spans)
    store.save_grouping(GroupingStep(events=updates), now=T0)


def _selects(call: Any) -> int:
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(Engine, "before_cursor_execute", before)
    return len(seen)


def test_event_days_are_the_days_a_live_event_was_active(store: Store) -> None:
    _events(
        store,
        # two days, the second ending at the last microsecond before midnight
        ("ev-short", T0, datetime(2026, 11, 21, 23, 59, 59, 999999, tzinfo=UTC)),
        # a long event marks its last day and the 31 before it, not the months since it began
        ("ev-long", T0 - 90 * DAY, T0 - 40 * DAY),
        ("ev-gone", T0 + 5 * DAY, T0 + 6 * DAY),
    )
    store.save_grouping(GroupingStep(merges=(("ev-gone", "ev-short"),)), now=T0)

    days = store.event_days(date(2026, 7, 1), date(2026, 11, 30))

    long_last = (T0 - 40 * DAY).date()
    expected = [long_last - timedelta(days=n) for n in range(31, -1, -1)]
    assert days == [*expected, date(2026, 11, 20), date(2026, 11, 21)]
    assert store.event_days(date(2026, 11, 21), date(2026, 11, 21)) == [date(2026, 11, 21)]
    assert store.event_days(date(2026, 11, 22), date(2026, 11, 30)) == []  # ev-gone merged
    assert store.event_days(date(2026, 11, 22), date(2026, 11, 21)) == []
    with pytest.raises(ValueError, match="at most"):
        store.event_days(date(2020, 1, 1), date(2026, 1, 1))


def test_event_days_is_one_query_whatever_the_number_of_events(store: Store) -> None:
    _events(store, *((f"ev-{n}", T0 - n * DAY, T0 - n * DAY) for n in range(120)))

    queries = _selects(lambda: store.event_days(date(2026, 6, 1), date(2026, 11, 30)))

    assert queries == 1
    assert len(store.event_days(date(2026, 6, 1), date(2026, 11, 30))) == 120


def test_the_calendar_marks_every_active_day_not_only_the_latest_events(store: Store) -> None:
    # 250 events on the last two days, and one two months before: the calendar once read the
    # 200 most recently active events only, and left that day unmarked
    recent = ((f"ev-r{n}", NOW - DAY - n * timedelta(minutes=5), NOW - DAY) for n in range(250))
    old = NOW - 60 * DAY
    _events(store, ("ev-old", old, old), *recent)
    home = web_client(store).get("/")

    assert home.status_code == 200
    marked = re.findall(r'class="events" href="[^"]*/(\d{4}-\d{2}-\d{2})"', home.text)
    assert old.date().isoformat() in marked
    assert (NOW - DAY).date().isoformat() in marked
    too_old = NOW - (CALENDAR_EVENT_DAYS + 40) * DAY
    _events(store, ("ev-older", too_old, too_old))
    again = web_client(store).get("/").text
    assert too_old.date().isoformat() not in again


def test_event_titles_names_the_events_asked_for_in_one_query(store: Store) -> None:
    _events(store, ("ev-a", T0, T0), ("ev-b", T0, T0), ("ev-c", T0, T0))
    store.save_grouping(GroupingStep(merges=(("ev-b", "ev-a"),)), now=T0)

    assert store.event_titles(["ev-b", "ev-c", "ev-none", "ev-b"]) == {
        "ev-b": "Title of ev-b",
        "ev-c": "Title of ev-c",
    }
    assert store.event_titles([]) == {}
    assert _selects(lambda: store.event_titles([f"ev-{c}" for c in "abcdefgh"])) == 1


def test_the_event_page_names_the_events_merged_into_it_by_title(demo_store: Store) -> None:
    page = web_client(demo_store).get(f"/events/{HOSTILE_EVENT}")

    assert page.status_code == 200
    related = page.text[page.text.index('<section class="related event">') :]
    assert f'<a href="http://testserver/events/{MERGED_EVENT}">Absorbed</a>' in related


def test_the_api_gives_each_article_its_language(store: Store) -> None:
    add_multilingual_event(store, demo_settings())
    client = web_client(store)

    body = client.get(f"/api/v1/events/{LANGUAGES_EVENT}").json()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ArticleOut"]

    by_source = {a["source"]: a["language"] for a in body["articles"]}
    assert by_source == {"mid-ru": "ru", "wire-en": "en", "journal-fr": "fr"}
    assert "language" in schema["properties"]


def test_event_days_looks_days_up_by_last_sighting_on_sqlite(tmp_path: Path) -> None:
    """Without statistics SQLite would serve "merged_into IS NULL" from ix_events_merged_into,
    which holds nearly every event, for every day: the plan must be the range of last
    sightings."""
    with open_store(f"sqlite:///{tmp_path / 'days.db'}") as store:
        _events(store, *((f"ev-{n}", T0 - n * DAY, T0 - n * DAY) for n in range(5)))
        seen: list[tuple[str, Any]] = []

        def before(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
            seen.append((statement, parameters))

        event.listen(Engine, "before_cursor_execute", before)
        try:
            store.event_days(date(2026, 11, 1), date(2026, 11, 3))
        finally:
            event.remove(Engine, "before_cursor_execute", before)
        [(statement, parameters)] = [s for s in seen if s[0].lstrip().startswith("SELECT")]
    with sqlite3.connect(tmp_path / "days.db") as raw:
        plan = " ".join(
            str(row) for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    assert "ix_events_last_seen_at" in plan
    assert "ix_events_merged_into" not in plan
