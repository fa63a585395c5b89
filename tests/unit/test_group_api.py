"""The public surface of aggregator.group, pinned: the pipeline and the CLI build on it."""

from __future__ import annotations

from pathlib import Path

import pytest

import aggregator.group as group

EXPECTED = {
    "Assignment",
    "DocumentFormatError",
    "EventClusterer",
    "EventConfig",
    "EventUpdate",
    "GroupDoc",
    "Grouper",
    "GroupingStep",
    "NearDuplicateIndex",
    "StatementMerger",
    "cluster_stream",
    "event_id_for",
    "read_jsonl",
}


def test_exported_names() -> None:
    assert set(group.__all__) == EXPECTED
    for name in EXPECTED:
        assert getattr(group, name) is not None


@pytest.mark.parametrize("path", sorted(Path(group.__file__).parent.glob("*.py")), ids=str)
def test_the_stage_does_no_io(path: Path) -> None:
    # pure stage: no network, database, mail, scheduler or file access in aggregator/group
    # (read_jsonl opens the file it is given, the one exception, in jsonl.py)
    source = path.read_text(encoding="utf-8")
    for module in ("httpx", "sqlalchemy", "smtplib", "apscheduler", "aggregator.store", "socket"):
        assert f"import {module}" not in source
        assert f"from {module}" not in source
