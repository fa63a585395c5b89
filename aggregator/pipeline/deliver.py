"""The digest job: events of a period from the store -> laid out -> rendered -> files and mail.

    period   = previous calendar day in the subscription's zone (or --date / --since --until)
    digest   = build_digest(store.events_in_period(period), options)   # pure
    rendered = render_digest(digest)                                    # pure
    message  = build_message(rendered, Message-ID fixed per (subscription, period))
    claim    = store.claim_digest(subscription, period)  # ledger row; None if sent or in flight
    save_rendered(eml) -> send_message: connect, MAIL, RCPT, DATA, body,
                          mark_sending right before the final "." -> mark_sent

Delivery guarantee: at most once per (subscription, period). The ledger's unique key decides
which process sends. The message passes to the relay at one moment only, when the "." that
ends DATA is written, and the row says 'sending' from just before that moment: a crash, a kill
or a failure anywhere earlier (rendering, connecting, the greeting, a back-off between attempts,
the body) leaves the row 'pending' (or 'failed') with the rendered bytes, and the next run sends
exactly those bytes (same Message-ID). A crash after the final "." and before 'sent' is recorded
leaves the row 'sending'; once its claim expires (or its holder is known dead) it becomes
'uncertain' and is never resent automatically (the relay may have accepted it);
`aggregator digest --send --resend` forces a new send, with the same Message-ID so mail clients
that de-duplicate show it once. A holder is known dead when it ran on this machine and its
process is gone (:func:`aggregator.pipeline.leases.holder_gone`): its claim is taken over at
once instead of after its 15 minutes. See docs/digest.md.
"""

from __future__ import annotations

import email
import email.policy
import functools
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from aggregator import clock
from aggregator.config import Settings, SubscriptionConfig
from aggregator.digest import (
    Digest,
    DigestOptions,
    Period,
    RenderedDigest,
    build_digest,
    previous_day,
    render_digest,
)
from aggregator.errors import ClaimLostError, ConfigError, MailError, StoreError
from aggregator.mail import (
    SmtpOptions,
    build_message,
    digest_message_id,
    send_message,
    write_files,
)
from aggregator.pipeline.leases import holder_gone
from aggregator.store import Store

#: how long one process may hold a digest's ledger row before another may take it over
CLAIM = timedelta(minutes=15)

Status = Literal["rendered", "sent", "already-sent", "in-flight", "uncertain"]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one digest run did for one subscription and period."""

    subscription: str
    period: Period
    events: int
    statements: int
    status: Status
    files: tuple[Path, ...] = ()
    message_id: str | None = None


def digest_options(subscription: SubscriptionConfig, base_url: str | None = None) -> DigestOptions:
    """The digest stage's options from a subscription's configuration; ``base_url``, the web
    archive's address (``settings.web.base_url``), makes the digest link to its pages."""
    return DigestOptions(
        subscription=subscription.name,
        timezone=subscription.timezone,
        sides=tuple(subscription.sides),
        actors=tuple(subscription.actors),
        keywords=tuple(subscription.keywords),
        min_sources=subscription.min_sources,
        max_columns=subscription.max_columns,
        max_events=subscription.max_events,
        base_url=base_url,
        language=subscription.language,
    )


def smtp_options(settings: Settings) -> SmtpOptions:
    """SMTP options from the config; the password is read from the named environment variable."""
    smtp = settings.settings.smtp
    return SmtpOptions(
        host=smtp.host,
        port=smtp.port,
        starttls=smtp.starttls,
        ssl=smtp.ssl,
        username=smtp.username,
        password=smtp.password(),
        sender=smtp.from_,
        timeout=smtp.timeout.total_seconds(),
    )


def subscriptions(settings: Settings, names: Sequence[str] = ()) -> list[SubscriptionConfig]:
    """The named subscriptions (all when none named); an unknown name is a ConfigError."""
    if not names:
        return list(settings.subscriptions)
    known = {s.name: s for s in settings.subscriptions}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(
            f"no subscription named {', '.join(unknown)} (configured: {', '.join(known) or 'none'})"
        )
    return [known[n] for n in names]


def digest_for_period(
    store: Store, options: DigestOptions, period: Period, *, now: datetime
) -> Digest:
    """Build one digest from the store (no side effects, nothing rendered)."""
    events = store.events_in_period(period.start, period.end)
    return build_digest(events, options, period, generated_at=now)


def render_period(
    store: Store,
    settings: Settings,
    options: DigestOptions,
    period: Period,
    *,
    now: datetime,
) -> tuple[Digest, RenderedDigest]:
    """Build and render one digest from the store (no side effects)."""
    digest = digest_for_period(store, options, period, now=now)
    rendered = render_digest(digest, templates_dir=settings.settings.templates_dir)
    return digest, rendered


def deliver(
    store: Store,
    settings: Settings,
    subscription: SubscriptionConfig | None,
    *,
    now: datetime,
    owner: str,
    period: Period | None = None,
    out_dir: Path | None = None,
    file_stem_suffix: str = "",
    send: bool = True,
    force: bool = False,
) -> DeliveryReport:
    """Render one subscription's digest for a period, write files, and send it at most once.

    ``subscription`` None renders with default options (UTC, no filters) and cannot send.
    """
    base_url = settings.settings.web.base_url
    if subscription is None:
        if send:
            raise ConfigError("sending a digest needs a subscription in the configuration")
        options = DigestOptions(subscription="digest", timezone="UTC", base_url=base_url)
        recipients: list[str] = ["digest@localhost"]
        list_id = unsubscribe = None
    else:
        options = digest_options(subscription, base_url)
        recipients = list(subscription.recipients)
        list_id, unsubscribe = subscription.list_id, subscription.unsubscribe
    period = period or previous_day(now, options.timezone)
    digest, rendered = render_period(store, settings, options, period, now=now)
    sender = settings.settings.smtp.from_
    message_id = digest_message_id(options.subscription, period.label, sender)
    message = build_message(
        rendered,
        sender=sender,
        recipients=recipients,
        date=now,
        message_id=message_id,
        list_id=list_id,
        unsubscribe=unsubscribe,
    )
    files: tuple[Path, ...] = ()
    if out_dir is not None:
        stem = "digest-" + period.label.replace(" – ", "_").replace(" ", "") + file_stem_suffix
        files = write_files(rendered, message, out_dir, stem)
    counts = (len(digest.events), sum(e.statement_count for e in digest.events))
    if not send:
        return DeliveryReport(options.subscription, period, *counts, "rendered", files, message_id)

    smtp = smtp_options(settings)  # a missing password must fail before anything is claimed
    gone = _gone_holders(store, options.subscription, period.label)
    store.recover_digests(now=now, gone=gone)
    claim = store.claim_digest(
        options.subscription,
        period.label,
        period.start,
        period.end,
        owner=owner,
        lease=CLAIM,
        now=now,
        force=force,
        takeover=gone,
    )
    report = functools.partial(
        DeliveryReport, options.subscription, period, *counts, files=files, message_id=message_id
    )
    if claim is None:
        state = store.digest_state(options.subscription, period.label)
        status: Status = (
            "already-sent"
            if state == "sent"
            else ("uncertain" if state == "uncertain" else "in-flight")
        )
        return report(status)
    if claim.eml and not force:
        # a crash after rendering: send exactly what was rendered then
        message = email.message_from_string(claim.eml, policy=email.policy.SMTP)
        message_id = claim.message_id or message_id
    else:
        store.save_rendered(claim.id, owner=owner, message_id=message_id, eml=message.as_string())
    handover = _LedgerHandOver(store, claim.id, owner)
    try:
        send_message(message, smtp, handover=handover)
    except ClaimLostError:
        # another owner took the row before the final ".": nothing was handed over by us
        return report("in-flight", message_id=message_id)
    except MailError as exc:
        if not exc.uncertain:  # certainly not delivered: another attempt may claim it
            store.mark_failed(claim.id, owner=owner, error=str(exc), now=clock.now())
        # uncertain: the row stays 'sending'; once the claim expires it becomes 'uncertain'
        raise
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM) or a bug: before the final "." nothing was handed over,
        # so give the claim back and let the next run send it at once
        if not handover.begun:
            with suppress(StoreError):
                store.release_digest(claim.id, owner=owner)
        raise
    store.mark_sent(claim.id, owner=owner, now=clock.now())
    return report("sent", message_id=message_id)


class _LedgerHandOver:
    """The ledger's side of the hand-over (:class:`aggregator.mail.HandOver`): 'sending' right
    before the final "." of DATA, 'pending' again if the relay refuses what followed."""

    def __init__(self, store: Store, digest_id: int, owner: str) -> None:
        self._store = store
        self._id = digest_id
        self._owner = owner
        self.begun = False  # 'sending' may be recorded: a lost answer leaves it uncertain

    def begin(self) -> None:
        self.begun = True
        if not self._store.mark_sending(self._id, owner=self._owner, now=clock.now()):
            self.begun = False
            raise ClaimLostError(
                f"digest {self._id} is no longer claimed by {self._owner}: not handing it over"
            )

    def refused(self) -> None:
        self._store.mark_pending(self._id, owner=self._owner, now=clock.now())
        self.begun = False


def _gone_holders(store: Store, subscription: str, period_label: str) -> list[str]:
    """The digest's claim holder, if it is a process of this machine that no longer runs."""
    holder = store.digest_holder(subscription, period_label)
    return [holder] if holder is not None and holder_gone(holder) else []
