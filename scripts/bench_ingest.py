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

Language detection (issue 16: it adds < 5 % to ingest) is measured both ways in the same run,
with nothing patched: a source with a configured ``language`` skips detection, so each round
also makes a full pass over the same feeds configured ``language: en`` (the two passes in
alternating order), and the parse stage alone (``parse_feed`` over every feed, CPU time) is
timed both ways, interleaved. ``--no-language`` leaves these out.
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
from aggregator.parse import parse_feed  # noqa: E402
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


def config(
    server: FeedServer, count: int, prefix: str, per_host: int, language: str | None = None
) -> str:
    """The benchmark's feeds.yaml; ``language`` configures every source's (no detection then)."""
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
        if language:
            lines.append(f"    language: {language}")
    return "\n".join(lines) + "\n"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class WorkerMemory:
    """Samples the resident memory and the CPU time of the parse workers (children of the
    forkserver): a worker's CPU is its last sample, so what it spends in its last 50 ms, idle
    once the pass has all its documents, is not counted."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak_mib = 0.0
        self._cpu: dict[tuple[int, int], float] = {}  # (pid, start time) -> CPU seconds
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds of every worker seen so far (user and system)."""
        return sum(self._cpu.values())

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
                if pid.isdigit() and (usage := _usage_of_child(int(pid), server)) is not None:
                    started, cpu, rss_mib = usage
                    self.peak_mib = max(self.peak_mib, rss_mib)
                    self._cpu[(int(pid), started)] = cpu


_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _usage_of_child(pid: int, parent: int) -> tuple[int, float, float] | None:
    """(start time, CPU seconds, resident MiB) of ``pid`` if ``parent`` is its parent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # after the command: state ppid … utime(14) stime(15) … starttime(22) vsize rss(24)
    if int(fields[1]) != parent:
        return None
    cpu = (int(fields[11]) + int(fields[12])) / _TICK
    return int(fields[19]), cpu, int(fields[21]) * _PAGE / 2**20


def full_pass(url: str, settings_text: str, workers: WorkerMemory) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (this process and the parse workers) and new entries of one
    full pass; this process's CPU includes the feed server's threads, the same in every pass."""
    settings = parse_settings(settings_text)
    with open_store(url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        cpu_before, workers_before = time.process_time(), workers.cpu_seconds
        started = time.perf_counter()
        report = run_pass(store, settings, force=True)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_before + workers.cpu_seconds - workers_before
        failed = [s for s in report.sources if s.error]
        if failed:
            raise SystemExit(f"bench pass failed: {failed[:3]}")
    return elapsed, cpu, report.new


#: a parse with detection (no language configured) and one without (English configured)
BOTH_WAYS: tuple[str | None, ...] = (None, "en")


def language_cost(feeds: list[bytes], repeat: int) -> tuple[float, float]:
    """CPU seconds of the parse stage (``parse_feed`` over every feed, in this process) with and
    without detection, the median of ``repeat`` rounds. The two are interleaved document by
    document, in alternating order, so that a change of the machine's load hits both alike; a
    configured language is what skips detection."""
    now = clock.now()
    rounds: list[tuple[float, float]] = []
    for round_ in range(repeat):
        spent: dict[str | None, float] = dict.fromkeys(BOTH_WAYS, 0.0)
        for i, body in enumerate(feeds):
            order = BOTH_WAYS if (i + round_) % 2 else BOTH_WAYS[::-1]
            for language in order:
                started = time.process_time()
                parse_feed(body, source=f"bench-{i:04d}", source_language=language, now=now)
                spent[language] += time.process_time() - started
        rounds.append((spent[None], spent["en"]))
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)


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


def _passes(
    detected: str, configured: str, round_: int, no_language: bool
) -> list[tuple[str, str]]:
    """The full passes of a round: detected languages, and (unless left out) the same feeds
    configured ``language: en``, in alternating order."""
    if no_language:
        return [("detected", detected)]
    both = [("detected", detected), ("configured", configured)]
    return both if round_ % 2 == 0 else both[::-1]


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
        "--no-language",
        action="store_true",
        help="skip the passes and parse runs without language detection",
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
        configured_text = config(server, args.sources, "bench", args.per_host, language="en")
        targets = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        pg_name = None
        if args.pg:
            pg_name, pg_url = pg_database(args.pg)
            targets.append(("PostgreSQL", pg_url))
        ratios: dict[str, list[float]] = {label: [] for label, _ in targets}
        added: dict[str, list[float]] = {label: [] for label, _ in targets}
        added_cpu: dict[str, list[float]] = {label: [] for label, _ in targets}
        try:
            for round_ in range(args.repeat):
                for label, url in targets:
                    started = time.perf_counter()
                    parsed = sum(len(feedparser.parse(body).entries) for body in feeds)
                    baseline = time.perf_counter() - started
                    assert parsed == total_entries
                    base_rate = total_entries / baseline
                    passes = _passes(settings_text, configured_text, round_, args.no_language)
                    times: dict[str, float] = {}
                    cpus: dict[str, float] = {}
                    for kind, text_ in passes:
                        db = url.replace("bench.db", f"bench-{round_}-{kind}.db")
                        times[kind], cpus[kind], new = full_pass(db, text_, workers)
                        if label == "PostgreSQL":
                            reset_pg(pg_url)
                        assert new == total_entries, (new, total_entries)
                    elapsed = times["detected"]
                    rate = total_entries / elapsed
                    ratios[label].append(rate / base_rate)
                    line = (
                        f"feedparser.parse alone {base_rate:6.0f} entries/s ({baseline:.2f} s); "
                        f"full pass, {label:<10} {rate:6.0f} entries/s ({elapsed:.2f} s)  "
                        f"ratio {rate / base_rate:.2f}"
                    )
                    if "configured" in times:
                        added[label].append(elapsed / times["configured"] - 1)
                        added_cpu[label].append(cpus["detected"] / cpus["configured"] - 1)
                        line += (
                            f"; without detection {times['configured']:.2f} s "
                            f"({added[label][-1]:+.1%}), CPU {cpus['detected']:.2f} s against "
                            f"{cpus['configured']:.2f} s ({added_cpu[label][-1]:+.1%})"
                        )
                    print(line, flush=True)
            for label, values in ratios.items():
                print(
                    f"full pass, {label:<10} median ratio to feedparser alone "
                    f"{statistics.median(values):.2f} over {len(values)} run(s) "
                    f"(min {min(values):.2f}, max {max(values):.2f}; target >= 0.5)"
                )
            if not args.no_language:
                for label in added:
                    for what, values in (("time", added[label]), ("CPU", added_cpu[label])):
                        print(
                            f"full pass, {label:<10} language detection adds "
                            f"{statistics.median(values):+.1%} {what} (median of {len(values)}; "
                            f"min {min(values):+.1%}, max {max(values):+.1%}; target < 5 %)"
                        )
                with_detection, without = language_cost(feeds, max(3, args.repeat))
                print(
                    f"parse stage alone (CPU, {total_entries} entries): {with_detection:.2f} s "
                    f"with detection, {without:.2f} s without: "
                    f"ratio {with_detection / without:.3f} "
                    f"({(with_detection - without) / total_entries * 1e6:.1f} us an entry)"
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
