"""The speaker gold set (tests/data/realfeeds_speakers_gold.jsonl) is well formed.

Shape, uniqueness, order and the counts its README states; no corpus is needed here
(tests/corpora/test_realfeeds_speakers_gold.py checks the keys against the feeds).
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "realfeeds_speakers_gold.jsonl"
README = ROOT / "tests" / "data" / "README.md"

DAYS = ("2026-02-16", "2026-02-17")
LABELS = ("party", "joint", "commentary", "other", "none", "unclear")
FIELDS = {"day", "url", "start", "end", "text_sha", "speaker", "label", "side", "attributed"}
FIELDS |= {"note"}


def _rows() -> list[dict[str, Any]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines), "blank line in the gold file"
    return [json.loads(line) for line in lines]


def _problems(number: int, row: dict[str, Any]) -> list[str]:
    problems = []
    if not (isinstance(row["url"], str) and row["url"].startswith("https://")):
        problems.append(f"url {row['url']!r}")
    start, end = row["start"], row["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        problems.append(f"offsets {start!r}..{end!r}")
    if not re.fullmatch(r"[0-9a-f]{12}", str(row["text_sha"])):
        problems.append(f"text_sha {row['text_sha']!r}")
    if not (isinstance(row["speaker"], str) and row["speaker"].strip()):
        problems.append("no speaker")
    if row["day"] not in DAYS:
        problems.append(f"day {row['day']!r}")
    if row["label"] not in LABELS:
        problems.append(f"label {row['label']!r}")
    side = row["side"]
    if (row["label"] == "party") != (isinstance(side, str) and bool(side.strip())):
        problems.append(f"side {side!r} with label {row['label']!r}: a side only for a party")
    if not isinstance(row["attributed"], bool):
        problems.append(f"attributed {row['attributed']!r}")
    note = row["note"]
    if not (isinstance(note, str) and note.strip()) or "\n" in note or len(note) > 160:
        problems.append("note must be one short line")
    return [f"line {number}: {p}" for p in problems]


def test_every_line_has_the_documented_shape() -> None:
    problems: list[str] = []
    for number, row in enumerate(_rows(), start=1):
        if set(row) != FIELDS:
            problems.append(f"line {number}: fields {sorted(row)}")
            continue
        problems += _problems(number, row)
    assert not problems, "\n".join(problems)


def test_each_statement_is_labelled_once_in_day_url_offset_order() -> None:
    keys = [(r["day"], r["url"], r["start"], r["end"]) for r in _rows()]
    repeated = [k for k, n in collections.Counter(keys).items() if n > 1]
    assert not repeated, f"labelled twice: {repeated}"
    assert keys == sorted(keys), "lines must be sorted by day, url, then offsets"


def test_a_wrongly_taken_speaker_is_explained() -> None:
    """When the extractor took the wrong speaker, the note names the true one in our words."""
    short = [r for r in _rows() if not r["attributed"] and len(r["note"]) < 25]
    assert not short, short


def _stated_counts() -> dict[str, list[int]]:
    """The README's counts table: `| label | <day> (role) | … |`, one row a label, then total."""
    lines = README.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| label | 2026-"))
    days = [c.strip().split()[0] for c in lines[header].strip().strip("|").split("|")[1:]]
    stated: dict[str, list[int]] = {day: [] for day in days}
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for day, cell in zip(days, cells[1:], strict=True):
            stated[day].append(int(cell))
    return stated


def test_the_readme_states_the_counts_of_the_file() -> None:
    rows = _rows()
    actual = {
        day: [
            *(sum(1 for r in rows if r["day"] == day and r["label"] == label) for label in LABELS),
            sum(1 for r in rows if r["day"] == day),
        ]
        for day in {r["day"] for r in rows}
    }
    assert _stated_counts() == actual


def test_the_readme_states_the_borderline_and_misattributed_counts() -> None:
    text = README.read_text(encoding="utf-8")
    rows = _rows()
    borderline = collections.Counter(
        r["label"] for r in rows if r["note"].startswith("borderline:")
    )
    stated = re.search(r"Borderline speaker cases: (\d+) \(([^)]*)\)", text)
    assert stated, "the README must state the number of borderline speaker cases"
    assert int(stated.group(1)) == sum(borderline.values())
    by_label = {label: int(n) for n, label in re.findall(r"(\d+) (\w+)", stated.group(2))}
    assert by_label == dict(borderline)
    wrong = re.search(r"\(`attributed` false\): (\d+)", text)
    assert wrong, "the README must state how many speakers the extractor took wrongly"
    assert int(wrong.group(1)) == sum(not r["attributed"] for r in rows)


def test_the_held_out_day_is_labelled_and_named() -> None:
    assert any(r["day"] == "2026-02-16" for r in _rows())
    assert "2026-02-16 (held out)" in README.read_text(encoding="utf-8")
