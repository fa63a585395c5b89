"""The PolNeAR scorer's notion of a quoted gold content (issue 3's recall measure)."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def evaluation() -> ModuleType:
    return load_script("evaluate_statements")


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
        ("in the '60s, the voters' choice", False),
        ("rock 'n' roll at the rally", False),
        ("a ‘Trump’s wall’ slogan", True),
        ("Sanders' plan and the unions' vote", False),
        ("the mayor’s proposal", False),
        ("no marks at all", False),
    ],
)
def test_quoted_content(evaluation: ModuleType, content: str, quoted: bool) -> None:
    assert evaluation.is_quoted(content) is quoted
