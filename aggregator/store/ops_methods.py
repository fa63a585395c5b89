"""Store methods for running the service: the digest ledger, heartbeats, backfill checkpoints,
and named locks between processes."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from aggregator import clock
from aggregator.store import checkpoints, ledger, locks
from aggregator.store import daemons as daemon_rows
from aggregator.store.base import StoreBase
from aggregator.store.types import (
    Checkpoint,
    DaemonRow,
    DaemonState,
    DigestClaim,
    DigestRow,
    DigestStatus,
)


class OpsMethods(StoreBase):
    """The digest ledger, daemons, checkpoints, locks (part of :class:`~aggregator.store.Store`)."""

    # -- the digest ledger: at most once per (subscription, period) -----------------------------

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
        with self._write(f"claiming the {subscription} digest of {period_label}") as conn:
            return ledger.claim(
                conn,
                subscription,
                period_label,
                start,
                end,
                owner=owner,
                lease=lease,
                now=now,
                force=force,
                takeover=takeover,
            )

    def save_rendered(self, digest_id: int, *, owner: str, message_id: str, eml: str) -> None:
        """Keep the rendered message (and its Message-ID) with the row, so a resumed send
        repeats it byte for byte. ClaimLostError (a StoreError) if ``owner`` lost the claim."""
        with self._write(f"saving the rendered digest {digest_id}") as conn:
            ledger.save_rendered(
                conn, digest_id, owner=owner, message_id=message_id, eml=eml, now=clock.now()
            )

    def mark_sending(self, digest_id: int, *, owner: str, now: datetime) -> bool:
        """Record 'sending' right before the final "." of DATA (the hand-over to the relay).

        False (send nothing: do not write the final ".") if ``owner``'s claim is no longer live
        at ``now``.
        """
        with self._write(f"marking digest {digest_id} as sending") as conn:
            return ledger.mark_sending(conn, digest_id, owner=owner, now=now)

    def mark_pending(self, digest_id: int, *, owner: str, now: datetime) -> None:
        """The relay refused the message at the final ".": nothing was delivered, the row is
        'pending' again and still ``owner``'s. ClaimLostError if another owner took it."""
        with self._write(f"marking digest {digest_id} as pending again") as conn:
            ledger.mark_pending(conn, digest_id, owner=owner, now=now)

    def release_digest(self, digest_id: int, *, owner: str) -> bool:
        """Give back ``owner``'s claim on a 'pending' or 'failed' digest (a sender interrupted
        before the hand-over), so that the next run may send it at once; True if it was held."""
        with self._write(f"releasing the claim on digest {digest_id}") as conn:
            return ledger.release_claim(conn, digest_id, owner=owner, now=clock.now())

    def mark_sent(self, digest_id: int, *, owner: str, now: datetime) -> None:
        """The relay accepted the message: 'sent', one attempt more, claim released.

        Accepted from 'sending' or 'uncertain' (the lease ran out during the exchange);
        ClaimLostError if another owner took the row meanwhile.
        """
        with self._write(f"marking digest {digest_id} as sent") as conn:
            ledger.mark_sent(conn, digest_id, owner=owner, now=now)

    def mark_failed(self, digest_id: int, *, owner: str, error: str, now: datetime) -> None:
        """The relay refused it or could not be reached (nothing was delivered): 'failed', one
        attempt more, claim released, so a later claim may try again."""
        with self._write(f"marking digest {digest_id} as failed") as conn:
            ledger.mark_failed(conn, digest_id, owner=owner, error=error, now=now)

    def recover_digests(self, *, now: datetime, gone: Sequence[str] = ()) -> int:
        """Rows stuck in 'sending' whose claim expired, or whose holder is in ``gone`` (known
        to be dead), become 'uncertain'; returns how many.

        The sender died after handing the message to the relay (the final ".") and before
        recording its answer: it may have gone out, so it is never resent automatically
        (``force`` does).
        """
        with self._write("recovering interrupted digests") as conn:
            return ledger.recover(conn, now, gone)

    def digest_state(self, subscription: str, period_label: str) -> DigestStatus | None:
        """The ledger status of one digest (None: never claimed), e.g. to say why a claim
        returned None."""
        with self._read("reading the digest ledger") as conn:
            return ledger.state(conn, subscription, period_label)

    def digest_holder(self, subscription: str, period_label: str) -> str | None:
        """The owner id holding the claim on one digest (live or expired), or None."""
        with self._read("reading the digest ledger") as conn:
            return ledger.holder(conn, subscription, period_label)

    def digest_status(self, subscription: str | None = None) -> list[DigestRow]:
        """The ledger, newest period first, optionally for one subscription."""
        with self._read("reading the digest ledger") as conn:
            return ledger.status_rows(conn, subscription)

    # -- daemons ------------------------------------------------------------------------------

    def beat(
        self,
        owner: str,
        *,
        host: str,
        pid: int,
        version: str,
        now: datetime,
        state: DaemonState = "running",
    ) -> None:
        """Record a heartbeat of daemon ``owner`` (``state='stopped'`` on a clean shutdown)."""
        with self._write("recording a heartbeat") as conn:
            daemon_rows.beat(conn, owner, host=host, pid=pid, version=version, now=now, state=state)

    def daemons(self, *, alive_within: timedelta | None = None, now: datetime) -> list[DaemonRow]:
        """Known daemons by id; with ``alive_within``, only running ones that beat that recently."""
        with self._read("reading daemons") as conn:
            return daemon_rows.daemon_rows(conn, alive_within=alive_within, now=now)

    def prune_daemons(self, older_than: datetime) -> int:
        """Forget daemons whose last beat is before ``older_than``; returns how many."""
        with self._write("pruning daemons") as conn:
            return daemon_rows.prune(conn, older_than)

    # -- backfill checkpoints -----------------------------------------------------------------

    def checkpoint(self, source: str, start: datetime, end: datetime) -> Checkpoint | None:
        """Where the backfill of ``source`` over ``[start, end)`` stopped; None if never begun.

        An unknown source is a StoreError.
        """
        with self._read(f"reading the backfill checkpoint of {source}") as conn:
            return checkpoints.checkpoint(conn, source, start, end)

    def save_checkpoint(
        self,
        source: str,
        start: datetime,
        end: datetime,
        *,
        cursor: str | None,
        pages_done: int,
        entries_done: int,
        finished: bool,
        now: datetime,
    ) -> None:
        """Record how far the backfill of ``source`` over ``[start, end)`` got (upsert)."""
        with self._write(f"saving the backfill checkpoint of {source}") as conn:
            checkpoints.save(
                conn,
                source,
                start,
                end,
                cursor=cursor,
                pages_done=pages_done,
                entries_done=entries_done,
                finished=finished,
                now=now,
            )

    # -- named locks between processes --------------------------------------------------------

    def exclusive(self, name: str) -> AbstractContextManager[bool]:
        """Hold the lock ``name`` (e.g. ``"grouping"``) for a ``with`` block, if nobody else does.

        Yields True when this caller holds it for the block, False when another holder has it
        (then do nothing: the other one is doing the work). Never waits. PostgreSQL: a session
        advisory lock on a connection kept for the block; SQLite file: a ``flock`` on
        ``<database>.<name>.lock``; in-memory SQLite: always True. The lock dies with the
        process. Not re-entrant: a second request while it is held, even from this process, gets
        False. ``name``: 1-64 letters, digits, ``_`` or ``-`` (else ValueError).
        """
        return locks.exclusive(self._engine, self._url, name)
