"""The sent-digest ledger on real SQLite and PostgreSQL: claims, races, recovery, resend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from aggregator.store import ClaimLostError, DigestClaim, Store, open_store
from tests.integration.test_store_support import T0, run_together

LEASE = timedelta(minutes=10)
START = T0 - timedelta(days=1)
DAY = "2026-02-28"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def _claim(
    store: Store, owner: str, *, now: datetime = T0, force: bool = False, label: str = DAY
) -> DigestClaim | None:
    return store.claim_digest(
        "daily",
        label,
        START,
        T0,
        owner=owner,
        lease=LEASE,
        now=now,
        force=force,
    )


def _send(store: Store, claim: DigestClaim, owner: str, *, now: datetime = T0) -> None:
    store.save_rendered(claim.id, owner=owner, message_id="<d1@example.org>", eml="bytes")
    assert store.mark_sending(claim.id, owner=owner, now=now)
    store.mark_sent(claim.id, owner=owner, now=now)


def test_first_claim_creates_the_row(store: Store) -> None:
    assert store.digest_state("daily", DAY) is None
    claim = _claim(store, "a")
    assert store.digest_state("daily", DAY) == "pending"
    assert store.digest_state("weekly", DAY) is None
    assert claim is not None
    assert (claim.status, claim.attempts, claim.message_id, claim.eml) == ("pending", 0, None, None)
    assert claim.claimed_until == T0 + LEASE
    [row] = store.digest_status()
    assert (row.subscription, row.period_label, row.period_start, row.period_end) == (
        "daily",
        DAY,
        START,
        T0,
    )
    assert (row.status, row.claimed_by) == ("pending", "a")


@pytest.mark.fault
def test_a_live_claim_blocks_others_an_expired_one_does_not(store: Store) -> None:
    first = _claim(store, "a")
    assert first is not None
    assert _claim(store, "b") is None
    assert _claim(store, "b", now=T0 + LEASE) is None  # claimed_until is still "now"
    assert _claim(store, "b", force=True) is None  # force never breaks a live claim
    again = _claim(store, "a", now=T0 + timedelta(minutes=1))  # the holder may renew
    assert again is not None
    assert again.id == first.id
    later = _claim(store, "b", now=T0 + timedelta(minutes=12))
    assert later is not None
    assert later.id == first.id
    assert store.digest_status()[0].claimed_by == "b"
    # the old holder lost it
    with pytest.raises(ClaimLostError):
        store.save_rendered(first.id, owner="a", message_id="<x@example.org>", eml="x")
    assert not store.mark_sending(first.id, owner="a", now=T0 + timedelta(minutes=12))


@pytest.mark.fault
def test_sent_once_then_never_claimed_unless_forced(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    _send(store, claim, "a")
    [row] = store.digest_status("daily")
    assert (row.status, row.attempts, row.sent_at, row.claimed_by) == ("sent", 1, T0, None)
    assert row.message_id == "<d1@example.org>"
    assert store.stats()["digests_sent"] == 1
    assert store.digest_state("daily", DAY) == "sent"
    assert _claim(store, "b", now=T0 + timedelta(days=2)) is None

    resend = _claim(store, "b", now=T0 + timedelta(days=2), force=True)
    assert resend is not None
    assert (resend.status, resend.eml, resend.message_id) == ("sent", "bytes", "<d1@example.org>")


@pytest.mark.fault
def test_failure_releases_and_counts_the_attempt(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    assert store.mark_sending(claim.id, owner="a", now=T0)
    store.mark_failed(claim.id, owner="a", error="relay refused: 554", now=T0)
    [row] = store.digest_status()
    assert (row.status, row.attempts, row.last_error, row.claimed_by) == (
        "failed",
        1,
        "relay refused: 554",
        None,
    )
    retry = _claim(store, "b", now=T0 + timedelta(minutes=1))
    assert retry is not None
    assert (retry.status, retry.attempts) == ("failed", 1)
    with pytest.raises(ClaimLostError):
        store.mark_failed(claim.id, owner="a", error="late", now=T0)


@pytest.mark.fault
def test_a_resumed_send_gets_the_same_bytes(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    store.save_rendered(claim.id, owner="a", message_id="<m@example.org>", eml="From: x\r\n\r\nhi")
    # "a" dies before sending; after its lease "b" takes the row with the rendered message
    resumed = _claim(store, "b", now=T0 + LEASE + timedelta(seconds=1))
    assert resumed is not None
    assert (resumed.message_id, resumed.eml) == ("<m@example.org>", "From: x\r\n\r\nhi")


@pytest.mark.fault
def test_dead_sender_becomes_uncertain_and_is_not_resent(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    assert store.mark_sending(claim.id, owner="a", now=T0)
    # while the claim lives nothing is recovered and nobody claims
    assert store.recover_digests(now=T0 + timedelta(minutes=5)) == 0
    expired = T0 + LEASE + timedelta(seconds=1)
    assert _claim(store, "b", now=expired) is None  # 'sending' is never claimable
    assert store.recover_digests(now=expired) == 1
    assert store.recover_digests(now=expired) == 0
    [row] = store.digest_status()
    assert row.status == "uncertain"
    assert "may or may not have been delivered" in (row.last_error or "")
    assert _claim(store, "b", now=expired) is None
    forced = _claim(store, "b", now=expired, force=True)
    assert forced is not None
    assert forced.status == "uncertain"
    _send(store, forced, "b", now=expired)
    assert store.digest_status()[0].status == "sent"


@pytest.mark.fault
def test_slow_sender_may_still_record_sent_after_recovery(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    assert store.mark_sending(claim.id, owner="a", now=T0)
    assert store.recover_digests(now=T0 + LEASE + timedelta(seconds=1)) == 1
    store.mark_sent(claim.id, owner="a", now=T0 + LEASE + timedelta(seconds=2))
    assert store.digest_status()[0].status == "sent"


@pytest.mark.fault
def test_mark_sending_needs_a_live_claim(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    assert not store.mark_sending(claim.id, owner="a", now=T0 + LEASE + timedelta(seconds=1))
    assert not store.mark_sending(claim.id, owner="b", now=T0)
    with pytest.raises(ClaimLostError):
        store.mark_sent(claim.id, owner="a", now=T0)  # never marked sending
    assert store.digest_status()[0].status == "pending"


def test_status_is_per_subscription_newest_first(store: Store) -> None:
    for label, start in (("2026-02-27", START - timedelta(days=1)), (DAY, START)):
        store.claim_digest(
            "daily", label, start, start + timedelta(days=1), owner="a", lease=LEASE, now=T0
        )
    store.claim_digest("weekly", "2026-W09", START, T0, owner="a", lease=LEASE, now=T0)
    assert [r.period_label for r in store.digest_status("daily")] == [DAY, "2026-02-27"]
    assert [r.subscription for r in store.digest_status()] == ["daily", "weekly", "daily"]


@pytest.mark.fault
def test_two_owners_racing_get_exactly_one_claim(store: Store) -> None:
    labels = [f"2026-01-{day:02d}" for day in range(1, 13)]

    def race(worker: int) -> list[str]:
        won = []
        for label in labels:
            if _claim(store, f"owner-{worker}", label=label) is not None:
                won.append(label)
        return won

    first, second = run_together(2, race)
    assert sorted(first + second) == labels  # every digest claimed once, by one owner
    assert not set(first) & set(second)
    assert len(store.digest_status()) == len(labels)


@pytest.mark.fault
def test_a_refused_final_dot_puts_the_digest_back_to_pending_for_its_holder(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    assert store.mark_sending(claim.id, owner="a", now=T0)
    with pytest.raises(ClaimLostError):
        store.mark_pending(claim.id, owner="b", now=T0)
    store.mark_pending(claim.id, owner="a", now=T0)
    [row] = store.digest_status()
    assert (row.status, row.claimed_by) == ("pending", "a")
    assert _claim(store, "b") is None  # still a's, live
    _send(store, claim, "a")
    assert store.digest_state("daily", DAY) == "sent"


@pytest.mark.fault
def test_an_interrupted_sender_gives_its_claim_back_but_never_a_sending_one(store: Store) -> None:
    claim = _claim(store, "a")
    assert claim is not None
    assert not store.release_digest(claim.id, owner="b")
    assert store.release_digest(claim.id, owner="a")
    assert store.digest_holder("daily", DAY) is None
    again = _claim(store, "b")
    assert again is not None
    assert store.mark_sending(again.id, owner="b", now=T0)
    assert not store.release_digest(again.id, owner="b")  # 'sending': may have been handed over
    assert store.digest_holder("daily", DAY) == "b"


@pytest.mark.fault
def test_the_claim_of_a_holder_known_dead_is_taken_over_and_its_send_is_uncertain(
    store: Store,
) -> None:
    claim = _claim(store, "dead")
    assert claim is not None
    assert _claim(store, "b") is None
    assert store.digest_holder("daily", DAY) == "dead"
    taken = store.claim_digest(
        "daily", DAY, START, T0, owner="b", lease=LEASE, now=T0, takeover=["dead"]
    )
    assert taken is not None
    assert store.digest_holder("daily", DAY) == "b"
    assert store.mark_sending(taken.id, owner="b", now=T0)
    assert store.recover_digests(now=T0, gone=["someone else"]) == 0
    assert store.recover_digests(now=T0, gone=["b"]) == 1
    assert store.digest_state("daily", DAY) == "uncertain"
    # a 'sending' or 'uncertain' row is never taken over, dead holder or not
    assert (
        store.claim_digest("daily", DAY, START, T0, owner="c", lease=LEASE, now=T0, takeover=["b"])
        is None
    )
