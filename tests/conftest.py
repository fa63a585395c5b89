"""Fixtures shared by the whole suite: the shared corpora and the two databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import fresh_database

pytest_plugins = [
    "tests.support.server",
    "tests.support.no_skips",
    "tests.support.web",
    "tests.support.grouping",
]

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The folder of real corpora beside the repository; missing it is an error, never a skip."""
    if not CORPORA.is_dir():
        pytest.fail(
            f"the shared corpora are missing: expected {CORPORA} "
            "(set AGGREGATOR_CORPORA to point elsewhere)"
        )
    return CORPORA


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a fresh schema-less PostgreSQL database.

    Each PostgreSQL test gets its own database, so tests never see
    each other's rows.
    """
    with fresh_database(request.param, tmp_path) as url:
        yield url
