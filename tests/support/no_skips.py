"""Under ``CI=true`` a skipped test is a failed test (a pytest plugin; tests/conftest.py loads it).

A test that skips because something it needs is missing (Chromium, the corpora, PostgreSQL)
would let CI pass without having checked anything. The suite's own tests fail instead of
skipping; this makes sure nothing else (a new ``skipif``, a plugin) slips a skip through in CI.
Expected failures (``xfail``) are not skips and stay as they are.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest


def skips_fail() -> bool:
    """Whether this run treats skips as failures (``CI=true``, as ``.ci/run`` sets)."""
    return os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and skips_fail():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, and CI=true allows no skip: {reason}"
    return report
