"""The relevance gold set (tests/data/realfeeds_relevance_gold.jsonl) is well formed.

Shape, uniqueness, order and the counts its README and the evaluation page state; no corpus is
needed here (tests/corpora/test_realfeeds_relevance_gold.py checks the keys against the feeds).
"""

from __future__ import annotations

import ast
import collections
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "realfeeds_relevance_gold.jsonl"
README = ROOT / "tests" / "data" / "README.md"
EVALUATION = ROOT / "docs" / "evaluation" / "relevance.md"

# labelled on 2026-12-06 and 2026-12-07; the evaluation page states these days' counts
EVALUATED_DAYS = (
    "2026-02-13",
    "2026-02-14",
    "2026-02-15",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
)
# labelled on 2026-12-08 (tuning days; the README states their counts)
ADDED_DAYS = ("2019-05-08", "2024-08-08", "2026-02-10", "2026-02-11", "2026-02-12")
DAYS = ADDED_DAYS + EVALUATED_DAYS
COUNTS = {  # (relevant, not relevant, total)
    "2019-05-08": (18, 55, 73),
    "2024-08-08": (12, 23, 35),
    "2026-02-10": (6, 11, 17),
    "2026-02-11": (4, 16, 20),
    "2026-02-12": (5, 17, 22),
    "2026-02-13": (21, 26, 47),
    "2026-02-14": (11, 15, 26),
    "2026-02-15": (20, 16, 36),
    "2026-02-16": (52, 37, 89),
    "2026-02-17": (165, 143, 308),
    "2026-02-18": (18, 20, 38),
}
HELD_OUT_DAYS = ("2026-02-15", "2026-02-18")  # never tuned on (scripts/evaluate_digest.py)
ON_TOPIC = {"diplomacy", "conflict", "security", "human-rights", "domestic-politics-international"}
OFF_TOPIC = {
    "sport",
    "culture",
    "lifestyle",
    "business",
    "science",
    "crime",
    "disaster",
    "domestic-politics-local",
    "other",
}
EITHER = {"economy-policy"}  # a state's economic act is in; a bare statistic is out
FEED_NAME = re.compile(r"^[a-z0-9_-]+(?:_[0-9a-f]{8})?\.(?:xml|rdf)$")


def _rows() -> list[dict[str, Any]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines), "blank line in the gold file"
    return [json.loads(line) for line in lines]


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return (row["url"], "") if row["url"] is not None else (row["feed"], row["guid"])


def _stated_counts(path: Path) -> dict[str, tuple[int, int, int]]:
    """The `| day | role | relevant | not relevant | total |` rows of a document."""
    counts: dict[str, tuple[int, int, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0] in DAYS:
            counts[cells[0]] = (int(cells[2]), int(cells[3]), int(cells[4]))
    return counts


def test_every_line_has_the_documented_shape() -> None:
    problems: list[str] = []
    for number, row in enumerate(_rows(), start=1):
        keys = set(row)
        expected = {"url", "feed", "day", "relevant", "category", "note"}
        if row.get("url") is None:
            expected.add("guid")
        if keys != expected:
            problems.append(f"line {number}: fields {sorted(keys)}")
            continue
        url = row["url"]
        if url is not None and not (isinstance(url, str) and url.startswith("https://")):
            problems.append(f"line {number}: url {url!r}")
        if url is None and not (isinstance(row["guid"], str) and row["guid"]):
            problems.append(f"line {number}: no url and no guid")
        if not FEED_NAME.match(row["feed"]):
            problems.append(f"line {number}: feed {row['feed']!r} is not a feed file name")
        if row["day"] not in DAYS:
            problems.append(f"line {number}: day {row['day']!r}")
        if not isinstance(row["relevant"], bool):
            problems.append(f"line {number}: relevant {row['relevant']!r}")
        if row["category"] not in ON_TOPIC | OFF_TOPIC | EITHER:
            problems.append(f"line {number}: category {row['category']!r}")
        note = row["note"]
        if not isinstance(note, str) or "\n" in note or len(note) > 160:
            problems.append(f"line {number}: note must be one short line")
    assert not problems, "\n".join(problems)


def test_each_entry_is_labelled_once_in_day_then_url_order() -> None:
    rows = _rows()
    keys = [_key(r) for r in rows]
    repeated = [k for k, n in collections.Counter(keys).items() if n > 1]
    assert not repeated, f"labelled twice: {repeated}"
    order = [(r["day"], r["url"] or "", r.get("guid", "")) for r in rows]
    assert order == sorted(order), "lines must be sorted by day, then url"


def test_the_category_agrees_with_the_label() -> None:
    """The rules, as the labels apply them: a category is on one side, except economic policy."""
    wrong = [
        (r["url"], r["category"], r["relevant"])
        for r in _rows()
        if (r["category"] in ON_TOPIC and not r["relevant"])
        or (r["category"] in OFF_TOPIC and r["relevant"])
    ]
    assert not wrong, wrong


def test_borderline_cases_give_a_reason() -> None:
    rows = _rows()
    borderline = [r for r in rows if r["note"].startswith("borderline:")]
    assert all(len(r["note"]) > len("borderline: ") + 10 for r in borderline)
    # the README states how many there are
    text = README.read_text(encoding="utf-8")
    stated = re.search(r"Borderline cases: (\d+) \((\d+) relevant, (\d+) not\)", text)
    assert stated, "the README must state the number of borderline cases"
    relevant = sum(r["relevant"] for r in borderline)
    assert (len(borderline), relevant, len(borderline) - relevant) == tuple(
        int(g) for g in stated.groups()
    )


def _actual_counts() -> dict[str, tuple[int, int, int]]:
    rows = _rows()
    return {
        day: (
            sum(1 for r in rows if r["day"] == day and r["relevant"]),
            sum(1 for r in rows if r["day"] == day and not r["relevant"]),
            sum(1 for r in rows if r["day"] == day),
        )
        for day in DAYS
    }


def test_the_file_has_the_counts_per_day() -> None:
    assert _actual_counts() == COUNTS
    assert len(_rows()) == sum(total for _, _, total in COUNTS.values()) == 711


@pytest.mark.parametrize(
    ("document", "days"),
    [(README, DAYS), (EVALUATION, EVALUATED_DAYS)],
    ids=["readme", "evaluation"],
)
def test_the_documents_state_the_counts_of_the_file(document: Path, days: tuple[str, ...]) -> None:
    actual = _actual_counts()
    assert _stated_counts(document) == {day: actual[day] for day in days}


def test_the_readme_states_the_counts_per_category() -> None:
    stated: dict[str, tuple[int, int]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in ON_TOPIC | OFF_TOPIC | EITHER:
            stated[cells[0]] = (int(cells[1]), int(cells[2]))
    counts = collections.Counter((r["category"], r["relevant"]) for r in _rows())
    actual = {c: (counts[(c, True)], counts[(c, False)]) for c in {c for c, _ in counts}}
    assert stated == actual


def test_the_readme_names_the_tuning_days_and_the_held_out_days() -> None:
    text = README.read_text(encoding="utf-8")
    assert "| 2026-02-17 | tuning |" in text
    for day in ADDED_DAYS:
        assert f"| {day} | tuning (labelled 2026-12-08) |" in text
    for day in HELD_OUT_DAYS:
        assert f"| {day} | held out |" in text


def test_the_evaluation_script_holds_out_the_held_out_days() -> None:
    script = (ROOT / "scripts" / "evaluate_digest.py").read_text(encoding="utf-8")
    found = {
        m.group(1): ast.literal_eval(m.group(2))
        for m in re.finditer(r"^(REALFEEDS_DAYS|HELDOUT_DAYS) = (\(.*\))$", script, re.MULTILINE)
    }
    assert found["HELDOUT_DAYS"] == HELD_OUT_DAYS
    assert not set(HELD_OUT_DAYS) & set(found["REALFEEDS_DAYS"])
