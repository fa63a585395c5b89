"""The sent-digest ledger: at most one send per (subscription, period).

States of a row and who moves it::

    pending --claim--> (claimed) --mark_sending--> sending --mark_sent--> sent
       ^  ^                 |     (right before       |
       |  +- release_claim -+      the final ".")     +-- mark_pending --> (claimed, pending)
       |                    |                         |   (the relay refused the final ".")
       +---- mark_failed ---+---- mark_failed --------+      (failed: claimable again)
                                                      |
          claim expired or holder gone, recover_digests --> uncertain (never resent unless forced)

Every write is one short transaction; the unique key (subscription, period_label) and a
conditional UPDATE decide which process holds a row. See docs/store.md, "The digest ledger",
for why this is at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, RowMapping

from aggregator.errors import ClaimLostError
from aggregator.store.ingest import dialect_insert
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


def claim(
    conn: Connection,
    subscription: str,
    period_label: str,
    start: datetime,
    end: datetime,
    *,
    owner: str,
    lease: timedelta,
    now: datetime,
    force: bool,
    takeover: Sequence[str] = (),
) -> DigestClaim | None:
    """Create the row if absent, then take it if claimable; None when another process has it.

    ``takeover``: owners whose claims count as expired, whatever their time says (holders the
    caller knows to be dead).
    """
    insert = dialect_insert(conn, digests).on_conflict_do_nothing(
        index_elements=["subscription", "period_label"]
    )
    conn.execute(
        insert,
        {
            "subscription": subscription,
            "period_label": period_label,
            "period_start": start,
            "period_end": end,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    until = now + lease
    free = (
        (digests.c.claimed_until.is_(None))
        | (digests.c.claimed_until < now)
        | (digests.c.claimed_by == owner)
    )
    if takeover:
        free = free | digests.c.claimed_by.in_(list(takeover))
    # One statement decides: on PostgreSQL a concurrent claimer waits for our row lock, then
    # re-checks this WHERE against the committed row and finds the live claim.
    row = (
        conn.execute(
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
        .mappings()
        .first()
    )
    if row is None:
        return None
    return DigestClaim(
        id=row["id"],
        subscription=subscription,
        period_label=period_label,
        status=cast(DigestStatus, row["status"]),
        attempts=row["attempts"],
        message_id=row["message_id"],
        eml=row["eml"],
        claimed_until=until,
    )


def _owned(
    conn: Connection, digest_id: int, owner: str, values: dict[str, Any], *where: Any
) -> int:
    result = conn.execute(
        update(digests)
        .where(digests.c.id == digest_id, digests.c.claimed_by == owner, *where)
        .values(values)
    )
    return int(result.rowcount)


def save_rendered(
    conn: Connection, digest_id: int, *, owner: str, message_id: str, eml: str, now: datetime
) -> None:
    """Keep the rendered message with the row, so a resumed send repeats it byte for byte."""
    values = {"message_id": message_id, "eml": eml, "updated_at": now}
    if not _owned(conn, digest_id, owner, values):
        raise ClaimLostError(f"digest {digest_id} is no longer claimed by {owner}")


def mark_sending(conn: Connection, digest_id: int, *, owner: str, now: datetime) -> bool:
    """'sending' right before the final "." of DATA goes to the relay (the one moment the
    message is handed over); False if the claim is not live: then nothing may be sent."""
    values = {"status": "sending", "updated_at": now}
    return bool(_owned(conn, digest_id, owner, values, digests.c.claimed_until > now))


def mark_pending(conn: Connection, digest_id: int, *, owner: str, now: datetime) -> None:
    """The relay answered the final "." with a refusal: nothing was delivered after all. Back
    to 'pending', still claimed by ``owner`` (which may try again); also from 'uncertain', if
    the claim ran out while the relay was answering."""
    values = {"status": "pending", "last_error": None, "updated_at": now}
    if not _owned(conn, digest_id, owner, values, digests.c.status.in_(("sending", "uncertain"))):
        raise ClaimLostError(f"digest {digest_id} is not being sent by {owner}")


def release_claim(conn: Connection, digest_id: int, *, owner: str, now: datetime) -> bool:
    """Give the claim back (a sender interrupted before the hand-over); only a 'pending' or
    'failed' row, never one being sent. True if ``owner`` held it."""
    values = {"claimed_by": None, "claimed_until": None, "updated_at": now}
    return bool(_owned(conn, digest_id, owner, values, digests.c.status.in_(CLAIMABLE)))


def mark_sent(conn: Connection, digest_id: int, *, owner: str, now: datetime) -> None:
    """The relay accepted the message: 'sent', claim released."""
    values = {
        "status": "sent",
        "sent_at": now,
        "attempts": digests.c.attempts + 1,
        "last_error": None,
        "claimed_by": None,
        "claimed_until": None,
        "updated_at": now,
    }
    # also from 'uncertain': the sender outlived its lease but did see the relay accept
    if not _owned(conn, digest_id, owner, values, digests.c.status.in_(("sending", "uncertain"))):
        raise ClaimLostError(
            f"digest {digest_id} is not being sent by {owner}: cannot record it as sent"
        )


def mark_failed(conn: Connection, digest_id: int, *, owner: str, error: str, now: datetime) -> None:
    """The relay refused or was unreachable: 'failed', claim released, one attempt more."""
    values = {
        "status": "failed",
        "attempts": digests.c.attempts + 1,
        "last_error": error,
        "claimed_by": None,
        "claimed_until": None,
        "updated_at": now,
    }
    if not _owned(conn, digest_id, owner, values):
        raise ClaimLostError(f"digest {digest_id} is no longer claimed by {owner}")


def recover(conn: Connection, now: datetime, gone: Sequence[str] = ()) -> int:
    """'sending' rows whose claim expired, or whose holder is in ``gone`` (known dead), become
    'uncertain'; returns how many."""
    stopped = digests.c.claimed_until < now
    if gone:
        stopped = stopped | digests.c.claimed_by.in_(list(gone))
    result = conn.execute(
        update(digests)
        .where(digests.c.status == "sending", stopped)
        .values(status="uncertain", last_error=UNCERTAIN_REASON, updated_at=now)
    )
    return int(result.rowcount)


def state(conn: Connection, subscription: str, period_label: str) -> DigestStatus | None:
    """The status of one digest, or None when it has no ledger row."""
    found = conn.execute(
        select(digests.c.status).where(
            digests.c.subscription == subscription, digests.c.period_label == period_label
        )
    ).scalar()
    return None if found is None else cast(DigestStatus, found)


def holder(conn: Connection, subscription: str, period_label: str) -> str | None:
    """Who holds the claim on one digest (live or expired), or None."""
    found = conn.execute(
        select(digests.c.claimed_by).where(
            digests.c.subscription == subscription, digests.c.period_label == period_label
        )
    ).scalar()
    return None if found is None else str(found)


def status_rows(
    conn: Connection, subscription: str | None, *, limit: int | None = None
) -> list[DigestRow]:
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
    return DigestRow(
        id=row["id"],
        subscription=row["subscription"],
        period_label=row["period_label"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        status=cast(DigestStatus, row["status"]),
        attempts=row["attempts"],
        message_id=row["message_id"],
        last_error=row["last_error"],
        claimed_by=row["claimed_by"],
        claimed_until=row["claimed_until"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        sent_at=row["sent_at"],
    )
