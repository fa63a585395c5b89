#!/usr/bin/env python3
"""Benchmark ingestion: a full pass (fetch, parse, normalise, store) against feedparser alone.

200 sources x 50 entries are generated and served by a real HTTP server on 127.0.0.1. In the same
run we measure ``feedparser.parse`` alone over the same bytes (the baseline), then a full pass
into SQLite and into PostgreSQL, and a re-poll of 1,000 unchanged sources (all 304).

    .venv/bin/python scripts/bench_ingest.py                 # full run
    .venv/bin/python scripts/bench_ingest.py --repeat 3      # on a busy machine: medians
    .venv/bin/python scripts/bench_ingest.py --sources 40    # quick check

Targets (issue 2): full pass >= 0.5 x feedparser-alone throughput on both stores; the 304 re-poll
of 1,000 sources under 5 s. Each full pass is timed right after its own feedparser baseline, so
the ratio compares runs under the same machine load. A pass of 20+ sources parses in worker
processes (``aggregator.pipeline.parse_pool``): their peak memory is sampled and reported
separately.
"""

from __future__ import annotations

import argparse
import multiprocessing.forkserver
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from aggregator import clock  # noqa: E402
from aggregator.config import parse_settings  # noqa: E402
from aggregator.pipeline.poll import run_pass  # noqa: E402
from aggregator.store import open_store  # noqa: E402
from tests.support.server import FeedServer  # noqa: E402

WORDS = (
    "minister council ceasefire statement border talks envoy security forces region capital "
    "officials said agreement troops humanitarian corridor negotiations sanctions embassy "
    "delegation summit resolution vote spokesman ministry parliament president government"
).split()


def make_feed(source: int, entries: int) -> bytes:
    """An RSS 2.0 feed of plausible size: each entry a title and a few paragraphs."""
    base = datetime(2026, 11, 24, tzinfo=UTC)
    items = []
    for i in range(entries):
        words = [WORDS[(source * 7 + i * 13 + k) % len(WORDS)] for k in range(120)]
        body = " ".join(words)
        when = format_datetime(base + timedelta(minutes=source + i))
        items.append(
            f"<item><title>Source {source} story {i}: {' '.join(words[:8])}</title>"
            f"<link>https://example.org/s{source}/story-{i}?utm_source=rss</link>"
            f"<guid>https://example.org/s{source}/story-{i}</guid>"
            f"<pubDate>{when}</pubDate>"
            f"<description>&lt;p&gt;{body}&lt;/p&gt;&lt;p&gt;{body[:300]}&lt;/p&gt;</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench source {source}</title><link>https://example.org/s{source}/</link>"
        f"<description>bench</description>{''.join(items)}</channel></rss>"
    ).encode()


def config(server: FeedServer, count: int, prefix: str, per_host: int) -> str:
    lines = [
        "settings:",
        "  allow_private_networks: true",
        f"  fetch: {{max_connections: {max(per_host, 20)}, max_per_host: {per_host}}}",
        "sources:",
    ]
    for i in range(count):
        lines += [
            f"  - name: {prefix}-{i:04d}",
            f"    url: {server.url(f'/{prefix}/{i}.xml')}",
            "    kind: outlet",
            f"    publisher: Bench {i}",
        ]
    return "\n".join(lines) + "\n"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class WorkerMemory:
    """Samples the resident memory of the parse workers (children of the forkserver)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak_mib = 0.0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            server = getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None)
            if server is None:
                continue
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    self.peak_mib = max(self.peak_mib, _rss_of_child(int(pid), server))


def _rss_of_child(pid: int, parent: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:
        return 0.0
    if int(fields.get("PPid", "0").strip() or 0) != parent:
        return 0.0
    return int(fields.get("VmRSS", "0 kB").split()[0]) / 1024


def full_pass(url: str, settings_text: str) -> tuple[float, int]:
    settings = parse_settings(settings_text)
    with open_store(url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        started = time.perf_counter()
        report = run_pass(store, settings, force=True)
        elapsed = time.perf_counter() - started
        failed = [s for s in report.sources if s.error]
        if failed:
            raise SystemExit(f"bench pass failed: {failed[:3]}")
    return elapsed, report.new


def repoll(url: str, settings_text: str) -> tuple[float, int]:
    settings = parse_settings(settings_text)
    with open_store(url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        run_pass(store, settings, force=True)  # learn validators
        started = time.perf_counter()
        report = run_pass(store, settings, force=True)
        elapsed = time.perf_counter() - started
        outcomes = {s.outcome.value for s in report.sources}
        if outcomes != {"not_modified"}:
            raise SystemExit(f"re-poll expected only 304s, got {outcomes}")
    return elapsed, len(report.sources)


def pg_database(admin_url: str) -> tuple[str, str]:
    name = f"aggregator_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def reset_pg(url: str) -> None:
    """Empty the benchmark database between rounds: the next pass must find every entry new."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def drop_pg_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--repoll-sources", type=int, default=1000)
    parser.add_argument(
        "--per-host",
        type=int,
        default=10,
        help="per-host connection limit (all bench feeds share one host)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="full passes per store (the median ratio is reported)"
    )
    parser.add_argument(
        "--pg",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="PostgreSQL admin URL; '' skips PostgreSQL",
    )
    args = parser.parse_args()

    feeds = [make_feed(i, args.entries) for i in range(args.sources)]
    total_entries = args.sources * args.entries
    total_bytes = sum(len(f) for f in feeds)
    print(
        f"{args.sources} sources x {args.entries} entries = {total_entries} entries, "
        f"{total_bytes / 2**20:.1f} MiB"
    )

    with FeedServer() as server, tempfile.TemporaryDirectory() as tmp, WorkerMemory() as workers:
        for i, body in enumerate(feeds):
            server.add(f"/bench/{i}.xml", body, content_type="application/rss+xml", etag=True)
        settings_text = config(server, args.sources, "bench", args.per_host)
        targets = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        pg_name = None
        if args.pg:
            pg_name, pg_url = pg_database(args.pg)
            targets.append(("PostgreSQL", pg_url))
        ratios: dict[str, list[float]] = {label: [] for label, _ in targets}
        try:
            for round_ in range(args.repeat):
                for label, url in targets:
                    started = time.perf_counter()
                    parsed = sum(len(feedparser.parse(body).entries) for body in feeds)
                    baseline = time.perf_counter() - started
                    assert parsed == total_entries
                    base_rate = total_entries / baseline
                    db = url.replace("bench.db", f"bench-{round_}.db")
                    elapsed, new = full_pass(db, settings_text)
                    if label == "PostgreSQL":
                        reset_pg(pg_url)
                    assert new == total_entries, (new, total_entries)
                    rate = total_entries / elapsed
                    ratios[label].append(rate / base_rate)
                    print(
                        f"feedparser.parse alone {base_rate:6.0f} entries/s ({baseline:.2f} s); "
                        f"full pass, {label:<10} {rate:6.0f} entries/s ({elapsed:.2f} s)  "
                        f"ratio {rate / base_rate:.2f}",
                        flush=True,
                    )
            for label, values in ratios.items():
                print(
                    f"full pass, {label:<10} median ratio to feedparser alone "
                    f"{statistics.median(values):.2f} over {len(values)} run(s) "
                    f"(min {min(values):.2f}, max {max(values):.2f}; target >= 0.5)"
                )

            small = make_feed(0, 5)
            for i in range(args.repoll_sources):
                server.add(f"/repoll/{i}.xml", small, content_type="application/rss+xml", etag=True)
            repoll_text = config(server, args.repoll_sources, "repoll", args.per_host)
            for label, url in targets:
                repoll_url = url.replace("bench.db", "repoll.db")
                elapsed, count = repoll(repoll_url, repoll_text)
                print(
                    f"re-poll {count} unchanged (304), {label:<10} {elapsed:6.2f} s  "
                    f"({count / elapsed:.0f} sources/s; target < 5 s)"
                )
        finally:
            if pg_name is not None:
                drop_pg_database(args.pg, pg_name)
    print(
        f"peak resident memory:        {peak_rss_mib():.0f} MiB (main process), "
        f"{workers.peak_mib:.0f} MiB (a parse worker, sampled)"
    )


if __name__ == "__main__":
    main()
