"""A fixture that counts what start-up replays into the grouper (used by the growth and process
tests)."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator.group import GroupDoc, Grouper


@pytest.fixture
def restores(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles replayed into any Grouper (the real method still runs)."""
    replayed: list[str] = []
    real = Grouper.restore

    def counting(self: Grouper, doc: GroupDoc, event_id: str, **kwargs: Any) -> None:
        replayed.append(doc.id)
        real(self, doc, event_id, **kwargs)

    monkeypatch.setattr(Grouper, "restore", counting)
    return replayed
