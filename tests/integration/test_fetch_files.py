"""Local feeds through the same Fetcher: file:// URLs and absolute paths, on real files."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from aggregator.fetch import Fetcher, FetchRequest
from aggregator.model import FetchLimits, FetchOutcome, FetchResult, Validators

FEED = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Local</title></feed>'
LIMITS = FetchLimits(max_body_bytes=1024)


def fetch(url: str, validators: Validators | None = None) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(LIMITS) as fetcher:
            return await fetcher.fetch(FetchRequest("local", url, validators or Validators()))

    return asyncio.run(run())


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "press releases.atom"
    path.write_bytes(FEED)
    return path


@pytest.mark.parametrize("form", ["uri", "path"])
def test_reads_file_url_and_absolute_path(feed_file: Path, form: str) -> None:
    url = feed_file.as_uri() if form == "uri" else str(feed_file)
    result = fetch(url)
    assert result.outcome is FetchOutcome.OK
    assert result.body == FEED
    assert result.requested_url == url
    assert result.headers["content-type"] == "application/atom+xml"
    assert result.validators.etag is not None
    assert result.validators.last_modified is not None


def test_percent_encoded_path_is_decoded(feed_file: Path) -> None:
    assert "%20" in feed_file.as_uri()
    assert fetch(feed_file.as_uri()).outcome is FetchOutcome.OK


def test_unchanged_file_is_not_modified_and_a_change_is_seen(feed_file: Path) -> None:
    first = fetch(feed_file.as_uri())
    second = fetch(feed_file.as_uri(), first.validators)
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert second.body is None
    assert second.validators == first.validators
    feed_file.write_bytes(FEED + b"\n")
    stat = feed_file.stat()
    os.utime(feed_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = fetch(feed_file.as_uri(), first.validators)
    assert third.outcome is FetchOutcome.OK
    assert third.body == FEED + b"\n"
    assert third.validators != first.validators


@pytest.mark.fault
def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "gone.xml"
    result = fetch(missing.as_uri())
    assert result.outcome is FetchOutcome.FAILED
    assert result.error_type == "FetchError"
    assert result.error == f"the file {missing} does not exist; check the source's URL"


@pytest.mark.fault
def test_directory_is_not_a_feed(tmp_path: Path) -> None:
    result = fetch(tmp_path.as_uri())
    assert result.outcome is FetchOutcome.FAILED
    assert "is a directory" in (result.error or "")


@pytest.mark.fault
def test_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b" " * (LIMITS.max_body_bytes + 1))
    result = fetch(str(big))
    assert result.outcome is FetchOutcome.FAILED
    assert result.error_type == "TooLargeError"
    assert "1 KiB limit" in (result.error or "")


def test_file_exactly_at_the_cap_is_read(tmp_path: Path) -> None:
    exact = tmp_path / "exact.xml"
    exact.write_bytes(b" " * LIMITS.max_body_bytes)
    assert fetch(str(exact)).body == b" " * LIMITS.max_body_bytes


@pytest.mark.fault
def test_file_url_on_another_host_is_refused() -> None:
    result = fetch("file://fileserver/share/feed.xml")
    assert result.outcome is FetchOutcome.FAILED
    assert "'fileserver'" in (result.error or "")
