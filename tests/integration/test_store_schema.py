"""Migrations and connections on real SQLite and PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import cast

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from aggregator.errors import StoreError
from aggregator.store import open_store
from aggregator.store.engine import _enable_wal, normalise_url
from aggregator.store.migrate import head_revision, new_revision
from aggregator.store.schema import include_name, metadata
from tests.integration.test_store_support import T0, make_source

#: the newest migration (each migration's test names it; this file checks the head)
HEAD = "0009"


def _raw_engine(db_url: str):  # type: ignore[no-untyped-def]
    return create_engine(normalise_url(db_url))


def test_migrated_schema_equals_the_metadata(db_url: str) -> None:
    open_store(db_url).close()
    engine = _raw_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(context, metadata) == []
            tables = set(metadata.tables)
            assert {"sources", "articles", "article_sources", "fetch_log"} <= tables
    finally:
        engine.dispose()


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    with open_store(db_url) as store:
        store.sync_sources([make_source("un")], now=T0)
        assert store.revision() == head_revision() == HEAD
        assert store.upgrade() == HEAD
    with open_store(db_url) as store:
        assert store.upgrade() == HEAD
        assert store.stats()["sources"] == 1
    engine = _raw_engine(db_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            assert [v for (v,) in versions] == [HEAD]
    finally:
        engine.dispose()


def test_open_without_upgrade_leaves_an_empty_database(db_url: str) -> None:
    with open_store(db_url, upgrade=False) as store:
        assert store.revision() is None
        with pytest.raises(StoreError, match="run `aggregator db upgrade`"):
            store.stats()  # no tables yet
        assert store.upgrade() == HEAD
        assert store.stats()["sources"] == 0


@pytest.mark.fault
def test_two_processes_migrate_the_same_database_at_once(db_url: str, tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from aggregator.store import open_store
        with open_store(sys.argv[1]) as store:
            print(store.revision())
        """
    )
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, db_url],
            cwd=tmp_path,  # migrations must not depend on the working directory
            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == HEAD
    with open_store(db_url, upgrade=False) as store:
        assert store.revision() == HEAD


@pytest.mark.fault
def test_unknown_newer_revision_is_refused(db_url: str) -> None:
    open_store(db_url).close()
    engine = _raw_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="revision 9999, which this version"):
        open_store(db_url)


def test_postgres_scheme_is_accepted(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        url = db_url  # SQLite has one spelling; the plain driver name must still open
    else:
        url = "postgres://" + db_url.split("://", 1)[1]
    with open_store(url) as store:
        assert store.dialect in ("sqlite", "postgresql")
        assert store.stats()["sources"] == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@a.b/db", "postgresql+psycopg://u@a.b/db"),
        ("postgres://u:pw@a.b:5433/db", "postgresql+psycopg://u:pw@a.b:5433/db"),
        ("postgresql+psycopg://u@a.b/db", "postgresql+psycopg://u@a.b/db"),
        ("sqlite:///rel/x.db", "sqlite:///rel/x.db"),
        ("sqlite:////abs/x.db", "sqlite:////abs/x.db"),
    ],
)
def test_url_normalisation(url: str, expected: str) -> None:
    assert normalise_url(url).render_as_string(hide_password=False) == expected


@pytest.mark.fault
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        # port 1 on loopback: nothing listens there
        (
            "postgresql://postgres@127.0.0.1:1/nowhere",
            r"cannot reach the database at postgresql://postgres@127\.0\.0\.1:1/nowhere: "
            "connection refused",
        ),
        ("postgresql://postgres:secret@127.0.0.1:1/db", r"postgresql://postgres:\*\*\*@"),
    ],
)
def test_errors_a_user_can_act_on(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_sqlite_file_gets_its_folder_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "agg.db"
    with open_store(f"sqlite:///{path}") as store:
        assert store.stats()["sources"] == 0
    assert path.is_file()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


class _LockedCursor:
    """A cursor whose first ``failures`` statements meet another connection's lock."""

    def __init__(self, failures: int, message: str = "database is locked") -> None:
        self.failures = failures
        self.message = message
        self.statements: list[str] = []

    def execute(self, sql: str) -> _LockedCursor:
        self.statements.append(sql)
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError(self.message)
        return self

    def fetchone(self) -> tuple[str]:
        return ("delete",)


@pytest.mark.fault
def test_sqlite_wal_switch_waits_out_a_lock() -> None:
    # switching to WAL needs an exclusive lock, and SQLite refuses at once (without its busy
    # handler) when two connections race for it: two processes opening a new database did
    cursor = _LockedCursor(failures=3)
    _enable_wal(cast(sqlite3.Cursor, cursor))
    assert cursor.statements[-1] == "PRAGMA journal_mode=WAL"
    assert len(cursor.statements) == 5  # three refusals, then the read and the switch


@pytest.mark.fault
def test_sqlite_wal_switch_raises_other_errors_at_once() -> None:
    cursor = _LockedCursor(failures=1, message="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        _enable_wal(cast(sqlite3.Cursor, cursor))
    assert len(cursor.statements) == 1


def test_sqlite_path_with_a_tilde_means_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with open_store("sqlite:///~/data/agg.db") as store:
        assert store.stats()["sources"] == 0
    assert (tmp_path / "data" / "agg.db").is_file()


@pytest.mark.fault
def test_sqlite_path_that_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder for the database"):
        open_store(f"sqlite:///{blocker / 'sub' / 'x.db'}")


def test_sqlite_in_memory_works(tmp_path: Path) -> None:
    with open_store("sqlite://") as store:
        store.sync_sources([make_source("un")], now=T0)
        assert store.stats()["sources"] == 1


def test_new_revision_writes_the_next_script(db_url: str, tmp_path: Path) -> None:
    path = new_revision(db_url, "add nothing yet", directory=tmp_path)
    assert path.parent == tmp_path
    following = f"{int(HEAD) + 1:04d}"
    assert path.name == f"{following}_add_nothing_yet.py"
    script = path.read_text()
    assert f'revision: str = "{following}"' in script
    assert f'down_revision: str | None = "{HEAD}"' in script
    # the schema equals the metadata, so autogenerate found nothing to do
    assert "op." not in script
    compile(script, str(path), "exec")


def test_public_surface_is_pinned() -> None:
    import aggregator.store as store_package

    assert sorted(store_package.__all__) == sorted(
        [
            "MARK_END",
            "MARK_START",
            "REASON_CONFIG_DISABLED",
            "REASON_UNCONFIGURED",
            "ActorPage",
            "ActorStatement",
            "Checkpoint",
            "ClaimLostError",
            "DaemonRow",
            "DaemonState",
            "DigestClaim",
            "DigestRow",
            "DigestStatus",
            "EventSummary",
            "FetchToSave",
            "FetchLogRow",
            "GroupedArticle",
            "GroupingMark",
            "PollStateLike",
            "RefusedEntry",
            "SaveReport",
            "SearchHit",
            "SearchPage",
            "SourceState",
            "SourceStatus",
            "Store",
            "StoreCounts",
            "StoredArticle",
            "StoredStatement",
            "SyncReport",
            "lock_file",
            "open_store",
        ]
    )
    assert issubclass(store_package.ClaimLostError, StoreError)


#: each domain's mixin and the public methods it holds (the store's API, pinned)
STORE_DOMAINS = {
    "StoreBase": {"close", "dialect", "in_memory", "url"},
    "SourcesMixin": {
        "claim_due",
        "lease_holders",
        "release",
        "renew_leases",
        "source_status",
        "sync_sources",
    },
    "FetchesMixin": {"prune_fetch_log", "recent_fetch_log", "save_fetch", "save_fetches"},
    "ArticlesMixin": {
        "article_count",
        "articles",
        "articles_by_id",
        "articles_by_url",
        "known_guids",
        "save_entries",
    },
    "StatementsMixin": {
        "articles_for_extraction",
        "correct_speakers",
        "replace_statements",
        "replace_statements_many",
        "set_statement_canonicals",
        "statements_for_articles",
    },
    "GroupingMixin": {
        "articles_for_grouping",
        "grouped_history",
        "grouping_mark",
        "pending_span",
        "recent_grouped",
        "save_grouping",
    },
    "EventsMixin": {
        "event",
        "event_article_urls",
        "event_days",
        "event_titles",
        "events_between",
        "events_in_period",
    },
    "LedgerMixin": {
        "claim_digest",
        "digest_days",
        "digest_holder",
        "digest_state",
        "digest_status",
        "mark_failed",
        "mark_pending",
        "mark_sending",
        "mark_sent",
        "recover_digests",
        "release_digest",
        "save_rendered",
    },
    "ActorsMixin": {"actor_statements", "actors"},
    "SearchMixin": {"search"},
    "PagesMixin": {
        "stored_page",
        "keeps_pages",
        "pages_wanted",
        "claim_pages",
        "keep_pages",
        "drop_pages",
        "page_counts",
    },
    "HousekeepingMixin": {
        "beat",
        "change_token",
        "checkpoint",
        "counts",
        "daemons",
        "exclusive",
        "ping",
        "prune_daemons",
        "revision",
        "save_checkpoint",
        "stats",
        "upgrade",
    },
}


def _domains() -> dict[str, set[str]]:
    """Each class :class:`Store` is made of -> the public names it defines itself."""
    from aggregator.store import Store

    return {
        cls.__name__: {name for name in vars(cls) if not name.startswith("_")}
        for cls in Store.__mro__[1:]
        if cls.__module__.startswith("aggregator.store.")
    }


def test_store_methods_are_pinned() -> None:
    from aggregator.store import Store

    assert _domains() == STORE_DOMAINS
    public = {name for name in dir(Store) if not name.startswith("_")}
    assert public == set().union(*STORE_DOMAINS.values())
    assert not {name for name in vars(Store) if not name.startswith("_")}  # nothing outside


def test_the_package_docstring_lists_every_store_method_under_its_mixin() -> None:
    import aggregator.store as store_package

    doc = store_package.__doc__ or ""
    listed: dict[str, set[str]] = {}
    # "    sources.py       SourcesMixin: sync_sources / claim_due / …" and its continuation
    # lines, up to the next module's line or the end of the block
    table = doc.split("::\n\n", 2)[2].split("\n\n")[0]
    for block in re.split(r"\n    (?=\w+\.py )", table):
        line = re.fullmatch(r"\s*(\w+)\.py\s+(\w+):(.*)", block, re.S)
        assert line is not None, block
        module, cls, names = line.groups()
        listed[cls] = {name.strip() for name in names.split("/")}
        owner = next(c for c in store_package.Store.__mro__ if c.__name__ == cls)
        assert owner.__module__ == f"aggregator.store.{module}"
    assert listed == _domains()


def test_database_libraries_stay_inside_the_store() -> None:
    package = Path(__file__).resolve().parents[2] / "aggregator"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "store" not in path.relative_to(package).parts[:1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(
            ("import sqlalchemy", "from sqlalchemy", "import alembic", "from alembic")
        )
    ]
    assert offenders == []
