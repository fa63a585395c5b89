"""A source's boilerplate: the terms most of its recent items carry."""

from __future__ import annotations

from zlib import crc32

import numpy as np
import pytest

from aggregator.group.boilerplate import SourceBoilerplate


def _hashes(*terms: str) -> np.ndarray:
    return np.array([crc32(t.encode()) for t in terms], dtype=np.int64)


def test_a_term_every_item_carries_is_boilerplate_once_enough_items_are_seen() -> None:
    profiles = SourceBoilerplate(recent=10, share=0.5, min_items=4)
    for n in range(4):
        flags = profiles.observe("office", _hashes("header", f"story{n}"))
        assert not flags.any()  # too few items to tell
    flags = profiles.observe("office", _hashes("header", "story9", "story1"))
    assert flags.tolist() == [True, False, False]  # story1 was in one item of four


def test_another_source_has_its_own_boilerplate() -> None:
    profiles = SourceBoilerplate(recent=10, share=0.5, min_items=2)
    for n in range(3):
        profiles.observe("office", _hashes("header", f"story{n}"))
    assert profiles.observe("office", _hashes("header")).tolist() == [True]
    assert profiles.observe("outlet", _hashes("header")).tolist() == [False]


def test_boilerplate_is_forgotten_when_the_recent_items_stop_carrying_it() -> None:
    profiles = SourceBoilerplate(recent=4, share=0.5, min_items=2)
    for n in range(4):
        profiles.observe("office", _hashes("old header", f"story{n}"))
    assert profiles.observe("office", _hashes("old header")).tolist() == [True]
    for n in range(4):
        profiles.observe("office", _hashes("new header", f"later{n}"))
    assert profiles.observe("office", _hashes("old header", "new header")).tolist() == [
        False,
        True,
    ]


def test_the_number_of_sources_followed_is_bounded() -> None:
    profiles = SourceBoilerplate(capacity=3)
    for n in range(10):
        profiles.observe(f"source{n}", _hashes("a"))
    assert len(profiles) == 3


def test_recent_is_bounded_by_the_count_type() -> None:
    with pytest.raises(ValueError, match="recent"):
        SourceBoilerplate(recent=300)
