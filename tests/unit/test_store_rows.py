"""from_row: a stored row becomes the store's value type, column by field name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.model import FetchOutcome
from aggregator.store.rows import from_row
from aggregator.store.types import Checkpoint, FetchLogRow

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

_LOG_ROW = {
    "id": 3,
    "source": "un-news",
    "started_at": T0,
    "duration_ms": 120,
    "outcome": "ok",
    "http_status": 200,
    "new_entries": 4,
    "updated_entries": 1,
    "bytes": 5120,
    "error": None,
    "error_type": None,
    "source_id": 9,  # a column the value has no field for is not read
}


def test_each_field_is_read_from_the_column_of_its_name() -> None:
    log = from_row(FetchLogRow, _LOG_ROW, outcome=FetchOutcome.OK)
    assert log == FetchLogRow(
        id=3,
        source="un-news",
        started_at=T0,
        duration_ms=120,
        outcome=FetchOutcome.OK,
        http_status=200,
        new_entries=4,
        updated_entries=1,
        bytes=5120,
        error=None,
        error_type=None,
    )


def test_a_given_value_wins_over_the_column_and_fills_a_field_with_none() -> None:
    row = {
        "range_start": T0,
        "range_end": T0,
        "cursor": "2",
        "pages_done": 2,
        "entries_done": 40,
        "updated_at": T0,
        "finished_at": None,
    }
    assert from_row(Checkpoint, row, source="un-news").source == "un-news"
    assert from_row(Checkpoint, {**row, "source": "x"}, source="y").source == "y"


def test_a_field_with_no_column_and_no_value_is_an_error_not_a_default() -> None:
    row = {k: v for k, v in _LOG_ROW.items() if k != "error_type"}
    with pytest.raises(KeyError, match="error_type"):
        from_row(FetchLogRow, row, outcome=FetchOutcome.OK)
