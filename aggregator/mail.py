"""Build the digest email and deliver it over SMTP. The only module that imports smtplib.

Building (:func:`build_message`) is pure; delivering (:func:`send_message`) does the I/O. The
sent-digest ledger (exactly-once per subscription and period) lives in the store, not here:
this module only reports whether one delivery attempt sequence succeeded.

Failure policy of :func:`send_message`:

- transient — a 4xx reply, a refused or dropped connection, a timeout: retried up to
  ``options.retries`` more times, waiting ``backoff * 2**(attempt-1)`` seconds between attempts;
  when every attempt failed, :class:`MailError` with ``permanent=False`` (try again later);
- permanent — a 5xx reply, failed authentication, a relay without STARTTLS/AUTH when asked for,
  a TLS certificate that does not verify: :class:`MailError` with ``permanent=True`` at once,
  with a hint naming the setting to check.
- uncertain — the connection dropped or timed out after the final "." of DATA was written and
  before the relay answered it: the relay may have queued the message, so :class:`MailError`
  with ``uncertain=True`` at once and no retry; the caller must not send it again automatically.

The message passes to the relay at one moment only: when the "." that ends DATA is written.
Until then the relay holds no message, whatever else happened (connect, greeting, TLS, AUTH,
MAIL, RCPT, the body itself): a failure there is transient or permanent, never uncertain. So
MAIL, RCPT and DATA are driven here step by step rather than through ``smtplib``'s
``sendmail``, and the caller's :class:`HandOver` hook runs right before that final ".": that is
where the ledger records 'sending' (see :mod:`aggregator.pipeline.deliver`).

Once the relay has accepted the message (its 250 to the final "."), the send counts as delivered
even if the connection then drops at QUIT, so a retry never sends the message twice for that
reason.
"""

from __future__ import annotations

import copy
import email.generator
import email.policy
import io
import logging
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from aggregator.digest.model import RenderedDigest
from aggregator.errors import MailError

HOST_HINT = "check settings.smtp.host and settings.smtp.port"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SmtpOptions:
    """How to reach the relay. ``password`` is resolved by the caller (from an env variable)."""

    host: str = "localhost"
    port: int = 25
    starttls: bool = False
    ssl: bool = False  # implicit TLS (SMTPS, usually port 465)
    username: str | None = None
    password: str | None = None
    sender: str = "aggregator <digest@example.org>"
    timeout: float = 30.0  # seconds, for connect and for each reply
    retries: int = 3  # further attempts after the first, on transient failures only
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    cafile: str | None = None  # extra CA bundle for relays with a private certificate


def _one_line(value: str) -> str:
    # header injection guard: a CR or LF in a header value would start a new header
    return " ".join(value.split())


def _domain_of(sender: str) -> str | None:
    address = parseaddr(sender)[1]
    if "@" not in address:
        return None
    return address.rsplit("@", 1)[1] or None


def digest_message_id(subscription: str, period_label: str, sender: str) -> str:
    """A Message-ID that is the same for every send of one subscription's digest for one period.

    With it, a digest sent twice (a crash after the relay accepted it but before the ledger
    recorded it) carries the same id both times, so threading and de-duplicating mail clients
    show it once; the store's ledger keeps the id it used.
    """
    local = re.sub(r"[^A-Za-z0-9.\-]+", "-", f"digest.{subscription}.{period_label}").strip("-.")
    return f"<{local}@{_domain_of(sender) or 'aggregator.invalid'}>"


def build_message(
    rendered: RenderedDigest,
    *,
    sender: str,
    recipients: Sequence[str],
    date: datetime,
    message_id: str | None = None,
    list_id: str | None = None,
    unsubscribe: str | None = None,
) -> EmailMessage:
    """The digest as a multipart/alternative message: text first, then HTML (preferred).

    ``message_id`` defaults to a new id on the sender's domain; ``list_id`` is a bare id
    (``daily.aggregator.example.org``) or already in angle brackets; ``unsubscribe`` is a
    ``mailto:`` or ``https:`` URI (https also gets ``List-Unsubscribe-Post``, RFC 8058).
    """
    if not recipients:
        raise ValueError("a digest message needs at least one recipient")
    if date.tzinfo is None:
        raise ValueError("the Date header needs an aware datetime")
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = _one_line(rendered.subject)
    message["From"] = _one_line(sender)
    message["To"] = ", ".join(_one_line(r) for r in recipients)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = (
        _one_line(message_id) if message_id else make_msgid(domain=_domain_of(sender))
    )
    if list_id:
        bare = _one_line(list_id).strip("<>")
        message["List-Id"] = f"<{bare}>"
    if unsubscribe:
        target = _one_line(unsubscribe)
        message["List-Unsubscribe"] = f"<{target}>"
        if urlsplit(target).scheme.lower() == "https":
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["MIME-Version"] = "1.0"
    message.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The SMTP envelope sender and recipients of ``message`` (From; To, Cc, Bcc)."""
    sender = parseaddr(str(message["From"]))[1]
    fields = [str(v) for key in ("To", "Cc", "Bcc") for v in message.get_all(key, [])]
    recipients = [address for _name, address in getaddresses(fields) if address]
    if not sender or not recipients:
        raise MailError("the message has no sender or no recipient address", permanent=True)
    return sender, recipients


class _Transient(Exception):
    """One attempt failed in a way worth retrying."""


def _tls_context(options: SmtpOptions) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if options.cafile:
        context.load_verify_locations(cafile=options.cafile)
    return context


def _describe(options: SmtpOptions) -> str:
    mode = "implicit TLS" if options.ssl else "STARTTLS" if options.starttls else "plain SMTP"
    return f"{options.host}:{options.port} ({mode})"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _reply_error(code: int, text: bytes | str, what: str, options: SmtpOptions) -> Exception:
    detail = f"{what}: {code} {_text(text)}".strip()
    if 400 <= code < 500:
        return _Transient(f"{_describe(options)} {detail}")
    return MailError(
        f"{_describe(options)} refused the message permanently ({detail}); "
        "check the sender and recipient addresses and the relay's policy",
        permanent=True,
    )


class HandOver(Protocol):
    """What the caller records around the one moment a message passes to the relay."""

    def begin(self) -> None:
        """Right before the final "." of DATA is written: from here on, a lost answer leaves
        the message uncertain. Raise to send nothing (the relay then discards the body)."""

    def refused(self) -> None:
        """The relay answered the final "." with a refusal: nothing was delivered after all."""


class _Unrecorded:
    """A :class:`HandOver` that records nothing (a caller without a ledger)."""

    def begin(self) -> None:
        pass

    def refused(self) -> None:
        pass


@dataclass(slots=True)
class _Exchange:
    """Where one attempt's conversation stands, for deciding how to end it and what failed."""

    in_data: bool = False  # DATA accepted (354) and its final "." not answered yet
    handed_over: bool = False  # the final "." was written and no answer has come back


def _connect(options: SmtpOptions) -> smtplib.SMTP:
    """Connect and read the greeting (both inside smtplib's constructor)."""
    if options.ssl:
        return smtplib.SMTP_SSL(
            options.host, options.port, timeout=options.timeout, context=_tls_context(options)
        )
    return smtplib.SMTP(options.host, options.port, timeout=options.timeout)


def _attempt(message: EmailMessage, options: SmtpOptions, handover: HandOver) -> None:
    sender, recipients = envelope(message)
    client = _connect(options)
    exchange = _Exchange()
    try:
        _converse(client, message, sender, recipients, options, handover, exchange)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        if exchange.handed_over and not isinstance(exc, smtplib.SMTPResponseException):
            raise MailError(
                f"{_describe(options)}: the connection failed after the message was handed over "
                f"({type(exc).__name__}: {exc}); the relay may have delivered it, so it is not "
                "sent again automatically (aggregator digest --send --resend forces it)",
                uncertain=True,
            ) from exc
        raise
    finally:
        _hang_up(client, exchange)


def _hang_up(client: smtplib.SMTP, exchange: _Exchange) -> None:
    if exchange.in_data:
        # QUIT now would be read as part of the message: drop the line, so the relay discards
        # an unfinished body (and a finished one, unanswered, is uncertain anyway)
        client.close()
        return
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        # once the relay has accepted the message a dropped QUIT changes nothing (retrying
        # would deliver it twice); before that, the attempt's own error is what counts
        client.close()


def _converse(
    client: smtplib.SMTP,
    message: EmailMessage,
    sender: str,
    recipients: list[str],
    options: SmtpOptions,
    handover: HandOver,
    exchange: _Exchange,
) -> None:
    client.ehlo_or_helo_if_needed()
    if options.starttls:
        if not client.has_extn("starttls"):
            raise MailError(
                f"{_describe(options)} does not offer STARTTLS; "
                "check settings.smtp.starttls (or use ssl for port 465)",
                permanent=True,
            )
        client.starttls(context=_tls_context(options))
        client.ehlo()
    if options.username is not None:
        if not client.has_extn("auth"):
            raise MailError(
                f"{_describe(options)} does not offer AUTH (many relays only offer it after "
                "STARTTLS); check settings.smtp.starttls and settings.smtp.username",
                permanent=True,
            )
        client.login(options.username, options.password or "")
    refused = _transmit(client, message, sender, recipients, handover, exchange)
    if refused:
        # delivered to the others: raising would leave the digest pending and a resend would
        # reach those readers twice, so the partial refusal is logged instead
        missed = ", ".join(f"{rcpt} ({code})" for rcpt, (code, _text) in refused.items())
        log.warning("%s delivered the digest but refused %s", _describe(options), missed)


def _transmit(
    client: smtplib.SMTP,
    message: EmailMessage,
    sender: str,
    recipients: list[str],
    handover: HandOver,
    exchange: _Exchange,
) -> dict[str, tuple[int, bytes]]:
    """MAIL, RCPT, DATA, the body, then ``handover.begin()`` and the final "."; the recipients
    the relay refused (when it took others). What ``smtplib``'s ``send_message`` does, in
    steps: its ``data()`` writes the body and the final "." in one go."""
    body, mail_options = _flatten(client, message, sender, recipients)
    if client.does_esmtp and client.has_extn("size"):
        mail_options.append(f"SIZE={len(body)}")
    code, reply = client.mail(sender, mail_options)
    if code != 250:
        _reset(client, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for rcpt in recipients:
        code, reply = client.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = (code, reply)
        if code == 421:
            client.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _reset(client, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = client.docmd("data")
    if code != 354:
        _reset(client, code)
        raise smtplib.SMTPDataError(code, reply)
    exchange.in_data = True
    client.send(_dot_stuffed(body))
    handover.begin()
    exchange.handed_over = True
    client.send(b".\r\n")
    code, reply = client.getreply()
    exchange.in_data = exchange.handed_over = False
    if code != 250:
        handover.refused()
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _flatten(
    client: smtplib.SMTP, message: EmailMessage, sender: str, recipients: list[str]
) -> tuple[bytes, list[str]]:
    """The message as it goes on the wire (CRLF, no Bcc) and the MAIL options it needs."""
    bare = copy.copy(message)
    del bare["Bcc"]
    del bare["Resent-Bcc"]
    options: list[str] = []
    policy: email.policy.Policy = message.policy
    if not all(address.isascii() for address in (sender, *recipients)):
        if not client.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError(
                "an address is not ASCII and the relay does not offer SMTPUTF8"
            )
        policy = email.policy.SMTPUTF8
        options += ["SMTPUTF8", "BODY=8BITMIME"]
    with io.BytesIO() as flat:
        email.generator.BytesGenerator(flat, policy=policy).flatten(bare, linesep="\r\n")
        return flat.getvalue(), options


def _dot_stuffed(body: bytes) -> bytes:
    """The body as DATA carries it, up to (not including) the final ".": a line starting with
    "." gets another one (RFC 5321 4.5.2), and the body ends with CRLF."""
    stuffed = re.sub(rb"(?m)^\.", b"..", body)
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"


def _reset(client: smtplib.SMTP, code: int) -> None:
    """After a refusal: 421 means the relay is closing; otherwise RSET for a clean QUIT."""
    if code == 421:
        client.close()
        return
    try:
        client.rset()
    except (smtplib.SMTPException, OSError):
        client.close()


def _classify(exc: Exception, options: SmtpOptions) -> Exception:
    """A failure of one attempt as ``_Transient`` (retry) or a permanent :class:`MailError`."""
    where = _describe(options)
    if isinstance(exc, MailError | _Transient):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError(
            f"{where} refused the login for {options.username!r} "
            f"({exc.smtp_code} {_text(exc.smtp_error)}); "
            "check settings.smtp.username and the password environment variable "
            "(settings.smtp.password_env)",
            permanent=True,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return MailError(f"{where}: {exc}; check settings.smtp", permanent=True)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return _Transient(f"{where} deferred every recipient: {exc.recipients}")
        refused = ", ".join(f"{rcpt} ({code})" for rcpt, (code, _t) in exc.recipients.items())
        return MailError(
            f"{where} refused the recipients {refused}; check the subscription's recipients",
            permanent=True,
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _reply_error(exc.smtp_code, exc.smtp_error, f"sender {exc.sender} refused", options)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply_error(exc.smtp_code, exc.smtp_error, "reply", options)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _Transient(f"{where} closed the connection unexpectedly ({exc})")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError(
            f"{where}: the relay's TLS certificate does not verify ({exc.verify_message}); "
            "check settings.smtp.host (it must match the certificate) or the CA bundle",
            permanent=True,
        )
    if isinstance(exc, ssl.SSLError):
        return MailError(
            f"{where}: TLS failed ({exc}); {HOST_HINT} and whether the port speaks "
            "implicit TLS (ssl) or STARTTLS",
            permanent=True,
        )
    if isinstance(exc, socket.gaierror):
        return MailError(f"{where}: unknown host ({exc}); {HOST_HINT}", permanent=True)
    if isinstance(exc, smtplib.SMTPException | OSError):
        return _Transient(f"{where}: {type(exc).__name__}: {exc}")
    raise exc  # a bug, not a mail failure: never re-labelled


def send_message(
    message: EmailMessage,
    options: SmtpOptions,
    *,
    sleep: Callable[[float], None] = time.sleep,
    handover: HandOver | None = None,
) -> None:
    """Deliver ``message`` through the relay in ``options``, retrying transient failures.

    Raises :class:`MailError` (``permanent=True`` at once for a permanent failure,
    ``uncertain=True`` when the answer to the final "." was lost, or ``permanent=False`` once
    every retry failed); see the module docstring. ``handover`` is told right before each
    final "." is written, and when the relay refuses what followed it.
    """
    record = handover or _Unrecorded()
    if options.ssl and options.starttls:
        raise MailError(
            "settings.smtp.ssl (implicit TLS, port 465) and settings.smtp.starttls (port 25/587) "
            "exclude each other; choose the one your relay speaks",
            permanent=True,
        )
    attempts = max(options.retries, 0) + 1
    last: _Transient | None = None
    for attempt in range(1, attempts + 1):
        try:
            _attempt(message, options, record)
            return
        except Exception as exc:  # classified below; bugs are re-raised by _classify
            failure = _classify(exc, options)
            if not isinstance(failure, _Transient):
                if failure is exc:
                    raise
                raise failure from exc
            failure.__cause__ = exc
            last = failure
        if attempt < attempts:
            sleep(options.backoff * 2 ** (attempt - 1))
    assert last is not None
    raise MailError(
        f"could not deliver the digest after {attempts} attempt(s): {last}; {HOST_HINT}, "
        "or try again later (the relay may be down or deferring)",
        permanent=False,
    ) from last.__cause__


def write_files(
    rendered: RenderedDigest, message: EmailMessage, directory: str | Path, stem: str
) -> tuple[Path, Path, Path]:
    """Write ``<stem>.html``, ``<stem>.txt`` and ``<stem>.eml`` into ``directory`` (``--out``).

    Each file is written beside its final name and renamed into place, so a reader never sees
    a half-written digest. Returns the three paths.
    """
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = (folder / f"{stem}.html", folder / f"{stem}.txt", folder / f"{stem}.eml")
        contents = (
            rendered.html.encode("utf-8"),
            rendered.text.encode("utf-8"),
            message.as_bytes(),
        )
        for path, content in zip(paths, contents, strict=True):
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(content)
            partial.replace(path)
    except OSError as exc:
        raise MailError(
            f"could not write the digest into {folder}: {exc}; check the --out folder",
            permanent=True,
        ) from exc
    return paths
