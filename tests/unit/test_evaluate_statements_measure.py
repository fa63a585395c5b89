"""The PolNeAR scorer's notion of a quoted gold content (issue 3's recall measure)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "evaluate_statements.py"


@pytest.fixture(scope="module")
def evaluation() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate_statements", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate_statements"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("content", "quoted"),
    [
        ('a "steady hand" in a crisis', True),
        ("“We will not retreat,”", True),
        ("”and then we left", True),
        ("``We are ready'' to talk", True),
        ("the ''clash of civilizations''", True),
        ("rhetoric over 'radical Islam' at rallies", True),
        ("a ‘reset’ with Moscow", True),
        ("the governor's budget plan", False),
        ("Sanders’ decision to hold off", False),
        ("the voters' choice in the '60s", False),
        ("the mayor’s proposal", False),
        ("no marks at all", False),
    ],
)
def test_quoted_content(evaluation: ModuleType, content: str, quoted: bool) -> None:
    assert evaluation.is_quoted(content) is quoted
