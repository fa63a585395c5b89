"""The HTTP fetcher against a real loopback server that misbehaves on purpose."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from aggregator.errors import ConfigError
from aggregator.fetch import Fetcher, FetchRequest
from aggregator.model import FetchLimits, FetchOutcome, FetchResult, Validators
from tests.support.server import (
    Exchange,
    FeedServer,
    compress,
    drip,
    gzip_bomb,
    hang,
    reset_connection,
)

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title></channel></rss>'
RSS = "application/rss+xml"
LIMITS = FetchLimits(
    max_connections=4,
    max_per_host=2,
    connect_timeout=1.0,
    read_timeout=0.3,
    total_timeout=2.0,
    max_body_bytes=64 * 1024,
    max_decompressed_bytes=256 * 1024,
    max_redirects=3,
    user_agent="aggregator-test/1.0 (+https://example.org/bot)",
    allowed_networks=("127.0.0.1/32",),
)


def fetch(
    url: str, limits: FetchLimits = LIMITS, validators: Validators | None = None
) -> FetchResult:
    """One feed fetch in a fresh event loop."""

    async def run() -> FetchResult:
        async with Fetcher(limits) as fetcher:
            return await fetcher.fetch(FetchRequest("test", url, validators or Validators()))

    return asyncio.run(run())


def fetch_many(urls: Iterable[str], limits: FetchLimits = LIMITS) -> list[FetchResult]:
    """fetch_all over ``urls``, results in completion order."""

    async def run() -> list[FetchResult]:
        async with Fetcher(limits) as fetcher:
            return [r async for r in fetcher.fetch_all(FetchRequest(u, u) for u in urls)]

    return asyncio.run(run())


def page(url: str, limits: FetchLimits = LIMITS) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(limits) as fetcher:
            return await fetcher.fetch_page("test", url)

    return asyncio.run(run())


def assert_failed(result: FetchResult, error_type: str, *words: str) -> None:
    assert result.outcome is FetchOutcome.FAILED, result
    assert result.error_type == error_type, result.error
    assert result.body is None
    for word in words:
        assert word in (result.error or ""), result.error


# -- success and conditional GET ---------------------------------------------------------------


def test_ok_sends_user_agent_and_feed_accept_and_keeps_validators(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED, content_type=RSS, etag=True)
    result = fetch(url)
    assert result.outcome is FetchOutcome.OK
    assert result.body == FEED
    assert result.status == 200
    assert result.final_url == url
    assert result.permanent_redirect is None
    assert result.headers["content-type"] == RSS
    assert result.validators.etag is not None
    assert result.validators.etag.startswith('"')
    assert result.validators.last_modified is not None
    assert result.fetched_at is not None
    sent = feed_server.requests_for("/feed.xml")[0].headers
    assert sent["user-agent"] == LIMITS.user_agent
    assert sent["accept"].startswith("application/rss+xml")
    assert "gzip" in sent["accept-encoding"]
    assert "if-none-match" not in sent


def test_304_flow_keeps_validators_and_sends_them(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED, content_type=RSS, etag=True)
    first = fetch(url)
    second = fetch(url, validators=first.validators)
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert second.status == 304
    assert second.body is None
    assert second.validators == first.validators
    assert (
        feed_server.requests_for("/feed.xml")[1].headers["if-none-match"] == first.validators.etag
    )
    # the feed changes: a 200 with new validators
    feed_server.add("/feed.xml", FEED + b"<!-- new -->", content_type=RSS, etag=True)
    third = fetch(url, validators=first.validators)
    assert third.outcome is FetchOutcome.OK
    assert third.validators.etag != first.validators.etag


def test_304s_and_redirects_keep_the_connection_alive(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED, content_type=RSS, etag=True)
    feed_server.redirect("/moved", "/feed.xml", status=302)

    async def run() -> list[FetchResult]:
        async with Fetcher(LIMITS) as fetcher:
            first = await fetcher.fetch(FetchRequest("t", url))
            again = [FetchRequest("t", url, first.validators) for _ in range(5)]
            moved = [FetchRequest("t", feed_server.url("/moved")) for _ in range(5)]
            return [await fetcher.fetch(r) for r in again + moved]

    results = asyncio.run(run())
    assert [r.outcome for r in results] == [FetchOutcome.NOT_MODIFIED] * 5 + [FetchOutcome.OK] * 5
    assert feed_server.connections_opened == 1


def test_if_modified_since_alone_gives_304(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED, content_type=RSS, etag=True)
    first = fetch(url)
    kept = Validators(last_modified=first.validators.last_modified)
    second = fetch(url, validators=kept)
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert (
        feed_server.requests_for("/feed.xml")[1].headers["if-modified-since"] == kept.last_modified
    )
    assert second.validators.last_modified == kept.last_modified


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_body_is_decoded(feed_server: FeedServer, encoding: str) -> None:
    url = feed_server.add("/z", FEED * 50, content_type=RSS, encoding=encoding)
    result = fetch(url)
    assert result.outcome is FetchOutcome.OK
    assert result.body == FEED * 50


def test_raw_deflate_without_zlib_header_is_decoded(feed_server: FeedServer) -> None:
    raw = compress(FEED, "deflate")[2:-4]  # strip the zlib header and checksum
    url = feed_server.add("/raw", raw, content_type=RSS, headers={"Content-Encoding": "deflate"})
    assert fetch(url).body == FEED


@pytest.mark.fault
def test_unsupported_content_encoding_fails_clearly(feed_server: FeedServer) -> None:
    url = feed_server.add("/br", b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
    assert_failed(fetch(url), "FetchError", "'br'", "cannot decode")


@pytest.mark.fault
def test_html_page_instead_of_feed_is_returned_with_its_content_type(
    feed_server: FeedServer,
) -> None:
    html = b"<!doctype html><html><head><title>Newsroom</title></head></html>"
    url = feed_server.add("/news", html, content_type="text/html; charset=utf-8")
    result = fetch(url)
    assert result.outcome is FetchOutcome.OK
    assert result.body == html
    assert result.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.fault
def test_wrong_content_type_is_refused_before_reading(feed_server: FeedServer) -> None:
    url = feed_server.add("/logo", b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png")
    result = fetch(url)
    assert_failed(result, "FetchError", "image/png", "not a feed")
    assert result.status == 200


@pytest.mark.fault
def test_fetch_page_accepts_html_and_refuses_pdf(feed_server: FeedServer) -> None:
    ok = page(feed_server.add("/story", b"<html>story</html>", content_type="text/html"))
    assert ok.outcome is FetchOutcome.OK
    assert feed_server.requests_for("/story")[0].headers["accept"].startswith("text/html")
    pdf = page(feed_server.add("/story.pdf", b"%PDF-1.4", content_type="application/pdf"))
    assert_failed(pdf, "FetchError", "application/pdf", "not an HTML page")


@pytest.mark.fault
def test_fetch_page_never_reads_local_files(tmp_path: object) -> None:
    assert_failed(page("file:///etc/hostname"), "FetchError", "only http and https")


# -- statuses ------------------------------------------------------------------------------------


@pytest.mark.fault
def test_500_is_failed_with_status(feed_server: FeedServer) -> None:
    result = fetch(feed_server.add("/broken", b"oops", status=500))
    assert_failed(result, "HTTPStatusError", "HTTP 500 Internal Server Error", "retried")
    assert result.status == 500


@pytest.mark.fault
def test_404_says_check_the_url(feed_server: FeedServer) -> None:
    result = fetch(feed_server.url("/missing.xml"))
    assert_failed(result, "HTTPStatusError", "HTTP 404", "check the source's URL")


@pytest.mark.fault
def test_410_is_gone_with_a_reason(feed_server: FeedServer) -> None:
    url = feed_server.add("/old.xml", b"", status=410)
    result = fetch(url)
    assert result.outcome is FetchOutcome.GONE
    assert result.status == 410
    assert result.error_type == "HTTPStatusError"
    assert result.error is not None
    assert "410 Gone" in result.error
    assert "disabled" in result.error


@pytest.mark.fault
def test_429_with_delta_seconds_is_throttled(feed_server: FeedServer) -> None:
    url = feed_server.add("/busy", b"", status=429, headers={"Retry-After": "120"})
    result = fetch(url)
    assert result.outcome is FetchOutcome.THROTTLED
    assert result.error_type == "HTTPStatusError"
    assert result.error is not None
    assert "429 Too Many Requests" in result.error
    assert result.retry_after is not None
    assert result.fetched_at is not None
    assert result.retry_after - result.fetched_at == timedelta(seconds=120)


@pytest.mark.fault
def test_503_with_http_date_is_throttled(feed_server: FeedServer) -> None:
    # within the day a Retry-After is honoured at most (tests/faults covers dates beyond it)
    asked = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    when = format_datetime(asked, usegmt=True)
    result = fetch(feed_server.add("/down", b"", status=503, headers={"Retry-After": when}))
    assert result.outcome is FetchOutcome.THROTTLED
    assert result.retry_after == asked
    assert f"it asks us to wait until {asked:%Y-%m-%d %H:%M:%S} UTC" in (result.error or "")


@pytest.mark.fault
def test_429_without_retry_after_has_none(feed_server: FeedServer) -> None:
    result = fetch(feed_server.add("/busy", b"", status=429))
    assert result.outcome is FetchOutcome.THROTTLED
    assert result.retry_after is None
    assert "backs off" in (result.error or "")


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.fault
@pytest.mark.parametrize(
    ("statuses", "permanent"),
    [
        ((301,), True),
        ((308,), True),
        ((301, 308), True),
        ((302,), False),
        ((301, 302), False),
        ((307,), False),
    ],
)
def test_permanent_redirect_only_when_every_hop_is_permanent(
    feed_server: FeedServer, statuses: tuple[int, ...], permanent: bool
) -> None:
    final = feed_server.add("/final.xml", FEED, content_type=RSS)
    for i, status in enumerate(statuses):
        target = f"/hop{i + 1}" if i + 1 < len(statuses) else "final.xml"  # relative Location
        feed_server.redirect(f"/hop{i}", target, status=status)
    result = fetch(feed_server.url("/hop0"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == FEED
    assert result.final_url == final
    assert result.permanent_redirect == (final if permanent else None)


@pytest.mark.fault
def test_redirect_then_304_keeps_permanent_redirect(feed_server: FeedServer) -> None:
    final = feed_server.add("/new.xml", FEED, content_type=RSS, etag=True)
    feed_server.redirect("/old.xml", final, status=301)
    first = fetch(feed_server.url("/old.xml"))
    second = fetch(feed_server.url("/old.xml"), validators=first.validators)
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert second.permanent_redirect == final


@pytest.mark.fault
def test_permanent_redirect_to_an_error_is_not_reported(feed_server: FeedServer) -> None:
    feed_server.redirect("/old.xml", "/missing.xml", status=301)
    result = fetch(feed_server.url("/old.xml"))
    assert_failed(result, "HTTPStatusError", "/missing.xml answered HTTP 404")
    assert result.final_url == feed_server.url("/missing.xml")
    assert result.permanent_redirect is None


@pytest.mark.fault
def test_redirect_without_location_is_failed(feed_server: FeedServer) -> None:
    result = fetch(feed_server.add("/nowhere", b"", status=302))
    assert_failed(result, "HTTPStatusError", "HTTP 302 Found", "without a Location header")


@pytest.mark.fault
def test_redirect_loop_is_detected(feed_server: FeedServer) -> None:
    feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", "/a")
    result = fetch(feed_server.url("/a"))
    assert_failed(result, "TooManyRedirectsError", "redirect loop", "/a -> ", "/b -> ")
    assert feed_server.count() == 2


@pytest.mark.fault
def test_too_many_redirects(feed_server: FeedServer) -> None:
    for i in range(6):
        feed_server.redirect(f"/r{i}", f"/r{i + 1}")
    feed_server.add("/r6", FEED)
    result = fetch(feed_server.url("/r0"))
    assert_failed(result, "TooManyRedirectsError", "more than 3 times", "max_redirects")
    assert feed_server.count() == 4  # the original request and three redirects followed


@pytest.mark.fault
def test_redirect_to_a_non_http_scheme_is_refused(feed_server: FeedServer) -> None:
    feed_server.redirect("/sneaky", "file:///etc/passwd")
    assert_failed(fetch(feed_server.url("/sneaky")), "FetchError", "only http(s) redirects")


# -- the SSRF guard ------------------------------------------------------------------------------


@pytest.mark.fault
def test_redirect_to_blocked_address_is_refused(feed_server: FeedServer) -> None:
    feed_server.redirect("/out", f"http://127.0.0.2:{feed_server.port}/inside")
    result = fetch(feed_server.url("/out"))
    assert_failed(result, "BlockedAddressError", "127.0.0.2", "loopback", "allowed_networks")
    assert result.final_url == f"http://127.0.0.2:{feed_server.port}/inside"
    assert feed_server.count() == 1


@pytest.mark.fault
def test_guard_refuses_loopback_by_default_before_any_request(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED)
    result = fetch(url, limits=replace(LIMITS, allowed_networks=()))
    assert_failed(result, "BlockedAddressError", "127.0.0.1", "loopback")
    assert feed_server.count() == 0


@pytest.mark.fault
def test_guard_checks_resolved_names_too(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED).replace("127.0.0.1", "localhost")
    assert_failed(
        fetch(url, limits=replace(LIMITS, allowed_networks=())), "BlockedAddressError", "localhost"
    )
    assert fetch(url).outcome is FetchOutcome.OK  # 127.0.0.1/32 allowed; ::1 is skipped


def test_allow_private_networks_permits_loopback(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED)
    limits = replace(LIMITS, allowed_networks=(), allow_private_networks=True)
    assert fetch(url, limits=limits).outcome is FetchOutcome.OK


# -- size limits ---------------------------------------------------------------------------------


@pytest.mark.fault
def test_oversize_body_with_content_length_is_rejected_early(feed_server: FeedServer) -> None:
    url = feed_server.add("/big", bytes(LIMITS.max_body_bytes + 1), content_type=RSS)
    result = fetch(url)
    assert_failed(result, "TooLargeError", "64 KiB limit", "announced", "max_body_bytes")


@pytest.mark.fault
def test_oversize_body_without_content_length_is_cut_while_streaming(
    feed_server: FeedServer,
) -> None:
    def endless(exchange: Exchange) -> None:
        exchange.send_head(200, {"Content-Type": RSS, "Connection": "close"})
        for _ in range(64):  # 4 MiB at most; the client hangs up after 64 KiB
            exchange.write(bytes(64 * 1024))
        exchange.close()

    result = fetch(feed_server.add("/endless", handler=endless))
    assert_failed(result, "TooLargeError", "64 KiB limit", "max_body_bytes")
    assert "announced" not in (result.error or "")


@pytest.mark.fault
def test_lying_content_length_does_not_matter(feed_server: FeedServer) -> None:
    def liar(exchange: Exchange) -> None:
        exchange.send_head(200, {"Content-Type": RSS, "Transfer-Encoding": "chunked"})
        for _ in range(4):
            chunk = bytes(32 * 1024)
            exchange.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        exchange.write(b"0\r\n\r\n")

    assert_failed(fetch(feed_server.add("/chunked", handler=liar)), "TooLargeError", "64 KiB")


@pytest.mark.fault
def test_decompression_bomb_is_stopped(feed_server: FeedServer) -> None:
    bomb = gzip_bomb(16 * 1024 * 1024)
    assert len(bomb) < LIMITS.max_body_bytes  # small on the wire
    url = feed_server.add("/bomb", bomb, content_type=RSS, headers={"Content-Encoding": "gzip"})
    result = fetch(url)
    assert_failed(result, "TooLargeError", "256 KiB", "decompression bomb")


# -- time limits and broken connections ----------------------------------------------------------


@pytest.mark.fault
def test_read_timeout(feed_server: FeedServer) -> None:
    result = fetch(feed_server.add("/hang", handler=hang(5)))
    assert_failed(result, "FetchTimeoutError", "0.3 s", "read_timeout")


@pytest.mark.fault
def test_slow_drip_hits_the_total_deadline(feed_server: FeedServer) -> None:
    # each byte arrives well inside read_timeout, but the whole body would take 5 s
    url = feed_server.add("/drip", handler=drip(FEED, interval=0.05))
    result = fetch(url, limits=replace(LIMITS, total_timeout=0.4))
    assert_failed(result, "FetchTimeoutError", "0.4 s", "total_timeout")
    assert result.duration < 1.0


@pytest.mark.fault
def test_connection_reset(feed_server: FeedServer) -> None:
    result = fetch(feed_server.add("/reset", handler=reset_connection()))
    assert_failed(result, "FetchError", "reset", "try again later")
    assert "()" not in (result.error or ""), result.error  # a reason, or at least the error's kind


@pytest.mark.fault
def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # nothing listens on the port any more
    result = fetch(f"http://127.0.0.1:{port}/feed.xml")
    assert_failed(result, "FetchError", f"127.0.0.1 port {port}", "refused")


@pytest.mark.fault
def test_unsendable_user_agent_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="user_agent"):
        Fetcher(replace(LIMITS, user_agent="agrégateur/1.0"))


@pytest.mark.fault
def test_invalid_and_unsupported_urls_fail_clearly() -> None:
    assert_failed(fetch("ftp://example.org/feed"), "FetchError", "only http and https")
    assert_failed(fetch("http://"), "FetchError", "not")


# -- concurrency ---------------------------------------------------------------------------------


def test_per_host_limit_holds(feed_server: FeedServer) -> None:
    url = feed_server.add("/slow", FEED, content_type=RSS, delay=0.15)
    results = fetch_many([f"{url}?n={i}" for i in range(6)])
    assert [r.outcome for r in results] == [FetchOutcome.OK] * 6
    assert feed_server.max_in_flight == LIMITS.max_per_host
    assert feed_server.max_connections <= LIMITS.max_per_host


def test_global_limit_holds_across_hosts(feed_server: FeedServer) -> None:
    url = feed_server.add("/slow", FEED, content_type=RSS, delay=0.15)
    other = url.replace("127.0.0.1", "localhost")  # another host name, the same server
    limits = replace(LIMITS, max_connections=3)
    results = fetch_many([f"{u}?n={i}" for i in range(4) for u in (url, other)], limits)
    assert len(results) == 8
    assert all(r.outcome is FetchOutcome.OK for r in results)
    assert feed_server.max_in_flight == 3


def test_fetchers_on_one_event_loop_share_the_limits(feed_server: FeedServer) -> None:
    """The daemon runs passes side by side on one loop, each with its own Fetcher: together they
    stay within max_per_host (and max_connections), as one Fetcher would."""
    url = feed_server.add("/slow", FEED, content_type=RSS, delay=0.15)

    async def one_pass(n: int) -> list[FetchResult]:
        async with Fetcher(LIMITS) as fetcher:
            requests = (FetchRequest(f"{n}-{i}", f"{url}?p={n}&n={i}") for i in range(3))
            return [r async for r in fetcher.fetch_all(requests)]

    async def side_by_side() -> list[list[FetchResult]]:
        return list(await asyncio.gather(*(one_pass(n) for n in range(3))))

    passes = asyncio.run(side_by_side())
    assert [r.outcome for results in passes for r in results] == [FetchOutcome.OK] * 9
    assert feed_server.max_in_flight == LIMITS.max_per_host


def test_fetch_all_yields_each_result_as_it_completes(feed_server: FeedServer) -> None:
    slow = feed_server.add("/slow", FEED, delay=0.3)
    fast = feed_server.add("/fast", FEED)
    results = fetch_many([slow, fast])
    assert [r.source for r in results] == [fast, slow]


# -- the real feeds, served from the shared corpus -------------------------------------------------


def test_real_feeds_arrive_byte_for_byte_then_not_modified(
    corpora: Path, feed_server: FeedServer
) -> None:
    folder = corpora / "realfeeds" / "feeds"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf"))
    assert len(files) >= 40, f"expected the 45 real feeds under {folder}"
    feed_server.serve_directory(folder, "/real", etag=True)
    urls = [feed_server.url("/real/" + p.relative_to(folder).as_posix()) for p in files]
    limits = replace(LIMITS, max_body_bytes=4 * 1024 * 1024, max_decompressed_bytes=8 * 1024**2)

    async def two_passes() -> tuple[list[FetchResult], list[FetchResult]]:
        async with Fetcher(limits) as fetcher:
            first = [r async for r in fetcher.fetch_all(FetchRequest(u, u) for u in urls)]
            kept = {r.source: r.validators for r in first}
            again = (FetchRequest(u, u, kept[u]) for u in urls)
            second = [r async for r in fetcher.fetch_all(again)]
        return first, second

    first, second = asyncio.run(two_passes())
    by_url = {r.source: r for r in first}
    for path, url in zip(files, urls, strict=True):
        assert by_url[url].outcome is FetchOutcome.OK, by_url[url].error
        assert by_url[url].body == path.read_bytes()
    assert {r.outcome for r in second} == {FetchOutcome.NOT_MODIFIED}
    assert feed_server.max_in_flight <= limits.max_per_host
