#!/usr/bin/env python3
"""Benchmark: the daemon's polling over many sources on loopback, and backfill throughput.

    python scripts/bench_daemon.py [--sources 2000] [--cycles 60] [--db URL]
                                   [--pages 40] [--per-page 50]

Polling: N feeds (three entries each, ETag) served by a FeedServer in a child process, so the
CPU measured is the daemon side only. A cycle polls every source once through the daemon's own
poller (claims with leases, passes side by side on its event loop, store), ticking as the
daemon does (every second) until every source is stored; the clock is moved on by more than the
interval between cycles so every source is due. Cycle 1 stores the entries (200s); the others
are 304s. Reported: CPU seconds per cycle (process time, all threads), wall seconds, and
resident memory (VmRSS) over the cycles: 60 cycles is an hour of a one-minute interval.

Backfill: an RFC 5005 archive of P pages × E entries served on loopback, walked by run_backfill
(processing off) into an empty database: entries per second.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aggregator import clock  # noqa: E402
from aggregator.backfill import run_backfill  # noqa: E402
from aggregator.config import parse_settings  # noqa: E402
from aggregator.daemon import DaemonOptions  # noqa: E402
from aggregator.daemon.poller import Poller  # noqa: E402
from aggregator.pipeline.poll import PassReport, SourceReport  # noqa: E402
from aggregator.store import open_store  # noqa: E402
from tests.integration.test_daemon_support import rss  # noqa: E402

ARCHIVE_END = date(2026, 6, 30)


def rss_items(prefix: str, count: int, newest: datetime) -> list[tuple[str, str, datetime]]:
    return [
        (f"{prefix}-{n}", f"Statement {n} of {prefix} on the talks", newest - timedelta(hours=n))
        for n in range(count)
    ]


def serve(sources: int, pages: int, per_page: int) -> None:
    """Child process: serve the feeds and the archive until stdin closes."""
    from tests.support.server import FeedServer

    newest = datetime(2026, 6, 30, 12, tzinfo=UTC)
    with FeedServer() as server:
        for n in range(sources):
            server.add(
                f"/f{n}.xml",
                rss(f"f{n}", rss_items(f"f{n}", 3, newest)),
                content_type="application/rss+xml",
                etag=True,
            )
        entries = rss_items("arch", pages * per_page, newest)
        atom = 'xmlns:atom="http://www.w3.org/2005/Atom"'
        for page in range(pages):
            body = rss("arch", entries[page * per_page : (page + 1) * per_page]).decode()
            if page + 1 < pages:
                link = f'<atom:link {atom} rel="prev-archive" href="/a/{page + 1}.xml"/>'
                body = body.replace("<channel>", "<channel>" + link, 1)
            server.add(f"/a/{page}.xml", body, content_type="application/rss+xml")
        print(server.port, flush=True)
        sys.stdin.read()


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def config(port: int, sources: int) -> str:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for n in range(sources):
        lines += [
            f"  - name: f{n}",
            f"    url: http://127.0.0.1:{port}/f{n}.xml",
            "    kind: outlet",
            f"    publisher: Outlet {n}",
            "    interval: 15m",
        ]
    lines += [
        "  - name: arch",
        f"    url: http://127.0.0.1:{port}/a/0.xml",
        "    kind: official",
        "    publisher: Archive",
        "    enabled: false",
    ]
    return "\n".join(lines) + "\n"


def bench_polling(url: str, port: int, sources: int, cycles: int) -> None:
    settings = parse_settings(config(port, sources))
    offset = [timedelta(0)]
    clock.now = lambda: datetime.now(UTC) + offset[0]  # type: ignore[method-assign]
    with open_store(url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        stored: list[SourceReport] = []
        failures: list[BaseException] = []

        def on_pass(report: PassReport) -> None:
            pass

        poller = Poller(
            store,
            owner="bench",
            lease=timedelta(minutes=1),
            capacity=DaemonOptions().batch,
            rng=random.Random(1),
            on_source=stored.append,
            on_pass=on_pass,
            on_error=failures.append,
        )
        poller.start()
        cpu: list[float] = []
        wall: list[float] = []
        memory: dict[int, int] = {0: rss_kib()}
        try:
            for cycle in range(1, cycles + 1):
                offset[0] += timedelta(minutes=20)  # past every source's interval (+10 % jitter)
                stored.clear()
                c0, w0 = time.process_time(), time.perf_counter()
                tick = DaemonOptions().tick
                while len(stored) < sources and not failures:
                    poller.poll(settings)  # the daemon's tick
                    time.sleep(tick)
                poller.drain(60)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                if failures or len(stored) != sources:
                    raise SystemExit(f"cycle {cycle} stored {len(stored)} of {sources} sources")
                if cycle in (1, 2, 10, cycles // 2, cycles):
                    memory[cycle] = rss_kib()
                new = sum(r.new for r in stored)
                print(
                    f"cycle {cycle:>3}: {len(stored)} sources, new {new}, "
                    f"cpu {cpu[-1]:.2f} s, wall {wall[-1]:.2f} s, rss {rss_kib() / 1024:.0f} MiB",
                    flush=True,
                )
        finally:
            poller.close()
    steady = cpu[1:] or cpu
    print(f"\npolling {sources} sources, {cycles} cycles on {url.split(':')[0]}")
    print(f"  cycle 1 (200s, entries stored): cpu {cpu[0]:.2f} s, wall {wall[0]:.2f} s")
    print(
        f"  cycles 2..{cycles} (304s): cpu {sum(steady) / len(steady):.2f} s/cycle "
        f"(min {min(steady):.2f}, max {max(steady):.2f}), wall "
        f"{sum(wall[1:] or wall) / len(wall[1:] or wall):.2f} s/cycle; "
        f"{1000 * sum(steady) / len(steady) / sources:.2f} ms CPU per 304"
    )
    print(
        "  resident memory: "
        + ", ".join(f"after cycle {c}: {kib / 1024:.0f} MiB" for c, kib in sorted(memory.items()))
    )


def bench_backfill(url: str, port: int, sources: int, pages: int, per_page: int) -> None:
    text = config(port, sources).replace("    enabled: false\n", "")
    settings = parse_settings(text)
    with open_store(url) as store:
        report = run_backfill(
            store,
            settings,
            since=date(2000, 1, 1),
            until=ARCHIVE_END,
            sources=["arch"],
            progress=False,
            process=False,
        )
    src = report.sources[0]
    print(
        f"\nbackfill: {src.pages} pages, {src.in_range} entries in {report.seconds:.2f} s: "
        f"{report.rate:.0f} entries/s ({src.new} new)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--cycles", type=int, default=60)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--per-page", type=int, default=50)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.sources, args.pages, args.per_page)
        return
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--sources",
            str(args.sources),
            "--pages",
            str(args.pages),
            "--per-page",
            str(args.per_page),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            url = args.db or f"sqlite:///{tmp}/bench.db"
            bench_polling(url, port, args.sources, args.cycles)
            backfill_url = args.db or f"sqlite:///{tmp}/backfill.db"
            bench_backfill(backfill_url, port, args.sources, args.pages, args.per_page)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=30)


if __name__ == "__main__":
    main()
