"""The sent-digest ledger: at most one send per (subscription, period).

States of a row and who moves it::

    pending --claim_digest--> (claimed) --mark_sending--> sending --mark_sent--> sent
       ^  ^                        |     (right before       |
       |  +---- release_digest ----+      the final ".")     +-- mark_pending --> (claimed,
       |                           |                         |   (the relay refused   pending)
       +------- mark_failed -------+---- mark_failed --------+   the final ".")
                (failed: claimable again)                    |
                 claim expired or holder gone, recover_digests --> uncertain (never resent
                                                                   unless forced)

:class:`LedgerMixin` owns the ``digests`` table. Every write is one short transaction; the
unique key (subscription, period_label) and a conditional UPDATE decide which process holds a
row. See docs/store.md, "The digest ledger", for why this is at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, RowMapping

from aggregator import clock
from aggregator.errors import ClaimLostError
from aggregator.store.base import StoreBase
from aggregator.store.queries import dialect_insert, page_size
from aggregator.store.rows import from_row
from aggregator.store.schema import digests
from aggregator.store.types import DigestClaim, DigestRow, DigestStatus

CLAIMABLE: tuple[DigestStatus, ...] = ("pending", "failed")
# with force (--resend): a sent or uncertain digest, or a 'sending' one whose sender died
FORCE_CLAIMABLE: tuple[DigestStatus, ...] = ("pending", "failed", "sent", "uncertain", "sending")
UNCERTAIN_REASON = (
    "the sender stopped after handing the message to the mail relay (the final '.' of DATA) and "
    "before recording the relay's answer: it may or may not have been delivered, so it is not "
    "sent again unless forced"
)


class LedgerMixin(StoreBase):
    """The sent-digest ledger: at most once per (subscription, period) (part of
    :class:`~aggregator.store.Store`)."""

    def claim_digest(
        self,
        subscription: str,
        period_label: str,
        start: datetime,
        end: datetime,
        *,
        owner: str,
        lease: timedelta,
        now: datetime,
        force: bool = False,
        takeover: Sequence[str] = (),
    ) -> DigestClaim | None:
        """Take the digest of (subscription, period) for ``owner`` until ``now + lease``.

        Creates the ledger row if absent, then claims it if it is 'pending' or 'failed' and
        not held by another owner's live claim. None when it was sent, is uncertain, is being
        sent, or another owner holds it. ``force`` (``--resend``) also takes 'sent' and
        'uncertain' rows (and 'sending' ones whose claim expired), never a live claim.
        ``takeover`` names holders known to be dead: their claims count as expired.
        """
        until = now + lease
        free = (
            (digests.c.claimed_until.is_(None))
            | (digests.c.claimed_until < now)
            | (digests.c.claimed_by == owner)
        )
        if takeover:
            free = free | digests.c.claimed_by.in_(list(takeover))
        # One statement decides: on PostgreSQL a concurrent claimer waits for our row lock,
        # then re-checks this WHERE against the committed row and finds the live claim.
        take = (
            update(digests)
            .where(
                digests.c.subscription == subscription,
                digests.c.period_label == period_label,
                digests.c.status.in_(FORCE_CLAIMABLE if force else CLAIMABLE),
                free,
            )
            .values(claimed_by=owner, claimed_until=until, updated_at=now)
            .returning(
                digests.c.id,
                digests.c.status,
                digests.c.attempts,
                digests.c.message_id,
                digests.c.eml,
            )
        )
        row = {
            "subscription": subscription,
            "period_label": period_label,
            "period_start": start,
            "period_end": end,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        with self._write(f"claiming the {subscription} digest of {period_label}") as conn:
            conn.execute(
                dialect_insert(conn, digests).on_conflict_do_nothing(
                    index_elements=["subscription", "period_label"]
                ),
                row,
            )
            taken = conn.execute(take).mappings().first()
        if taken is None:
            return None
        return DigestClaim(
            id=taken["id"],
            subscription=subscription,
            period_label=period_label,
            status=cast(DigestStatus, taken["status"]),
            attempts=taken["attempts"],
            message_id=taken["message_id"],
            eml=taken["eml"],
            claimed_until=until,
        )

    def save_rendered(self, digest_id: int, *, owner: str, message_id: str, eml: str) -> None:
        """Keep the rendered message (and its Message-ID) with the row, so a resumed send
        repeats it byte for byte. ClaimLostError (a StoreError) if ``owner`` lost the claim."""
        values = {"message_id": message_id, "eml": eml, "updated_at": clock.now()}
        with self._write(f"saving the rendered digest {digest_id}") as conn:
            if not _owned(conn, digest_id, owner, values):
                raise ClaimLostError(f"digest {digest_id} is no longer claimed by {owner}")

    def mark_sending(self, digest_id: int, *, owner: str, now: datetime) -> bool:
        """Record 'sending' right before the final "." of DATA (the hand-over to the relay, the
        one moment the message is handed over).

        False (send nothing: do not write the final ".") if ``owner``'s claim is no longer live
        at ``now``.
        """
        values = {"status": "sending", "updated_at": now}
        with self._write(f"marking digest {digest_id} as sending") as conn:
            return bool(_owned(conn, digest_id, owner, values, digests.c.claimed_until > now))

    def mark_pending(self, digest_id: int, *, owner: str, now: datetime) -> None:
        """The relay refused the message at the final ".": nothing was delivered, the row is
        'pending' again and still ``owner``'s (also from 'uncertain', if the claim ran out
        while the relay was answering). ClaimLostError if another owner took it."""
        values = {"status": "pending", "last_error": None, "updated_at": now}
        sending = digests.c.status.in_(("sending", "uncertain"))
        with self._write(f"marking digest {digest_id} as pending again") as conn:
            if not _owned(conn, digest_id, owner, values, sending):
                raise ClaimLostError(f"digest {digest_id} is not being sent by {owner}")

    def release_digest(self, digest_id: int, *, owner: str) -> bool:
        """Give back ``owner``'s claim on a 'pending' or 'failed' digest (a sender interrupted
        before the hand-over), so that the next run may send it at once; never one being
        sent. True if it was held."""
        values = {"claimed_by": None, "claimed_until": None, "updated_at": clock.now()}
        with self._write(f"releasing the claim on digest {digest_id}") as conn:
            return bool(_owned(conn, digest_id, owner, values, digests.c.status.in_(CLAIMABLE)))

    def mark_sent(self, digest_id: int, *, owner: str, now: datetime) -> None:
        """The relay accepted the message: 'sent', one attempt more, claim released.

        Accepted from 'sending' or 'uncertain' (the lease ran out during the exchange, but the
        sender did see the relay accept); ClaimLostError if another owner took the row
        meanwhile.
        """
        values = {
            "status": "sent",
            "sent_at": now,
            "attempts": digests.c.attempts + 1,
            "last_error": None,
            "claimed_by": None,
            "claimed_until": None,
            "updated_at": now,
        }
        sending = digests.c.status.in_(("sending", "uncertain"))
        with self._write(f"marking digest {digest_id} as sent") as conn:
            if not _owned(conn, digest_id, owner, values, sending):
                raise ClaimLostError(
                    f"digest {digest_id} is not being sent by {owner}: cannot record it as sent"
                )

    def mark_failed(self, digest_id: int, *, owner: str, error: str, now: datetime) -> None:
        """The relay refused it or could not be reached (nothing was delivered): 'failed', one
        attempt more, claim released, so a later claim may try again."""
        values = {
            "status": "failed",
            "attempts": digests.c.attempts + 1,
            "last_error": error,
            "claimed_by": None,
            "claimed_until": None,
            "updated_at": now,
        }
        with self._write(f"marking digest {digest_id} as failed") as conn:
            if not _owned(conn, digest_id, owner, values):
                raise ClaimLostError(f"digest {digest_id} is no longer claimed by {owner}")

    def recover_digests(self, *, now: datetime, gone: Sequence[str] = ()) -> int:
        """Rows stuck in 'sending' whose claim expired, or whose holder is in ``gone`` (known
        to be dead), become 'uncertain'; returns how many.

        The sender died after handing the message to the relay (the final ".") and before
        recording its answer: it may have gone out, so it is never resent automatically
        (``force`` does).
        """
        stopped = digests.c.claimed_until < now
        if gone:
            stopped = stopped | digests.c.claimed_by.in_(list(gone))
        with self._write("recovering interrupted digests") as conn:
            result = conn.execute(
                update(digests)
                .where(digests.c.status == "sending", stopped)
                .values(status="uncertain", last_error=UNCERTAIN_REASON, updated_at=now)
            )
            return int(result.rowcount)

    def digest_state(self, subscription: str, period_label: str) -> DigestStatus | None:
        """The ledger status of one digest (None: never claimed), e.g. to say why a claim
        returned None."""
        with self._read("reading the digest ledger") as conn:
            found = conn.execute(
                select(digests.c.status).where(*_one(subscription, period_label))
            ).scalar()
        return None if found is None else cast(DigestStatus, found)

    def digest_holder(self, subscription: str, period_label: str) -> str | None:
        """The owner id holding the claim on one digest (live or expired), or None."""
        with self._read("reading the digest ledger") as conn:
            found = conn.execute(
                select(digests.c.claimed_by).where(*_one(subscription, period_label))
            ).scalar()
        return None if found is None else str(found)

    def digest_status(self, subscription: str | None = None) -> list[DigestRow]:
        """The ledger, newest period first, optionally for one subscription."""
        with self._read("reading the digest ledger") as conn:
            return _rows(conn, subscription, limit=None)

    def digest_days(self, subscription: str | None = None, *, limit: int = 400) -> list[DigestRow]:
        """The digest ledger's rows, newest period first (the first ``limit``, at most 10,000),
        optionally of one subscription: the web archive's days."""
        size = page_size(limit, 10_000)
        with self._read("reading the digest ledger") as conn:
            return _rows(conn, subscription, limit=size)


def _one(subscription: str, period_label: str) -> tuple[Any, ...]:
    return (digests.c.subscription == subscription, digests.c.period_label == period_label)


def _owned(
    conn: Connection, digest_id: int, owner: str, values: dict[str, Any], *where: Any
) -> int:
    """Update the row if ``owner`` holds its claim (and ``where`` holds); how many it updated."""
    result = conn.execute(
        update(digests)
        .where(digests.c.id == digest_id, digests.c.claimed_by == owner, *where)
        .values(values)
    )
    return int(result.rowcount)


def _rows(conn: Connection, subscription: str | None, *, limit: int | None) -> list[DigestRow]:
    """Ledger rows, newest period first (the first ``limit`` of them when given)."""
    # never the rendered messages (tens of KB each): a DigestRow has no place for them
    query = select(*(c for c in digests.c if c.name != "eml")).order_by(
        digests.c.period_start.desc(), digests.c.subscription, digests.c.id
    )
    if subscription is not None:
        query = query.where(digests.c.subscription == subscription)
    if limit is not None:
        query = query.limit(limit)
    return [_row(row) for row in conn.execute(query).mappings()]


def _row(row: RowMapping) -> DigestRow:
    return from_row(DigestRow, row)
