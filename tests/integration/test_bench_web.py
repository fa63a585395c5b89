"""scripts/bench_web.py on a small store: the generated rows hold together, the search index has
them, and a short load against `aggregator serve` gets 200 from every endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.scripts import load_script

bench = load_script("bench_web")
store_rows = load_script("bench_web_store")

SCALE = store_rows.Scale(articles=400, statements=1_200, actors=50, sources=10)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("bench-web")
    prepared = bench.prepare("sqlite", SCALE, None, folder)  # also checks the search index
    assert prepared.rows["articles"] == 400
    assert prepared.rows["statements"] == 1_200
    url: str = prepared.url
    return url


def scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("what", "sql"),
    [
        # a copy repeats a canonical statement of its own event, word for word
        (
            "copies outside their event",
            "SELECT count(*) FROM statements c JOIN statements o ON o.id = c.canonical_id "
            "JOIN articles ca ON ca.id = c.article_id JOIN articles oa ON oa.id = o.article_id "
            "WHERE ca.event_id != oa.event_id OR c.text != o.text OR o.canonical_id IS NOT NULL",
        ),
        # an event's counters are what its rows say (as the grouping stage's recount makes them)
        (
            "events miscounted",
            "SELECT count(*) FROM events e WHERE e.article_count != "
            "(SELECT count(*) FROM articles a WHERE a.event_id = e.id) OR e.statement_count != "
            "(SELECT count(*) FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE a.event_id = e.id AND s.canonical_id IS NULL)",
        ),
        # a merged event keeps no article
        (
            "articles in merged events",
            "SELECT count(*) FROM articles a JOIN events e ON e.id = a.event_id "
            "WHERE e.merged_into IS NOT NULL",
        ),
        ("statements of an actor without a slug", "SELECT count(*) FROM statements "
         "WHERE actor IS NOT NULL AND actor_slug IS NULL"),
    ],
)  # fmt: skip
def test_the_generated_store_holds_together(generated: str, what: str, sql: str) -> None:
    assert scalar(generated, sql) == 0, what


def test_a_short_load_gets_200_from_every_endpoint(generated: str, tmp_path: Path) -> None:
    work = bench.workload(generated, 12, bench.SEED)
    warm = bench.workload(generated, 4, bench.WARM_UP_SEED)
    assert set(work) == set(bench.TARGETS)
    command = "{bin}/aggregator --db {url} serve --port {port}"
    with bench.serving(generated, command, tmp_path / "server.log") as (base, pid):
        run = bench.measure(base, pid, warm, work, clients=3)
    for result in run["results"]:
        assert result.errors == 0, result.first_error
        assert result.requests == 12
        assert 0 < result.p50_ms <= result.p95_ms <= result.max_ms
        assert 0 <= result.hits <= result.requests
    # /healthz reads no page of the store: never from the page cache
    assert next(r for r in run["results"] if r.endpoint == "healthz").hits == 0
    searches = [r for r in run["results"] if "search" in r.endpoint]
    assert all(r.kinds for r in searches)
    assert run["memory_mib"]["end"] > 0


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 50) == 50.0
    assert bench.percentile(values, 95) == 95.0
    assert bench.percentile([7.0], 95) == 7.0
