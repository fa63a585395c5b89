"""A transport failure becomes the most specific project error, with a sentence a user can act
on (the table in aggregator/fetch/http.py, most specific class first)."""

from __future__ import annotations

import httpx
import pytest

from aggregator.errors import FetchError, FetchTimeoutError
from aggregator.fetch.http import _transport_error
from aggregator.model import FetchLimits

URL = "https://news.example.org/feed.xml"
LIMITS = FetchLimits(connect_timeout=2.5, read_timeout=12.0)


@pytest.mark.parametrize(
    ("exc", "kind", "sentence"),
    [
        (
            httpx.ConnectTimeout("timed out"),
            FetchTimeoutError,
            "connecting to news.example.org took longer than 2.5 s (connect_timeout)",
        ),
        (
            httpx.ReadTimeout("timed out"),
            FetchTimeoutError,
            "news.example.org sent nothing for 12 s (read_timeout) while answering "
            f"{URL}; the server is overloaded or unreachable",
        ),
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            FetchError,
            f"could not connect to news.example.org for {URL} ([Errno 111] Connection "
            "refused); try again later",
        ),
        (
            httpx.RemoteProtocolError("illegal header"),
            FetchError,
            "news.example.org closed the connection or answered with a broken HTTP response "
            f"for {URL} (illegal header); try again later",
        ),
        (
            httpx.ReadError(""),
            FetchError,
            f"the connection to news.example.org was reset or broken while fetching {URL} "
            "(ReadError); try again later",
        ),
        (httpx.ProxyError("no {proxy}"), FetchError, f"could not fetch {URL}: no {{proxy}}"),
    ],
)
def test_each_failure_names_its_cause(
    exc: httpx.TransportError, kind: type[FetchError], sentence: str
) -> None:
    error = _transport_error(URL, exc, LIMITS)
    assert type(error) is kind
    assert str(error) == sentence
