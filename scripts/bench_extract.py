#!/usr/bin/env python3
"""Benchmark statement extraction on PolNeAR texts (one core).

Usage::

    .venv/bin/python scripts/bench_extract.py [--repeat 3] [--limit N] [--json]

Prints articles/s and words/s for ``extract_statements`` and, measured in the same run over the
same texts, for a trivial baseline (one regular-expression pass finding quotations and "said"),
so the ratio is comparable across machines. Target (issue 3): >= 200 articles of ~800 words/s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.extract import extract_statements  # noqa: E402

CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))
_BASELINE = re.compile(r"[\"“][^\"”]{1,400}[\"”]|\b(?:said|says|told)\b")


def _texts(limit: int | None) -> list[str]:
    base = CORPORA / "polnear" / "data"
    paths = sorted((base / "train" / "text").glob("*.txt")) + sorted(
        (base / "dev" / "text").glob("*.txt")
    )
    if limit is not None:
        paths = paths[:limit]
    return [p.read_text(encoding="utf-8") for p in paths]


def _best_of(repeat: int, texts: Sequence[str], work: Callable[[str], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best one counts")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    texts = _texts(args.limit)
    if not texts:
        print(f"error: no PolNeAR texts under {CORPORA}", file=sys.stderr)
        return 2
    words = sum(len(t.split()) for t in texts)
    extract_statements(texts[0])  # build the gazetteer and compile patterns outside the clock
    seconds = _best_of(args.repeat, texts, extract_statements)
    baseline = _best_of(args.repeat, texts, _BASELINE.findall)
    result = {
        "articles": len(texts),
        "words": words,
        "words_per_article": round(words / len(texts)),
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(texts) / seconds, 1),
        "words_per_second": round(words / seconds),
        "baseline_articles_per_second": round(len(texts) / baseline, 1),
        "slowdown_vs_baseline": round(seconds / baseline, 1),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"extract_statements: {result['articles']} articles ({result['words_per_article']} words "
        f"each on average) in {result['seconds']} s -> {result['articles_per_second']} "
        f"articles/s, {result['words_per_second']} words/s"
    )
    print(
        f"baseline (one regex pass): {result['baseline_articles_per_second']} articles/s; "
        f"extraction is {result['slowdown_vs_baseline']}x slower"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
