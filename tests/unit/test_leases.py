"""Owner ids: what process (host, pid) an owner id names."""

from __future__ import annotations

import os
import socket

import pytest

from aggregator.pipeline.leases import owner_process, process_owner


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("vm:1234:ab12cd34", ("vm", 1234)),
        ("host.example.org:1:x", ("host.example.org", 1)),
        ("a:b:c:42:ffff", ("a:b:c", 42)),  # only the last two parts are pid and suffix
        ("probe", None),
        ("w", None),
        ("host:pid:x", None),
        ("host:-1:x", None),
        ("", None),
    ],
)
def test_owner_process(owner: str, expected: tuple[str, int] | None) -> None:
    assert owner_process(owner) == expected


def test_process_owner_names_this_process_and_is_new_each_time() -> None:
    first, second = process_owner(), process_owner()
    assert first != second
    assert owner_process(first) == (socket.gethostname(), os.getpid())
