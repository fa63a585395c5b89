"""A digest counts as handed to the relay only from the final "." of DATA on (issue #12, fault 4).

``aggregator digest --send`` runs as a process and is killed (SIGKILL, SIGTERM) where a real
relay or a tarpit holds it: while connecting (the tarpit's accept queue is full), while waiting
for the greeting (the tarpit accepts and says nothing), while backing off between attempts (the
relay answers 451 to every RCPT), and after the final "." (the relay has the message and does
not answer). Before the final dot nothing was handed over: the digest stays retryable and the
next ``digest --send`` sends it exactly once. After it the digest is ``uncertain``, never sent
again automatically. Each outcome has its exit status.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from aggregator import clock
from aggregator.digest import day_period
from aggregator.pipeline.process import process_pending
from aggregator.store import DigestStatus, open_store
from tests.integration.test_daemon_support import ROOT, wait_for
from tests.support.demo import demo_settings, ingest_demo
from tests.support.smtp import Relay, running
from tests.support.tarpit import Tarpit, syn_sent_to

DAY = day_period(date(2026, 11, 24), "UTC")
# exit statuses of `aggregator digest --send` (docs/digest.md)
SENT, FAILED, ALREADY_SENT, IN_FLIGHT, UNCERTAIN = 0, 1, 3, 4, 5


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo day, processed; each test copies it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(f"sqlite:///{path}") as store:
        settings = demo_settings()
        ingest_demo(store, settings)
        process_pending(store, settings)
    return path


@pytest.fixture
def sqlite_url(demo_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "digest.db"
    shutil.copyfile(demo_db, copy)
    return f"sqlite:///{copy}"


def write_config(path: Path, port: int) -> Path:
    path.write_text(
        "settings:\n"
        f"  smtp: {{host: 127.0.0.1, port: {port}, timeout: 30s,"
        ' from: "aggregator <digest@aggregator.example>"}\n'
        "subscriptions:\n"
        "  - name: demo\n"
        "    recipients: [analyst@example.org]\n"
        "    timezone: UTC\n",
        encoding="utf-8",
    )
    return path


def digest_send(config: Path, url: str, day: str = DAY.label) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "aggregator.cli", "--config", str(config), "--db", url]
    command += ["digest", "--date", day, "--send"]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def run_digest_send(config: Path, url: str, day: str = DAY.label) -> tuple[int, str]:
    process = digest_send(config, url, day)
    output, _ = process.communicate(timeout=120)
    return process.returncode, output


def status(url: str, day: str = DAY.label) -> DigestStatus | None:
    with open_store(url) as store:
        return store.digest_state("demo", day)


@pytest.fixture
def relay() -> Iterator[tuple[Relay, int]]:
    handler = Relay()
    with running(handler) as controller:
        yield handler, controller.port


def _killed_while_connecting(tmp: Path, url: str, sig: int) -> None:
    with Tarpit("connect") as pit:
        config = write_config(tmp / "tarpit.yaml", pit.port)
        sender = digest_send(config, url)
        try:
            wait_for(lambda: syn_sent_to(pit.port), timeout=60, what="the connect to the tarpit")
        finally:
            sender.send_signal(sig)
            sender.wait(timeout=30)


def _killed_before_the_greeting(tmp: Path, url: str, sig: int) -> None:
    with Tarpit("greeting") as pit:
        config = write_config(tmp / "tarpit.yaml", pit.port)
        sender = digest_send(config, url)
        try:
            wait_for(lambda: pit.accepted >= 1, timeout=60, what="the connection to the tarpit")
        finally:
            sender.send_signal(sig)
            sender.wait(timeout=30)


def _killed_while_backing_off(tmp: Path, url: str, sig: int) -> None:
    deferring = Relay(rcpt_replies=["451 4.3.0 try again later"] * 10)
    with running(deferring) as controller:
        config = write_config(tmp / "deferring.yaml", controller.port)
        sender = digest_send(config, url)
        try:
            # the second attempt was deferred: the sender now waits 2 s before the third
            wait_for(lambda: deferring.rcpts >= 2, timeout=60, what="two deferred attempts")
        finally:
            sender.send_signal(sig)
            sender.wait(timeout=30)
    assert deferring.received == []


STAGES: dict[str, Callable[[Path, str, int], None]] = {
    "connect": _killed_while_connecting,
    "greeting": _killed_before_the_greeting,
    "back-off": _killed_while_backing_off,
}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_sender_killed_before_the_final_dot_leaves_the_digest_to_send_once(
    stage: str, sig: int, sqlite_url: str, tmp_path: Path, relay: tuple[Relay, int]
) -> None:
    STAGES[stage](tmp_path, sqlite_url, sig)
    assert status(sqlite_url) in ("pending", "failed"), "nothing was handed to a relay"

    inbox, port = relay
    config = write_config(tmp_path / "relay.yaml", port)
    code, output = run_digest_send(config, sqlite_url)
    assert code == SENT, output
    assert len(inbox.received) == 1
    assert status(sqlite_url) == "sent"
    code, output = run_digest_send(config, sqlite_url)
    assert code == ALREADY_SENT, output
    assert len(inbox.received) == 1, "sent exactly once"


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_postgresql_a_sender_killed_while_connecting_leaves_the_digest_to_send_once(
    db_url: str, tmp_path: Path, relay: tuple[Relay, int]
) -> None:
    with open_store(db_url) as store:
        settings = demo_settings()
        ingest_demo(store, settings)
        process_pending(store, settings)
    _killed_while_connecting(tmp_path, db_url, signal.SIGKILL)
    assert status(db_url) in ("pending", "failed")
    inbox, port = relay
    code, output = run_digest_send(write_config(tmp_path / "relay.yaml", port), db_url)
    assert code == SENT, output
    assert len(inbox.received) == 1


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_sender_killed_after_the_final_dot_leaves_the_digest_uncertain(
    sig: int, sqlite_url: str, tmp_path: Path, relay: tuple[Relay, int]
) -> None:
    stalling = Relay(data_delay=60)
    with running(stalling) as controller:
        sender = digest_send(write_config(tmp_path / "stall.yaml", controller.port), sqlite_url)
        try:
            wait_for(lambda: stalling.received, timeout=60, what="the message at the relay")
        finally:
            sender.send_signal(sig)
            sender.wait(timeout=30)
    assert status(sqlite_url) == "sending"

    inbox, port = relay
    code, output = run_digest_send(write_config(tmp_path / "relay.yaml", port), sqlite_url)
    assert code == UNCERTAIN, output
    assert "may or may not have been delivered" in output
    assert inbox.received == [], "an uncertain digest is never sent again automatically"
    assert status(sqlite_url) == "uncertain"


def test_each_outcome_of_digest_send_has_its_exit_status(
    db_url: str, tmp_path: Path, relay: tuple[Relay, int]
) -> None:
    with open_store(db_url) as store:
        settings = demo_settings()
        ingest_demo(store, settings)
        process_pending(store, settings)
    inbox, port = relay
    config = write_config(tmp_path / "relay.yaml", port)

    inbox.rcpt_replies = ["550 5.1.1 no such mailbox"]
    code, output = run_digest_send(config, db_url)
    assert (code, status(db_url)) == (FAILED, "failed"), output
    assert "550" in output
    code, output = run_digest_send(config, db_url)
    assert (code, len(inbox.received)) == (SENT, 1), output
    code, output = run_digest_send(config, db_url)
    assert (code, len(inbox.received)) == (ALREADY_SENT, 1), output
    assert "already sent" in output

    # another day, which another live process (on another machine) is sending
    other = day_period(date(2026, 11, 23), "UTC")
    owner, now = "elsewhere:4242:cafe", clock.now()
    with open_store(db_url) as store:
        claim = store.claim_digest(
            "demo", other.label, other.start, other.end, owner=owner,
            lease=timedelta(minutes=15), now=now,
        )  # fmt: skip
        assert claim is not None
        code, output = run_digest_send(config, db_url, other.label)
        assert code == IN_FLIGHT, output
        assert "in flight" in output
        assert store.mark_sending(claim.id, owner=owner, now=now)
        code, output = run_digest_send(config, db_url, other.label)
        assert code == IN_FLIGHT, output  # 'sending' under its live claim: not ours to judge
        store.recover_digests(now=now + timedelta(hours=1))  # the claim ran out: uncertain
    code, output = run_digest_send(config, db_url, other.label)
    assert code == UNCERTAIN, output
    assert "may or may not have been delivered" in output
    assert len(inbox.received) == 1
