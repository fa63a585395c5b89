"""Pieces of English for messages built from parts."""

from __future__ import annotations

import pytest

from aggregator.wording import a_or_an, describe_char, shown


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("unspecified address", "an unspecified address"),
        ("loopback address", "a loopback address"),
        ("link-local address", "a link-local address"),
        ("multicast address", "a multicast address"),
        ("private address", "a private address"),
        ("reserved address", "a reserved address"),
        ("non-global address", "a non-global address"),
        ("error", "an error"),
        ("invalid URL", "an invalid URL"),
        ("unique key", "a unique key"),
        ("one-off", "a one-off"),
        ("hour", "an hour"),
        ("SMTP relay", "an SMTP relay"),
        ("HTTP error", "an HTTP error"),
        ("URL", "a URL"),
        ("UTF-8 file", "a UTF-8 file"),
        ("IPv6 address", "an IPv6 address"),
        ("feed", "a feed"),
    ],
)
def test_a_or_an(phrase: str, expected: str) -> None:
    assert a_or_an(phrase) == expected


def test_shown_escapes_what_a_terminal_would_act_on() -> None:
    assert shown("plain text, é and ü") == "plain text, é and ü"
    assert shown("a\x1b[31mred\x00") == "a\\x1b[31mred\\x00"


def test_describe_char_names_control_characters() -> None:
    assert describe_char("\x00") == "U+0000 NUL"
    assert describe_char("\x1b") == "U+001B ESC"
    assert describe_char("\xa0") == "U+00A0 NO-BREAK SPACE"
