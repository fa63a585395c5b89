#!/usr/bin/env python3
"""Benchmark the fetch stage and the loopback test server it is measured against.

The 45 real feeds of ../shared/corpora/realfeeds are served by tests.support.server on
127.0.0.1 and fetched with Fetcher.fetch_all, several rounds each way:

* full   : every fetch a 200 with the whole body (identity encoding)
* gzip   : the same bodies gzip-compressed on the wire, decoded under the caps
* 304    : conditional GET with the validators of the first pass
* server : the server alone, driven by one keep-alive socket (raw requests/s it can answer)

    .venv/bin/python scripts/bench_fetch.py              # 20 rounds
    .venv/bin/python scripts/bench_fetch.py --rounds 5   # quick check
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.fetch import Fetcher, FetchRequest  # noqa: E402
from aggregator.model import FetchLimits, FetchOutcome, Validators  # noqa: E402
from tests.support.server import FeedServer  # noqa: E402

LIMITS = FetchLimits(
    max_connections=20,
    max_per_host=8,  # one loopback host stands in for 45 publishers
    max_body_bytes=8 * 1024 * 1024,
    allowed_networks=("127.0.0.1/32",),
)


def real_feeds(corpora: Path) -> list[Path]:
    folder = corpora / "realfeeds" / "feeds"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf"))
    if not files:
        raise SystemExit(f"no feeds under {folder}; set --corpora")
    return files


async def rounds(
    requests: list[FetchRequest], count: int, expect: FetchOutcome
) -> tuple[float, int, int]:
    """Seconds for ``count`` passes over ``requests``; fetches done; body bytes received."""
    done = size = 0
    async with Fetcher(LIMITS) as fetcher:
        started = time.perf_counter()
        for _ in range(count):
            async for result in fetcher.fetch_all(requests):
                if result.outcome is not expect:
                    raise SystemExit(f"{result.requested_url}: {result.outcome} {result.error}")
                done += 1
                size += len(result.body or b"")
        return time.perf_counter() - started, done, size


def server_alone(server: FeedServer, path: str, count: int) -> float:
    """Requests/s the server answers on one keep-alive connection (client cost minimal)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    with socket.create_connection((server.host, server.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        started = time.perf_counter()
        for _ in range(count):
            sock.sendall(request)
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            reader.read(length)
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    files = real_feeds(args.corpora)
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} real feeds, {total / 1e6:.1f} MB per pass, {args.rounds} rounds")

    with FeedServer() as server:
        plain, gzipped = [], []
        for i, path in enumerate(files):
            body = path.read_bytes()
            plain.append(FetchRequest(path.name, server.add(f"/p/{i}", body, etag=True)))
            gzipped.append(
                FetchRequest(path.name, server.add(f"/z/{i}", body, encoding="gzip", etag=True))
            )

        async def first_validators() -> list[Validators]:
            async with Fetcher(LIMITS) as fetcher:
                return [(await fetcher.fetch(r)).validators for r in plain]

        kept = asyncio.run(first_validators())
        conditional = [replace(r, validators=v) for r, v in zip(plain, kept, strict=True)]

        for name, requests, expect in (
            ("full", plain, FetchOutcome.OK),
            ("gzip", gzipped, FetchOutcome.OK),
            ("304", conditional, FetchOutcome.NOT_MODIFIED),
        ):
            seconds, done, size = asyncio.run(rounds(requests, args.rounds, expect))
            print(
                f"{name:>6}: {done / seconds:7.0f} fetches/s, "
                f"{size / seconds / 1e6:6.1f} MB/s decoded, {seconds:.2f} s"
            )
        print(f"server: {server_alone(server, '/p/0', 5000):7.0f} requests/s (one connection)")


if __name__ == "__main__":
    main()
