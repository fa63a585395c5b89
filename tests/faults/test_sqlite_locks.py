"""The SQLite locks are keyed on the database file, not on the path that names it (issue #12,
fault 8): a second daemon, or a second grouping run, reaching the same file through a symlink,
another spelling of its path or a hard link is refused."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aggregator.store import open_store
from tests.integration.test_daemon_support import DaemonProcess, items, rss, wait_for, write_config
from tests.support.server import FeedServer


def symlink(real: Path, tmp: Path) -> Path:
    link = tmp / "elsewhere" / "link.db"
    link.parent.mkdir()
    link.symlink_to(real)
    return link


def symlinked_folder(real: Path, tmp: Path) -> Path:
    (tmp / "alias").symlink_to(real.parent, target_is_directory=True)
    return tmp / "alias" / real.name


def spelling(real: Path, tmp: Path) -> Path:
    return Path(f"{real.parent}/../{real.parent.name}//./{real.name}")


def hard_link(real: Path, tmp: Path) -> Path:
    link = tmp / "elsewhere" / "hard.db"
    link.parent.mkdir()
    os.link(real, link)
    return link


OTHER_PATHS: dict[str, Callable[[Path, Path], Path]] = {
    "symlink": symlink,
    "symlinked folder": symlinked_folder,
    "another spelling": spelling,
    "hard link": hard_link,
}


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.close()


@pytest.mark.parametrize("kind", list(OTHER_PATHS))
def test_a_second_daemon_on_the_same_file_by_another_path_refuses_to_start(
    kind: str, feed_server: FeedServer, tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    url = feed_server.add("/a.xml", rss("a", items("a", 1)), content_type="application/rss+xml")
    config = write_config(tmp_path / "feeds.yaml", [("a", url)])
    real = tmp_path / "data" / "agg.db"
    real.parent.mkdir()
    first = DaemonProcess(config, f"sqlite:///{real}", tmp_path / "first.log")
    daemons.append(first)
    wait_for(lambda: first.logged("daemon started"), timeout=30, what="the first daemon")

    other = OTHER_PATHS[kind](real, tmp_path)
    assert other.resolve() == real.resolve() or os.path.samefile(other, real)
    second = DaemonProcess(config, f"sqlite:///{other}", tmp_path / "second.log")
    daemons.append(second)
    assert second.wait(timeout=30) == 1, "the second daemon must refuse to start"
    said = second.log_text()
    if kind == "hard link":
        assert "hard links" in said, said
    else:
        assert "another daemon is already running" in said, said
        assert f"pid {first.pid}" in said, said
    assert "Traceback" not in said
    assert first.process.poll() is None
    assert first.terminate() == 0


def test_a_daemon_through_a_dangling_symlink_creates_the_file_and_keys_its_lock_on_it(
    feed_server: FeedServer, tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    """The database does not exist yet: the first daemon, started through a symlink to where it
    will be, creates it; a second one on the real path is refused."""
    url = feed_server.add("/a.xml", rss("a", items("a", 1)), content_type="application/rss+xml")
    config = write_config(tmp_path / "feeds.yaml", [("a", url)])
    real = tmp_path / "data" / "agg.db"
    real.parent.mkdir()
    link = symlink(real, tmp_path)
    first = DaemonProcess(config, f"sqlite:///{link}", tmp_path / "first.log")
    daemons.append(first)
    wait_for(lambda: first.logged("daemon started"), timeout=30, what="the first daemon")
    assert real.is_file()
    second = DaemonProcess(config, f"sqlite:///{real}", tmp_path / "second.log")
    daemons.append(second)
    assert second.wait(timeout=30) == 1
    assert "another daemon is already running" in second.log_text()
    assert first.terminate() == 0


@pytest.mark.parametrize("kind", ["symlink", "symlinked folder", "another spelling"])
def test_the_grouping_lock_is_one_lock_whatever_path_opened_the_file(
    kind: str, tmp_path: Path
) -> None:
    real = tmp_path / "data" / "agg.db"
    real.parent.mkdir()
    with open_store(f"sqlite:///{real}") as first:
        other = OTHER_PATHS[kind](real, tmp_path)
        with (
            open_store(f"sqlite:///{other}") as second,
            first.exclusive("grouping") as held,
            second.exclusive("grouping") as also,
        ):
            assert (held, also) == (True, False)
