#!/usr/bin/env python
"""Benchmark: the web archive (``aggregator serve``) under load, on SQLite and PostgreSQL.

    .venv/bin/python scripts/bench_web.py [--articles 100000] [--statements 300000]
        [--db sqlite|postgresql|both] [--keep DIR] [--requests 2000] [--clients 20] [--json]

For each database: generate a store (scripts/bench_web_store.py says what is in it; ``--keep
DIR`` keeps it and reuses it on the next run of the same size), start the real app with
``aggregator --db URL serve`` on a free loopback port, then for each endpoint send
``--requests`` requests from ``--clients`` concurrent clients (keep-alive connections), ids,
slugs and search terms drawn from the store with a fixed seed::

    /healthz                   the baseline: the server's own cost, no store read
    /events/{id}               an event page (any live event: most small, a few of 300 articles)
    /actors/{slug}             an actor page (actors drawn as often as they speak)
    /search?q=…                search: a common word, a rare word, or one of each
    /api/v1/search?q=…         the same terms, JSON
    /api/v1/events/{id}        an event, JSON

After a warm-up (a fifth as many requests per endpoint, at least 50, drawn with another seed:
the connection pool open and the caches filled), reported per endpoint: p50, p95 and max latency
(ms, request sent to body read), errors (any status but 200, or no answer), p50/p95 as a ratio
to ``/healthz``'s in the same run, the server process's CPU time a request (PostgreSQL's own
work is not in it) and the share of answers from the server's page cache (``x-cache: hit``); the
server's resident memory (VmRSS, with its workers) idle, after the warm-up, half-way and at the
end. Targets (issue 14, on the 2-core machine): event and actor pages p95 < 50 ms, search p95 <
150 ms, no error, memory flat (at most 16 MiB more at the end than half-way). Exits 1
when a target is missed. ``--json`` prints the figures as JSON on stdout (the tables go to
stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web_store import Scale, timed_populate, vocabulary

from aggregator.store import open_store
from aggregator.store.schema import events, statements

PG_ADMIN = os.environ.get("AGGREGATOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# the kept store's database (--keep), and a run's own, dropped after it
PG_KEPT = "aggregator_bench_web"
PG_ONCE = "aggregator_bench_web_once"
SEED = 2026
# requests per endpoint before measuring, a fifth of the measured ones and at least 50: templates
# compiled, the pool's connections opened and their page caches filled. They are drawn with
# another seed (WARM_UP_SEED), so the server's page cache holds no answer the measured requests
# were chosen to ask for: it only keeps what they ask for twice, or what the warm-up happened
# to ask for too (a busy speaker, a common word), as it would between real readers
WARM_UP = (5, 50)
WARM_UP_SEED = SEED + 1
# endpoint -> p95 target in ms (None: no target of its own)
TARGETS: dict[str, float | None] = {
    "healthz": None,
    "event page": 50,
    "actor page": 50,
    "search page": 150,
    "api search": 150,
    "api event": 50,
}
# growth of resident memory over the second half of the run still counted as flat (the first
# half may still fill caches: each of the pool's SQLite connections keeps its own page cache)
FLAT_MIB = 16.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- the store ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    url: str
    generated_s: float | None  # None: reused from --keep
    rows: dict[str, int]


def prepare(dialect: str, scale: Scale, keep: Path | None, work: Path) -> Prepared:
    """A generated store on ``dialect``: reused from ``keep`` when it holds one of this size."""
    marker = (keep or work) / f"bench-web-{dialect}.json"
    wanted = asdict(scale)
    if dialect == "sqlite":
        path = (keep or work) / "bench-web.db"
        url = f"sqlite:///{path}"
    else:
        database = PG_KEPT if keep else PG_ONCE
        url = make_url(PG_ADMIN).set(database=database).render_as_string(hide_password=False)
    if keep is not None and marker.exists():
        saved = json.loads(marker.read_text())
        if saved["scale"] == wanted and _revision(url) == saved["revision"]:
            log(f"{dialect}: reusing the store in {keep} ({saved['rows']})")
            return Prepared(url, None, saved["rows"])
    marker.unlink(missing_ok=True)  # until the new store is whole
    if dialect == "sqlite":
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    else:
        _recreate_database(database)
    with open_store(url) as store:
        revision = store.revision()
    engine = create_engine(url)
    try:
        rows, seconds = timed_populate(engine, scale)
    finally:
        engine.dispose()
    log(f"{dialect}: generated {rows} in {seconds:.1f} s")
    check_search_index(url)
    marker.write_text(json.dumps({"scale": wanted, "revision": revision, "rows": rows}))
    return Prepared(url, seconds, rows)


def make_pages(url: str) -> float:
    """``aggregator pages`` on the store, as a deployment runs it after processing: the
    seconds it took (a store reused from --keep has its pages already: only what is missing)."""
    began = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "aggregator"), "--db", url, "pages", "--no-progress"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"aggregator pages failed: {done.stderr.strip()[-2000:]}")
    log(f"pages: {done.stdout.strip()} ({seconds:.1f} s with the command's start)")
    return seconds


def check_search_index(url: str) -> None:
    """The rows went in by plain inserts: the search index must have them all the same (the
    database keeps it, by triggers or generated columns)."""
    word = vocabulary(Scale().seed).common[0]
    with open_store(url) as store:
        page = store.search(word, limit=1)
    if not page.total:
        raise SystemExit(f"the search index missed the generated rows: no hit for {word!r}")
    more = "" if page.total_exact else "more than "
    log(f"search index current: {word!r} matches {more}{page.total:,} statements and titles")


def _revision(url: str) -> str | None:
    try:
        with open_store(url, upgrade=False) as store:
            return store.revision()
    except Exception:  # no such database or file: nothing to reuse
        return None


def _recreate_database(name: str) -> None:
    drop_database(name)
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()


def drop_database(name: str) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


# -- the workload ---------------------------------------------------------------------------


def workload(url: str, requests: int, seed: int) -> dict[str, list[str]]:
    """The paths each endpoint is asked for, drawn from the store with a fixed seed."""
    rng = random.Random(seed)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            event_ids = list(
                conn.execute(
                    select(events.c.id).where(events.c.merged_into.is_(None)).order_by(events.c.id)
                ).scalars()
            )
            speakers = conn.execute(
                select(statements.c.actor_slug, func.count())
                .where(statements.c.actor_slug.is_not(None))
                .group_by(statements.c.actor_slug)
                .order_by(statements.c.actor_slug)
            ).all()
    finally:
        engine.dispose()
    slugs = [slug for slug, _ in speakers]
    spoken = [n for _, n in speakers]
    terms = search_terms(rng, requests)
    ids = rng.choices(event_ids, k=requests)
    return {
        "healthz": ["/healthz"] * requests,
        "event page": [f"/events/{quote(i)}" for i in ids],
        "actor page": [f"/actors/{quote(s)}" for s in rng.choices(slugs, spoken, k=requests)],
        "search page": [f"/search?q={quote_plus(t)}" for t in terms],
        "api search": [f"/api/v1/search?q={quote_plus(t)}" for t in terms],
        "api event": [f"/api/v1/events/{quote(i)}" for i in rng.sample(ids, len(ids))],
    }


def search_terms(rng: random.Random, count: int) -> list[str]:
    """A common word (40 %), a rare word (30 %), or a common and a rare word (30 %)."""
    words = vocabulary(Scale().seed)
    found = []
    for _ in range(count):
        roll = rng.random()
        common, rare = rng.choice(words.common), rng.choice(words.rare)
        found.append(common if roll < 0.4 else rare if roll < 0.7 else f"{common} {rare}")
    return found


# -- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(url: str, command: str, log_path: Path) -> Iterator[tuple[str, int]]:
    """Start the server (``command`` formatted with url and port); yields its base URL and
    pid once ``/healthz`` answers 200, and stops it afterwards."""
    port = free_port()
    argv = command.format(url=url, port=port, bin=Path(sys.executable).parent).split()
    with log_path.open("wb") as out:
        server = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server, log_path)
            yield base, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(base: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited ({server.returncode}):\n{log_path.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within 60 s:\n{log_path.read_text()}")


def rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its children (workers), MiB."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(kid)]
    return found


# -- the load -------------------------------------------------------------------------------


def by_kind(paths: list[str], latencies: list[float]) -> dict[str, dict[str, float]]:
    """A search endpoint's p50/p95 by the kind of query: a common word, a rare one, or both."""
    common = set(vocabulary(Scale().seed).common)
    kinds: dict[str, list[float]] = {"common word": [], "rare word": [], "common + rare": []}
    for path, ms in zip(paths, latencies, strict=True):
        words = parse_qs(urlsplit(path).query)["q"][0].split()
        kind = "common + rare" if len(words) > 1 else "common word"
        kinds[kind if len(words) > 1 or words[0] in common else "rare word"].append(ms)
    return {
        kind: {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95)}
        for kind, ms in kinds.items()
        if ms
    }


@dataclass(frozen=True)
class Result:
    endpoint: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_ms: float  # the server's CPU time a request (all its threads)
    hits: int = 0  # answers from the server's page cache (x-cache: hit)
    stored: int = 0  # answers sent from the store's made pages (x-page: stored)
    p50_x: float = 0.0  # ratio to /healthz's p50 in the same run
    p95_x: float = 0.0
    target_ms: float | None = None
    first_error: str | None = None
    kinds: dict[str, dict[str, float]] | None = None  # search: by kind of query

    @property
    def met(self) -> bool:
        return self.errors == 0 and (self.target_ms is None or self.p95_ms < self.target_ms)


async def load(
    base: str, paths: list[str], clients: int
) -> tuple[list[float], list[str], int, int]:
    """Send every path, ``clients`` at a time, each client on its own keep-alive connection;
    latencies in ms (in the order of ``paths``), what went wrong, how many answers came from
    the server's page cache (``x-cache: hit``) and how many from its made pages (``x-page:
    stored``)."""
    latencies = [0.0] * len(paths)
    errors: list[str] = []
    hits = stored = 0
    queue = iter(enumerate(paths))
    host, port = base.removeprefix("http://").split(":")

    async def one_client() -> None:
        nonlocal hits, stored
        connection = None
        for i, path in queue:
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection(host, int(port))
                status, body, closing, came = await get(*connection, path, base)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                status, body, closing = -1, f"{type(exc).__name__}: {exc}".encode(), True
                came = ""
            latencies[i] = (time.perf_counter() - began) * 1000
            hits += came == "hit"
            stored += came == "stored"
            if status != 200:
                errors.append(f"{path}: HTTP {status}: {body[:200].decode(errors='replace')}")
            if closing and connection is not None:
                connection[1].close()
                connection = None
        if connection is not None:
            connection[1].close()

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, errors, hits, stored


async def get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, base: str
) -> tuple[int, bytes, bool, str]:
    """One HTTP/1.1 GET on a kept-alive connection: status, body, whether the server closes,
    and where the answer came from: "hit" (its page cache), "stored" (a made page) or "".

    A client this small costs the load generator little CPU, which on a 2-core machine is CPU
    the server under test keeps (httpx's client took about as much as the server it measured).
    """
    host = base.removeprefix("http://")
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = await _chunked(reader)
    else:
        body = await reader.read()
    came = "hit" if headers.get("x-cache") == "hit" else headers.get("x-page", "")
    return status, body, headers.get("connection") == "close", came


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        parts.append((await reader.readexactly(size + 2))[:-2])
    while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, up to the empty line
        pass
    return b"".join(parts)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile ``p`` (0-100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def measure(
    base: str, pid: int, warm: dict[str, list[str]], work: dict[str, list[str]], clients: int
) -> dict[str, Any]:
    """Warm up with ``warm``, then load each endpoint of ``work`` in turn; the results and
    memory samples."""
    memory = {"idle": rss_mib(pid)}
    for paths in warm.values():
        asyncio.run(load(base, paths, clients))
    memory["start"] = rss_mib(pid)
    results: list[Result] = []
    began, cpu, client_cpu = time.perf_counter(), _cpu_seconds(pid), time.process_time()
    for i, (endpoint, paths) in enumerate(work.items()):
        before = _cpu_seconds(pid)
        latencies, errors, hits, stored = asyncio.run(load(base, paths, clients))
        cpu_ms = (_cpu_seconds(pid) - before) * 1000 / len(paths)
        results.append(
            Result(
                endpoint,
                len(paths),
                len(errors),
                percentile(latencies, 50),
                percentile(latencies, 95),
                max(latencies),
                cpu_ms,
                hits=hits,
                stored=stored,
                target_ms=TARGETS.get(endpoint),
                first_error=errors[0] if errors else None,
                kinds=by_kind(paths, latencies) if "search" in endpoint else None,
            )
        )
        if i == len(work) // 2 - 1:
            memory["middle"] = rss_mib(pid)
    memory["end"] = rss_mib(pid)
    wall, server_cpu = time.perf_counter() - began, _cpu_seconds(pid) - cpu
    client_cpu = time.process_time() - client_cpu
    base_p50, base_p95 = results[0].p50_ms, results[0].p95_ms
    results = [
        Result(**{**asdict(r), "p50_x": r.p50_ms / base_p50, "p95_x": r.p95_ms / base_p95})
        for r in results
    ]
    return {
        "results": results,
        "memory_mib": memory,
        "wall_s": wall,
        "server_cpu_s": server_cpu,
        "client_cpu_s": client_cpu,
        "memory_flat": memory["end"] - memory["middle"] <= FLAT_MIB,
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children so far."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


# -- the report -----------------------------------------------------------------------------


def print_table(dialect: str, prepared: Prepared, run: dict[str, Any], out: TextIO) -> None:
    say = partial(print, file=out, flush=True)
    generated = (
        "reused" if prepared.generated_s is None else f"generated in {prepared.generated_s:.1f} s"
    )
    rows = ", ".join(f"{n:,} {t}" for t, n in prepared.rows.items())
    say(f"\n{dialect}: {rows} ({generated})")
    say(
        f"{'endpoint':12} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'p50 x':>6} {'p95 x':>6} {'CPU ms':>6} {'cached':>6} {'made':>6}  target"
    )
    for r in run["results"]:
        target = "" if r.target_ms is None else f"p95 < {r.target_ms:.0f} ms"
        verdict = "" if r.target_ms is None and not r.errors else ("met" if r.met else "MISSED")
        line = (
            f"{r.endpoint:12} {r.requests:8d} {r.errors:6d} {r.p50_ms:7.1f} {r.p95_ms:7.1f} "
            f"{r.max_ms:7.1f} {r.p50_x:6.1f} {r.p95_x:6.1f} {r.cpu_ms:6.1f} "
            f"{r.hits / r.requests:6.0%} {r.stored / r.requests:6.0%}  {target} {verdict}"
        )
        say(line.rstrip())
        for kind, k in (r.kinds or {}).items():
            say(f"  {kind:14} {k['n']:6.0f} {'':6} {k['p50_ms']:7.1f} {k['p95_ms']:7.1f}")
        if r.first_error:
            say(f"    first error: {r.first_error}")
    m = run["memory_mib"]
    flat = "flat" if run["memory_flat"] else f"NOT flat: > {FLAT_MIB:.0f} MiB in the second half"
    say(
        f"server RSS MiB: idle {m['idle']:.0f}, after warm-up {m['start']:.0f}, "
        f"half-way {m['middle']:.0f}, end {m['end']:.0f} ({flat}); "
        f"{run['wall_s']:.1f} s wall, CPU: server {run['server_cpu_s']:.1f} s, "
        f"load generator {run['client_cpu_s']:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=Scale.articles)
    parser.add_argument("--statements", type=int, default=Scale.statements)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--keep", type=Path, help="keep the generated stores here, reuse them")
    parser.add_argument("--requests", type=int, default=2_000, help="per endpoint (2000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument(
        "--serve",
        default="{bin}/aggregator --db {url} serve --port {port}",
        help="the server command ({bin}: this Python's bin folder; {url}, {port})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-pages",
        action="store_true",
        help="do not make the pages ahead (`aggregator pages`); pages made by an earlier run "
        "of a kept store stay",
    )
    args = parser.parse_args()
    scale = Scale(articles=args.articles, statements=args.statements)
    dialects = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    report: dict[str, Any] = {
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "clients": args.clients,
        "requests_per_endpoint": args.requests,
    }
    try:
        for dialect in dialects:
            prepared = prepare(dialect, scale, args.keep, work)
            made_s = None if args.no_pages else make_pages(prepared.url)
            paths = workload(prepared.url, args.requests, SEED)
            share, least = WARM_UP
            warm = workload(prepared.url, max(least, args.requests // share), WARM_UP_SEED)
            with serving(prepared.url, args.serve, work / f"server-{dialect}.log") as (base, pid):
                run = measure(base, pid, warm, paths, args.clients)
            report[dialect] = {
                "rows": prepared.rows,
                "generated_s": prepared.generated_s,
                "pages_s": made_s,
                **run,
                "results": [asdict(r) for r in run["results"]],
            }
            # with --json the tables go to stderr, and stdout is the JSON alone
            print_table(dialect, prepared, run, sys.stderr if args.json else sys.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.keep is None and "postgresql" in dialects:
            drop_database(PG_ONCE)
    report["load_average_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(report, indent=2))
    print(
        f"\nload average {report['load_average']:.2f} -> "
        f"{report['load_average_after']:.2f} on {report['cpus']} CPUs",
        file=sys.stderr if args.json else sys.stdout,
    )
    met = all(
        r["errors"] == 0 and (r["target_ms"] is None or r["p95_ms"] < r["target_ms"])
        and report[d]["memory_flat"]
        for d in dialects
        for r in report[d]["results"]
    )  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
