"""Store.exclusive on real SQLite and PostgreSQL: one holder of a name, across stores, threads and
processes; never waits."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aggregator.errors import StoreError
from aggregator.store import Store, lock_file, open_store
from aggregator.store.locks import lock_key

ROOT = Path(__file__).resolve().parents[2]

# a second process that holds the lock until told to stop (or killed)
HOLDER = """
import sys
from aggregator.store import open_store
with open_store(sys.argv[1]) as store, store.exclusive("grouping") as held:
    print("held" if held else "refused", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def stores(db_url: str) -> Iterator[tuple[Store, Store]]:
    """Two stores on one database, as two processes would have."""
    with open_store(db_url) as first, open_store(db_url) as second:
        yield first, second


@pytest.mark.fault
def test_a_second_store_is_refused_while_the_first_holds_the_lock(
    stores: tuple[Store, Store],
) -> None:
    first, second = stores
    with first.exclusive("grouping") as held:
        assert held is True
        with second.exclusive("grouping") as other:
            assert other is False
        # another name is another lock
        with second.exclusive("digest") as digest:
            assert digest is True
        # not re-entrant: the same store asking again is refused too
        with first.exclusive("grouping") as again:
            assert again is False
        # the refusals did not release the holder's lock
        with second.exclusive("grouping") as still:
            assert still is False
    with second.exclusive("grouping") as after:
        assert after is True
    with first.exclusive("grouping") as back:
        assert back is True


@pytest.mark.fault
def test_the_lock_is_released_when_the_block_raises(stores: tuple[Store, Store]) -> None:
    first, second = stores
    with pytest.raises(RuntimeError, match="grouping failed"), first.exclusive("grouping"):
        raise RuntimeError("grouping failed")
    with second.exclusive("grouping") as held:
        assert held is True


@pytest.mark.fault
def test_another_thread_is_refused_until_release(db_url: str) -> None:
    taken = threading.Event()
    release = threading.Event()
    results: list[bool] = []

    def hold() -> None:
        with open_store(db_url) as store, store.exclusive("grouping") as held:
            results.append(held)
            taken.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(timeout=30)
        with open_store(db_url) as store:
            with store.exclusive("grouping") as during:
                assert during is False
            release.set()
            holder.join(timeout=30)
            assert not holder.is_alive()
            with store.exclusive("grouping") as after:
                assert after is True
    finally:
        release.set()
        holder.join(timeout=30)
    assert results == [True]


def _start_holder(db_url: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    if line != "held":
        child.kill()
        _, err = child.communicate(timeout=30)
        pytest.fail(f"the holder process said {line!r}: {err}")
    return child


@pytest.mark.fault
@pytest.mark.parametrize("ending", ["released", "killed"])
def test_another_process_holds_the_lock_until_it_releases_or_dies(db_url: str, ending: str) -> None:
    with open_store(db_url) as store:  # migrated before the child opens it
        child = _start_holder(db_url)
        try:
            with store.exclusive("grouping") as during:
                assert during is False
            if ending == "released":
                child.communicate("\n", timeout=30)
                assert child.returncode == 0
            else:  # kill -9: no unlock runs, the kernel / the server drops the lock
                child.kill()
                child.communicate(timeout=30)
            if store.dialect == "postgresql":
                _wait_for_backend_exit(store)
            with store.exclusive("grouping") as after:
                assert after is True
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate(timeout=30)


def _wait_for_backend_exit(store: Store) -> None:
    """A killed client's server session ends when the server notices the closed socket: poll
    (bounded) until the lock is free rather than assume it is at once."""
    for _ in range(100):
        with store.exclusive("grouping") as held:
            if held:
                return
        threading.Event().wait(0.05)
    pytest.fail("the killed holder's lock was never released")


def test_the_sqlite_lock_file_sits_beside_the_database_named_after_the_file(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'agg.db'}"
    with open_store(url) as store, store.exclusive("grouping") as held:
        assert held is True
        found = os.stat(tmp_path / "data" / "agg.db")
        lock = tmp_path / "data" / f"aggregator-{found.st_dev}-{found.st_ino}.grouping.lock"
        assert lock.read_text().startswith("pid ")
        assert lock_file(tmp_path / "data" / "agg.db", "grouping") == lock


@pytest.mark.fault
def test_a_database_file_with_two_hard_links_is_refused(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'agg.db'}") as store:
        os.link(tmp_path / "agg.db", tmp_path / "copy.db")
        with pytest.raises(StoreError, match="2 hard links"), store.exclusive("grouping"):
            pass


def test_in_memory_sqlite_is_always_granted() -> None:
    with (
        open_store("sqlite://") as store,
        store.exclusive("grouping") as first,
        store.exclusive("grouping") as second,
    ):
        assert (first, second) == (True, True)


@pytest.mark.parametrize("name", ["", "a/b", "../x", "grouping lock", "x" * 65, "é"])
def test_a_name_that_cannot_be_a_file_name_is_refused(name: str) -> None:
    with open_store("sqlite://") as store, pytest.raises(ValueError, match="lock name"):
        store.exclusive(name)


def test_lock_keys_are_stable_signed_64_bit_and_distinct() -> None:
    names = ["grouping", "digest", "extract", "grouping2"]
    keys = [lock_key(n) for n in names]
    assert len(set(keys)) == len(names)
    assert all(-(2**63) <= k < 2**63 for k in keys)
    # pinned: a key that changed between versions would let an old and a new process group at
    # the same time during an upgrade
    assert lock_key("grouping") == 2116608485633845189
