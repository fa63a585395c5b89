"""A daemon told to reload a hostile configuration keeps running on its previous one, logs one
clear error, and still obeys SIGTERM promptly, also while a reload is under way.

Issue #12, fault 5: on SIGHUP a NUL byte in feeds.yaml killed the daemon (a yaml ReaderError out
of the main loop) and a nine-line alias bomb wedged it so that it ignored SIGTERM.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.test_hostile_config import HOSTILE, MAX_FILE_BYTES
from tests.integration.test_daemon_support import (
    DaemonProcess,
    items,
    rss,
    wait_for,
    write_config,
)


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.close()


def local_feed_config(tmp_path: Path) -> Path:
    """A feeds.yaml with one file:// feed polled every 2 s."""
    feed = tmp_path / "north.xml"
    feed.write_bytes(rss("north", items("north", 2)))
    return write_config(tmp_path / "feeds.yaml", [("north", feed.as_uri())])


REFUSED = "reload refused, keeping the previous configuration"
# the bomb first: the unfixed daemon wedged on it (and died on the NUL byte)
DAEMON_CASES = ["alias-bomb", "nul", "esc", "deep", "alias-cycle", "too-big", "not-utf8", "bad-tag"]


def test_a_daemon_reloading_hostile_files_keeps_running_and_stops_on_sigterm(
    tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    config = local_feed_config(tmp_path)
    good = config.read_bytes()
    db = f"sqlite:///{tmp_path / 'daemon.db'}"
    daemon = DaemonProcess(config, db, tmp_path / "daemon.log", entry="cli")  # `aggregator run`
    daemons.append(daemon)
    wait_for(lambda: daemon.logged("poll"), timeout=60, what="the first poll")

    for count, name in enumerate(DAEMON_CASES, start=1):
        content, line, words = HOSTILE[name]
        config.write_bytes(content)
        daemon.signal(signal.SIGHUP)
        wait_for(
            lambda n=count: len(daemon.logged(REFUSED)) >= n or daemon.process.poll() is not None,
            timeout=60,
            what=f"the refusal of {name}",
        )
        assert daemon.process.poll() is None, (name, daemon.log_text()[-3000:])
        error = str(daemon.logged(REFUSED)[count - 1]["error"])
        assert error.startswith(f"{config}:{line}: " if line else f"{config}: "), (name, error)
        assert words in error, (name, error)
    assert "Traceback" not in daemon.log_text()

    # the previous configuration stayed in force: the source is still polled ...
    polls = len(daemon.logged("poll"))
    wait_for(lambda: len(daemon.logged("poll")) > polls, timeout=60, what="polls going on")
    # ... and a good file is still reloaded after all that
    config.write_bytes(good)
    daemon.signal(signal.SIGHUP)
    wait_for(lambda: len(daemon.logged("sources synced")) == 2, timeout=60, what="a good reload")

    stopped_at = time.monotonic()
    assert daemon.terminate(timeout=30) == 0, daemon.log_text()[-3000:]
    assert time.monotonic() - stopped_at < 30


def big_valid_config(path: Path, feed_url: str) -> None:
    """A valid configuration of 8,000 sources (600 kB, 72,000 values, within both limits): it
    takes seconds of CPU to read."""
    head = ["settings:", "  allow_private_networks: true", "sources:"]
    north = f"  - {{name: north, url: '{feed_url}', kind: outlet, publisher: North, interval: 2s}}"
    others = [
        f"  - {{name: s{n}, url: 'https://example.org/{n}', kind: wire, publisher: P}}"
        for n in range(8000)
    ]
    path.write_text("\n".join([*head, north, *others]) + "\n", encoding="utf-8")
    assert path.stat().st_size < MAX_FILE_BYTES


def test_a_reload_past_its_time_limit_keeps_the_configuration(
    tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    config = local_feed_config(tmp_path)
    feed_url = (tmp_path / "north.xml").as_uri()
    db = f"sqlite:///{tmp_path / 'daemon.db'}"
    daemon = DaemonProcess(config, db, tmp_path / "daemon.log", extra=["--reload-timeout", "0.2"])
    daemons.append(daemon)
    wait_for(lambda: daemon.logged("poll"), timeout=60, what="the first poll")

    big_valid_config(config, feed_url)
    daemon.signal(signal.SIGHUP)
    refused = wait_for(lambda: daemon.logged(REFUSED), timeout=60, what="the time limit")
    assert "took longer than 0.2 s (reload_timeout)" in str(refused[0]["error"])
    assert daemon.process.poll() is None
    polls = len(daemon.logged("poll"))
    wait_for(lambda: len(daemon.logged("poll")) > polls, timeout=60, what="polls going on")
    assert not daemon.logged("sources synced")[1:]  # only the start-up sync: nothing reloaded
    assert daemon.terminate(timeout=30) == 0, daemon.log_text()[-3000:]


def test_sigterm_during_a_reload_is_obeyed_without_waiting_for_the_reader(
    tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    config = local_feed_config(tmp_path)
    feed_url = (tmp_path / "north.xml").as_uri()
    db = f"sqlite:///{tmp_path / 'daemon.db'}"
    daemon = DaemonProcess(config, db, tmp_path / "daemon.log")
    daemons.append(daemon)
    wait_for(lambda: daemon.logged("poll"), timeout=60, what="the first poll")

    big_valid_config(config, feed_url)  # seconds of CPU to read
    daemon.signal(signal.SIGHUP)
    wait_for(lambda: daemon.logged("reloading the configuration"), timeout=60, what="the reload")
    stopped_at = time.monotonic()
    assert daemon.terminate(timeout=30) == 0, daemon.log_text()[-3000:]
    assert time.monotonic() - stopped_at < 30
    assert daemon.logged("stop requested while reloading: the reload is abandoned")
    assert len(daemon.logged("sources synced")) == 1  # the start-up sync only
