"""What a search query becomes before any database sees it, snippets' markers, page cursors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.store.cursors import (
    decode_cursor,
    encode_cursor,
    offset_cursor,
    read_offset_cursor,
    read_time_cursor,
    time_cursor,
)
from aggregator.store.search import MAX_TERM, MAX_TERMS, balanced, query_terms
from aggregator.store.storable import MARK_END, MARK_START


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Lavrov sanctions", ["lavrov", "sanctions"]),
        ('"NEAR(envoy talks)" OR -x*', ["near", "envoy", "talks", "or", "x"]),
        ("text:envoy^2", ["text", "envoy", "2"]),
        ("'; DROP TABLE statements; --", ["drop", "table", "statements"]),
        ("envoy\x00talks\ud800", ["envoy", "talks"]),
        ("Jean-Noe\u0308l", ["jean", "noël"]),  # composed first: one word, not two
        ("Лавров 🙂 王毅", ["лавров", "王毅"]),
        ("war war WAR", ["war"]),
        ("", []),
        ("?! 🙂 *", []),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_query_terms_are_bounded() -> None:
    assert query_terms("a" * 10_000) == ["a" * MAX_TERM]
    many = query_terms(" ".join(f"w{i}" for i in range(100)))
    assert many == [f"w{i}" for i in range(MAX_TERMS)]


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("a <b> c", "a <b> c"),
        ("a \ue000b\ue001 c", "a \ue000b\ue001 c"),
        ("a \ue001b\ue000 c", "a b\ue000 c\ue001"),
        ("\ue000\ue000b\ue001\ue001", "\ue000b\ue001"),
        ("\ue000a\ue001 b \ue000c\ue001", "\ue000a\ue001 b \ue000c\ue001"),
        ("a \ue000b", "a \ue000b\ue001"),
        ("", ""),
    ],
)
def test_balanced_snippets(snippet: str, expected: str) -> None:
    assert (MARK_START, MARK_END) == ("\ue000", "\ue001")
    assert balanced(snippet) == expected


def test_cursors_round_trip_and_refuse_strangers() -> None:
    when = datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert read_time_cursor(time_cursor(when, "ev|1")) == (when, "ev|1")
    assert read_offset_cursor(offset_cursor(40)) == 40
    assert decode_cursor(encode_cursor("a", "b"), parts=2) == ["a", "b"]
    naive = encode_cursor("2026-03-01T08:00:00", "x")
    for stranger in ("", "!!", "é", "x" * 1000, naive, offset_cursor(3)):
        with pytest.raises(ValueError, match="not a page cursor"):
            read_time_cursor(stranger)
    with pytest.raises(ValueError, match="not a page cursor"):
        read_offset_cursor(time_cursor(when, 1))
