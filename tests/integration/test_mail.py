"""Delivery through a real SMTP server (aiosmtpd) on 127.0.0.1, port 0.

Covers the MIME structure and headers as received, STARTTLS and implicit TLS with a self-signed
certificate made by openssl for the test, AUTH (accepted and refused), a 4xx reply then success,
5xx replies, a server that drops the connection mid-session, a refused connection, and a relay
that never answers. ``sleep`` is replaced, so retries cost no time.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from aggregator.digest import RenderedDigest
from aggregator.errors import MailError
from aggregator.mail import SmtpOptions, build_message, send_message, write_files
from tests.support.smtp import LoopbackController, Relay, running

RENDERED = RenderedDigest(
    subject="caucasus digest 2008-08-09: 1 event — Talks stall",
    html="<!DOCTYPE html><html><body><p>Talks “stall” in Tbilisi</p></body></html>",
    text="Talks “stall” in Tbilisi\n",
)
SENDER = "aggregator <digest@aggregator.example>"
RECIPIENTS = ["analyst@ministry.example", "desk@newsroom.example"]


def message() -> email.message.EmailMessage:
    return build_message(
        RENDERED,
        sender=SENDER,
        recipients=RECIPIENTS,
        date=datetime(2008, 8, 10, 6, tzinfo=UTC),
        list_id="caucasus.aggregator.example",
        unsubscribe="https://aggregator.example/unsubscribe/caucasus",
    )


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"analyst",
        b"correct horse",
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and its key), made by openssl for this run."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def relay() -> Relay:
    return Relay()


def _start(relay: Relay, **kwargs: Any) -> Iterator[LoopbackController]:
    with running(relay, **kwargs) as controller:
        yield controller


@pytest.fixture
def plain(relay: Relay) -> Iterator[LoopbackController]:
    yield from _start(relay)


@pytest.fixture
def starttls(relay: Relay, server_tls: ssl.SSLContext) -> Iterator[LoopbackController]:
    yield from _start(
        relay,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=_authenticator,
        auth_require_tls=True,
    )


@pytest.fixture
def implicit_tls(relay: Relay, server_tls: ssl.SSLContext) -> Iterator[LoopbackController]:
    yield from _start(relay, ssl_context=server_tls)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def options(controller: LoopbackController, **changes: Any) -> SmtpOptions:
    return replace(
        SmtpOptions(host="127.0.0.1", port=controller.port, sender=SENDER, timeout=10.0),
        **changes,
    )


def test_plain_delivery_mime_structure_and_headers(plain: LoopbackController, relay: Relay) -> None:
    sleeps = Sleeps()
    send_message(message(), options(plain), sleep=sleeps)
    assert sleeps == []
    (got,) = relay.received
    assert got.mail_from == "digest@aggregator.example"
    assert got.rcpt_tos == RECIPIENTS
    parsed = email.message_from_bytes(got.data, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["Subject"] == RENDERED.subject
    assert parsed["From"] == SENDER
    assert parsed["To"] == ", ".join(RECIPIENTS)
    assert parsed["Date"] == "Sun, 10 Aug 2008 06:00:00 +0000"
    assert parsed["Message-ID"].endswith("@aggregator.example>")
    assert parsed["List-Id"] == "<caucasus.aggregator.example>"
    assert parsed["List-Unsubscribe"] == "<https://aggregator.example/unsubscribe/caucasus>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = parsed.get_body(("html",))
    assert html is not None
    assert "Talks “stall” in Tbilisi" in html.get_content()


def test_starttls_and_auth(starttls: LoopbackController, relay: Relay, certificate: Any) -> None:
    settings = options(
        starttls, starttls=True, username="analyst", password="correct horse",
        cafile=str(certificate[0]),
    )  # fmt: skip
    send_message(message(), settings, sleep=Sleeps())
    (got,) = relay.received
    assert got.login == b"analyst"


@pytest.mark.fault
def test_failed_auth_is_permanent_and_not_retried(
    starttls: LoopbackController, relay: Relay, certificate: Any
) -> None:
    settings = options(
        starttls, starttls=True, username="analyst", password="wrong", cafile=str(certificate[0])
    )
    sleeps = Sleeps()
    with pytest.raises(MailError, match=r"refused the login for 'analyst' \(535") as caught:
        send_message(message(), settings, sleep=sleeps)
    assert caught.value.permanent
    assert "settings.smtp.password_env" in str(caught.value)
    assert sleeps == []
    assert relay.received == []


@pytest.mark.fault
def test_auth_without_starttls_is_refused_clearly(
    starttls: LoopbackController, relay: Relay
) -> None:
    # the relay offers AUTH only after STARTTLS, and we did not ask for it
    settings = options(starttls, username="analyst", password="correct horse")
    with pytest.raises(MailError, match=r"does not offer AUTH.*settings\.smtp\.starttls") as caught:
        send_message(message(), settings, sleep=Sleeps())
    assert caught.value.permanent


@pytest.mark.fault
def test_starttls_asked_but_not_offered(plain: LoopbackController) -> None:
    with pytest.raises(MailError, match="does not offer STARTTLS") as caught:
        send_message(message(), options(plain, starttls=True), sleep=Sleeps())
    assert caught.value.permanent


def test_implicit_tls(implicit_tls: LoopbackController, relay: Relay, certificate: Any) -> None:
    send_message(
        message(), options(implicit_tls, ssl=True, cafile=str(certificate[0])), sleep=Sleeps()
    )
    assert len(relay.received) == 1


@pytest.mark.fault
def test_untrusted_certificate_is_permanent(implicit_tls: LoopbackController) -> None:
    with pytest.raises(MailError, match="certificate does not verify") as caught:
        send_message(message(), options(implicit_tls, ssl=True), sleep=Sleeps())
    assert caught.value.permanent


@pytest.mark.fault
def test_4xx_then_success_retries_with_backoff(plain: LoopbackController, relay: Relay) -> None:
    relay.rcpt_replies = ["451 4.7.1 greylisted, try again", "451 4.7.1 greylisted, try again"]
    sleeps = Sleeps()
    send_message(message(), options(plain, backoff=2.0), sleep=sleeps)
    # first attempt: both recipients deferred; second attempt delivers
    assert sleeps == [2.0]
    assert len(relay.received) == 1


@pytest.mark.fault
def test_transient_failures_exhaust_retries(plain: LoopbackController, relay: Relay) -> None:
    relay.data_replies = ["452 4.3.1 insufficient storage"] * 4
    sleeps = Sleeps()
    with pytest.raises(
        MailError, match=r"after 4 attempt\(s\).*452 .*settings.smtp.host"
    ) as caught:
        send_message(message(), options(plain, retries=3, backoff=1.0), sleep=sleeps)
    assert not caught.value.permanent
    assert sleeps == [1.0, 2.0, 4.0]
    assert relay.received == []


@pytest.mark.fault
@pytest.mark.parametrize(
    ("rcpt", "data", "pattern"),
    [
        (["550 5.1.1 no such user", "550 5.1.1 no such user"], [],
         r"refused the recipients .*550.*check the subscription's recipients"),
        ([], ["554 5.7.1 message rejected as spam"],
         r"refused the message permanently \(reply: 554 5.7.1 message rejected as spam\)"),
    ],
)  # fmt: skip
def test_5xx_is_permanent_at_once(
    plain: LoopbackController, relay: Relay, rcpt: list[str], data: list[str], pattern: str
) -> None:
    relay.rcpt_replies, relay.data_replies = list(rcpt), list(data)
    sleeps = Sleeps()
    with pytest.raises(MailError, match=pattern) as caught:
        send_message(message(), options(plain), sleep=sleeps)
    assert caught.value.permanent
    assert sleeps == []
    assert relay.received == []


@pytest.mark.fault
def test_one_recipient_refused_still_delivers(
    plain: LoopbackController, relay: Relay, caplog: pytest.LogCaptureFixture
) -> None:
    relay.rcpt_replies = ["550 5.1.1 no such user"]
    send_message(message(), options(plain), sleep=Sleeps())
    (got,) = relay.received
    assert got.rcpt_tos == ["desk@newsroom.example"]
    assert "refused analyst@ministry.example (550)" in caplog.text


@pytest.mark.fault
def test_disconnect_before_the_body_is_retried(plain: LoopbackController, relay: Relay) -> None:
    relay.drops_at_rcpt = 1
    sleeps = Sleeps()
    send_message(message(), options(plain), sleep=sleeps)
    assert sleeps == [1.0]
    assert len(relay.received) == 1


@pytest.mark.fault
def test_repeated_disconnects_before_the_body_leave_it_pending(
    plain: LoopbackController, relay: Relay
) -> None:
    relay.drops_at_rcpt = 10
    with pytest.raises(MailError, match="after 3 attempt") as caught:
        send_message(message(), options(plain, retries=2), sleep=Sleeps())
    assert not caught.value.permanent
    assert not caught.value.uncertain
    assert relay.received == []


@pytest.mark.fault
def test_disconnect_after_the_body_is_uncertain_and_not_retried(
    plain: LoopbackController, relay: Relay
) -> None:
    """The relay had the whole message when the line dropped: it may have queued it."""
    relay.drops_at_data = 1
    sleeps = Sleeps()
    with pytest.raises(MailError, match="may have delivered") as caught:
        send_message(message(), options(plain), sleep=sleeps)
    assert caught.value.uncertain
    assert sleeps == [], "never retried: a retry could deliver it twice"


class Recorder:
    """A HandOver that notes when it is told, and what the relay had by then."""

    def __init__(self, relay: Relay, *, refuse_to_begin: bool = False) -> None:
        self.relay = relay
        self.refuse_to_begin = refuse_to_begin
        self.events: list[tuple[str, int]] = []

    def begin(self) -> None:
        self.events.append(("begin", len(self.relay.received)))
        if self.refuse_to_begin:
            raise RuntimeError("the ledger says no")

    def refused(self) -> None:
        self.events.append(("refused", len(self.relay.received)))


def test_the_hand_over_is_announced_right_before_the_final_dot(
    plain: LoopbackController, relay: Relay
) -> None:
    recorder = Recorder(relay)
    send_message(message(), options(plain), sleep=Sleeps(), handover=recorder)
    # told once, after MAIL, RCPT, DATA and the body, while the relay had no message yet
    assert recorder.events == [("begin", 0)]
    assert len(relay.received) == 1


@pytest.mark.fault
def test_a_refused_final_dot_is_reported_and_retried(
    plain: LoopbackController, relay: Relay
) -> None:
    relay.data_replies = ["452 4.3.1 insufficient storage"]
    recorder = Recorder(relay)
    sleeps = Sleeps()
    send_message(message(), options(plain), sleep=sleeps, handover=recorder)
    assert recorder.events == [("begin", 0), ("refused", 0), ("begin", 0)]
    assert sleeps == [1.0]
    assert len(relay.received) == 1


@pytest.mark.fault
def test_a_hand_over_refused_by_the_caller_sends_nothing(
    plain: LoopbackController, relay: Relay
) -> None:
    """The caller lost its claim: the body already left, the final dot must not; the relay
    discards the unfinished message."""
    recorder = Recorder(relay, refuse_to_begin=True)
    with pytest.raises(RuntimeError, match="the ledger says no"):
        send_message(message(), options(plain), sleep=Sleeps(), handover=recorder)
    assert recorder.events == [("begin", 0)]
    assert relay.received == []


def test_lines_starting_with_a_dot_arrive_intact(plain: LoopbackController, relay: Relay) -> None:
    text = "Statement one.\n.\n..two dots\n.leading dot\nlast line"
    plain_message = email.message.EmailMessage(policy=email.policy.SMTP)
    plain_message["From"] = SENDER
    plain_message["To"] = RECIPIENTS[0]
    plain_message["Subject"] = "dots"
    plain_message.set_content(text, cte="7bit")
    send_message(plain_message, options(plain), sleep=Sleeps())
    (got,) = relay.received
    parsed = email.message_from_bytes(got.data, policy=email.policy.default)
    assert parsed.get_content().replace("\r\n", "\n").rstrip("\n") == text


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.fault
def test_connection_refused_is_transient_with_a_hint() -> None:
    settings = SmtpOptions(host="127.0.0.1", port=_unused_port(), retries=1, sender=SENDER)
    sleeps = Sleeps()
    with pytest.raises(MailError, match=r"ConnectionRefusedError.*settings\.smtp\.host") as caught:
        send_message(message(), settings, sleep=sleeps)
    assert not caught.value.permanent
    assert sleeps == [1.0]


@pytest.mark.fault
def test_silent_relay_times_out() -> None:
    # accepts the TCP connection (backlog) but never says hello
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        settings = SmtpOptions(host="127.0.0.1", port=port, timeout=0.3, retries=0, sender=SENDER)
        with pytest.raises(MailError, match=r"TimeoutError|timed out") as caught:
            send_message(message(), settings, sleep=Sleeps())
    assert not caught.value.permanent


@pytest.mark.fault
def test_ssl_and_starttls_together_are_refused_before_connecting() -> None:
    settings = SmtpOptions(host="127.0.0.1", port=_unused_port(), ssl=True, starttls=True)
    sleeps = Sleeps()
    with pytest.raises(MailError, match="exclude each other") as caught:
        send_message(message(), settings, sleep=sleeps)
    assert caught.value.permanent
    assert sleeps == []


def test_write_files(tmp_path: Path) -> None:
    html, text, eml = write_files(RENDERED, message(), tmp_path / "out", "digest-2008-08-09")
    assert html.read_text(encoding="utf-8") == RENDERED.html
    assert text.read_text(encoding="utf-8") == RENDERED.text
    parsed = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == RENDERED.subject
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "digest-2008-08-09.eml",
        "digest-2008-08-09.html",
        "digest-2008-08-09.txt",
    ]


@pytest.mark.fault
def test_write_files_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(MailError, match=r"could not write the digest into .*not-a-folder"):
        write_files(RENDERED, message(), blocker, "digest")
