"""A pass over misbehaving servers: one source failing never stops the others, every outcome is one
fetch_log row with a clear error, and nothing is half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aggregator import clock
from aggregator.config import parse_settings
from aggregator.model import FetchOutcome
from aggregator.pipeline.poll import run_pass
from aggregator.store import Store, open_store
from tests.support.server import FeedServer, drip, gzip_bomb, hang, reset_connection

pytestmark = pytest.mark.fault

GOOD_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Good wire</title><link>https://wire.example/</link>
<description>d</description>
<item><title>Envoy says talks will resume</title><link>https://wire.example/a1</link>
<guid>a1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>
<description>The envoy said talks would resume on Friday.</description></item>
<item><title>Council meets at noon</title><link>https://wire.example/a2</link>
<guid>a2</guid><pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate>
<description>The council will meet at noon, a spokesman said.</description></item>
</channel></rss>
"""

HTML_PAGE = "<!doctype html><html><head><title>Welcome</title></head><body><p>Hi</p></body></html>"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<rss version="2.0"><channel><title>&lol6;</title><item><title>&lol6;</title></item></channel></rss>
"""


def _settings(server: FeedServer, routes: dict[str, str]) -> str:
    lines = [
        "settings:",
        "  allow_private_networks: true",
        "  fetch: {connect_timeout: 1s, read_timeout: 1s, total_timeout: 2s, max_body: 64KiB,",
        "          max_decompressed: 256KiB, max_redirects: 3}",
        "sources:",
    ]
    for name in routes:
        lines += [
            f"  - name: {name}",
            f"    url: {server.url('/' + name)}",
            "    kind: outlet",
            f"    publisher: {name}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def misbehaving(feed_server: FeedServer) -> dict[str, str]:
    """Sources named after what their server does; the value is the expected error type."""
    s = feed_server
    s.add("/good", GOOD_FEED, content_type="application/rss+xml")
    s.add("/error-500", "oops", status=500)
    s.add("/gone", "", status=410)
    s.add("/throttled", "", status=429, headers={"Retry-After": "120"})
    s.add("/timeout", handler=hang(5))
    s.add("/drip", handler=drip(GOOD_FEED.encode() * 50, interval=0.2))
    s.add("/reset", handler=reset_connection())
    s.add("/html-page", HTML_PAGE, content_type="text/html")
    s.add("/oversize", b"<rss>" + b" " * (200 * 1024), content_type="application/rss+xml")
    s.add(
        "/bomb",
        gzip_bomb(4 * 2**20),
        content_type="application/rss+xml",
        headers={"Content-Encoding": "gzip"},
    )
    s.add("/loop", status=302, headers={"Location": "/loop"})
    s.add("/entities", BILLION_LAUGHS, content_type="application/rss+xml")
    s.add(
        "/bad-utf8",
        GOOD_FEED.encode().replace(b"Council", b"Co\xff\xfeuncil"),
        content_type="application/rss+xml; charset=utf-8",
    )
    return {
        "good": "",
        "error-500": "HTTPStatusError",
        "gone": "",
        "throttled": "",
        "timeout": "FetchTimeoutError",
        "drip": "FetchTimeoutError",
        "reset": "FetchError",
        "html-page": "FeedParseError",
        "oversize": "TooLargeError",
        "bomb": "TooLargeError",
        "loop": "TooManyRedirectsError",
        "entities": "",  # refused or read without expanding: never amplified
        "bad-utf8": "",
    }


def test_one_failing_source_never_stops_the_others(
    feed_server: FeedServer, misbehaving: dict[str, str], db_url: str
) -> None:
    settings = parse_settings(_settings(feed_server, misbehaving))
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        report = run_pass(store, settings, force=True)
        by_name = {r.source: r for r in report.sources}
        assert set(by_name) == set(misbehaving)

        assert by_name["good"].outcome is FetchOutcome.OK
        assert by_name["good"].new == 2
        assert by_name["bad-utf8"].outcome is FetchOutcome.OK  # recovered, not lost
        assert by_name["gone"].outcome is FetchOutcome.GONE
        assert by_name["throttled"].outcome is FetchOutcome.THROTTLED

        log = {row.source: row for row in store.recent_fetch_log(limit=100)}
        assert set(log) == set(misbehaving), "every outcome is one fetch_log row"
        for name, error_type in misbehaving.items():
            if error_type:
                row = log[name]
                assert row.outcome is FetchOutcome.FAILED, (name, row)
                assert row.error_type == error_type, (name, row.error_type, row.error)
                assert row.error, name
                assert len(row.error) > 10, (name, row.error)
                assert row.new_entries == 0

        recovered = log["bad-utf8"]
        assert recovered.outcome is FetchOutcome.OK
        assert (recovered.error or "").startswith("malformed feed, entries recovered")

        # nothing half-written: only the recoverable feeds produced articles
        stored = store.articles()
        carried = {name for a in stored for name in a.sources}
        assert carried <= {"good", "bad-utf8", "entities"}
        assert {"good", "bad-utf8"} <= carried
        assert all("lollol" not in a.title + a.text for a in stored), "entities never expand"

        _assert_status(store)


def _assert_status(store: Store) -> None:
    rows = {row.name: row for row in store.source_status()}
    now = clock.now()
    assert rows["gone"].enabled is False
    assert "410" in (rows["gone"].disabled_reason or "")
    throttled = rows["throttled"]
    assert throttled.next_poll_at >= now + timedelta(seconds=110), "Retry-After is honoured"
    failing = rows["error-500"]
    assert failing.consecutive_failures == 1
    assert failing.last_error
    assert "500" in failing.last_error
    assert failing.next_poll_at > now
    assert rows["good"].consecutive_failures == 0
    assert rows["good"].last_error is None


def test_a_failing_source_backs_off_and_recovers(feed_server: FeedServer, db_url: str) -> None:
    feed_server.add("/flaky", "down", status=503)
    settings = parse_settings(_settings(feed_server, {"flaky": ""}))
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        for expected in (1, 2, 3):
            run_pass(store, settings, force=True)
            row = store.source_status()[0]
            assert row.consecutive_failures == expected
        feed_server.add("/flaky", GOOD_FEED, content_type="application/rss+xml")
        report = run_pass(store, settings, force=True)
        assert report.new == 2
        row = store.source_status()[0]
        assert (row.consecutive_failures, row.last_error) == (0, None)


def test_a_permanent_redirect_moves_the_source(feed_server: FeedServer, db_url: str) -> None:
    feed_server.add("/new-home", GOOD_FEED, content_type="application/rss+xml")
    feed_server.add("/moved", status=301, headers={"Location": "/new-home"})
    feed_server.add("/temporary", status=302, headers={"Location": "/new-home"})
    settings = parse_settings(_settings(feed_server, {"moved": "", "temporary": ""}))
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        report = run_pass(store, settings, force=True)
        assert {r.outcome for r in report.sources} == {FetchOutcome.OK}
        urls = {row.name: row.url for row in store.source_status()}
        assert urls["moved"] == feed_server.url("/new-home")
        assert urls["temporary"] == feed_server.url("/temporary")
        feed_server.clear_log()
        run_pass(store, settings, names=["moved"], force=True)
        assert feed_server.count("/moved") == 0, "the next poll goes straight to the new URL"
        assert feed_server.count("/new-home") == 1


def test_an_interrupted_pass_gives_its_leases_back(
    feed_server: FeedServer, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aggregator.pipeline.poll as pipeline

    feed_server.add("/good", GOOD_FEED, content_type="application/rss+xml")
    settings = parse_settings(_settings(feed_server, {"good": ""}))

    async def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "fetch_and_store", interrupted)
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        with pytest.raises(KeyboardInterrupt):
            run_pass(store, settings, owner="interrupted")
        again = store.claim_due(now=clock.now(), owner="next", lease=timedelta(minutes=1))
        assert [s.source.name for s in again] == ["good"], "due at once, not after the lease"
