"""The daemon's timing knobs: the lease follows the heartbeat, and must outlast it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from aggregator.daemon import DaemonOptions, run


@pytest.mark.parametrize(
    ("heartbeat", "lease", "expected"),
    [
        (15.0, None, timedelta(seconds=30)),  # the defaults: two heartbeats
        (1.0, None, timedelta(seconds=2)),
        (15.0, timedelta(minutes=10), timedelta(minutes=10)),
        (15.0, timedelta(seconds=16), timedelta(seconds=16)),
    ],
)
def test_the_lease_in_force(heartbeat: float, lease: timedelta | None, expected: timedelta) -> None:
    assert DaemonOptions(heartbeat=heartbeat, lease=lease).lease_duration == expected


@pytest.mark.parametrize(
    ("heartbeat", "lease", "message"),
    [
        (15.0, timedelta(seconds=15), "must be longer than the heartbeat"),
        (60.0, timedelta(seconds=30), "must be longer than the heartbeat"),
        (0.0, None, "heartbeat must be positive"),
    ],
)
def test_a_lease_that_would_lapse_between_heartbeats_is_refused(
    heartbeat: float, lease: timedelta | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        DaemonOptions(heartbeat=heartbeat, lease=lease)


@pytest.mark.parametrize("batch", [0, -3])
def test_a_batch_that_holds_no_source_is_refused(batch: int) -> None:
    with pytest.raises(ValueError, match="at least one source"):
        DaemonOptions(batch=batch)


def test_the_module_entry_takes_a_batch(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):  # argparse refuses it in the daemon's own words
        run.main(["--config", str(tmp_path / "feeds.yaml"), "--batch", "0"])
