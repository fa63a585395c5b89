"""A URL no request can be built for (port 80800, an empty host label, a bad IDNA name, a control
character) is refused where it is written, and never raises out of the fetcher.

Issue #12, fault 1: `feeds check` accepted ``http://127.0.0.1:80800/feed``; `aggregator fetch`
then died with an ``OverflowError`` from ``socket.connect`` and no source was stored.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.fetch import Fetcher, FetchRequest
from aggregator.model import FetchLimits, FetchOutcome, FetchResult
from aggregator.store import open_store
from tests.support.server import FeedServer

LIMITS = FetchLimits(
    connect_timeout=2.0,
    read_timeout=2.0,
    total_timeout=5.0,
    allowed_networks=("127.0.0.1/32",),
)
RSS = "application/rss+xml"


def feed(name: str, link: str) -> str:
    """An RSS document of our own writing with one summary-only item linking to ``link``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>https://example.org/{name}</link><description>d</description>"
        f"<item><guid>{name}-1</guid><title>Envoy of {name} calls for talks</title>"
        f"<link>{link}</link><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
        "<description>The envoy said talks should resume.</description></item>"
        "</channel></rss>"
    )


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__} escaped: {result.exception}"
    )
    return result.exit_code, result.output


# ---------------------------------------------------------------- refused where it is written

BAD_URLS = [
    pytest.param("http://127.0.0.1:80800/feed", 'the port "80800"', id="port-too-big"),
    pytest.param("http://127.0.0.1:0/feed", 'the port "0"', id="port-zero"),
    pytest.param("https://news..example.org/rss", "empty label", id="empty-label"),
    pytest.param("https://.example.org/rss", "empty label", id="leading-dot"),
    pytest.param("https://xn--zz.example/rss", "IDNA", id="bad-a-label"),
    pytest.param("https://exa%41mple.org/rss", 'contains "%"', id="percent-in-host"),
    pytest.param("https://ex_ample.org:8o/rss", 'the port "8o"', id="port-not-a-number"),
    pytest.param("https://user:secret@example.org/rss", "user name or password", id="userinfo"),
    pytest.param('"https://example.org/r\\x1bss"', "U+001B ESC", id="escape-char"),
    pytest.param('"https://example.org/r\\0ss"', "U+0000 NUL", id="nul"),
    pytest.param("'https://example.org/a b'", "U+0020 SPACE", id="space"),
    pytest.param("https://999.1.1.1/rss", "not a valid IPv4 address", id="bad-ipv4"),
    pytest.param("https://example.org/" + "a" * 8000, "longer than 8000", id="too-long"),
    pytest.param("https://" + "a" * 64 + ".org/", "longer than 63", id="label-too-long"),
    pytest.param("'file:///srv/x%00.xml'", "control character", id="file-nul"),
]


@pytest.mark.parametrize(("url", "why"), BAD_URLS)
def test_feeds_check_refuses_a_source_url_with_its_line_and_key(
    tmp_path: Path, url: str, why: str
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "sources:\n  - name: ok\n    url: https://example.org/ok.xml\n    kind: outlet\n"
        f"    publisher: P\n  - name: bad\n    url: {url}\n    kind: outlet\n    publisher: P\n",
        encoding="utf-8",
    )
    code, out = cli("--config", str(config), "feeds", "check")
    assert code == 1, out
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    assert lines[0].startswith(f"Error: {config}:7: sources[1].url: expected a URL that can be ")
    assert why in lines[0]
    assert "\x1b" not in out
    assert "\x00" not in out


@pytest.mark.parametrize(
    ("key", "value", "line", "where"),
    [
        ("archive_url", "https://example.org:99999/news?page={page}", 6, "sources[0].archive_url"),
        ("archive_url", "https://a..b/{date}", 6, "sources[0].archive_url"),
    ],
)
def test_feeds_check_refuses_an_archive_template_that_cannot_be_fetched(
    tmp_path: Path, key: str, value: str, line: int, where: str
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "sources:\n  - name: ok\n    url: https://example.org/ok.xml\n    kind: outlet\n"
        f"    publisher: P\n    {key}: {value}\n",
        encoding="utf-8",
    )
    code, out = cli("--config", str(config), "feeds", "check")
    assert code == 1, out
    assert out.startswith(f"Error: {config}:{line}: {where}: expected a URL that can be fetched")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("settings:\n  contact: https://ops.example.org:70000/\n", "2: settings.contact"),
        (
            "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n"
            "    unsubscribe: 'https://a..b/u'\n",
            "4: subscriptions[0].unsubscribe",
        ),
    ],
)
def test_other_url_fields_are_checked_the_same_way(tmp_path: Path, text: str, where: str) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(text, encoding="utf-8")
    code, out = cli("--config", str(config), "feeds", "check")
    assert code == 1, out
    assert out.startswith(f"Error: {config}:{where}: expected a URL that can be fetched")


# ---------------------------------------------------------------- never raised by the fetcher


def fetch(url: str) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(LIMITS) as fetcher:
            return await fetcher.fetch(FetchRequest("s", url))

    return asyncio.run(run())


def fetch_page(url: str) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(LIMITS) as fetcher:
            return await fetcher.fetch_page("s", url)

    return asyncio.run(run())


UNREQUESTABLE = [
    pytest.param("http://127.0.0.1:80800/feed", 'port "80800"', id="port-too-big"),
    pytest.param("http://127.0.0.1:0/feed", 'port "0"', id="port-zero"),
    pytest.param("http://xn--zz/feed", "IDNA", id="bad-a-label"),
    pytest.param("http://a..b/feed", "empty label", id="empty-label"),
    pytest.param("http://exa mple.org/feed", "whitespace", id="space-in-host"),
    pytest.param("http://example.org/\x00", "control character", id="nul"),
    pytest.param("http://[::1/feed", "cannot be parsed", id="unclosed-bracket"),
]


@pytest.mark.parametrize(("url", "why"), UNREQUESTABLE)
def test_the_fetcher_turns_an_unrequestable_url_into_a_failed_result(url: str, why: str) -> None:
    result = fetch(url)
    assert result.outcome is FetchOutcome.FAILED
    assert result.error_type == "FetchError"
    assert why in (result.error or ""), result.error


@pytest.mark.parametrize(("url", "why"), UNREQUESTABLE)
def test_an_article_link_from_a_feed_that_cannot_be_requested_fails_that_page(
    url: str, why: str
) -> None:
    result = fetch_page(url)
    assert result.outcome is FetchOutcome.FAILED
    assert why in (result.error or ""), result.error


@pytest.mark.parametrize(
    ("location", "why"),
    [
        pytest.param("http://127.0.0.1:80800/moved", 'port "80800"', id="port-too-big"),
        pytest.param("http://a..b/moved", "empty label", id="empty-label"),
        pytest.param("http://u:p@127.0.0.1/moved", "user name or password", id="userinfo"),
    ],
)
def test_a_redirect_to_an_unrequestable_url_is_a_failed_result(
    feed_server: FeedServer, location: str, why: str
) -> None:
    start = feed_server.redirect("/moved-away.xml", location)
    result = fetch(start)
    assert result.outcome is FetchOutcome.FAILED
    assert (result.error or "").startswith(f"{start} redirected to {location!r}"), result.error
    assert why in (result.error or ""), result.error


def test_a_redirect_that_httpx_cannot_parse_is_a_failed_result(feed_server: FeedServer) -> None:
    start = feed_server.redirect("/moved-away.xml", "http://xn--zz/moved")
    result = fetch(start)
    assert result.outcome is FetchOutcome.FAILED
    assert result.error == (
        f"{start} redirected to a URL that is not valid and cannot be fetched (Invalid A-label)"
    )


def test_aggregator_fetch_stores_the_other_sources_when_one_redirects_to_port_80800(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    good_feed = feed("good", "https://example.org/good/1")
    good = feed_server.add("/good.xml", good_feed, content_type=RSS)
    bad = feed_server.redirect("/bad.xml", "http://127.0.0.1:80800/feed")
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "settings:\n  allow_private_networks: true\nsources:\n"
        f"  - {{name: good, url: '{good}', kind: outlet, publisher: G}}\n"
        f"  - {{name: bad, url: '{bad}', kind: outlet, publisher: B}}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'a.db'}"
    code, out = cli("--config", str(config), "--db", db, "fetch")
    assert code == 0, out
    assert "which cannot be fetched" in out
    with open_store(db) as store:
        assert [a.title for a in store.articles()] == ["Envoy of good calls for talks"]
        status = {s.name: s for s in store.source_status()}
    assert status["bad"].consecutive_failures == 1
    assert 'port "80800"' in (status["bad"].last_error or "")


def test_a_fulltext_source_whose_article_link_is_no_valid_host_keeps_the_summary(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # the parser already drops a link with port 80800; an invalid IDNA label passes it, and
    # httpx raised UnicodeError for it out of the pass
    url = feed_server.add("/summaries.xml", feed("wire", "http://xn--zz/story"), content_type=RSS)
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "settings:\n  allow_private_networks: true\nsources:\n"
        f"  - {{name: wire, url: '{url}', kind: wire, publisher: W, fulltext: true}}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'b.db'}"
    code, out = cli("--config", str(config), "--db", db, "fetch")
    assert code == 0, out
    with open_store(db) as store:
        articles = store.articles()
    assert [a.title for a in articles] == ["Envoy of wire calls for talks"]
    assert "talks should resume" in articles[0].text
