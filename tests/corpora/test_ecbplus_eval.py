"""The grouping evaluation runs on a subset of ECB+ (real news, gold events) in seconds."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def evaluation() -> ModuleType:
    return load_script("evaluate_grouping")


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ({"a": "1", "b": "1", "c": "2"}, (1.0, 1.0)),
        ({"a": "1", "b": "1", "c": "1"}, (5 / 9, 1.0)),
        ({"a": "1", "b": "2", "c": "3"}, (1.0, 2 / 3)),
    ],
)
def test_bcubed_table(
    evaluation: ModuleType, predicted: dict[str, str], expected: tuple[float, float]
) -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    scores = evaluation.bcubed(predicted, gold)
    assert scores.precision == pytest.approx(expected[0])
    assert scores.recall == pytest.approx(expected[1])


def test_streamed_grouping_on_ecbplus_subset(evaluation: ModuleType, corpora: Path) -> None:
    from aggregator.group import EventConfig

    result = evaluation.evaluate_ecbplus(
        corpora, evaluation.parse_topics("1-6"), seed=13, config=EventConfig(), batch=True
    )
    assert result["documents"] > 50
    # each topic holds two events of the same kind; a clusterer that lumps them scores ~0.67
    assert result["file_order"].f1 >= 0.8
    assert result["shuffled"].f1 >= 0.8
    threshold, batch = result["batch"]
    assert 0.5 <= threshold <= 0.98
    assert 0.0 < batch.f1 <= 1.0


def test_script_prints_the_figures(
    evaluation: ModuleType, corpora: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = evaluation.main(["--corpora", str(corpora), "--topics", "2", "--no-feeds", "--no-batch"])
    assert code == 0
    out = capsys.readouterr().out
    assert "streamed, file order:" in out
    assert "streamed, shuffled (seed 13):" in out
