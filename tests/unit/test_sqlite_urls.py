"""Which file a SQLite URL names, as the store opens it: the engine, the change watcher and the
daemon's lock all read it from one function (a plain path, "~", an SQLite URI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from aggregator.daemon.lock import sqlite_path as lock_path
from aggregator.store.engine import is_memory, sqlite_path


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////data/agg.db", "/data/agg.db"),
        ("sqlite:///~/agg.db", str(Path("~/agg.db").expanduser())),
        ("sqlite:////data/b%20c.db", "/data/b c.db"),
        # an SQLite URI: its path part, whatever its authority and options
        ("sqlite:///file:/data/agg.db?mode=rwc&uri=true", "/data/agg.db"),
        ("sqlite:///file:///data/agg.db?uri=true", "/data/agg.db"),
        ("sqlite:///file://localhost/data/agg.db?uri=true", "/data/agg.db"),
        ("sqlite:///file:agg.db?uri=true", "agg.db"),
        # not a URI unless it says so: then "file:x.db" is a file of that name
        ("sqlite:///file:agg.db", "file:agg.db"),
    ],
)
def test_the_file_a_url_names(url: str, path: str) -> None:
    assert sqlite_path(make_url(url)) == path
    assert lock_path(url) == Path(path)


@pytest.mark.parametrize(
    "url",
    ["sqlite://", "sqlite:///:memory:", "sqlite:///file:mem1?mode=memory&cache=shared&uri=true"],
)
def test_memory_names_no_file(url: str) -> None:
    assert is_memory(make_url(url))
    assert sqlite_path(make_url(url)) is None
    assert lock_path(url) is None


def test_no_file_for_another_database() -> None:
    assert lock_path("postgresql://127.0.0.1/test") is None
    assert lock_path("not a url") is None
