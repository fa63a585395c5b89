"""The digest through the ledger to a real SMTP relay: at most once, resumable, clear failures."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator import clock
from aggregator.cli import main
from aggregator.config import Settings, parse_settings
from aggregator.digest import day_period
from aggregator.errors import MailError
from aggregator.pipeline.deliver import DeliveryReport, deliver
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from tests.support.demo import demo_settings, ingest_demo
from tests.support.smtp import LoopbackController, Relay, running

DAY = day_period(date(2026, 11, 24), "UTC")


@pytest.fixture
def relay() -> Relay:
    return Relay()


@pytest.fixture
def smtp(relay: Relay) -> Iterator[LoopbackController]:
    with running(relay) as controller:
        yield controller


def settings_for(smtp: LoopbackController) -> Settings:
    """The demo's sources and subscription, mailed through the loopback relay."""
    demo = demo_settings()
    relay_settings = parse_settings(
        "settings:\n"
        f"  smtp: {{host: 127.0.0.1, port: {smtp.port}, timeout: 5s,"
        ' from: "aggregator <digest@aggregator.example>"}\n'
    )
    return demo.model_copy(update={"settings": relay_settings.settings})


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as store:
        settings = demo_settings()
        ingest_demo(store, settings)
        process_pending(store, settings)
        yield store


def _deliver(
    store: Store, settings: Settings, *, now: datetime | None = None, force: bool = False
) -> DeliveryReport:
    return deliver(
        store,
        settings,
        settings.subscriptions[0],
        period=DAY,
        owner="test",
        now=now or clock.now(),
        force=force,
    )


def _ids(relay: Relay) -> list[str]:
    parsed = [email.message_from_bytes(r.data, policy=email.policy.default) for r in relay.received]
    return [str(m["Message-ID"]) for m in parsed]


@pytest.mark.fault
def test_sent_at_most_once_and_resend_forces(
    store: Store, smtp: LoopbackController, relay: Relay
) -> None:
    settings = settings_for(smtp)
    first = _deliver(store, settings)
    assert first.status == "sent"
    assert first.events > 0
    second = _deliver(store, settings)
    assert second.status == "already-sent"
    assert len(relay.received) == 1
    assert store.stats()["digests_sent"] == 1
    forced = _deliver(store, settings, force=True)
    assert forced.status == "sent"
    assert _ids(relay) == [first.message_id, first.message_id], "the same Message-ID both times"


@pytest.mark.fault
def test_a_crash_after_rendering_resumes_with_the_same_bytes(
    store: Store, smtp: LoopbackController, relay: Relay
) -> None:
    settings = settings_for(smtp)
    now = clock.now()
    claim = store.claim_digest(
        "demo", DAY.label, DAY.start, DAY.end, owner="dead", lease=timedelta(minutes=1), now=now
    )
    assert claim is not None
    eml = "Message-ID: <rendered-before-crash@aggregator.example>\nFrom: a <a@aggregator.example>"
    eml += "\nTo: analyst@example.org\nSubject: rendered before the crash\n\nbody\n"
    store.save_rendered(claim.id, owner="dead", message_id="<rendered-before-crash@x>", eml=eml)
    # the dead process's claim is still live: nobody else sends
    assert _deliver(store, settings, now=now).status == "in-flight"
    later = now + timedelta(minutes=2)
    assert _deliver(store, settings, now=later).status == "sent"
    (received,) = relay.received
    assert b"rendered before the crash" in received.data


@pytest.mark.fault
def test_a_crash_after_handing_over_is_never_resent_automatically(
    store: Store, smtp: LoopbackController, relay: Relay
) -> None:
    settings = settings_for(smtp)
    now = clock.now()
    claim = store.claim_digest(
        "demo", DAY.label, DAY.start, DAY.end, owner="dead", lease=timedelta(minutes=1), now=now
    )
    assert claim is not None
    store.save_rendered(claim.id, owner="dead", message_id="<m@x>", eml="Subject: x\n\nx\n")
    assert store.mark_sending(claim.id, owner="dead", now=now)
    later = now + timedelta(minutes=2)
    assert _deliver(store, settings, now=later).status == "uncertain"
    assert relay.received == []
    assert _deliver(store, settings, now=later, force=True).status == "sent"
    assert len(relay.received) == 1


@pytest.mark.fault
def test_a_permanent_refusal_leaves_the_digest_to_retry(
    store: Store, smtp: LoopbackController, relay: Relay
) -> None:
    settings = settings_for(smtp)
    relay.rcpt_replies = ["550 5.1.1 no such mailbox"]
    with pytest.raises(MailError) as failure:
        _deliver(store, settings)
    assert failure.value.permanent
    assert "550" in str(failure.value)
    (row,) = store.digest_status("demo")
    assert row.status == "failed"
    assert _deliver(store, settings).status == "sent"


@pytest.mark.fault
def test_a_dead_relay_is_a_clear_error(store: Store) -> None:
    demo = demo_settings()
    dead = parse_settings("settings:\n  smtp: {host: 127.0.0.1, port: 9, timeout: 2s}\n")
    settings = demo.model_copy(update={"settings": dead.settings})
    with pytest.raises(MailError) as failure:
        deliver(store, settings, settings.subscriptions[0], period=DAY, owner="t", now=clock.now())
    assert "127.0.0.1" in str(failure.value)
    (row,) = store.digest_status("demo")
    assert row.status != "sent"


def test_digest_command_writes_the_three_files(db_url: str, tmp_path: Path) -> None:
    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
    config = tmp_path / "feeds.yaml"
    config.write_text("subscriptions:\n  - name: daily\n    recipients: [a@example.org]\n")
    result = CliRunner().invoke(
        main,
        [
            "--config",
            str(config),
            "--db",
            db_url,
            "digest",
            "--date",
            "2026-11-24",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    for suffix in ("html", "txt", "eml"):
        path = tmp_path / "out" / f"digest-2026-11-24.{suffix}"
        assert path.stat().st_size > 1000, path
    text = (tmp_path / "out" / "digest-2026-11-24.txt").read_text()
    assert "Dolvany" in text


def test_settings_web_base_url_links_the_mailed_digest_to_the_archive(
    store: Store, smtp: LoopbackController, relay: Relay
) -> None:
    base = parse_settings(
        f"settings:\n  smtp: {{host: 127.0.0.1, port: {smtp.port}, timeout: 5s}}\n"
        "  web: {base_url: 'https://digest.example.org/'}\n"
    )
    settings = demo_settings().model_copy(update={"settings": base.settings})
    report = _deliver(store, settings)
    assert report.status == "sent"
    message = email.message_from_bytes(relay.received[-1].data, policy=email.policy.default)
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    assert 'href="https://digest.example.org/events/ev-' in html
    assert "https://digest.example.org/events/ev-" in text
    assert 'href="https://digest.example.org/digests/demo/2026-11-24"' in html


@pytest.mark.fault
def test_a_crash_between_send_and_ledger_write_is_not_resent(
    store: Store, smtp: LoopbackController, relay: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relay accepted the message, then the process died before recording it: the row is
    'sending'; once its claim expires it is 'uncertain' and only --resend sends again."""
    settings = settings_for(smtp)

    class Crash(BaseException):
        pass

    def crash(*args: object, **kwargs: object) -> None:
        raise Crash

    monkeypatch.setattr(Store, "mark_sent", crash)
    now = clock.now()
    with pytest.raises(Crash):
        _deliver(store, settings, now=now)
    monkeypatch.undo()
    assert len(relay.received) == 1
    (row,) = store.digest_status("demo")
    assert row.status == "sending"
    later = now + timedelta(hours=1)
    assert _deliver(store, settings, now=later).status == "uncertain"
    assert len(relay.received) == 1, "never resent automatically"
    assert _deliver(store, settings, now=later, force=True).status == "sent"
    assert len(relay.received) == 2


@pytest.mark.fault
def test_a_drop_after_the_body_is_uncertain_and_never_resent(
    store: Store, smtp: LoopbackController, relay: Relay
) -> None:
    settings = settings_for(smtp)
    relay.drops_at_data = 1  # the relay has the whole message, then the line drops
    now = clock.now()
    with pytest.raises(MailError) as failure:
        _deliver(store, settings, now=now)
    assert failure.value.uncertain
    assert _deliver(store, settings, now=now + timedelta(hours=1)).status == "uncertain"
    assert relay.received == []
