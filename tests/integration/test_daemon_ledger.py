"""The daemon against the real digest ledger and a real SMTP relay, under a patched clock.

A ledger row held by another owner's live claim (a daemon killed between claiming and sending,
restarted under a new owner id; a dead peer on PostgreSQL) must not cost the day's digest: the
daemon tries the same period again once the claim can have expired, and sends it exactly once.
An uncertain digest is final: logged loudly, never resent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aggregator import clock
from aggregator.config import Settings, parse_settings
from aggregator.daemon import Daemon, DaemonOptions
from aggregator.digest import Period, day_period
from aggregator.pipeline.deliver import CLAIM
from aggregator.store import Store, open_store
from tests.integration.test_daemon_support import wait_for
from tests.support.smtp import LoopbackController, Relay, running

pytestmark = pytest.mark.fault

LONDON = ZoneInfo("Europe/London")
# the 07:00 fire time of 15 July delivers the London day before it
PERIOD: Period = day_period(date(2026, 7, 14), "Europe/London")
TICK = 0.1
RESTART = datetime(2026, 7, 15, 7, 5, tzinfo=LONDON)  # five minutes after the dead claim


class MovableClock:
    """``clock.now`` running at real speed from a chosen instant; :meth:`jump` moves it on."""

    def __init__(self, start: datetime) -> None:
        self.offset = start.astimezone(UTC) - datetime.now(UTC)
        self.reads = 0  # how often the clock was read: the daemon's ticks read it

    def __call__(self) -> datetime:
        self.reads += 1
        return datetime.now(UTC) + self.offset

    def jump(self, by: timedelta) -> None:
        self.offset += by

    def wait_for_ticks(self, ticks: int) -> None:
        """Wait until the clock has been read ``ticks`` more times (the daemon ticked on)."""
        seen = self.reads
        wait_for(lambda: self.reads >= seen + ticks, timeout=10, what=f"{ticks} more ticks")


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    moving = MovableClock(RESTART)
    monkeypatch.setattr(clock, "now", moving)
    return moving


@pytest.fixture
def relay() -> Relay:
    return Relay()


@pytest.fixture
def smtp(relay: Relay) -> Iterator[LoopbackController]:
    with running(relay) as controller:
        yield controller


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def settings_for(smtp: LoopbackController) -> Settings:
    return parse_settings(
        "settings:\n"
        f"  smtp: {{host: 127.0.0.1, port: {smtp.port}, timeout: 5s,"
        ' from: "aggregator <digest@aggregator.example>"}\n'
        "subscriptions:\n"
        "  - name: morning\n"
        "    recipients: [analyst@example.org]\n"
        '    send_at: "07:00"\n'
        "    timezone: Europe/London\n"
    )


def dead_claim(store: Store, *, sending: bool) -> None:
    """What a daemon killed at 07:00 left: the row claimed (and maybe marked 'sending')."""
    at = RESTART.astimezone(UTC) - timedelta(minutes=5)
    claim = store.claim_digest(
        "morning", PERIOD.label, PERIOD.start, PERIOD.end, owner="killed", lease=CLAIM, now=at
    )
    assert claim is not None
    if sending:
        assert store.mark_sending(claim.id, owner="killed", now=at)


def started(store: Store, settings: Settings) -> Daemon:
    daemon = Daemon(
        store,
        settings,
        options=DaemonOptions(tick=TICK, heartbeat=60, housekeeping=3600, catch_up=True),
        owner="restarted",
        process=lambda _store, _settings: None,
    )
    daemon.start()
    return daemon


def messages(caplog: pytest.LogCaptureFixture, start: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith(start)]


def test_a_dead_owners_claim_is_waited_out_then_the_digest_is_sent_exactly_once(
    store: Store,
    smtp: LoopbackController,
    relay: Relay,
    moved: MovableClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="aggregator.daemon")
    dead_claim(store, sending=False)
    daemon = started(store, settings_for(smtp))
    try:
        # the catch-up finds the live claim: no mail, a retry of the same period instead
        (waiting,) = wait_for(
            lambda: messages(caplog, "digest claimed by another owner"),
            timeout=10,
            what="the in-flight outcome",
        )
        assert waiting.__dict__["period"] == PERIOD.label
        assert relay.received == []
        assert store.digest_state("morning", PERIOD.label) == "pending"

        moved.jump(CLAIM + timedelta(minutes=2))  # past the claim and the retry time
        wait_for(lambda: relay.received, timeout=10, what="the digest to reach the relay")
        wait_for(
            lambda: store.digest_state("morning", PERIOD.label) == "sent",
            timeout=10,
            what="the ledger to record the send",
        )
        moved.jump(CLAIM + timedelta(minutes=2))  # later ticks have nothing left to retry
        moved.wait_for_ticks(10)
    finally:
        assert daemon.stop()
    assert len(relay.received) == 1
    (row,) = store.digest_status("morning")
    assert (row.status, row.attempts, row.claimed_by) == ("sent", 1, None)
    (sent,) = [r for r in caplog.records if r.getMessage() == "digest"]
    assert (sent.__dict__["status"], sent.__dict__["period"]) == ("sent", PERIOD.label)
    assert len(messages(caplog, "digest claimed by another owner")) == 1


def test_a_send_interrupted_mid_exchange_becomes_uncertain_and_is_never_resent(
    store: Store,
    smtp: LoopbackController,
    relay: Relay,
    moved: MovableClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="aggregator.daemon")
    dead_claim(store, sending=True)  # killed after handing the message to the relay
    daemon = started(store, settings_for(smtp))
    try:
        wait_for(
            lambda: messages(caplog, "digest claimed by another owner"),
            timeout=10,
            what="the in-flight outcome",
        )
        moved.jump(CLAIM + timedelta(minutes=2))
        (uncertain,) = wait_for(
            lambda: messages(caplog, "digest uncertain"), timeout=10, what="the uncertain outcome"
        )
        moved.jump(timedelta(hours=1))  # no retry is pending: later ticks do nothing
        moved.wait_for_ticks(10)
    finally:
        assert daemon.stop()
    assert uncertain.levelno == logging.ERROR
    assert (uncertain.__dict__["subscription"], uncertain.__dict__["period"]) == (
        "morning",
        PERIOD.label,
    )
    assert len(messages(caplog, "digest uncertain")) == 1
    assert relay.received == []
    assert store.digest_state("morning", PERIOD.label) == "uncertain"
