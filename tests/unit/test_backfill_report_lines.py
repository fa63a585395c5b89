"""The backfill's total line agrees with its numbers (aggregator.backfill.run.report_lines)."""

from __future__ import annotations

from datetime import date

import pytest

from aggregator.backfill.run import BackfillReport, report_lines
from aggregator.backfill.walk import SourceBackfill


@pytest.mark.parametrize(("seconds", "rate"), [(0.7, "1 entry/s"), (0.1, "10 entries/s")])
def test_the_rate_agrees_with_its_number(seconds: float, rate: str) -> None:
    """One entry stored in 0.7 s was said as "1 entries/s"."""
    source = SourceBackfill(
        source="mfa",
        pages=1,
        entries=1,
        in_range=1,
        undated=0,
        new=1,
        updated=0,
        unchanged=0,
        finished=True,
        resumed=False,
        note="1 file read",
    )
    report = BackfillReport(
        since=date(2026, 11, 1),
        until=date(2026, 11, 2),
        sources=(source,),
        processed=None,
        digests=(),
        seconds=seconds,
    )
    assert report_lines(report)[-1].endswith(f"({rate})")
