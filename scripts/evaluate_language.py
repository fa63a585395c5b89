#!/usr/bin/env python3
"""The language of every article of the realfeeds corpus, as ingest gives it (issue 16).

Usage::

    .venv/bin/python scripts/evaluate_language.py [--day YYYY-MM-DD]… [--titles] [--json]

Every feed of ``../shared/corpora/realfeeds`` goes through ``parse_feed`` as a source with no
configured ``language``, so each article's language is detected from its words, else taken
from what the feed declares (``aggregator.parse.language.article_language``). An entry carried
by several files (the White House snapshots overlap) counts once.

Each file's language was read by hand: the UNIAN feed is Ukrainian, the Ukrainska Pravda feed
is its Russian-language edition (the manifest marks both "(uk)", the country), every other
feed English. Printed: right, none and wrong per feed and overall; where the language came
from (detected, or declared only); and the articles a day in each language (the stored tag's
primary subtag), for the busiest days or the ``--day`` given, by the article's UTC date.

``--titles`` measures the threshold on length: each title is detected alone (the hardest case,
no text), with the letter minimum lifted, and right, none and wrong are counted by the number
of letters in the title.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.parse import language, parse_feed  # noqa: E402
from aggregator.parse.language import detect_language, primary_tag  # noqa: E402

CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))
#: the language of each feed, read by hand (file stem prefix -> primary tag); others English
EXPECTED = {"unian_2020": "uk", "pravda_ua_2020": "ru"}


def expected_language(path: Path) -> str:
    return next((tag for stem, tag in EXPECTED.items() if path.stem.startswith(stem)), "en")


@dataclass
class Report:
    """What :func:`evaluate` found; ``--json`` prints it as it is."""

    articles: int = 0
    total: Counter[str] = field(default_factory=Counter)  # right, none, wrong
    origin: Counter[str] = field(default_factory=Counter)  # detected, declared, none
    per_feed: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    days: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[dict[str, str | None]] = field(default_factory=list)
    # titles alone, by letters (10-19, 20-29 …): right, none, wrong
    titles: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def evaluate(corpus: Path, titles: bool = False) -> Report:
    """Every article's language against its feed's; counts per feed, per source and per day;
    with ``titles``, each title alone by its length too."""
    report = Report()
    seen: set[str] = set()
    for entry in json.loads((corpus / "manifest.json").read_text(encoding="utf-8")):
        path = corpus / entry["file"]
        expected = expected_language(path)
        feed = parse_feed(path.read_bytes(), source=path.stem)
        for article in feed.articles:
            key = article.url or f"{path.stem}:{article.guid}"
            if key in seen:
                continue
            seen.add(key)
            tag = primary_tag(article.language) if article.language else None
            detected = detect_language(article.title, article.text)
            report.origin["detected" if detected else "declared" if tag else "none"] += 1
            verdict = "right" if tag == expected else "none" if tag is None else "wrong"
            report.total[verdict] += 1
            report.per_feed[path.name][verdict] += 1
            if verdict != "right":
                report.misses.append(
                    {
                        "file": path.name,
                        "expected": expected,
                        "got": article.language,
                        "title": article.title[:100],
                    }
                )
            day = article.published.date().isoformat() if article.published else "undated"
            report.days[day][tag or "none"] += 1
            if titles:
                letters = sum(c.isalpha() for c in article.title)
                bucket = f"{letters // 10 * 10}-{letters // 10 * 10 + 9}" if letters < 50 else "50+"
                report.titles[bucket][_title_verdict(article.title, expected)] += 1
    report.articles = len(seen)
    return report


def _title_verdict(title: str, expected: str) -> str:
    """right, none or wrong for ``title`` alone, whatever its length."""
    minimum, language.MIN_LETTERS = language.MIN_LETTERS, 1
    try:
        found = detect_language(title, "")
    finally:
        language.MIN_LETTERS = minimum
    return "right" if found == expected else "none" if found is None else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--day", action="append", default=[], help="a UTC day to count (repeat)")
    parser.add_argument("--titles", action="store_true", help="also each title alone, by length")
    parser.add_argument("--json", action="store_true", help="everything as one JSON object")
    args = parser.parse_args()
    report = evaluate(CORPORA / "realfeeds", titles=args.titles)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=1, sort_keys=True))
        return
    total, origin = report.total, report.origin
    print(
        f"realfeeds: {report.articles} articles; right {total['right']}, none {total['none']}, "
        f"wrong {total['wrong']}; language detected for {origin['detected']}, "
        f"declared only {origin['declared']}, none {origin['none']}"
    )
    for name, counts in sorted(report.per_feed.items()):
        path = Path(name)
        if counts["right"] != counts.total() or path.stem in EXPECTED:
            print(f"  {name} ({expected_language(path)}): {dict(counts)}")
    for miss in report.misses:
        print(
            f"  miss: {miss['file']} expected {miss['expected']}, got {miss['got']}: "
            f"{miss['title']}"
        )
    days = report.days
    wanted = args.day or sorted(days, key=lambda d: -days[d].total())[:4]
    print("articles a day by language (UTC date of publication):")
    for day in sorted(wanted):
        counts = days.get(day, Counter())
        shown = ", ".join(f"{tag} {n}" for tag, n in counts.most_common()) or "no article"
        print(f"  {day}: {shown}")
    if args.titles:
        print(f"titles alone, by letters (detection needs {language.MIN_LETTERS}):")
        for bucket, counts in sorted(report.titles.items()):
            print(
                f"  {bucket} letters: {counts.total():4d} titles, right {counts['right']}, "
                f"none {counts['none']}, wrong {counts['wrong']}"
            )


if __name__ == "__main__":
    main()
