#!/usr/bin/env python
"""Benchmark: a day of 500 events and 5,000 statements, built and rendered (HTML and text).

Budget: building plus rendering both parts in under 1 s. Prints the median of several runs for
each stage and the ratio to a baseline measured in the same run (rendering the text template
alone), so figures from different machines can be compared. Exits 1 when over budget.

``--headline-events`` more events (100 by default) have no statement, only reports whose
headlines tell a party's act, so the build reads them (aggregator.digest.headlines); a row
apart gives the cost of reading those headlines with nothing cached, as on a day whose
headlines are all new.

    .venv/bin/python scripts/bench_digest.py [--events 500] [--statements-per-event 10]
                                              [--headline-events 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aggregator.digest import (
    DigestOptions,
    build_digest,
    day_period,
    render_digest,
    render_text,
)
from aggregator.digest.headlines import headline_statements
from aggregator.digest.render import HTML_BUDGET
from aggregator.extract.sides import default_gazetteer
from aggregator.model import Event, EventStatement, Report

BUDGET_SECONDS = 1.0
SIDES = ["Russia", "Georgia", "United States", "UN Security Council", "NATO", "European Union",
         "Ukraine", "France", "Turkey", "South Ossetia", "Abkhazia", "OSCE"]  # fmt: skip
PLACES = ["Tskhinvali", "Gori", "Poti", "Senaki", "Zugdidi", "Kodori", "Java", "Akhalgori"]
KINDS = ("official", "wire", "outlet")
TEMPLATES = [
    "Our forces have liberated {place} and are advancing.",
    "{place} remains under the complete control of our troops.",
    "At least {n} civilians were killed in {place} overnight.",
    "The reports of {n} dead are a lie spread to justify aggression.",
    "We call on all parties to respect the ceasefire around {place}.",
    "Humanitarian corridors to {place} must open without delay.",
    "The talks on {place} will resume once the shelling stops.",
    "Around {n} residents have fled {place} since the fighting began.",
]
HEADLINES = [  # a party's act, as headlines tell it (sentence and Title Case)
    "Georgia expels {n} Russian diplomats over the shelling of {place}",
    "Russia deploys {n} more troops to {place} after overnight shelling",
    "Ukraine Bans Flights Over {place} as {n} Residents Flee",
    "France's foreign minister arrives in {place} with {n} tonnes of aid",
    "Turkey Summons Russian Ambassador Over {place} Strike That Killed {n}",
]


def synthetic_day(
    events: int, per_event: int, seed: int = 2008, headline_events: int = 0
) -> list[Event]:
    """A deterministic day of ``events`` events with ``per_event`` statements each, and
    ``headline_events`` more with none: two reports each, whose headline tells an act."""
    rng = random.Random(seed)
    sources = [(f"source-{i}", f"Publisher {i}", KINDS[i % 3]) for i in range(40)]
    start = datetime(2008, 8, 8, 23, tzinfo=UTC)
    day: list[Event] = []
    for e in range(events):
        first = start + timedelta(minutes=rng.randrange(0, 20 * 60))
        statements = []
        for s in range(per_event):
            reports = tuple(
                Report(name, publisher, kind, f"https://{name}.example/{e}/{s}/{r}",  # type: ignore[arg-type]
                          f"Story {e}-{s}-{r}", first + timedelta(minutes=r * 7))
                for r, (name, publisher, kind) in enumerate(rng.sample(sources, rng.randint(1, 8)))
            )  # fmt: skip
            text = rng.choice(TEMPLATES).format(
                place=rng.choice(PLACES), n=rng.choice([40, 150, 1500, 2000, 30000])
            )
            statements.append(
                EventStatement(
                    id=f"s{e}-{s}", text=text, kind=rng.choice(("direct", "indirect", "mixed")),
                    cue="said", speaker=f"Spokesperson {s}", actor=None, role="spokesperson",
                    side=rng.choice([*SIDES, None]), reports=reports,
                )
            )  # fmt: skip
        day.append(
            Event(
                id=f"e{e}", title=f"Event {e}: developments around {rng.choice(PLACES)}",
                first_seen_at=first, last_seen_at=first + timedelta(hours=rng.randint(0, 6)),
                articles=tuple({r for st in statements for r in st.reports}),
                statements=tuple(statements),
            )
        )  # fmt: skip
    for e in range(events, events + headline_events):
        first = start + timedelta(minutes=rng.randrange(0, 20 * 60))
        title = rng.choice(HEADLINES).format(place=rng.choice(PLACES), n=e)
        reports = tuple(
            Report(name, publisher, kind, f"https://{name}.example/{e}/{r}", title,  # type: ignore[arg-type]
                   first + timedelta(minutes=r * 7))
            for r, (name, publisher, kind) in enumerate(rng.sample(sources, 2))
        )  # fmt: skip
        day.append(
            Event(
                id=f"e{e}", title=title, first_seen_at=first,
                last_seen_at=first + timedelta(hours=1), articles=reports, statements=(),
            )
        )  # fmt: skip
    return day


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` calls of ``action``, after one warm-up call.

    CPU time is printed too because the machine may be shared: wall time under load is what a
    reader waits, CPU time is what the code costs.
    """
    action()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--statements-per-event", type=int, default=10)
    parser.add_argument("--headline-events", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    events = synthetic_day(
        args.events, args.statements_per_event, headline_events=args.headline_events
    )
    options = DigestOptions(subscription="bench", timezone="Europe/London")
    period = day_period(date(2008, 8, 9), "Europe/London")
    generated = datetime(2008, 8, 10, 6, tzinfo=UTC)
    digest = build_digest(events, options, period, generated_at=generated)
    rendered = render_digest(digest)

    # the baseline: the text template alone
    def baseline() -> str:
        return render_text(digest)

    base, base_cpu = median_seconds(baseline, args.runs)
    build, build_cpu = median_seconds(
        lambda: build_digest(events, options, period, generated_at=generated), args.runs
    )
    render, render_cpu = median_seconds(lambda: render_digest(digest), args.runs)
    # the headlines read with nothing cached: each headline once, as on a day of new headlines
    gazetteer = default_gazetteer()
    titles = sorted({e.articles[0].title for e in events if not e.statements})
    wall, cpu = time.perf_counter(), time.process_time()
    acts = sum(len(headline_statements(title, gazetteer)) for title in titles)
    cold, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu
    total, total_cpu = build + render, build_cpu + render_cpu
    statements = sum(len(e.statements) for e in events)
    print(f"events {len(events)}, statements {statements}, in digest {len(digest.events)}")
    print(f"headlines read {len(titles)}, acts found {acts}")
    html_kb = len(rendered.html.encode("utf-8")) / 1024
    text_mb = len(rendered.text) / 1e6
    print(f"html part {html_kb:.1f} KB (budget {HTML_BUDGET / 1024:.0f} KB), text {text_mb:.2f} MB")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'stage':34} {'wall ms':>8} {'cpu ms':>8} {'x baseline':>11}")
    rows = [
        ("baseline (text template alone)", base, base_cpu),
        ("build_digest (select+layout)", build, build_cpu),
        ("render_digest (html+css+text)", render, render_cpu),
        ("total", total, total_cpu),
        (f"headlines, uncached ({len(titles)})", cold, cold_cpu),
    ]
    for name, wall, cpu in rows:
        print(f"{name:34} {wall * 1000:8.1f} {cpu * 1000:8.1f} {cpu / base_cpu:10.2f}x")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("note: the machine is busy (load above its CPU count); wall times are inflated")
    verdict = "within" if total < BUDGET_SECONDS else "OVER"
    print(f"{verdict} the {BUDGET_SECONDS:.0f} s budget (wall, median of {args.runs} runs)")
    return 0 if total < BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
