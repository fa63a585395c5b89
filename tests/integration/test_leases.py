"""When a holder is provably gone, on real processes; the renewal thread."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from aggregator.errors import StoreError
from aggregator.pipeline.leases import Renewal, holder_gone, process_owner
from tests.integration.test_daemon_support import wait_for


def owner_of(pid: int, host: str | None = None) -> str:
    return f"{host or socket.gethostname()}:{pid}:feedf00d"


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def test_a_running_process_is_not_gone(child: subprocess.Popen[bytes]) -> None:
    assert not holder_gone(owner_of(child.pid))


def test_a_reaped_process_is_gone(child: subprocess.Popen[bytes]) -> None:
    child.kill()
    child.wait(timeout=10)
    assert holder_gone(owner_of(child.pid))


def test_a_killed_process_not_yet_reaped_is_gone(child: subprocess.Popen[bytes]) -> None:
    os.kill(child.pid, signal.SIGKILL)

    def zombie() -> bool:
        with open(f"/proc/{child.pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"

    wait_for(zombie, timeout=10, what="the child to be a zombie")
    assert holder_gone(owner_of(child.pid))


UNPROVEN = {
    "this very process": process_owner,
    "init, which exists": lambda: owner_of(1),
    "another machine": lambda: "elsewhere.example:999999:feedf00d",
    "not an owner id of ours": lambda: "probe",
}


@pytest.mark.parametrize("case", list(UNPROVEN))
def test_what_cannot_be_proven_gone_is_not(case: str) -> None:
    assert not holder_gone(UNPROVEN[case]())


def test_renewal_renews_until_the_block_ends_and_survives_a_failed_turn(
    caplog: pytest.LogCaptureFixture,
) -> None:
    turns: list[int] = []
    third = threading.Event()

    def renew() -> None:
        turns.append(len(turns))
        if len(turns) == 2:
            raise StoreError("the database is away for a moment")
        if len(turns) >= 3:
            third.set()

    with Renewal(renew, 0.05, what="the leases of test"):
        assert third.wait(10)
    done = len(turns)
    assert done >= 3
    assert "could not renew the leases of test: the database is away" in caplog.text
    threading.Event().wait(0.2)
    assert len(turns) == done, "no renewal after the block"
