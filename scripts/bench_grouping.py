#!/usr/bin/env python
"""Speed and memory of grouping over a long stream (see docs/benchmarks/grouping.md).

Articles are generated from real sentences (ECB+ texts, read from ../shared/corpora at run time)
with invented names and figures per event, a few articles per event, and publication times that
advance so that the 7-day window holds a bounded number of articles (``--per-day``). Reported:

* events: throughput of :class:`aggregator.group.Grouper` (near-duplicates + events, the
  pipeline's path) per slice of the stream, so the rate at 10k and at 100k history can be read
  side by side, and its ratio to a baseline measured in the same run: building the article
  vectors only (``feature_groups``), the floor any TF-IDF grouping pays;
* statements: throughput of :class:`aggregator.group.StatementMerger` on quotes, 40 % of them
  re-reports of an earlier quote (trimmed, cut by an ellipsis, a bracketed insertion, other
  punctuation), and how many of those re-reports it merged;
* peak memory (peak RSS of a fresh process per part, and live objects at the end);
* growth on a hostile, syndication-heavy stream (``--part syndication``): thousands of near
  copies of a few texts (most are near-duplicates, every fourth is rewritten enough to be only
  the same event), at 2k, 4k and 8k articles and more, through ``Grouper`` as the pipeline
  calls it (each article added, the event's title taken as it goes, a flush every 500 articles:
  merges, moves and the step's events); four times the articles
  must take at most five times as long (grouping was quadratic there: each copy was compared
  with every earlier copy, and an event's title scored every article of the event).

Rates are articles per second of this process's CPU time (``time.process_time``), i.e. on one
core, so other work on the machine does not distort them; the wall time of each part is printed
too.

    .venv/bin/python scripts/bench_grouping.py            # 100,000 articles and statements
    .venv/bin/python scripts/bench_grouping.py --n 20000  # a quick check
    .venv/bin/python scripts/bench_grouping.py --part syndication   # 2k to 100k, ~3 min
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.group import GroupDoc, Grouper, StatementMerger  # noqa: E402
from aggregator.group.text import feature_groups  # noqa: E402

DEFAULT_CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))
START = datetime(2026, 1, 1, tzinfo=UTC)
PROCESS_BATCH = 500  # articles pipeline/process.py groups between two flushes (a store batch)
_SYLLABLES = "ka ro vin ta mel dor si an bel gur ost pha len tri mo zu ne ral chi ver".split()


def sentences(corpora: Path) -> list[str]:
    """Real sentences to build articles and quotes from (ECB+ texts, one sentence a line)."""
    path = corpora / "ecbplus-dev" / "ecbplus_docs.jsonl"
    if not path.is_file():
        raise SystemExit(f"missing corpus: {path} (set AGGREGATOR_CORPORA)")
    found: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for sentence in json.loads(line)["text"].split("\n"):
                if 8 <= len(sentence.split()) <= 60:
                    found.append(re.sub(r"``|''", '"', sentence))
    return found


def invented_name(rng: random.Random) -> str:
    """A capitalised made-up name ("Melvinta"), so events carry names no real text has."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def articles(
    pool: list[str], n: int, per_day: int, seed: int, language: str | None = None
) -> Iterator[GroupDoc]:
    """``n`` articles: events of 1-8 articles each, published over a few hours, in time order;
    tagged with ``language`` ("en"; "en,fr": by turns, which makes the clusterer read every
    article's language-independent evidence and compare across the tags)."""
    tags = language.split(",") if language else [None]
    rng = random.Random(seed)
    produced = 0
    event = 0
    while produced < n:
        event += 1
        names = [invented_name(rng) for _ in range(3)]
        figure = str(rng.randint(2, 5000))
        core = rng.sample(pool, 4)
        start = START + timedelta(days=produced / per_day)
        for copy in range(min(rng.randint(1, 8), n - produced)):
            picked = rng.sample(core, 3) + rng.sample(pool, 2)
            words = " ".join(picked).split()
            del words[rng.randrange(len(words))]  # every outlet edits a little
            text = f"{names[0]} {names[1]} said {figure} in {names[2]}. " + " ".join(words)
            title = f"{names[0]}: {' '.join(core[0].split()[:8])}"
            published = start + timedelta(minutes=rng.randint(0, 600))
            tag = tags[produced % len(tags)]
            yield GroupDoc(f"a{event}-{copy}", title, text, published, f"outlet-{copy}", tag)
            produced += 1


def run_events(
    n: int, per_day: int, seed: int, slice_size: int, corpora: Path, language: str | None = None
) -> dict[str, object]:
    """Throughput per slice for the Grouper, and the vectorising-only baseline."""
    pool = sentences(corpora)
    # the baseline: build the vectors' raw material for the first slice only
    sample = list(articles(pool, min(slice_size, n), per_day, seed))
    started = time.process_time()
    for doc in sample:
        feature_groups(doc.title, doc.text)
    baseline = len(sample) / (time.process_time() - started)
    del sample
    grouper = Grouper()
    wall = time.perf_counter()
    rates: list[tuple[int, float]] = []
    done = 0
    copies = moved = 0
    assigned: dict[str, str] = {}
    survivor: dict[str, str] = {}
    stream = articles(pool, n, per_day, seed, language)
    # each slice is generated first and timed alone, so generating costs nothing here
    baselines: list[float] = []
    while chunk := list(islice(stream, slice_size)):
        # the baseline again on this slice: the machine is shared and its speed drifts over a
        # run, so each slice's rate is also given against the baseline measured next to it
        started = time.process_time()
        for doc in chunk:
            feature_groups(doc.title, doc.text)
        baselines.append(len(chunk) / (time.process_time() - started))
        started = time.process_time()
        for doc in chunk:
            assignment = grouper.add(doc)
            step = grouper.flush()
            survivor.update(step.merges)
            copies += assignment.duplicate_of is not None
            moves = step.assignments[1:]  # after the article's own: a repair's moves
            assigned.update(step.assignments)
            moved += len(moves)
        rates.append((done + len(chunk), len(chunk) / (time.process_time() - started)))
        done += len(chunk)
    final = {doc_id: _follow(survivor, event_id) for doc_id, event_id in assigned.items()}
    precision, recall = _bcubed(final)
    return {
        "wall_s": time.perf_counter() - wall,
        "articles": done,
        "baseline_per_s": baseline,
        "rates": rates,
        "slice_baselines": baselines,
        "events": len(set(final.values())),
        "true_events": len({doc_id.split("-")[0] for doc_id in final}),
        "bcubed_p": precision,
        "bcubed_r": recall,
        "copies": copies,
        "moved": moved,
        "live_events": grouper.events.live_events(),
        "live_articles": grouper.events.live_articles(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def syndicated(pool: list[str], n: int, seed: int, texts: int = 5) -> Iterator[GroupDoc]:
    """``n`` near copies of ``texts`` stories, as syndication produces, one every 30 seconds.

    Most copies change two words of their story (near-duplicates); every fourth rewrites a
    quarter of the words (not a copy any more, still the same event). The stories stay in the
    news, so their events stay live and grow with the stream.
    """
    rng = random.Random(seed)
    stories = []
    for _ in range(texts):
        names = [invented_name(rng) for _ in range(3)]
        words = " ".join(rng.sample(pool, 6)).split()
        stories.append((names, words))
    vocabulary = " ".join(rng.sample(pool, 50)).split()
    for number in range(n):
        story = rng.randrange(texts)
        names, words = stories[story]
        words = list(words)
        edits = len(words) // 4 if number % 4 == 3 else 2
        for _ in range(edits):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        title = f"{names[0]} {' '.join(words[:6])}"
        text = f"{names[0]} {names[1]} said in {names[2]}. " + " ".join(words)
        published = START + timedelta(seconds=30 * number)
        yield GroupDoc(f"s{story}-{number}", title, text, published, f"outlet-{number % 40}")


def run_syndication(sizes: list[int], seed: int, corpora: Path) -> dict[str, object]:
    """CPU seconds of the pipeline's grouping calls over the syndicated stream, per size."""
    pool = sentences(corpora)
    rows: list[dict[str, float]] = []
    for size in sizes:
        docs = list(syndicated(pool, size, seed))
        grouper = Grouper()
        copies = 0
        started = time.process_time()
        for start in range(0, len(docs), PROCESS_BATCH):  # as pipeline/process.py calls it
            for doc in docs[start : start + PROCESS_BATCH]:
                copies += grouper.add(doc).duplicate_of is not None
            grouper.flush()
        seconds = time.process_time() - started
        rows.append(
            {
                "articles": size,
                "seconds": seconds,
                "per_s": size / seconds,
                "copies": copies,
                "live_events": grouper.events.live_events(),
            }
        )
    return {"rows": rows, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _print_growth(rows: list[dict[str, float]], what: str) -> None:
    """Each size's time and its ratio to the size a quarter as large (linear: 4, bar: 5)."""
    by_size = {int(row[what]): row["seconds"] for row in rows}
    for row in rows:
        size = int(row[what])
        quarter = by_size.get(size // 4) if size % 4 == 0 else None
        growth = f"  x{row['seconds'] / quarter:.1f} for x4" if quarter else ""
        print(
            f"  {size:>8,} {what}: {row['seconds']:7.2f} s ({size / row['seconds']:,.0f}/s, "
            f"copies {int(row['copies']):,}){growth}"
        )


def _follow(survivor: dict[str, str], event_id: str) -> str:
    while event_id in survivor:
        event_id = survivor[event_id]
    return event_id


def _bcubed(predicted: dict[str, str]) -> tuple[float, float]:
    """BCubed precision and recall against the generated events ("a{event}-{copy}" ids)."""
    by_predicted: dict[str, list[str]] = {}
    by_gold: dict[str, list[str]] = {}
    for doc_id, event_id in predicted.items():
        by_predicted.setdefault(event_id, []).append(doc_id)
        by_gold.setdefault(doc_id.split("-")[0], []).append(doc_id)
    precision = recall = 0.0
    for members in by_predicted.values():
        golds: dict[str, int] = {}
        for doc_id in members:
            gold = doc_id.split("-")[0]
            golds[gold] = golds.get(gold, 0) + 1
        for gold, common in golds.items():
            precision += common * common / len(members)
            recall += common * common / len(by_gold[gold])
    return precision / len(predicted), recall / len(predicted)


def statements(pool: list[str], n: int, seed: int) -> Iterator[tuple[str, str, str, str | None]]:
    """(id, speaker, text, id of the statement it re-reports or None) for ``n`` statements."""
    rng = random.Random(seed)
    speakers = [f"{invented_name(rng)} {invented_name(rng)}" for _ in range(2000)]
    recent: list[tuple[str, str, str]] = []
    for number in range(n):
        statement_id = f"s{number}"
        if recent and rng.random() < 0.4:
            original_id, speaker, text = rng.choice(recent)
            words = text.split()
            variant = rng.randrange(4)
            if variant == 0:  # trimmed at both ends
                words = words[rng.randint(0, 2) : len(words) - rng.randint(0, 2)]
            elif variant == 1:  # an ellipsis in the middle
                middle = len(words) // 2
                words = [*words[: middle - 1], "...", *words[middle + 1 :]]
            elif variant == 2:  # a bracketed insertion
                words.insert(len(words) // 3, "[the government]")
            else:  # other punctuation and case
                words = [w.strip(",.;:").lower() for w in words]
            yield statement_id, speaker, " ".join(words), original_id
        else:
            speaker = rng.choice(speakers)
            text = rng.choice(pool)
            recent.append((statement_id, speaker, text))
            if len(recent) > 5000:
                recent.pop(0)
            yield statement_id, speaker, text, None


def run_statements(n: int, seed: int, slice_size: int, corpora: Path) -> dict[str, object]:
    """Throughput per slice for the StatementMerger, and how many re-reports it merged."""
    pool = sentences(corpora)
    merger = StatementMerger()
    wall = time.perf_counter()
    canonical_of: dict[str, str] = {}
    rereports = merged = wrong = 0
    rates: list[tuple[int, float]] = []
    done = 0
    stream = statements(pool, n, seed)
    while chunk := list(islice(stream, slice_size)):
        started = time.process_time()
        for statement_id, speaker, text, original in chunk:
            canonical = merger.add(statement_id, speaker=speaker, text=text, kind="direct")
            canonical_of[statement_id] = canonical
            if original is not None:
                rereports += 1
                merged += canonical == canonical_of[original]
            elif canonical != statement_id:
                wrong += 1  # a fresh statement merged into another (the pool repeats sentences)
        rates.append((done + len(chunk), len(chunk) / (time.process_time() - started)))
        done += len(chunk)
    return {
        "wall_s": time.perf_counter() - wall,
        "statements": done,
        "rates": rates,
        "rereports": rereports,
        "merged": merged,
        "fresh_merged": wrong,
        "canonical": len(merger),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_fresh_process(part: str, args: argparse.Namespace) -> dict[str, object]:
    """Run one part in its own interpreter, so its peak RSS is its own."""
    command = [
        sys.executable,
        __file__,
        "--part",
        part,
        "--n",
        str(args.n),
        "--per-day",
        str(args.per_day),
        "--seed",
        str(args.seed),
        "--corpora",
        str(args.corpora),
        "--sizes",
        args.sizes,
        "--json",
        *(["--language", args.language] if args.language else []),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(output)
    return result


def _print_rates(rates: list[list[float]], baselines: list[float] | None) -> None:
    first = rates[0][1] if rates else 0.0
    for index, (done, rate) in enumerate(rates):
        extra = ""
        if baselines:
            extra = f", {rate / baselines[index]:.3f} x the baseline beside it"
        ratio = rate / first
        print(f"  at {int(done):>7,} history: {rate:>8,.0f} /s ({ratio:.2f} x first slice{extra})")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles and statements")
    parser.add_argument("--per-day", type=int, default=2_000, help="articles published a day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument(
        "--part",
        choices=["events", "statements", "syndication"],
        help="run one part only (default: all, each in a fresh process)",
    )
    parser.add_argument(
        "--sizes",
        default="2000,4000,8000,16000,25000,100000",
        help="articles of the syndication-heavy stream, comma-separated",
    )
    parser.add_argument("--json", action="store_true", help="print the part's figures as JSON")
    parser.add_argument(
        "--language",
        help="tag the events part's articles with this language (en), or with these by turns "
        "(en,fr: every article's evidence is read and compared across the tags)",
    )
    args = parser.parse_args(argv)
    slice_size = max(args.n // 10, 1)
    if args.part is not None and args.json:
        print(json.dumps(_run_part(args.part, args, slice_size)))
        return 0
    if args.part == "syndication":
        _report_syndication(_in_fresh_process("syndication", args))
        return 0
    if args.part is not None:
        print(json.dumps(_run_part(args.part, args, slice_size)))
        return 0
    print(
        f"python {sys.version.split()[0]}, CPU-time rates (one core), n={args.n:,}, "
        f"{args.per_day:,} articles/day, language {args.language or 'unknown'}"
    )
    events = _in_fresh_process("events", args)
    print("\n## events (Grouper: near-duplicates + events), window 7 days")
    baselines: list[float] = events["slice_baselines"]  # type: ignore[assignment]
    print(
        f"baseline (vectorising only): {events['baseline_per_s']:,.0f} articles/s before the "
        f"stream; beside each slice {min(baselines):,.0f}-{max(baselines):,.0f}"
    )
    _print_rates(events["rates"], baselines)  # type: ignore[arg-type]
    print(
        f"events {events['events']:,} (generated {events['true_events']:,}; BCubed "
        f"P={events['bcubed_p']:.3f} R={events['bcubed_r']:.3f}), "
        f"copies {events['copies']:,}, moved by repairs {events['moved']:,}, live at the end: "
        f"{events['live_events']:,} events / {events['live_articles']:,} articles; "
        f"peak RSS {events['peak_rss_mb']:.0f} MB; wall {events['wall_s']:.0f}s"
    )
    found = _in_fresh_process("statements", args)
    print("\n## statements (StatementMerger)")
    _print_rates(found["rates"], None)  # type: ignore[arg-type]
    print(
        f"re-reports merged {found['merged']:,}/{found['rereports']:,}; fresh statements merged "
        f"{found['fresh_merged']:,}; canonical {found['canonical']:,}; "
        f"peak RSS {found['peak_rss_mb']:.0f} MB; wall {found['wall_s']:.0f}s"
    )
    _report_syndication(_in_fresh_process("syndication", args))
    return 0


def _run_part(part: str, args: argparse.Namespace, slice_size: int) -> dict[str, object]:
    if part == "events":
        return run_events(args.n, args.per_day, args.seed, slice_size, args.corpora, args.language)
    if part == "statements":
        return run_statements(args.n, args.seed, slice_size, args.corpora)
    sizes = [int(size) for size in args.sizes.split(",")]
    return run_syndication(sizes, args.seed, args.corpora)


def _report_syndication(result: dict[str, object]) -> None:
    print("\n## syndication-heavy stream (near copies of 5 stories; x4 articles: at most x5 time)")
    rows: list[dict[str, float]] = result["rows"]  # type: ignore[assignment]
    _print_growth(rows, "articles")
    print(f"peak RSS {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
