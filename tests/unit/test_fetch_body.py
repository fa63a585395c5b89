"""Pure parts of the fetcher: the capped body decoder and the header helpers."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from aggregator.errors import FetchError, TooLargeError
from aggregator.fetch.body import BodyReader, human_size
from aggregator.fetch.headers import (
    conditional_headers,
    flatten,
    is_binary,
    is_html,
    media_type,
    parse_retry_after,
    response_validators,
)
from aggregator.model import Validators

TEXT = b"<rss><channel><title>Ministry statements</title></channel></rss>" * 40
NOW = datetime(2026, 2, 14, 8, 0, tzinfo=UTC)


def read(
    body: bytes, encoding: str | None, *, chunk: int = 7, wire: int = 10**6, decoded: int = 10**6
) -> bytes:
    reader = BodyReader("https://example.org/f", encoding, max_wire=wire, max_decoded=decoded)
    for start in range(0, len(body), chunk):
        reader.feed(body[start : start + chunk])
    return reader.finish()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        (None, lambda b: b),
        ("identity", lambda b: b),
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("GZIP", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
        ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
        ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
        ("gzip", lambda b: gzip.compress(b[:100]) + gzip.compress(b[100:])),  # two members
    ],
)
def test_decodes(encoding: str | None, encode: Callable[[bytes], bytes]) -> None:
    assert read(encode(TEXT), encoding) == TEXT
    assert read(encode(TEXT), encoding, chunk=1 << 16) == TEXT


def test_decoded_cap_is_exact() -> None:
    body = gzip.compress(TEXT)
    assert read(body, "gzip", decoded=len(TEXT)) == TEXT
    with pytest.raises(TooLargeError, match="decompression bomb"):
        read(body, "gzip", decoded=len(TEXT) - 1)


def test_wire_cap_is_exact() -> None:
    assert read(TEXT, None, wire=len(TEXT)) == TEXT
    with pytest.raises(TooLargeError, match="max_body_bytes"):
        read(TEXT, None, wire=len(TEXT) - 1)


def test_bomb_is_stopped_without_inflating_it() -> None:
    bomb = gzip.compress(bytes(50 * 1024 * 1024))  # ~50 kB on the wire
    reader = BodyReader("u", "gzip", max_wire=10**6, max_decoded=1024)
    with pytest.raises(TooLargeError):
        reader.feed(bomb)


def test_corrupt_gzip_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="corrupt gzip"):
        read(b"\x1f\x8b\x08\x00garbage-garbage-garbage", "gzip")


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(FetchError, match="'zstd'"):
        BodyReader("u", "zstd", max_wire=1, max_decoded=1)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KiB"),
        (1536, "1.5 KiB"),
        (10 * 1024 * 1024, "10 MiB"),
        (3 * 1024**3, "3 GiB"),
    ],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("120", NOW + timedelta(seconds=120)),
        (" 0 ", NOW),
        ("Sat, 14 Feb 2026 09:00:00 GMT", NOW + timedelta(hours=1)),
        ("Sat, 14 Feb 2026 07:00:00 GMT", NOW),  # in the past: now
        ("soon", None),
        ("-5", None),
        ("", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: datetime | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("content_type", "kind", "html", "binary"),
    [
        ("application/rss+xml; charset=utf-8", "application/rss+xml", False, False),
        ("Text/HTML; charset=UTF-8", "text/html", True, False),
        ("application/xhtml+xml", "application/xhtml+xml", True, False),
        ("image/png", "image/png", False, True),
        ("application/pdf", "application/pdf", False, True),
        ("application/octet-stream", "application/octet-stream", False, False),
        (None, None, False, False),
        ("", None, False, False),
    ],
)
def test_media_types(content_type: str | None, kind: str | None, html: bool, binary: bool) -> None:
    assert media_type(content_type) == kind
    assert is_html(content_type) is html
    assert is_binary(content_type) is binary


def test_validators_round_trip() -> None:
    kept = Validators(etag='"abc"', last_modified="Sat, 14 Feb 2026 07:00:00 GMT")
    assert conditional_headers(kept) == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Sat, 14 Feb 2026 07:00:00 GMT",
    }
    assert conditional_headers(Validators()) == {}
    assert response_validators({"etag": '"new"'}, kept) == Validators('"new"', kept.last_modified)
    assert response_validators({}, kept) == kept


@pytest.mark.parametrize("bad", ['"caf\u00e9"', '"a"\r\nX-Injected: 1', "\u20ac", ""])
def test_unsendable_validators_are_dropped(bad: str) -> None:
    assert conditional_headers(Validators(etag=bad, last_modified=bad)) == {}
    assert response_validators({"etag": bad, "last-modified": bad}, Validators()) == Validators()


def test_flatten_joins_repeated_headers() -> None:
    assert flatten([("Vary", "Accept"), ("vary", "Cookie"), ("ETag", '"x"')]) == {
        "vary": "Accept, Cookie",
        "etag": '"x"',
    }


def test_fetch_package_exports() -> None:
    import aggregator.fetch

    assert sorted(aggregator.fetch.__all__) == [
        "AddressPolicy",
        "FetchRequest",
        "Fetcher",
        "PollState",
        "address_category",
        "backoff_delay",
        "next_poll_state",
    ]
    for name in aggregator.fetch.__all__:
        assert getattr(aggregator.fetch, name).__doc__, name
