"""Issue 12, fault 2: entries the store could not hold, and saves refused for one source.

Before: on PostgreSQL an 8,000-character link overflowed the btree row of
``uq_articles_canonical_url``, a guid of 999 four-byte characters ``pk_article_sources``, and
``&#0;`` in ``<link>`` gave "invalid byte sequence 0x00"; the whole pass stopped, none of its
sources was saved, and a daemon fetched the feed again every second. SQLite stored all three
(NUL included), so the two databases held different data.

Now both store every good entry and the poison ones normalised (NUL out, keys hashed); an entry
the database still refuses is left out with a logged reason; a source whose save is refused is
that source's failure (a fetch_log row, backoff), and the pass goes on for the others.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from aggregator import clock
from aggregator.backfill import BackfillReport, run_backfill
from aggregator.cli import main
from aggregator.config import Settings, parse_settings
from aggregator.model import FetchOutcome
from aggregator.pipeline.poll import run_pass
from aggregator.store import Store, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from tests.integration.test_daemon_support import DaemonProcess, wait_for, write_config
from tests.support.server import FeedServer

RSS = "application/rss+xml"
# deterministic, and random enough that PostgreSQL cannot compress it under its index limit
_RNG = random.Random(12)
LONG_PATH = "".join(_RNG.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(8000))
LONG_LINK = f"https://poison.example/{LONG_PATH}"
FOUR_BYTE_GUID = "".join(chr(0x20000 + _RNG.randrange(20_000)) for _ in range(999))
GOOD_SOURCES = ("wire-one", "wire-two", "wire-three")
REFUSED_TITLE = "Refused entry"


def _item(
    title: str, link: str, guid: str, body: str = "The envoy said talks would resume."
) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
        f"<description>{body}</description></item>"
    )


def _rss(title: str, items: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://{title}.example/</link><description>d</description>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


POISON_FEED = _rss(
    "poison",
    [
        _item("Good first", "https://poison.example/good-1", "good-1"),
        _item("Very long link", LONG_LINK, "long-link"),
        _item("Very long guid", "https://poison.example/long-guid", FOUR_BYTE_GUID),
        _item("NUL in the link", "https://poison.example/nul&#0;link", "nul-link"),
        _item(
            "NUL &#0;in the title",
            "https://poison.example/nul-title",
            "nul-title",
            "The text &#0;carries a NUL.",
        ),
        _item(REFUSED_TITLE, "https://poison.example/refused", "refused"),
        _item("Good last", "https://poison.example/good-2", "good-2"),
    ],
)
# what each poison guid must be stored as (title, canonical URL, link) once normalised
EXPECTED = {
    "good-1": ("Good first", "https://poison.example/good-1"),
    "long-link": ("Very long link", LONG_LINK),
    FOUR_BYTE_GUID: ("Very long guid", "https://poison.example/long-guid"),
    "nul-link": ("NUL in the link", "https://poison.example/nullink"),
    "nul-title": ("NUL in the title", "https://poison.example/nul-title"),
    "refused": (REFUSED_TITLE, "https://poison.example/refused"),
    "good-2": ("Good last", "https://poison.example/good-2"),
}


def _digest(value: str) -> str:
    """What the store keys a text on: the SHA-256 hex of its UTF-8 bytes (docs/store.md)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _good_feed(name: str) -> bytes:
    return _rss(
        name,
        [
            _item(f"{name} story {n}", f"https://{name}.example/story-{n}", f"{name}-{n}")
            for n in range(3)
        ],
    )


def _config(server: FeedServer, tmp_path: Path, names: tuple[str, ...]) -> Path:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for name in names:
        lines += [
            f"  - name: {name}",
            f"    url: {server.url('/' + name)}",
            "    kind: outlet",
            f"    publisher: {name}",
            "    interval: 15m",
        ]
    path = tmp_path / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def sources(feed_server: FeedServer, tmp_path: Path) -> Path:
    """The poison feed and three good ones on loopback; returns the configuration file."""
    feed_server.add("/poison", POISON_FEED, content_type=RSS)
    for name in GOOD_SOURCES:
        feed_server.add(f"/{name}", _good_feed(name), content_type=RSS)
    return _config(feed_server, tmp_path, ("poison", *GOOD_SOURCES))


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def named(self, message: str) -> list[logging.LogRecord]:
        return [r for r in self.records if r.getMessage() == message]


@pytest.fixture
def records() -> Iterator[_Records]:
    """What the ``aggregator`` loggers emit (whether or not they propagate to the root)."""
    handler = _Records()
    logger = logging.getLogger("aggregator")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _fetch(config: Path, db_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["--config", str(config), "--db", db_url, "fetch"], catch_exceptions=False
    )
    return result.exit_code, result.output


def _execute(db_url: str, *statements: str) -> None:
    """Run SQL on the test database directly (a trigger of the test's own)."""
    engine = create_store_engine(normalise_url(db_url))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _rows(db_url: str, query: str) -> list[tuple[object, ...]]:
    engine = create_store_engine(normalise_url(db_url))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        engine.dispose()


def _lease_owner(db_url: str, source: str) -> object:
    ((owner,),) = _rows(db_url, f"SELECT lease_owner FROM sources WHERE name = '{source}'")
    return owner


def _refuse_inserts(db_url: str, table: str, condition: str, message: str) -> None:
    """A trigger refusing rows of ``table`` that match ``condition`` (SQL on NEW)."""
    if db_url.startswith("sqlite"):
        _execute(
            db_url,
            f"CREATE TRIGGER test_refuse_{table} BEFORE INSERT ON {table} "
            f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END",
        )
        return
    _execute(
        db_url,
        f"CREATE FUNCTION test_refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF {condition} THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$",
        f"CREATE TRIGGER test_refuse_{table} BEFORE INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION test_refuse_{table}()",
    )


def _stored_links(store: Store, source: str) -> dict[str, tuple[str, str | None]]:
    """guid -> (title, canonical URL) of what ``source`` carries, by the store's own reads."""
    by_url = {a.canonical_url: a for a in store.articles(source=source)}
    known = store.known_guids(source, list(EXPECTED))
    return {
        guid: (by_url[url].title, url)
        for guid, (_, url) in EXPECTED.items()
        if guid in known and url in by_url
    }


def _assert_good_sources_saved(store: Store) -> None:
    for name in GOOD_SOURCES:
        titles = sorted(a.title for a in store.articles(source=name))
        assert titles == [f"{name} story {n}" for n in range(3)], name


def _assert_no_nul_stored(db_url: str) -> None:
    for table, column in (
        ("article_sources", "link"),
        ("article_sources", "guid"),
        ("articles", "title"),
        ("articles", "text"),
        ("articles", "canonical_url"),
    ):
        values = [v for (v,) in _rows(db_url, f"SELECT {column} FROM {table}") if v]
        assert not [v for v in values if "\x00" in str(v)], f"NUL stored in {table}.{column}"


# ---------------------------------------------------------------------------- the pass


def test_poison_entries_are_stored_normalised_and_sink_nothing(sources: Path, db_url: str) -> None:
    code, out = _fetch(sources, db_url)
    assert code == 0, out
    assert "4 sources: 16 new, 0 updated, 0 failed" in out, out

    with open_store(db_url) as store:
        _assert_good_sources_saved(store)
        stored = _stored_links(store, "poison")
        assert stored == {guid: (title, url) for guid, (title, url) in EXPECTED.items()}
        log = {row.source: row for row in store.recent_fetch_log(limit=20)}
        assert sorted(log) == sorted(("poison", *GOOD_SOURCES)), "one fetch_log row a source"
        assert all(row.outcome is FetchOutcome.OK for row in log.values())
        assert log["poison"].new_entries == len(EXPECTED)
    _assert_no_nul_stored(db_url)
    # the keys are digests of the whole values: exact, and the same on both databases
    keys = dict(_rows(db_url, "SELECT canonical_url, url_key FROM articles"))
    assert keys[LONG_LINK] == _digest(LONG_LINK)
    guid_keys = dict(_rows(db_url, "SELECT guid, guid_key FROM article_sources"))
    assert guid_keys[FOUR_BYTE_GUID] == _digest(FOUR_BYTE_GUID)

    # polled again, every poison entry is recognised as the same entry: nothing new
    with open_store(db_url) as store:
        settings = parse_settings(sources.read_text())
        report = run_pass(store, settings, force=True)
        assert (report.new, report.updated, report.failed) == (0, 0, 0)
        assert store.article_count() == len(EXPECTED) + 3 * len(GOOD_SOURCES)


def test_an_entry_the_database_refuses_is_left_out_and_logged(
    sources: Path, db_url: str, records: _Records
) -> None:
    with open_store(db_url):
        pass  # the schema, for the trigger
    _refuse_inserts(db_url, "articles", f"NEW.title = '{REFUSED_TITLE}'", "refused by a trigger")

    code, out = _fetch(sources, db_url)
    assert code == 0, out
    poison_line = next(line for line in out.splitlines() if line.startswith("poison "))
    assert "new 6" in poison_line, out
    assert "1 entry not stored: " in poison_line, out
    assert "refused by a trigger" in poison_line, out

    with open_store(db_url) as store:
        _assert_good_sources_saved(store)
        stored = _stored_links(store, "poison")
        expected = {g: v for g, v in EXPECTED.items() if g != "refused"}
        assert stored == expected, "the rest of the source's entries are stored"
        (row,) = store.recent_fetch_log("poison")
        assert row.outcome is FetchOutcome.OK
        assert "1 entry not stored" in (row.error or "")
    (refused,) = records.named("entry not stored")
    assert refused.levelno == logging.WARNING
    assert (refused.source, refused.guid) == ("poison", "refused")  # type: ignore[attr-defined]
    assert "refused by a trigger" in refused.reason  # type: ignore[attr-defined]


def test_a_save_refused_for_one_source_is_its_failure_and_the_others_are_saved(
    sources: Path, db_url: str
) -> None:
    with open_store(db_url):
        pass
    # the database refuses the log row of a successful fetch of "poison": its whole save fails
    _refuse_inserts(
        db_url,
        "fetch_log",
        "NEW.outcome = 'ok' AND NEW.source_id = (SELECT id FROM sources WHERE name = 'poison')",
        "the test trigger refuses this fetch",
    )
    settings = parse_settings(sources.read_text())
    before = clock.now()
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=before)
        report = run_pass(store, settings, owner="test-pass")
        by_name = {r.source: r for r in report.sources}
        assert by_name["poison"].outcome is FetchOutcome.FAILED
        assert all(by_name[n].outcome is FetchOutcome.OK for n in GOOD_SOURCES)
        _assert_good_sources_saved(store)
        assert store.articles(source="poison") == []  # all or nothing for that source

        (row,) = store.recent_fetch_log("poison")
        assert row.outcome is FetchOutcome.FAILED
        assert row.error_type == "StoreError"
        assert "the test trigger refuses this fetch" in (row.error or "")
        status = {s.name: s for s in store.source_status()}["poison"]
        assert status.consecutive_failures == 1
        assert _lease_owner(db_url, "poison") is None, "the lease is released"
        # put off by the backoff (15 min x 2, less 10 % jitter), not due again at once
        assert status.next_poll_at >= before + timedelta(minutes=27)
        due = store.claim_due(now=clock.now(), owner="next-tick", lease=timedelta(minutes=1))
        assert "poison" not in {s.source.name for s in due}


def test_a_source_whose_failure_cannot_be_recorded_keeps_its_lease(
    sources: Path, db_url: str, records: _Records
) -> None:
    with open_store(db_url):
        pass
    _refuse_inserts(
        db_url,
        "fetch_log",
        "NEW.source_id = (SELECT id FROM sources WHERE name = 'poison')",
        "the test trigger refuses every row",
    )
    settings = parse_settings(sources.read_text())
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        report = run_pass(store, settings, owner="test-pass")
        by_name = {r.source: r for r in report.sources}
        assert by_name["poison"].outcome is FetchOutcome.FAILED
        assert "not recorded" in (by_name["poison"].error or "")
        _assert_good_sources_saved(store)
        assert store.recent_fetch_log("poison") == []
        assert _lease_owner(db_url, "poison") == "test-pass", "held until it expires"
        # so no one fetches it again meanwhile, not even when asked for it by name
        assert not store.claim_due(
            now=clock.now(), owner="next-tick", lease=timedelta(minutes=1), names=["poison"]
        )
    (unrecorded,) = records.named("source failure not recorded")
    assert unrecorded.levelno == logging.ERROR
    assert unrecorded.exc_info is not None, "the traceback is logged"


# ---------------------------------------------------------------------------- the daemon


def test_the_daemon_stores_the_poison_and_backs_off_a_refused_source(
    feed_server: FeedServer, db_url: str, tmp_path: Path
) -> None:
    """The issue's daemon: before, it fetched the failing feed again every tick (each pass
    ended in the error and gave the leases back) and recorded no failure."""
    feed_server.add("/poison", POISON_FEED, content_type=RSS)
    for name in ("wrecked", "wire-one"):
        feed_server.add(f"/{name}", _good_feed(name), content_type=RSS)
    config = write_config(
        tmp_path / "feeds.yaml",
        [(name, feed_server.url(f"/{name}")) for name in ("poison", "wrecked", "wire-one")],
        interval="1m",
    )
    with open_store(db_url):
        pass
    _refuse_inserts(
        db_url,
        "fetch_log",
        "NEW.outcome = 'ok' AND NEW.source_id = (SELECT id FROM sources WHERE name = 'wrecked')",
        "the test trigger refuses this fetch",
    )
    daemon = DaemonProcess(config, db_url, tmp_path / "daemon.log", tick=0.2, heartbeat=0.5)
    try:
        with open_store(db_url) as store:
            wait_for(
                lambda: store.recent_fetch_log("wrecked"),
                timeout=30,
                what="the failure of 'wrecked' to be recorded",
            )
            wait_for(
                lambda: len(store.articles(source="poison")) == len(EXPECTED),
                timeout=30,
                what="every poison entry to be stored",
            )
            assert len(store.articles(source="wire-one")) == 3
            failed_at = clock.now()
            # the daemon goes on ticking five times a second; two seconds of heartbeats later
            # the refused source has still been fetched once: it waits for its backoff
            wait_for(
                lambda: any(
                    d.last_beat_at > failed_at + timedelta(seconds=2)
                    for d in store.daemons(now=clock.now())
                ),
                timeout=30,
                what="two more seconds of the daemon's life",
            )
            assert feed_server.count("/wrecked") == 1
            (row,) = store.recent_fetch_log("wrecked")
            assert row.outcome is FetchOutcome.FAILED
            assert "the test trigger refuses this fetch" in (row.error or "")
    finally:
        assert daemon.terminate() == 0, daemon.log_text()
        daemon.close()
    failures = [r for r in daemon.logged("source failed") if r.get("source") == "wrecked"]
    assert len(failures) == 1, failures


# ---------------------------------------------------------------------------- the backfill

SINCE, UNTIL = date(2026, 11, 20), date(2026, 11, 30)
PARAGRAPH = (
    "<p>The minister of foreign affairs said on Monday that the talks on the border had made "
    "real progress, and that both delegations would meet again within a month to settle the "
    "remaining questions of the crossing points.</p>"
)


def _backfill_settings(sources: dict[str, str]) -> Settings:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for name, url in sources.items():
        lines += [
            f"  - name: {name}",
            f"    url: {url}",
            "    kind: official",
            "    publisher: Test Ministry",
        ]
    return parse_settings("\n".join(lines) + "\n")


def _backfill(store: Store, settings: Settings, **kwargs: Any) -> BackfillReport:
    return run_backfill(
        store, settings, since=SINCE, until=UNTIL, progress=False, process=False, **kwargs
    )


def test_backfill_stores_poison_entries_normalised_and_one_failing_walk_stops_only_itself(
    feed_server: FeedServer, db_url: str, records: _Records
) -> None:
    feed_server.add("/archive", POISON_FEED, content_type=RSS)
    feed_server.add("/wrecked", _good_feed("wrecked"), content_type=RSS)
    settings = _backfill_settings(
        {"archive": feed_server.url("/archive"), "wrecked": feed_server.url("/wrecked")}
    )
    with open_store(db_url):
        pass
    _refuse_inserts(db_url, "articles", f"NEW.title = '{REFUSED_TITLE}'", "refused by a trigger")
    # the checkpoint of "wrecked" is refused: its walk fails after its first page
    _refuse_inserts(
        db_url,
        "backfill_checkpoints",
        "NEW.source_id = (SELECT id FROM sources WHERE name = 'wrecked')",
        "the test trigger refuses this checkpoint",
    )
    with open_store(db_url) as store:
        report = _backfill(store, settings)
        by_name = {s.source: s for s in report.sources}
        archive, wrecked = by_name["archive"], by_name["wrecked"]
        assert archive.finished, archive
        assert archive.error is None
        assert archive.new == len(EXPECTED) - 1
        assert archive.refused >= 1  # on every page that carries it (the walk reads two)
        expected = {g: v for g, v in EXPECTED.items() if g != "refused"}
        assert _stored_links(store, "archive") == expected
        assert not wrecked.finished
        assert "the test trigger refuses this checkpoint" in (wrecked.error or "")
        # what the failed walk had saved before its checkpoint stays saved
        assert wrecked.new == 3
        assert len(store.articles(source="wrecked")) == 3
    _assert_no_nul_stored(db_url)
    refused = {r.guid for r in records.named("entry not stored")}  # type: ignore[attr-defined]
    assert refused == {"refused"}
    (failed,) = records.named("backfill of a source failed")
    assert failed.source == "wrecked"  # type: ignore[attr-defined]


def test_backfill_from_saved_pages_stores_what_the_pages_say_normalised(
    tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    # a saved page names itself with a very long URL (its guid too) and carries raw NULs
    page_url = f"{LONG_LINK}/page"
    (folder / "page.html").write_bytes(
        (
            "<html><head><title>Talks on the border</title>"
            f'<meta property="og:url" content="{page_url}">'
            '<meta property="og:title" content="Talks\x00 on the border">'
            '<meta name="description" content="A summary\x00 of the talks">'
            '<meta property="article:published_time" content="2026-11-24T09:30:00Z">'
            "</head><body><article><h1>Talks on the border</h1>"
            + PARAGRAPH * 4
            + "</article></body></html>"
        ).encode()
    )
    (folder / "feed.xml").write_bytes(POISON_FEED)
    settings = _backfill_settings({"mfa": "https://mfa.example.org/rss"})
    with open_store(db_url) as store:
        report = _backfill(store, settings, sources=["mfa"], from_dir=folder)
        (result,) = report.sources
        assert (result.error, result.finished) == (None, True)
        assert result.new == len(EXPECTED) + 1
        (page,) = [a for a in store.articles(source="mfa") if a.canonical_url == page_url]
        assert page.title == "Talks on the border"
        assert page.summary == "A summary of the talks"
        assert store.known_guids("mfa", [page_url, "long-link"]) == {page_url, "long-link"}
    _assert_no_nul_stored(db_url)
