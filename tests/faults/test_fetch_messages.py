"""What `aggregator fetch` tells the user: messages that say what will happen, in English, and an
exit status that says whether anything was fetched.

Issue #12, fault 8 (part): "asks us to wait until 9999-12-31" (a Retry-After far ahead, which the
schedule caps at a day anyway), "a unspecified address", and exit status 0 when every source
failed.
"""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aggregator.cli import main
from aggregator.errors import BlockedAddressError
from aggregator.fetch import Fetcher, FetchRequest
from aggregator.fetch.guard import AddressPolicy
from aggregator.model import FetchLimits, FetchOutcome, FetchResult
from aggregator.store import open_store
from tests.support.server import FeedServer

RSS = "application/rss+xml"
FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>North</title>'
    "<link>https://example.org/north</link><description>d</description>"
    "<item><guid>n-1</guid><title>Envoy calls for talks</title>"
    "<link>https://example.org/north/1</link><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
    "<description>The envoy said talks should resume.</description></item></channel></rss>"
)


def fetch(url: str, limits: FetchLimits) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(limits) as fetcher:
            return await fetcher.fetch(FetchRequest("s", url))

    return asyncio.run(run())


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__} escaped: {result.exception}"
    )
    return result


def config_with(tmp_path: Path, sources: list[tuple[str, str]]) -> Path:
    config = tmp_path / "feeds.yaml"
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    lines += [f"  - {{name: {n}, url: '{u}', kind: outlet, publisher: P}}" for n, u in sources]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


# ---------------------------------------------------------------- Retry-After far ahead


@pytest.mark.parametrize(
    "retry_after", ["Fri, 31 Dec 9999 23:59:59 GMT", "999999999"], ids=["http-date", "seconds"]
)
def test_a_retry_after_years_ahead_is_capped_and_the_message_says_so(
    feed_server: FeedServer, retry_after: str
) -> None:
    url = feed_server.add("/busy.xml", status=429, headers={"Retry-After": retry_after})
    result = fetch(url, FetchLimits(allowed_networks=("127.0.0.1/32",)))
    assert result.outcome is FetchOutcome.THROTTLED
    assert result.fetched_at is not None
    latest = result.fetched_at + timedelta(days=1)
    assert result.retry_after == latest
    assert result.error is not None
    assert result.error.endswith(
        f"longer than the 1 day we honour, so we wait until {latest:%Y-%m-%d %H:%M:%S} UTC"
    ), result.error


def test_aggregator_fetch_shows_the_capped_wait_and_schedules_it(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.add(
        "/busy.xml", status=503, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}
    )
    config = config_with(tmp_path, [("busy", url)])
    db = f"sqlite:///{tmp_path / 'a.db'}"
    before = datetime.now(UTC)
    result = cli("--config", str(config), "--db", db, "fetch")
    assert "it asks us to wait until 9999-12-31 23:59:59 UTC, longer than the 1 day" in (
        result.output
    )
    with open_store(db) as store:
        (status,) = store.source_status()
    assert status.next_poll_at <= datetime.now(UTC) + timedelta(days=1)
    assert status.next_poll_at >= before + timedelta(hours=23)
    assert f"so we wait until {status.next_poll_at:%Y-%m-%d %H:%M}" in (status.last_error or "")


# ---------------------------------------------------------------- a or an


@pytest.mark.parametrize(
    ("address", "phrase"),
    [
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("127.0.0.1", "a loopback address"),
        ("169.254.169.254", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("10.0.0.5", "a private address"),
        ("4000::1", "a reserved address"),
        ("100.64.0.1", "a non-global address"),
    ],
)
def test_every_kind_of_refused_address_is_named_with_the_right_article(
    address: str, phrase: str
) -> None:
    with pytest.raises(BlockedAddressError) as info:
        AddressPolicy().check("feeds.example", ipaddress.ip_address(address))
    assert f"feeds.example ({address}): it is {phrase}, not the public internet" in str(info.value)


def test_the_fetcher_refuses_the_unspecified_address_in_good_english() -> None:
    result = fetch("http://0.0.0.0:9/feed", FetchLimits(connect_timeout=2.0))
    assert result.outcome is FetchOutcome.FAILED
    assert result.error_type == "BlockedAddressError"
    assert (result.error or "").startswith(
        "refused to connect to 0.0.0.0: it is an unspecified address, not the public internet"
    ), result.error


# ---------------------------------------------------------------- the exit status


def test_aggregator_fetch_exits_1_when_every_source_failed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config = config_with(
        tmp_path,
        [("gone", (tmp_path / "missing.xml").as_uri()), ("lost", feed_server.url("/none.xml"))],
    )
    result = cli("--config", str(config), "--db", f"sqlite:///{tmp_path / 'a.db'}", "fetch")
    assert result.exit_code == 1, result.output
    assert "every source failed (2 tried, none fetched)" in result.stderr
    assert "2 sources: 0 new, 0 updated, 2 failed" in result.stdout


def test_aggregator_fetch_exits_0_when_one_source_was_fetched_or_none_was_due(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    good = feed_server.add("/north.xml", FEED, content_type=RSS)
    config = config_with(tmp_path, [("north", good), ("lost", feed_server.url("/none.xml"))])
    db = f"sqlite:///{tmp_path / 'a.db'}"
    first = cli("--config", str(config), "--db", db, "fetch")
    assert first.exit_code == 0, first.output
    assert "2 sources: 1 new, 0 updated, 1 failed" in first.stdout
    again = cli("--config", str(config), "--db", db, "fetch")  # nothing is due yet
    assert again.exit_code == 0, again.output
    assert "no source is due" in again.stdout


def test_the_exit_status_is_documented_in_the_help() -> None:
    result = cli("fetch", "--help")
    assert "Exit status:" in result.output
    assert "1  every source fetched failed" in result.output
