#!/usr/bin/env python3
"""CPU time (steadier than wall time on a busy machine) of the store and of a whole pass.

    .venv/bin/python scripts/bench_cpu.py save_fetch [--entries 10000] [--short-keys]
    .venv/bin/python scripts/bench_cpu.py pass [--sources 19] [--entries 200]
    .venv/bin/python scripts/bench_cpu.py save_fetch --tree /tmp/old   # another checkout's code

``save_fetch``: one ``Store.save_fetch`` of N entries (``bench_store``'s text), all new, then
all unchanged, then all changed, on a new SQLite file and a new PostgreSQL database. Guids and
URLs are URL-length (~100 characters), as on real feeds, or ``bench_store``'s short ones.
``pass``: ``run_pass`` over feeds served on loopback, below the parse pool's threshold so that
fetching, parsing and storing all run in this process, then the same pass again (the feeds send
no validators: parsed again, every entry unchanged). Prints process CPU and wall seconds.

To compare two versions, run the script of one tree with ``--tree`` pointing at the other (a
``git archive`` of a commit will do), alternating, and compare medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _import_from(tree: Path) -> None:
    sys.path[:0] = [str(tree), str(tree / "scripts")]
    import aggregator

    if not Path(aggregator.__file__).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"aggregator imported from {aggregator.__file__}, not {tree}")


def _database(backend: str) -> tuple[str, str | None]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db", None
    name = f"aggregator_cpu_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(ADMIN).set(database=name).render_as_string(hide_password=False), name


def _drop(name: str | None) -> None:
    from sqlalchemy import create_engine, text

    if name is None:
        return
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _timed(step: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    step()
    return time.process_time() - cpu, time.perf_counter() - wall


def _long(i: int) -> str:
    """A guid and URL of the length real feeds use (~105 characters)."""
    return (
        "https://www.example-news-outlet.org/world/europe/2026/11/24/"
        f"minister-says-talks-on-the-border-will-resume-{i}"
    )


def bench_save_fetch(entries: int, short_keys: bool) -> None:
    from bench_store import NOW, Poll, batch

    from aggregator.model import Article, FetchOutcome, FetchResult, Source
    from aggregator.store import open_store

    def articles(version: str) -> list[Article]:
        made = batch(entries, version)
        if short_keys:
            return made
        return [replace(a, guid=_long(i), url=_long(i)) for i, a in enumerate(made)]

    source = Source("bench", "https://bench.example.org/feed", "wire", "Bench")
    result = FetchResult("bench", source.url, FetchOutcome.OK, status=200)
    for backend in ("sqlite", "postgresql"):
        url, name = _database(backend)
        try:
            with open_store(url) as store:
                store.sync_sources([source], now=NOW)
                for label, version in (("new", "v1"), ("unchanged", "v1"), ("changed", "v2")):
                    arts = articles(version)
                    state = store.claim_due(
                        now=NOW, owner="bench", lease=timedelta(minutes=5), names=["bench"]
                    )[0]
                    cpu, wall = _timed(
                        lambda: store.save_fetch(state, result, arts, Poll(), now=NOW)  # noqa: B023
                    )
                    print(
                        f"{backend:10s} save_fetch {entries} {label:9s} "
                        f"cpu {cpu:6.2f} s  wall {wall:6.2f} s"
                    )
        finally:
            _drop(name)


def bench_pass(sources: int, entries: int) -> None:
    from bench_ingest import config, make_feed

    from aggregator import clock
    from aggregator.config import parse_settings
    from aggregator.pipeline.poll import run_pass
    from aggregator.store import open_store
    from tests.support.server import FeedServer

    with FeedServer() as server:
        for i in range(sources):
            server.add(f"/cpu/{i}.xml", make_feed(i, entries), content_type="application/rss+xml")
        settings = parse_settings(config(server, sources, "cpu", 10))
        for backend in ("sqlite", "postgresql"):
            url, name = _database(backend)
            try:
                with open_store(url) as store:
                    store.sync_sources(settings.to_sources(), now=clock.now())
                    for label in ("new", "unchanged"):
                        cpu, wall = _timed(lambda: run_pass(store, settings, force=True))
                        print(
                            f"{backend:10s} pass {sources}x{entries} {label:9s} "
                            f"cpu {cpu:6.2f} s  wall {wall:6.2f} s"
                        )
            finally:
                _drop(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["save_fetch", "pass"])
    parser.add_argument("--tree", type=Path, default=HERE.parent, help="checkout to import from")
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--sources", type=int, default=19)
    parser.add_argument("--short-keys", action="store_true", help="bench_store's short guids")
    args = parser.parse_args()
    _import_from(args.tree)
    if args.what == "save_fetch":
        bench_save_fetch(args.entries or 10_000, args.short_keys)
    else:
        bench_pass(args.sources, args.entries or 200)


if __name__ == "__main__":
    main()
