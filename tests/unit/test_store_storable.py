"""What the store makes of text before writing it, and what it keys text on."""

from __future__ import annotations

import hashlib

import pytest

from aggregator.store.storable import (
    KEY_LENGTH,
    MARK_END,
    MARK_START,
    storable_or_none,
    storable_prose,
    storable_text,
    text_key,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain ascii", "plain ascii"),
        ("", ""),
        ("nul\x00inside\x00", "nulinside"),
        ("\x00", ""),
        ("Gespräch «über» 𠀋", "Gespräch «über» 𠀋"),  # four-byte characters are text
        ("lone \ud800 high", "lone  high"),
        ("lone \udfff low and \x00", "lone  low and "),
        ("tab\tnewline\n\x01kept", "tab\tnewline\n\x01kept"),  # legal on both databases
    ],
)
def test_storable_text(value: str, expected: str) -> None:
    assert storable_text(value) == expected
    assert storable_text(expected) == expected  # idempotent
    expected.encode("utf-8")  # and always encodable


def test_storable_text_returns_the_same_object_when_nothing_changes() -> None:
    value = "Außenminister " * 100
    assert storable_text(value) is value


def test_storable_prose_drops_the_search_markers_too() -> None:
    marked = f"a {MARK_START}b{MARK_END} c\x00"
    assert storable_prose(marked) == "a b c"
    assert storable_text(marked) == f"a {MARK_START}b{MARK_END} c"  # keys keep them
    plain = "Außenminister " * 10
    assert storable_prose(plain) is plain


def test_storable_or_none() -> None:
    assert storable_or_none(None) is None
    assert storable_or_none("a\x00b") == "ab"


def test_text_key_is_the_sha256_hex_of_the_utf8_bytes() -> None:
    assert text_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    long_value = "𠀋" * 999
    assert text_key(long_value) == hashlib.sha256(long_value.encode("utf-8")).hexdigest()
    assert len(text_key(long_value)) == len(text_key("")) == KEY_LENGTH
    assert text_key("https://a.example/x") != text_key("https://a.example/X")
