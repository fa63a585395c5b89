"""The digest job inside a running daemon, under a patched clock (the daemon runs in-process).

The daemon's clock is :func:`aggregator.clock.now`, moved here to two seconds before the send
time; the scheduler itself keeps real time, so the test takes seconds, not a day.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aggregator import clock
from aggregator.config import Settings, SubscriptionConfig, parse_settings
from aggregator.daemon import Daemon, DaemonOptions
from aggregator.digest import Period
from aggregator.errors import MailError
from aggregator.store import Store, open_store
from tests.integration.test_daemon_support import wait_for

pytestmark = pytest.mark.fault

LONDON = ZoneInfo("Europe/London")
CONFIG = """
subscriptions:
  - name: morning
    recipients: [analyst@example.org]
    send_at: "07:00"
    timezone: Europe/London
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'digest.db'}") as opened:
        yield opened


def move_clock(monkeypatch: pytest.MonkeyPatch, local: datetime) -> None:
    offset = local.astimezone(UTC) - datetime.now(UTC)
    monkeypatch.setattr(clock, "now", lambda: datetime.now(UTC) + offset)


class Recorder:
    """A delivery stand-in: records (clock time, subscription, period label); may fail first."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[tuple[datetime, str, str]] = []
        self.failures = failures
        self.lock = threading.Lock()

    def __call__(
        self, store: Store, settings: Settings, sub: SubscriptionConfig, period: Period
    ) -> None:
        with self.lock:
            self.calls.append((clock.now(), sub.name, period.label))
            if self.failures:
                self.failures -= 1
                raise MailError("the relay said 451, try again later")


def run(store: Store, recorder: Recorder, until: int, **options: object) -> None:
    daemon = Daemon(
        store,
        parse_settings(CONFIG),
        options=DaemonOptions(tick=0.1, heartbeat=60, **options),  # type: ignore[arg-type]
        deliver=recorder,
        process=lambda _store, _settings: None,
    )
    daemon.start()
    try:
        wait_for(lambda: len(recorder.calls) >= until, timeout=15, what=f"{until} deliveries")
    finally:
        assert daemon.stop()


def test_digest_fires_at_the_local_send_time_and_catches_up_once_on_start(
    monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    move_clock(monkeypatch, datetime(2026, 7, 15, 6, 59, 58, tzinfo=LONDON))  # BST
    recorder = Recorder()
    run(store, recorder, until=2)
    (caught_up_at, _, caught_up), (fired_at, name, label) = recorder.calls
    assert caught_up == "2026-07-13"  # yesterday's 07:00 was missed: its period, once
    assert caught_up_at.astimezone(LONDON) < datetime(2026, 7, 15, 7, tzinfo=LONDON)
    assert (name, label) == ("morning", "2026-07-14")
    local = fired_at.astimezone(LONDON)
    assert datetime(2026, 7, 15, 7, tzinfo=LONDON) <= local
    assert local < datetime(2026, 7, 15, 7, 0, 2, tzinfo=LONDON)
    assert len(recorder.calls) == 2  # nothing more once stopped


def test_a_failed_delivery_is_retried_and_the_daemon_keeps_running(
    monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    move_clock(monkeypatch, datetime(2026, 1, 15, 6, 59, 59, tzinfo=LONDON))  # GMT
    recorder = Recorder(failures=2)  # the catch-up and the first 07:00 attempt fail
    run(store, recorder, until=3, digest_retry=timedelta(seconds=1), catch_up=True)
    labels = [label for _, _, label in recorder.calls]
    # the failed catch-up (the 13th) is superseded by the 07:00 run; that one is retried
    assert labels == ["2026-01-13", "2026-01-14", "2026-01-14"]
    gap = recorder.calls[2][0] - recorder.calls[1][0]
    assert timedelta(seconds=0.9) <= gap < timedelta(seconds=3)
