"""The one helper for counts in words, in Python and as the templates' ``plural`` filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.digest import build_digest, render_digest
from aggregator.wording import noun, plural
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD


@pytest.mark.parametrize(
    ("count", "singular", "irregular", "expected"),
    [
        (0, "event", None, "0 events"),
        (1, "event", None, "1 event"),
        (2, "event", None, "2 events"),
        (1, "entry", None, "1 entry"),
        (2, "entry", None, "2 entries"),
        (3, "syndicated copy", None, "3 syndicated copies"),
        (2, "day", None, "2 days"),
        (2, "box", None, "2 boxes"),
        (2, "match", None, "2 matches"),
        (2, "status", None, "2 statuses"),
        (1, "more statement", None, "1 more statement"),
        (12, "more statement", None, "12 more statements"),
        (1, "child", "children", "1 child"),
        (2, "child", "children", "2 children"),
        (-1, "degree", None, "-1 degrees"),
    ],
)
def test_plural(count: int, singular: str, irregular: str | None, expected: str) -> None:
    assert plural(count, singular, irregular) == expected
    assert noun(count, singular, irregular) == expected.split(" ", 1)[1]


def test_templates_use_the_same_helper(tmp_path: Path) -> None:
    (tmp_path / "digest.txt.j2").write_text(
        '{{ 1|plural("copy") }} {{ 2|plural("copy") }} {{ 2|plural("child", plural="children") }}'
    )
    digest = build_digest([], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    assert render_digest(digest, templates_dir=tmp_path).text == "1 copy 2 copies 2 children"
