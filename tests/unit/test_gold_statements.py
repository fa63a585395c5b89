"""The multilingual statement gold (tests/data/gold_statements/) is well formed, without the corpus.

Every gold file's lines have the documented shape; every written item's text file hashes to its
``text_sha``, its spans to theirs and its speakers are the text at their offsets; no text file is
left without an item; the Russian and Ukrainian held-out sets have the size and the counts their
README states. ``tests/corpora/test_gold_statements_realfeeds.py`` resolves the realfeeds items.
The checks are those of ``scripts/gold_statements.py check``; the tests below also show that a
broken offset, speaker or hash is caught, and that the markup the annotators write builds the
offsets and hashes it should.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "tests" / "data" / "gold_statements" / "README.md"
HELD_OUT = ("ru", "uk", "fr", "de", "es")  # the languages with a held-out set
#: the languages the real-feed snapshots hold feeds in: their held-out sets mix in real entries
WITH_FEEDS = ("ru", "uk")
MINIMUM_ARTICLES = 18


@pytest.fixture(scope="module")
def gold() -> ModuleType:
    return load_script("gold_statements")


def _written(gold: ModuleType) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.parent.name, row)
        for path in gold.gold_files()
        for row in gold.read_rows(path)
        if row.get("source") == "written"
    ]


def test_every_line_has_the_documented_shape(gold: ModuleType) -> None:
    problems = []
    for path in gold.gold_files():
        lang, split = path.parent.name, path.stem
        for number, row in enumerate(gold.read_rows(path), start=1):
            found = gold.shape_problems(row, lang, split)
            problems += [f"{path.name}:{number}: {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_every_written_item_matches_its_text(gold: ModuleType) -> None:
    problems = []
    for lang, row in _written(gold):
        text = gold.article_text(row, lang)
        if text is None:
            problems.append(f"{row['id']}: no text file")
            continue
        problems += [f"{row['id']}: {p}" for p in gold.text_problems(row, text)]
        if "\r" in text:
            problems.append(f"{row['id']}: CR in the text file")
    assert not problems, "\n".join(problems)


def test_the_files_have_ordered_unique_ids_and_no_text_is_orphaned(gold: ModuleType) -> None:
    problems = []
    for path in gold.gold_files():
        ids = [row["id"] for row in gold.read_rows(path)]
        if ids != sorted(set(ids)):
            problems.append(f"{path}: ids repeated or out of order")
    for lang in gold.LANGS:
        if (gold.GOLD / lang / "texts").is_dir():
            problems += gold.orphan_texts(lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", HELD_OUT)
def test_the_held_out_set_is_big_enough_and_mixes_sources(gold: ModuleType, lang: str) -> None:
    rows = gold.read_rows(gold.GOLD / lang / "test.jsonl")
    tally = gold.counts(rows)
    assert tally["articles"] >= MINIMUM_ARTICLES
    if lang not in WITH_FEEDS:
        assert tally["realfeeds"] == 0
        return
    assert 0 < tally["realfeeds"] <= tally["articles"] / 2
    assert all(row["statements"] for row in rows if row["source"] == "realfeeds")


def _readme_counts(lang: str) -> dict[str, int]:
    """The README's counts row of one language: | ru | articles | written | realfeeds | … |"""
    columns = ("articles", "written", "realfeeds", "statements", "direct", "indirect", "mixed")
    columns += ("side", "null side")
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == f"`{lang}`" and len(cells) == len(columns) + 1:
            return {name: int(cell) for name, cell in zip(columns, cells[1:], strict=True)}
    raise AssertionError(f"the README has no counts row for {lang}")


@pytest.mark.parametrize("lang", HELD_OUT)
def test_the_readme_states_the_counts(gold: ModuleType, lang: str) -> None:
    tally = gold.counts(gold.read_rows(gold.GOLD / lang / "test.jsonl"))
    stated = _readme_counts(lang)
    assert stated == {name: tally[name] for name in stated}


def _a_written_item(gold: ModuleType) -> tuple[dict[str, Any], str]:
    lang, row = next((lang, row) for lang, row in _written(gold) if lang in HELD_OUT)
    text = gold.article_text(row, lang)
    assert text is not None
    assert gold.text_problems(row, text) == []
    return row, text


@pytest.mark.parametrize(
    ("field", "change"),
    [("start", 1), ("end", -1), ("speaker_start", 1), ("speaker_end", 1), ("end", 100_000)],
)
def test_a_broken_offset_is_found(gold: ModuleType, field: str, change: int) -> None:
    row, text = _a_written_item(gold)
    broken = copy.deepcopy(row)
    broken["statements"][0][field] += change
    assert gold.text_problems(broken, text)


def test_a_wrong_hash_or_speaker_is_found(gold: ModuleType) -> None:
    row, text = _a_written_item(gold)
    for field, value in (("text_sha", "0" * 12), ("speaker", "someone else")):
        broken = copy.deepcopy(row)
        broken["statements"][0][field] = value
        assert gold.text_problems(broken, text), field
    broken = copy.deepcopy(row)
    broken["text_sha"] = "0" * 12
    assert gold.text_problems(broken, text)


def test_a_malformed_statement_is_found(gold: ModuleType) -> None:
    row, _text = _a_written_item(gold)
    for field, value in (("kind", "quoted"), ("side", ""), ("start", -1), ("actor", " Lavrov")):
        broken = copy.deepcopy(row)
        broken["statements"][0][field] = value
        assert gold.shape_problems(broken, row["id"][:2], "test"), field


MARKUP = """@id ru-test-99
@source written
@note a test item
@1 Sergei Lavrov | Minister of Foreign Affairs of Russia | Russia | direct
@2 Sergei Lavrov | null | Russia | indirect
---
Министр ⟪1:Сергей Лавров⟫ заявил: «⟦1:Мы готовы⟧». По ⟪2:его⟫ словам, ⟦2:встреча пройдет в Анкаре⟧.
"""


def test_markup_builds_offsets_and_hashes(gold: ModuleType) -> None:
    row, text = gold.build_row(MARKUP)
    assert text == (
        "Министр Сергей Лавров заявил: «Мы готовы». По его словам, встреча пройдет в Анкаре.\n"
    )
    assert row["text_sha"] == gold.sha12(text)
    first, second = row["statements"]
    assert text[first["start"] : first["end"]] == "Мы готовы"
    assert (first["speaker"], first["role"], first["kind"]) == (
        "Сергей Лавров",
        "Minister of Foreign Affairs of Russia",
        "direct",
    )
    assert text[second["speaker_start"] : second["speaker_end"]] == "его"
    assert text[second["start"] : second["end"]] == "встреча пройдет в Анкаре"
    assert second["role"] is None
    assert gold.text_problems(row, text) == []
    assert gold.shape_problems(row, "ru", "test") == []


def test_markup_with_a_statement_without_speaker_is_refused(gold: ModuleType) -> None:
    markup = re.sub(r"⟪2:его⟫", "его", MARKUP)
    with pytest.raises(ValueError, match="speakers"):
        gold.build_row(markup)


def test_show_marks_contents_and_speakers(gold: ModuleType) -> None:
    row, text = gold.build_row(MARKUP)
    assert gold.marked(text, row["statements"]).startswith(
        "Министр ⟪1 Сергей Лавров⟫ заявил: «⟦1 Мы готовы⟧». По ⟪2 его⟫ словам"
    )
