"""When a subscription's digest is due: APScheduler cron triggers evaluated against our clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from aggregator.config import SubscriptionConfig
from aggregator.digest import Period, previous_day


class DigestSchedule:
    """When one subscription's digest is due: a cron trigger at ``send_at`` in its time zone.

    ``due(now)`` returns the latest fire time not yet handled (several missed while the daemon
    was busy or down coalesce into one), so each period is attempted once per fire time, and
    the store's ledger makes the sending itself at most once across restarts and daemons.
    """

    def __init__(self, subscription: SubscriptionConfig, *, catch_up: bool = True) -> None:
        self.subscription = subscription
        self._trigger = CronTrigger(
            hour=subscription.send_at.hour,
            minute=subscription.send_at.minute,
            timezone=subscription.tzinfo,
        )
        self._catch_up = catch_up
        self._checked: datetime | None = None
        self._retry: tuple[datetime, datetime] | None = None  # (fire time, retry at)

    def fires_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Fire times in ``(start, end]``, oldest first."""
        found: list[datetime] = []
        fire = self._trigger.get_next_fire_time(None, start + timedelta(microseconds=1))
        while fire is not None and fire <= end:
            found.append(fire)
            fire = self._trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        return found

    def due(self, now: datetime) -> datetime | None:
        """The fire time to act on now, if any; each fire time is returned once."""
        since = self._checked
        if since is None:
            since = now - timedelta(days=2) if self._catch_up else now
        self._checked = now
        fires = self.fires_between(since, now)
        if fires:
            self._retry = None  # a newer period supersedes a failed older attempt
            return fires[-1]
        if self._retry is not None and self._retry[1] <= now:
            fire, self._retry = self._retry[0], None
            return fire
        return None

    def failed(self, fire: datetime, *, retry_at: datetime) -> None:
        """Try ``fire``'s period again at ``retry_at`` unless a newer fire time comes first.

        For a failed delivery, and for one found in flight under another owner's claim.
        """
        self._retry = (fire, retry_at)

    def period(self, fire: datetime) -> Period:
        """The period a fire time delivers: the day before it, in the subscription's zone."""
        return previous_day(fire, self.subscription.timezone)


def retry_after_outcome(
    status: object, *, now: datetime, in_flight_wait: timedelta
) -> datetime | None:
    """When to attempt a period again after its delivery ended with ``status``, or None.

    Only 'in-flight' is retried: another owner holds a live claim on the ledger row (a peer
    sending it right now, or a daemon that died between claiming and sending, this one under
    an earlier owner id included). Once that claim can have expired the ledger either lets us
    resume the pending send, or says 'already-sent' (the peer finished) or 'uncertain' (the
    peer died mid-send). 'sent', 'already-sent' and 'uncertain' are final: an uncertain digest
    may have been delivered, so it is never resent automatically.
    """
    if status == "in-flight":
        return now + in_flight_wait
    return None
