"""The evaluation script runs on PolNeAR's dev split and reports figures in a sane range."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "evaluate_statements.py"


def _run(corpora: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AGGREGATOR_CORPORA": str(corpora)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_dev_split_figures_are_in_range(corpora: Path) -> None:
    result = _run(corpora, "--split", "dev", "--limit", "20", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["split"] == "dev"
    assert figures["articles"] == 20
    loose, strict = figures["overlap_0.3"], figures["overlap_0.8"]
    # well above the 30-line regex baseline (F1 0.53), and strict never beats loose
    assert 0.6 <= loose["f1"] <= 1.0
    assert 0.75 <= loose["precision"] <= 1.0
    assert strict["f1"] <= loose["f1"]
    assert 0.8 <= figures["speaker_accuracy"] <= 1.0
    counts = figures["counts"]
    assert 0 < counts["matched_0.3"] <= counts["predicted"]
    assert counts["gold_speech"] <= counts["gold_attributions"]
    assert set(figures["by_predicted_kind"]) <= {"direct", "indirect", "mixed"}


def test_text_report_names_every_figure(corpora: Path) -> None:
    result = _run(corpora, "--split", "dev", "--limit", "3")
    assert result.returncode == 0, result.stderr
    for label in ("overlap >= 0.3", "overlap >= 0.8", "speaker accuracy", "by predicted kind"):
        assert label in result.stdout


def test_missing_corpus_is_an_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "--split", "dev", "--limit", "1")
    assert result.returncode == 2
    assert "PolNeAR not found" in result.stderr
