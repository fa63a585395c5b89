#!/usr/bin/env python3
"""Benchmark statement extraction on PolNeAR texts (one core).

Usage::

    .venv/bin/python scripts/bench_extract.py [--repeat 3] [--limit N] [--json]

Prints articles/s and words/s for ``extract_statements`` and, measured in the same run over the
same texts, for a trivial baseline (one regular-expression pass finding quotations and "said"),
so the ratio is comparable across machines. Target (issue 3): >= 200 articles of ~800 words/s.
Then times a few hostile inputs at two sizes: their growth must stay linear. Then long texts
(issue 12): prose of 0.25 to 2 MB and up to 200,000 lines of ``"Yes," he said.``, read whole
(``limit=None``: the cap on what extraction reads would hide the growth), each size 4 times
the one before but one: four times the text must take at most five times as long.

    .venv/bin/python scripts/bench_extract.py --part long      # the long texts only
    .venv/bin/python scripts/bench_extract.py --part languages # ru, uk, fr, de, es
    .venv/bin/python scripts/bench_extract.py --part instructions [--tree OTHER_CHECKOUT]

``--part languages`` (issue 16) times the engine beside English on each language's gold texts
(tests/data/gold_statements/<lang>/texts, the set read 20 times a run, best of --repeat;
the first pass, with the word caches empty, reported beside), with the English engine on
PolNeAR in the same run as the baseline; then hostile inputs in each language at two sizes
(growth 4 = linear). Target: >= 150 articles/s per language.

``--part instructions`` (issue 15) counts CPU instructions under valgrind's callgrind, which
the machine's load does not move: for this checkout and each ``--tree`` (another checkout of
the project, run with the same interpreter), the instructions a line of ``"Yes," he said.``
costs (5,000 lines minus 1,000, over 4,000: the import and the warm-up cancel out) and the
instructions for the first 59 PolNeAR training articles (minus a run that extracts none).
Hash seed 0; two runs at a time. Needs valgrind (``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.extract import extract_statements  # noqa: E402
from aggregator.extract.sides import default_gazetteer  # noqa: E402

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


# Hostile inputs: one paragraph repeating a pattern n times. Extraction must stay linear in the
# length of such a text (a doubling of n about doubles the time), never quadratic or worse;
# each pattern here once took quadratic or exponential time somewhere, or guards a rule that
# looks ahead or back over an unbounded stretch (markup, paragraph runs, relative clauses).
HOSTILE: dict[str, Callable[[int], str]] = {
    "adverbs before a cue": lambda n: "Officials " + "quickly, " * n + "x said it was safe. ",
    "speech nouns in one sentence": lambda n: "He made " + "a call for " * n + "calm.",
    "quotations in one paragraph": lambda n: "Intro. " + "He left. “Go.” " * n,
    "one long quotation": lambda n: "“" + "a " * (20 * n) + "” he said.",
    "labels": lambda n: "X: " * n,
    "tokeniser quotes": lambda n: "''" * n,
    "unclosed markup tags": lambda n: "<a " * n + "he said the pier is shut.",
    "colon paragraphs": lambda n: "The harbour board of the town and the port wrote:\n\n" * n,
    "commas in a relative clause": lambda n: "Berg, who " + "fished, " * n + "said it is shut.",
    "label paragraphs": lambda n: "Boomer: the pier is shut.\n\n" * n,
    "attributed questions": lambda n: "Intro, “Why not go?” Bo said " * n,
    "names in relative clauses": lambda n: "He fought what she calls " * n + "waste.",
    "they after many plural subjects": lambda n: (
        ("The police met. " * 20 + "They said the pier would open. ") * (n // 20)
    ),
}


def hostile(sizes: tuple[int, int] = (1_000, 4_000)) -> dict[str, dict[str, float]]:
    """Seconds for each hostile pattern at two sizes, and their ratio (4 = linear)."""
    out: dict[str, dict[str, float]] = {}
    for name, make in HOSTILE.items():
        times = []
        for n in sizes:
            text = make(n)
            started = time.perf_counter()
            extract_statements(text)
            times.append(time.perf_counter() - started)
        out[name] = {
            "chars": len(make(sizes[1])),
            "seconds_small": round(times[0], 3),
            "seconds_large": round(times[1], 3),
            "growth": round(times[1] / max(times[0], 1e-6), 1),
        }
    return out


# Long texts: sentences of our own, straight quotation marks (the working copy directs each one),
# no blank line (a quote's paragraph reaches back to the start of the text)
_PROSE = (
    "The minister said on Tuesday that the talks on the grain shipments would resume. ",
    '"We will not accept these terms," the envoy told reporters after the meeting. ',
    "Officials in the capital confirmed that two ships had moved closer to the coast. ",
    '"It is a disgrace," said Maria Lund, a spokeswoman for the harbour council. ',
    "According to the report, the agreement covers the ports and the border crossings.\n",
    'He added that the government would "consider every option" before the vote. ',
)


def prose(chars: int) -> str:
    """About ``chars`` characters of news prose, lines of a few sentences, no blank line."""
    unit = "".join(_PROSE)
    return unit * (chars // len(unit) + 1)


def yes_lines(lines: int) -> str:
    return '"Yes," he said.\n' * lines


LONG: dict[str, tuple[Callable[[int], str], tuple[int, ...], str]] = {
    "prose": (prose, (250_000, 500_000, 1_000_000, 2_000_000), "chars"),
    '"Yes," he said. lines': (yes_lines, (12_500, 50_000, 200_000), "lines"),
}


def long_texts() -> dict[str, list[dict[str, float]]]:
    """Seconds (CPU) to extract each long text whole, and the growth from the size 4x smaller."""
    out: dict[str, list[dict[str, float]]] = {}
    for name, (make, sizes, unit) in LONG.items():
        rows: list[dict[str, float]] = []
        for size in sizes:
            text = make(size)
            gc.collect()
            started = time.process_time()
            found = extract_statements(text, limit=None)
            seconds = time.process_time() - started
            quarter = next((r["seconds"] for r in rows if r["size"] * 4 == size), None)
            rows.append(
                {
                    "size": size,
                    "chars": len(text),
                    "statements": len(found),
                    "seconds": round(seconds, 2),
                    "growth_x4": round(seconds / quarter, 1) if quarter else 0.0,
                }
            )
        out[f"{name} ({unit})"] = rows
    return out


def _print_long(result: dict[str, list[dict[str, float]]]) -> None:
    print("long texts, read whole (CPU seconds; x4 the text: at most x5 the time):")
    for name, rows in result.items():
        for row in rows:
            growth = f"  x{row['growth_x4']} for x4" if row["growth_x4"] else ""
            print(
                f"  {name:28} {int(row['size']):>9,}: {int(row['chars']):>9,} chars, "
                f"{int(row['statements']):>7,} statements, {row['seconds']:7.2f} s{growth}"
            )


GOLD = ROOT / "tests" / "data" / "gold_statements"
LANGUAGES = ("ru", "uk", "fr", "de", "es")
_ROUNDS = 20  # each language's texts are few: the set is read this many times a run

# hostile inputs for the engine beside English: one paragraph repeating a pattern n times
HOSTILE_LANGUAGES: dict[str, Callable[[int], str]] = {
    "verbs in one sentence": lambda n: "Лавров " + "заявил, " * n + "что это так.",
    "quotations with dashes": lambda n: "«Да», — сказал он. " * n,
    "abbreviations": lambda n: "В г. Москве " * n + "он заявил, что это так.",
    "sources after so": lambda n: "Das sei so, so Merz, " * n + "so Merz.",
    "dialogue dashes": lambda n: "— Да, — сказал он. — Нет" * n,
    "open quotations": lambda n: "«" * n + "заявил Лавров",
    "surnames": lambda n: " ".join(f"Иван Петров{i} заявил, что да. Петров{i}а" for i in range(n)),
}


def _clear_caches() -> None:
    from aggregator.extract import morph

    for cached in (morph.lemma, morph.name_parses, morph.nominative, morph.pos, morph.name_kind):
        cached.cache_clear()


def languages(repeat: int) -> dict[str, object]:
    """Articles/s of each language's engine on its gold texts, and of English on PolNeAR."""
    out: dict[str, object] = {}
    english = _texts(None)
    if english:
        extract_statements(english[0])
        seconds = _best_of(repeat, english, extract_statements)
        out["en (PolNeAR)"] = _rate(english, seconds, seconds)
    for language in LANGUAGES:
        texts = [
            p.read_text(encoding="utf-8") for p in sorted(GOLD.glob(f"{language}/texts/*.txt"))
        ]
        if not texts:
            continue

        def work(text: str, language: str = language) -> object:
            return extract_statements(text, language=language)

        # what loads once a process loads outside the clock: the analysers (both Cyrillic
        # ones, since a name is tried in either), the lemma tables, the place words of the
        # language (CLDR through Babel) and the gazetteer's folded aliases (about 1 s); one
        # text read and the word caches emptied, the first pass measures words, not loading
        work(texts[0])
        default_gazetteer().folded_aliases()
        _clear_caches()
        started = time.perf_counter()
        for text in texts:
            work(text)
        cold = time.perf_counter() - started
        seconds = _best_of(repeat, texts * _ROUNDS, work) / _ROUNDS
        out[language] = _rate(texts, seconds, cold)
    hostile_rows: dict[str, dict[str, float]] = {}
    for name, make in HOSTILE_LANGUAGES.items():
        times = []
        for n in (500, 2_000):
            text = make(n)
            started = time.perf_counter()
            for language in ("ru", "de"):
                extract_statements(text, language=language, limit=None)
            times.append(time.perf_counter() - started)
        hostile_rows[name] = {
            "chars": len(make(2_000)),
            "seconds_small": round(times[0], 3),
            "seconds_large": round(times[1], 3),
            "growth": round(times[1] / max(times[0], 1e-6), 1),
        }
    out["hostile"] = hostile_rows
    return out


def _rate(texts: Sequence[str], seconds: float, cold: float) -> dict[str, float]:
    words = sum(len(t.split()) for t in texts)
    return {
        "articles": len(texts),
        "words_per_article": round(words / len(texts)),
        "articles_per_second": round(len(texts) / seconds, 1),
        "words_per_second": round(words / seconds),
        "cold_articles_per_second": round(len(texts) / cold, 1),
    }


def _print_languages(result: dict[str, object]) -> None:
    for name, row in result.items():
        if name == "hostile":
            continue
        assert isinstance(row, dict)
        print(
            f"  {name:14} {row['articles']:>3} articles of ~{row['words_per_article']} words: "
            f"{row['articles_per_second']:>7.1f} articles/s, {row['words_per_second']:>7,} words/s"
            f" (first pass, word caches empty: {row['cold_articles_per_second']:.1f})"
        )
    print("  hostile inputs, ru and de (n = 500 and 2,000; growth 4 = linear):")
    hostile_rows = result["hostile"]
    assert isinstance(hostile_rows, dict)
    for name, row in hostile_rows.items():
        print(
            f"    {name:26} {row['chars']:>8,} chars  {row['seconds_small']:6.3f} s -> "
            f"{row['seconds_large']:6.3f} s  (x{row['growth']})"
        )


# run under callgrind in a checkout: extract N lines of "Yes," he said., or N PolNeAR articles,
# after a warm-up that makes every one-time load (gazetteer, folded aliases, lemma dictionaries)
_COUNTED = """
import sys
from pathlib import Path
tree, corpora, part, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
sys.path.insert(0, str(tree))
from aggregator.extract import extract_statements
from aggregator.extract.sides import default_gazetteer
getattr(default_gazetteer(), "folded_aliases", lambda: None)()
extract_statements("“We will go,” said José Müller. “Да,” сказал Сергей Лавров.")
extract_statements('"Yes," he said.\\n' * 3, limit=None)
data = corpora / "polnear" / "data"
if part == "lines":
    extract_statements('"Yes," he said.\\n' * n, limit=None)
else:
    extract_statements(sorted((data / "dev" / "text").glob("*.txt"))[0].read_text("utf-8"))
    for path in sorted((data / "train" / "text").glob("*.txt"))[:n]:
        extract_statements(path.read_text("utf-8"))
"""
_TOTALS = re.compile(r"^(?:summary|totals): (\d+)", re.MULTILINE)


def _instructions(valgrind: str, tree: Path, part: str, n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        child = [sys.executable, "-c", _COUNTED, str(tree), str(CORPORA), part, str(n)]
        subprocess.run(
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *child],
            check=True,
            capture_output=True,
            cwd=tree,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        found = _TOTALS.search(out.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise RuntimeError(f"no instruction total from callgrind for {tree}")
    return int(found.group(1))


def instructions(trees: Sequence[Path]) -> dict[str, dict[str, int]]:
    """Instructions a line of ``"Yes," he said.`` and for 59 PolNeAR articles, per checkout."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise RuntimeError("valgrind not found (apt-get install valgrind)")
    runs = [(t, part, n) for t in trees for part, n in (("lines", 1_000), ("lines", 5_000))]
    runs += [(t, "articles", n) for t in trees for n in (0, 59)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(lambda run: _instructions(valgrind, *run), runs))
    found = dict(zip(runs, counts, strict=True))
    return {
        str(t): {
            "instructions_a_line": (found[t, "lines", 5_000] - found[t, "lines", 1_000]) // 4_000,
            "instructions_59_articles": found[t, "articles", 59] - found[t, "articles", 0],
        }
        for t in trees
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best one counts")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--part",
        choices=["all", "long", "languages", "instructions"],
        default="all",
        help="long: the long texts only; languages: ru, uk, fr, de, es beside English; "
        "instructions: counted under callgrind",
    )
    parser.add_argument(
        "--tree",
        type=Path,
        action="append",
        default=[],
        help="with --part instructions: another checkout to count beside this one",
    )
    args = parser.parse_args(argv)
    if args.part == "instructions":
        counted = instructions([ROOT, *(t.resolve() for t in args.tree)])
        if args.json:
            print(json.dumps(counted, indent=2))
            return 0
        print("instructions (callgrind, hash seed 0):")
        for tree, row in counted.items():
            print(
                f'    {tree}: {row["instructions_a_line"]:,} a line of "Yes," he said.; '
                f"{row['instructions_59_articles']:,} for 59 PolNeAR articles"
            )
        return 0
    if args.part == "languages":
        found_languages = languages(args.repeat)
        if args.json:
            print(json.dumps(found_languages, indent=2))
        else:
            print("extraction by language (best of the runs):")
            _print_languages(found_languages)
        return 0
    if args.part == "long":
        extract_statements("Warm-up.")  # the gazetteer and patterns, outside the clock
        found = long_texts()
        if args.json:
            print(json.dumps(found, indent=2))
        else:
            _print_long(found)
        return 0
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
        "hostile": hostile(),
        "long": long_texts(),
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
    print("hostile inputs (n = 1,000 and 4,000 repeats; growth 4 = linear, 16 = quadratic):")
    for name, row in result["hostile"].items():  # type: ignore[attr-defined]
        print(
            f"  {name:30} {row['chars']:>7,} chars  {row['seconds_small']:6.3f} s -> "
            f"{row['seconds_large']:6.3f} s  (x{row['growth']})"
        )
    _print_long(result["long"])  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
