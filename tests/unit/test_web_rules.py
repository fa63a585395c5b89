"""The web archive's small pure rules, one case a row: loopback hosts, credentials, parameters,
highlighted snippets."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

import pytest
from fastapi import HTTPException

from aggregator.digest.render import marked
from aggregator.web import params
from aggregator.web.security import Credentials
from aggregator.web.serve import display_url, is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("10.0.0.1", False),
        ("example.org", False),
        ("localhost.example.org", False),
        ("", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8080, "http://127.0.0.1:8080/"),
        ("0.0.0.0", 80, "http://127.0.0.1:80/"),
        ("::1", 8080, "http://[::1]:8080/"),
        ("localhost", 9000, "http://localhost:9000/"),
    ],
)
def test_the_address_serve_prints(host: str, port: int, url: str) -> None:
    assert display_url(host, port) == url


def _basic(raw: bytes) -> bytes:
    return b"Basic " + base64.b64encode(raw)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        (_basic(b"analyst:pa:ss"), True),
        (b"basic " + base64.b64encode(b"analyst:pa:ss"), True),
        (_basic(b"analyst:pa:s"), False),
        (_basic(b"Analyst:pa:ss"), False),
        (_basic(b"analyst"), False),
        (_basic(b":pa:ss"), False),
        (b"Basic", False),
        (b"Basic !!!", False),
        (b"Bearer analyst:pa:ss", False),
        (None, False),
    ],
)
def test_credentials(header: bytes | None, accepted: bool) -> None:
    assert Credentials("analyst", "pa:ss").accept(header) is accepted


@pytest.mark.parametrize(
    ("snippet", "html"),
    [
        ("plain", "plain"),
        ("a \ue000b\ue001 c", "a <mark>b</mark> c"),
        ("<i>\ue000x\ue001</i>", "&lt;i&gt;<mark>x</mark>&lt;/i&gt;"),
        ("\ue000open only", "open only"),
        ("close\ue001 only", "close only"),
        ("\ue000a\ue000b\ue001", "a<mark>b</mark>"),
        ('"><img onerror=x>', "&#34;&gt;&lt;img onerror=x&gt;"),
    ],
)
def test_snippets_are_escaped_then_marked(snippet: str, html: str) -> None:
    assert str(marked(snippet)) == html


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("  ", None), ("2026-11-24", date(2026, 11, 24))],
)
def test_days(value: str | None, expected: date | None) -> None:
    assert params.day(value, "from") == expected


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "24-11-2026", "2026-11-24T00:00", "２０２６-11-24", "x" * 41, "20261124"],
)
def test_bad_days_are_400(value: str) -> None:
    with pytest.raises(HTTPException) as raised:
        params.day(value, "from")
    assert raised.value.status_code == 400


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 20), ("", 20), ("1", 1), ("100", 100), (7, 7)]
)
def test_page_sizes(value: str | int | None, expected: int) -> None:
    assert params.limit(value, default=20) == expected


@pytest.mark.parametrize("value", ["0", "101", "-1", "1e3", "ten", "٣", "00001"])
def test_bad_page_sizes_are_400(value: str) -> None:
    with pytest.raises(HTTPException):
        params.limit(value, default=20)


def test_a_day_range_is_half_open_and_ordered() -> None:
    start, end = params.day_range(date(2026, 11, 24), date(2026, 11, 24))
    assert start == datetime(2026, 11, 24, tzinfo=UTC)
    assert end == datetime(2026, 11, 25, tzinfo=UTC)
    with pytest.raises(HTTPException):
        params.day_range(date(2026, 11, 25), date(2026, 11, 24))
