"""The exit status of `aggregator digest --send` over its subscriptions' outcomes."""

from __future__ import annotations

import pytest

from aggregator.cli import send_exit_status


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        (["sent"], 0),
        (["rendered"], 0),
        ([], 0),
        (["already-sent"], 3),
        (["in-flight"], 4),
        (["failed"], 1),
        (["uncertain"], 5),
        (["sent", "already-sent"], 3),  # nothing sent for one of them
        (["sent", "in-flight", "already-sent"], 4),
        (["in-flight", "failed"], 1),
        (["failed", "uncertain", "sent"], 5),  # a human must look first
    ],
)
def test_the_first_outcome_that_applies_decides(outcomes: list[str], status: int) -> None:
    assert send_exit_status(outcomes) == status
