"""The parse pool: worker processes give what inline parsing gives, errors come back as values,
and a dead worker leaves the pass parsing inline."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime

import pytest

from aggregator.pipeline.parse_pool import POOL_MIN_SOURCES, FeedParser, ParseJob, ParseOutcome

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ministry</title><link>https://ministry.example/</link>
<description>d</description>
<item><title>Minister visits the border</title><link>https://ministry.example/v1?utm_source=x</link>
<guid>v1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>
<description>&lt;p&gt;The minister said the crossing would reopen.&lt;/p&gt;</description></item>
</channel></rss>
"""


def _job(body: bytes) -> ParseJob:
    return ParseJob(
        body=body,
        source="ministry",
        url="https://ministry.example/feed",
        headers={"Content-Type": "application/rss+xml"},
        source_language="en",
        now=NOW,
    )


def _parse_all(parser: FeedParser, bodies: list[bytes]) -> list[ParseOutcome]:
    async def run() -> list[ParseOutcome]:
        return await asyncio.gather(*(parser.parse(_job(b)) for b in bodies))

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("count", "pooled"), [(1, False), (POOL_MIN_SOURCES - 1, False), (POOL_MIN_SOURCES, True)]
)
def test_only_big_passes_get_a_pool(count: int, pooled: bool) -> None:
    with FeedParser.for_sources(count, workers=1) as parser:
        assert parser.pooled is pooled
        assert parser._pool is None  # started by the first document only


def test_workers_parse_as_inline_parsing_does() -> None:
    bodies = [FEED, b"<html><head><title>Gone fishing</title></head></html>"]
    with FeedParser(0) as inline:
        expected = _parse_all(inline, bodies)
    with FeedParser(1) as pooled:
        got = _parse_all(pooled, bodies)
        assert pooled.pooled
    assert got == expected
    assert got[0].feed is not None
    assert [a.url for a in got[0].feed.articles] == ["https://ministry.example/v1"]
    assert got[1].feed is None
    assert "HTML page" in (got[1].error or "")


@pytest.mark.fault
def test_a_dead_worker_leaves_the_pass_parsing_inline() -> None:
    with FeedParser(1) as parser:
        first = _parse_all(parser, [FEED])
        assert parser.pooled
        for pid in list(_worker_pids(parser)):
            os.kill(pid, signal.SIGKILL)
        after = _parse_all(parser, [FEED, FEED])
        assert not parser.pooled
    assert after == first * 2
    assert parser._pool is None  # shut down on leaving


def _worker_pids(parser: FeedParser) -> list[int]:
    # the executor keeps its processes privately; a test may look
    pool = parser._pool
    assert pool is not None
    processes = pool._processes
    assert processes
    return list(processes)
