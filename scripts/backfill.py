#!/usr/bin/env python3
"""The one-off backfill: load a past period, process it, and optionally render its digests.

A thin wrapper around the same library function as ``aggregator backfill``::

    python scripts/backfill.py --config feeds.yaml --since 2026-01-01 --until 2026-01-31
    python scripts/backfill.py --since 2026-01-01 --until 2026-01-31 --source wh \
        --from saved/whitehouse/ --digests --out digests/

Safe to interrupt and run again: each source resumes at its checkpoint, and entries already
stored are not stored twice. Exit status: 0, 1 when a source failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from aggregator.backfill import report_lines, run_backfill  # noqa: E402
from aggregator.config import load_settings  # noqa: E402
from aggregator.errors import AggregatorError  # noqa: E402
from aggregator.logs import setup_logging  # noqa: E402
from aggregator.store import open_store  # noqa: E402


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-01-31, got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--config", type=Path, default=Path(os.environ.get("AGGREGATOR_CONFIG", "feeds.yaml"))
    )
    parser.add_argument("--db", default=os.environ.get("AGGREGATOR_DATABASE_URL"))
    parser.add_argument("--since", type=_day, required=True, help="first day (UTC), inclusive")
    parser.add_argument("--until", type=_day, required=True, help="last day (UTC), inclusive")
    parser.add_argument("--source", action="append", default=[], metavar="NAME")
    parser.add_argument(
        "--from",
        dest="from_dir",
        type=Path,
        metavar="DIR",
        help="saved feed files and article pages, attributed to the one --source",
    )
    parser.add_argument("--digests", action="store_true", help="one digest per day of the range")
    parser.add_argument("--out", type=Path, metavar="DIR", help="where digests are written")
    parser.add_argument("--send", action="store_true", help="also mail each digest (at most once)")
    parser.add_argument(
        "--no-process",
        dest="process",
        action="store_false",
        help="store only; extraction and grouping are left to the daemon",
    )
    parser.add_argument("--fresh", action="store_true", help="ignore checkpoints, walk again")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar (default: only on a terminal)",
    )
    parser.add_argument("--json-logs", action="store_true")
    args = parser.parse_args(argv)
    setup_logging(json_logs=args.json_logs)
    try:
        settings = load_settings(args.config)
        url = args.db or settings.settings.database_url or "sqlite:///aggregator.db"
        with open_store(url) as store:
            report = run_backfill(
                store,
                settings,
                since=args.since,
                until=args.until,
                sources=args.source,
                from_dir=args.from_dir,
                digests=args.digests,
                out_dir=args.out,
                send=args.send,
                progress=args.progress,
                fresh=args.fresh,
                process=args.process,
            )
    except (AggregatorError, ValueError) as exc:
        print(f"backfill: {exc}", file=sys.stderr)
        return 2
    for line in report_lines(report):
        print(line)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
