"""The suite's own rules, checked by running pytest in a subprocess: nothing skips in CI, and a
missing browser fails the browser test instead of skipping it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INNER = """
import pytest

def test_missing_tool():
    pytest.skip("the tool is missing")

@pytest.mark.skipif(True, reason="marked to skip")
def test_marked():
    pass

@pytest.mark.xfail(strict=True, reason="a known miss")
def test_known_miss():
    assert False
"""


def pytest_run(
    args: list[str], *, cwd: Path, ci: bool, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_XDIST_WORKER")}
    env.update(extra_env or {})
    env["PYTHONPATH"] = str(ROOT)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_under_ci_a_skip_is_a_failure_and_an_xfail_stays_an_xfail(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    args = ["-p", "tests.support.no_skips", "test_inner.py"]

    done = pytest_run(args, cwd=tmp_path, ci=True)
    assert done.returncode == 1, done.stdout
    assert "CI=true allows no skip: Skipped: the tool is missing" in done.stdout
    assert "CI=true allows no skip: Skipped: marked to skip" in done.stdout
    assert "XFAIL test_inner.py::test_known_miss - a known miss" in done.stdout
    assert "skipped" not in done.stdout.splitlines()[-1], done.stdout

    done = pytest_run(args, cwd=tmp_path, ci=False)
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1].startswith("2 skipped, 1 xfailed"), done.stdout


def test_a_missing_browser_fails_the_browser_test_even_outside_ci(tmp_path: Path) -> None:
    test = (
        "tests/integration/test_digest_browser.py"
        "::test_cells_side_by_side_at_600_and_stacked_on_a_phone"
    )
    done = pytest_run(
        [test, f"--basetemp={tmp_path / 'inner'}"],
        cwd=ROOT,
        ci=False,
        extra_env={"AGGREGATOR_CHROMIUM": str(tmp_path / "no-such-chromium")},
    )
    assert done.returncode == 1, done.stdout
    assert "headless Chromium is needed for this test and was not found" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("1 failed"), done.stdout
