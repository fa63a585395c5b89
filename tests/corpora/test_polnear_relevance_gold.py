"""The PolNeAR relevance gold set (tests/data/polnear_relevance_gold.jsonl) is well formed and
keys real articles: every PolNeAR dev article once (the tuning split), and the 84 train articles
that a fixed seed draws (the held-out split), as tests/data/README.md describes.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_relevance_gold import EITHER, OFF_TOPIC, ON_TOPIC

GOLD = Path(__file__).resolve().parents[1] / "data" / "polnear_relevance_gold.jsonl"
SEED = 20261207  # the held-out draw: random.Random(SEED).shuffle(train articles)[:84]
HELD_OUT = 84
# the second held-out draw, made after the first had been read for error analysis: the next 84
# train articles of random.Random(SEED_2).shuffle that are in neither other split
SEED_2 = 20261208


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def metadata(corpora: Path) -> list[dict[str, str]]:
    path = corpora / "polnear" / "data" / "metadata.tsv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_line_has_the_documented_shape() -> None:
    for row in _rows():
        assert set(row) == {"compartment", "split", "filename", "relevant", "category", "note"}
        assert (row["compartment"], row["split"]) in {
            ("dev", "tune"),
            ("train", "held-out"),
            ("train", "held-out-2"),
        }
        assert isinstance(row["relevant"], bool)
        allowed = ON_TOPIC | EITHER if row["relevant"] else OFF_TOPIC | EITHER
        assert row["category"] in allowed, row
        assert row["note"] in {"", "borderline"}


def test_the_tuning_split_is_every_dev_article_once(metadata: list[dict[str, str]]) -> None:
    dev = [r["filename"] for r in metadata if r["compartment"] == "dev"]
    labelled = [r["filename"] for r in _rows() if r["split"] == "tune"]
    assert sorted(labelled) == sorted(dev)


def test_the_held_out_split_is_the_seeded_draw_of_train_articles(
    metadata: list[dict[str, str]],
) -> None:
    train = [r for r in metadata if r["compartment"] == "train"]
    random.Random(SEED).shuffle(train)
    drawn = [r["filename"] for r in train[:HELD_OUT]]
    labelled = [r["filename"] for r in _rows() if r["split"] == "held-out"]
    assert labelled == drawn
    # and none of them is a dev article (the two splits never share an article)
    assert not set(labelled) & {r["filename"] for r in _rows() if r["split"] == "tune"}


def test_the_second_held_out_split_is_the_next_seeded_draw(
    metadata: list[dict[str, str]],
) -> None:
    first = {r["filename"] for r in _rows() if r["split"] in {"tune", "held-out"}}
    train = [r for r in metadata if r["compartment"] == "train"]
    random.Random(SEED_2).shuffle(train)
    drawn = [r["filename"] for r in train if r["filename"] not in first][:HELD_OUT]
    labelled = [r["filename"] for r in _rows() if r["split"] == "held-out-2"]
    assert labelled == drawn
