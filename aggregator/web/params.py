"""Query parameters as the archive reads them: every bad value is a 400 with a sentence that says
what was expected, never a 500 and never a silent guess.

    q         at most MAX_QUERY_TEXT characters
    from, to  YYYY-MM-DD (a day in UTC; ``to`` is inclusive); empty means "not given"
    limit     1 … MAX_PAGE
    after     a cursor a page of ours made (the store says ValueError for anything else)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from fastapi import HTTPException

#: the longest search text accepted
MAX_QUERY_TEXT = 200
#: the largest page a client may ask for
MAX_PAGE = 100
#: the longest side, actor slug or subscription name a filter may hold
MAX_NAME = 200

T = TypeVar("T")


class BadRequest(HTTPException):
    """A 400 whose detail is meant for the person who typed the URL."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=400, detail=detail)


class NotFound(HTTPException):
    """A 404 whose detail says what was not found."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=404, detail=detail)


def text(value: str | None, name: str, *, limit: int = MAX_NAME) -> str | None:
    """A text parameter, stripped; None when absent or empty; 400 when longer than ``limit``."""
    if value is None:
        return None
    if len(value) > limit:
        raise BadRequest(f"{name}: at most {limit} characters (got {len(value)})")
    return value.strip() or None


def day(value: str | None, name: str) -> date | None:
    """A ``YYYY-MM-DD`` parameter; None when absent or empty."""
    value = text(value, name, limit=40)
    if value is None:
        return None
    parsed = parse_day(value)
    if parsed is None:
        raise BadRequest(f"{name}: expected a date as YYYY-MM-DD, got {value[:20]!r}")
    return parsed


def parse_day(value: str) -> date | None:
    """``value`` as a date when it is exactly ``YYYY-MM-DD``, else None."""
    if len(value) != 10 or not value.isascii():
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def day_range(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """``from``/``to`` days as the UTC interval ``[start, end)`` the store reads (``to`` whole)."""
    if start is not None and end is not None and end < start:
        raise BadRequest(f"to ({end}) is before from ({start})")
    return (
        datetime.combine(start, time(0), tzinfo=UTC) if start is not None else None,
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC) if end is not None else None,
    )


def limit(value: int | str | None, *, default: int, maximum: int = MAX_PAGE) -> int:
    """A page size between 1 and ``maximum``."""
    if value is None or value == "":
        return default
    digits = isinstance(value, str) and value.isascii() and value.isdigit()
    number = value if isinstance(value, int) else int(value) if digits else None
    if number is None or not 1 <= number <= maximum or (isinstance(value, str) and len(value) > 4):
        raise BadRequest(f"limit: a whole number from 1 to {maximum}")
    return number


def cursor(value: str | None) -> str | None:
    """An ``after`` cursor, as given (the store checks it); None when absent or empty."""
    return text(value, "after", limit=600)


def paged(read: Callable[[], T]) -> T:
    """Run a store read that takes a cursor; a cursor the store does not know is a 400."""
    try:
        return read()
    except ValueError as exc:
        raise BadRequest(f"after: not a page cursor of this archive ({exc})") from exc
