#!/usr/bin/env python3
"""Check, show and build the multilingual statement gold (tests/data/gold_statements/).

Usage::

    .venv/bin/python scripts/gold_statements.py check [--lang xx] [--no-corpus]
    .venv/bin/python scripts/gold_statements.py show ID
    .venv/bin/python scripts/gold_statements.py build MARKUP_FILE...

``check`` verifies every ``<lang>/*.jsonl`` file: the shape of each line, the ids, the
``text_sha`` of each article and of each statement's span, that the ``speaker`` equals the text
at its offsets, that spans are in range and do not overlap, that every written text file is
referenced; and, unless ``--no-corpus``, that every realfeeds item resolves: its feed file in
``../shared/corpora/realfeeds/feeds`` holds an entry with that canonical URL (as
``aggregator.parse.parse_feed`` gives it) whose text hashes to ``text_sha``. It prints the
problems and exits 1 when there are any, else prints counts per file.

``show ID`` prints the article with its statements marked, ``⟦n …⟧`` around the content of
statement n and ``⟪n …⟫`` around its speaker, then one line per statement (kind, actor, role,
side), so that a reviewer can read the annotation. Realfeeds items are read from the corpus.

``build`` turns annotator's markup into gold: a header of ``@key value`` lines, a line ``---``,
then the article text with the content of statement n written ``⟦n:…⟧`` and its speaker
``⟪n:…⟫`` (``⟪1,2:…⟫`` when one mention speaks two statements)::

    @id ru-test-07
    @source written                  # or realfeeds, with @feed and @url
    @note optional, our own words
    @1 Maria Zakharova | Russian foreign ministry spokeswoman | Russia | direct
    ---
    ⟪1:Мария Захарова⟫ заявила: «⟦1:…⟧».

Each ``@n`` line gives actor, role, side and kind, ``null`` for none. A written item's text
(the markup without the markers) goes to ``<lang>/texts/<id>.txt``; a realfeeds item's markup
holds the corpus text only to place the markers: the text is checked against the corpus and
never written. The item's line replaces the line of the same id in ``<lang>/<split>.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOLD = ROOT / "tests" / "data" / "gold_statements"
CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))
LANGS = ("ru", "uk", "fr", "de", "es")
SPLITS = ("test", "dev")
KINDS = ("direct", "indirect", "mixed")
ID = re.compile(r"(?P<lang>[a-z]{2})-(?P<split>test|dev)-\d{2,3}")
SHA = re.compile(r"[0-9a-f]{12}")
ARTICLE_KEYS = {"id", "source", "text_sha", "statements"}
STATEMENT_KEYS = {"start", "end", "speaker", "speaker_start", "speaker_end", "actor", "role"}
STATEMENT_KEYS |= {"side", "kind", "text_sha"}

Row = dict[str, Any]


def sha12(text: str) -> str:
    """The first 12 hex digits of the SHA-1 of ``text`` (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


# ----------------------------------------------------------------------------- reading


def gold_files(lang: str | None = None) -> list[Path]:
    """Every ``<lang>/<split>.jsonl`` present, in language and split order."""
    langs = (lang,) if lang else LANGS
    return [
        GOLD / la / f"{sp}.jsonl"
        for la in langs
        for sp in SPLITS
        if (GOLD / la / f"{sp}.jsonl").is_file()
    ]


def read_rows(path: Path) -> list[Row]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _now(root: Path) -> datetime:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    newest = [e["newest_entry_utc"] for e in manifest if e["newest_entry_utc"]]
    latest = max(datetime.fromisoformat(v.replace("Z", "+00:00")) for v in newest)
    return latest + timedelta(days=1)


@cache
def feed_texts(feed: str, corpora: Path = CORPORA) -> dict[str, str]:
    """Canonical URL -> article text of one realfeeds file, as the pipeline parses it (with a
    fixed "now" one day after the newest capture, as the corpus tests do)."""
    from aggregator.parse import parse_feed

    root = corpora / "realfeeds"
    path = root / "feeds" / feed
    texts: dict[str, str] = {}
    for article in parse_feed(path.read_bytes(), source=path.name, now=_now(root)).articles:
        if article.url:
            texts.setdefault(article.url, article.text)
    return texts


def article_text(row: Row, lang: str, corpora: Path = CORPORA) -> str | None:
    """The text an item annotates: its text file, or its realfeeds entry (None when missing)."""
    if row.get("source") == "written":
        path = GOLD / lang / "texts" / f"{row['id']}.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None
    feed = str(row.get("feed", ""))
    if not (corpora / "realfeeds" / "feeds" / feed).is_file():
        return None
    return feed_texts(feed, corpora).get(str(row.get("url")))


# ----------------------------------------------------------------------------- checking


def shape_problems(row: Row, lang: str, split: str) -> list[str]:
    """What is wrong with one line's shape, without reading any text."""
    problems: list[str] = []
    keys = set(row)
    expected = set(ARTICLE_KEYS) | ({"feed", "url"} if row.get("source") == "realfeeds" else set())
    if not expected <= keys <= expected | {"note"}:
        problems.append(f"keys {sorted(keys)}, expected {sorted(expected)} (+ note)")
    match = ID.fullmatch(str(row.get("id")))
    if not match or (match["lang"], match["split"]) != (lang, split):
        problems.append(f"id {row.get('id')!r} in {lang}/{split}.jsonl")
    if row.get("source") not in ("written", "realfeeds"):
        problems.append(f"source {row.get('source')!r}")
    if row.get("source") == "realfeeds" and not str(row.get("url", "")).startswith("http"):
        problems.append(f"url {row.get('url')!r}")
    if not SHA.fullmatch(str(row.get("text_sha"))):
        problems.append(f"text_sha {row.get('text_sha')!r}")
    statements = row.get("statements")
    if not isinstance(statements, list):
        return [*problems, "statements is not a list"]
    for number, statement in enumerate(statements, start=1):
        problems += [f"statement {number}: {p}" for p in statement_shape(statement)]
    return problems


def _optional_text(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == value and bool(value))


def statement_shape(statement: Row) -> list[str]:
    problems: list[str] = []
    if set(statement) != STATEMENT_KEYS:
        problems.append(f"keys {sorted(statement)}")
        return problems
    offsets = [statement[k] for k in ("start", "end", "speaker_start", "speaker_end")]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in offsets):
        problems.append(f"offsets {offsets}")
    elif not (offsets[0] < offsets[1] and offsets[2] < offsets[3]):
        problems.append(f"empty or reversed span {offsets}")
    elif offsets[2] < offsets[1] and offsets[0] < offsets[3]:
        problems.append("the speaker lies inside the content span")
    if not (isinstance(statement["speaker"], str) and statement["speaker"].strip()):
        problems.append("no speaker")
    for key in ("actor", "role", "side"):
        if not _optional_text(statement[key]):
            problems.append(f"{key} {statement[key]!r}")
    if statement["kind"] not in KINDS:
        problems.append(f"kind {statement['kind']!r}")
    if not SHA.fullmatch(str(statement["text_sha"])):
        problems.append(f"text_sha {statement['text_sha']!r}")
    return problems


def text_problems(row: Row, text: str) -> list[str]:
    """What is wrong with one line against the text it annotates."""
    problems: list[str] = []
    if sha12(text) != row["text_sha"]:
        problems.append(f"text_sha {row['text_sha']} but the text hashes to {sha12(text)}")
    previous_end = 0
    for number, s in enumerate(row["statements"], start=1):
        if s["end"] > len(text) or s["speaker_end"] > len(text):
            problems.append(f"statement {number}: offsets past the text's {len(text)} characters")
            continue
        span = text[s["start"] : s["end"]]
        if sha12(span) != s["text_sha"]:
            problems.append(
                f"statement {number}: span {s['start']}..{s['end']} hashes to {sha12(span)}"
            )
        if span != span.strip():
            problems.append(f"statement {number}: the span starts or ends with white space")
        written = text[s["speaker_start"] : s["speaker_end"]]
        if written != s["speaker"]:
            problems.append(
                f"statement {number}: speaker {s['speaker']!r} but the text has {written!r}"
            )
        if s["start"] < previous_end:
            problems.append(f"statement {number}: out of order or overlapping the one before")
        previous_end = s["end"]
    return problems


def file_problems(path: Path, corpora: Path | None) -> list[str]:
    """Problems of one gold file; realfeeds items are resolved when ``corpora`` is given."""
    lang, split = path.parent.name, path.stem
    problems: list[str] = []
    ids: list[str] = []
    for number, row in enumerate(read_rows(path), start=1):
        where = f"{path.relative_to(GOLD)}:{number} {row.get('id')}"
        found = shape_problems(row, lang, split)
        ids.append(str(row.get("id")))
        if not found and (row["source"] == "written" or corpora is not None):
            text = article_text(row, lang, corpora or CORPORA)
            found = ["the text is missing"] if text is None else text_problems(row, text)
            if text is not None and row["source"] == "written" and "\r" in text:
                found.append("the text file has CR characters (LF newlines only)")
        problems += [f"{where}: {p}" for p in found]
    if ids != sorted(set(ids)):
        problems.append(f"{path.relative_to(GOLD)}: ids repeated or not in order")
    return problems


def orphan_texts(lang: str) -> list[str]:
    """Text files that no written item of the language's gold files refers to."""
    folder = GOLD / lang / "texts"
    used = {row["id"] for path in gold_files(lang) for row in read_rows(path)}
    return [
        f"{lang}/texts/{p.name}: no item refers to it"
        for p in sorted(folder.glob("*.txt"))
        if p.stem not in used
    ]


def counts(rows: Iterable[Row]) -> Counter[str]:
    """Articles, sources, statements, kinds and sided statements of some items."""
    tally: Counter[str] = Counter()
    for row in rows:
        tally["articles"] += 1
        tally[row["source"]] += 1
        for statement in row["statements"]:
            tally["statements"] += 1
            tally[statement["kind"]] += 1
            tally["side" if statement["side"] else "null side"] += 1
    return tally


def check(lang: str | None, corpora: Path | None) -> int:
    problems: list[str] = []
    for path in gold_files(lang):
        problems += file_problems(path, corpora)
    for la in (lang,) if lang else LANGS:
        if (GOLD / la / "texts").is_dir():
            problems += orphan_texts(la)
    for problem in problems:
        print(problem)
    for path in gold_files(lang):
        tally = counts(read_rows(path))
        print(
            f"{path.relative_to(GOLD)}: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items()))
        )
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


# ----------------------------------------------------------------------------- showing


def find(item_id: str) -> tuple[Row, str]:
    match = ID.fullmatch(item_id)
    if not match:
        raise SystemExit(f"not a gold id: {item_id}")
    path = GOLD / match["lang"] / f"{match['split']}.jsonl"
    for row in read_rows(path) if path.is_file() else []:
        if row["id"] == item_id:
            return row, match["lang"]
    raise SystemExit(f"{item_id}: not in {path}")


def marked(text: str, statements: list[Row]) -> str:
    """The text with ``⟦n …⟧`` around statement n's content and ``⟪n …⟫`` around its speaker."""
    inserts: list[tuple[int, int, str]] = []  # (offset, order, mark): closing marks first
    for number, s in enumerate(statements, start=1):
        inserts += [(s["start"], 1, f"⟦{number} "), (s["end"], 0, "⟧")]
        inserts += [(s["speaker_start"], 1, f"⟪{number} "), (s["speaker_end"], 0, "⟫")]
    out, last = [], 0
    for offset, _order, mark in sorted(inserts):
        out += [text[last:offset], mark]
        last = offset
    return "".join([*out, text[last:]])


def show(item_id: str) -> int:
    row, lang = find(item_id)
    text = article_text(row, lang)
    if text is None:
        raise SystemExit(f"{item_id}: its text is missing")
    where = (
        f"{row['feed']} {row['url']}" if row["source"] == "realfeeds" else f"texts/{item_id}.txt"
    )
    print(f"{item_id} ({row['source']}: {where})")
    if row.get("note"):
        print(f"note: {row['note']}")
    print()
    print(marked(text, row["statements"]))
    print()
    for number, s in enumerate(row["statements"], start=1):
        who = f"{s['speaker']!r} -> {s['actor']}"
        print(f"{number:2}. {s['kind']:8} {who} | role: {s['role']} | side: {s['side']}")
    return 0


# ----------------------------------------------------------------------------- building

MARK = re.compile(r"⟦(\d+):|⟪([\d,]+):|⟧|⟫")


def parse_markup(markup: str) -> tuple[dict[str, str], dict[str, list[str]], str]:
    """(header, statement fields by number, marked body) of a markup file."""
    head, sep, body = markup.partition("\n---\n")
    if not sep:
        raise ValueError("no line '---' between the header and the text")
    header: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    for line in head.splitlines():
        if not line.strip():
            continue
        key, _, value = line.removeprefix("@").partition(" ")
        if key.isdigit():
            fields[key] = [part.strip() for part in value.split("|")]
        else:
            header[key] = value.strip()
    return header, fields, body


def strip_marks(body: str) -> tuple[str, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The plain text, and the content and speaker spans by statement number."""
    text: list[str] = []
    length, last = 0, 0
    content: dict[str, tuple[int, int]] = {}
    speaker: dict[str, tuple[int, int]] = {}
    open_content: str | None = None
    open_speaker: list[str] = []
    starts: dict[str, int] = {}
    for match in MARK.finditer(body):
        piece = body[last : match.start()]
        text.append(piece)
        length += len(piece)
        last = match.end()
        if match[1]:
            open_content, starts["c" + match[1]] = match[1], length
        elif match[2]:
            open_speaker = match[2].split(",")
            starts["s"] = length
        elif match[0] == "⟧" and open_content:
            content[open_content] = (starts["c" + open_content], length)
            open_content = None
        elif match[0] == "⟫":
            for number in open_speaker:
                if number in speaker:
                    raise ValueError(f"statement {number} has two speakers")
                speaker[number] = (starts["s"], length)
            open_speaker = []
    text.append(body[last:])
    return "".join(text), content, speaker


def _null(value: str) -> str | None:
    return None if value in ("", "null") else value


def build_row(markup: str) -> tuple[Row, str]:
    """The gold line and the plain text of one markup file."""
    header, fields, body = parse_markup(markup)
    text, content, speaker = strip_marks(body)
    if set(content) != set(fields) or set(speaker) != set(fields):
        found = f"contents {sorted(content)}, speakers {sorted(speaker)}"
        raise ValueError(f"{header['id']}: statements {sorted(fields)}, {found}")
    statements = []
    for number in sorted(fields, key=lambda n: content[n][0]):
        actor, role, side, kind = fields[number]
        (start, end), (s_start, s_end) = content[number], speaker[number]
        statements.append(
            {
                "start": start,
                "end": end,
                "speaker": text[s_start:s_end],
                "speaker_start": s_start,
                "speaker_end": s_end,
                "actor": _null(actor),
                "role": _null(role),
                "side": _null(side),
                "kind": kind,
                "text_sha": sha12(text[start:end]),
            }
        )
    row: Row = {"id": header["id"], "source": header["source"]}
    if header["source"] == "realfeeds":
        row |= {"feed": header["feed"], "url": header["url"]}
    row |= {"text_sha": sha12(text)}
    if header.get("note"):
        row["note"] = header["note"]
    row["statements"] = statements
    return row, text


def store(row: Row, text: str) -> Path:
    """Write a written item's text and put its line into its gold file (replacing the old one)."""
    match = ID.fullmatch(row["id"])
    if not match:
        raise ValueError(f"not a gold id: {row['id']}")
    folder = GOLD / match["lang"]
    if row["source"] == "written":
        (folder / "texts").mkdir(parents=True, exist_ok=True)
        (folder / "texts" / f"{row['id']}.txt").write_text(text, encoding="utf-8", newline="\n")
    elif feed_texts(row["feed"]).get(row["url"]) != text:
        raise ValueError(f"{row['id']}: the markup's text is not the corpus entry's text")
    path = folder / f"{match['split']}.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    rows = {r["id"]: r for r in read_rows(path)} if path.is_file() else {}
    rows[row["id"]] = row
    lines = [json.dumps(rows[key], ensure_ascii=False) for key in sorted(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(paths: list[Path]) -> int:
    for path in paths:
        row, text = build_row(path.read_text(encoding="utf-8"))
        store(row, text)
        print(f"{row['id']}: {len(row['statements'])} statement(s), {len(text)} characters")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser("check", help="verify every gold file")
    checking.add_argument("--lang", choices=LANGS)
    checking.add_argument("--no-corpus", action="store_true", help="do not resolve realfeeds items")
    showing = commands.add_parser("show", help="print an article with its statements marked")
    showing.add_argument("id")
    building = commands.add_parser("build", help="turn markup files into gold lines and texts")
    building.add_argument("markup", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.lang, None if args.no_corpus else CORPORA)
    if args.command == "show":
        return show(args.id)
    return build(args.markup)


if __name__ == "__main__":
    sys.exit(main())
