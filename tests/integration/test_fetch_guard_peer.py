"""The SSRF guard's last check: the address a socket is actually connected to.

A name can pass the guard's check (it resolves to a public address) and the connection still end
up somewhere private: DNS rebinding behind a resolving proxy, a NAT rule, a transparent proxy.
Here the name resolves to a public address and the network sends the connection to the test
server on loopback, as a DNAT rule would. The resolver and that rerouting stand in for DNS and the
network; the connection, the server and the HTTP exchange are real, through the real Fetcher.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Iterable

import httpcore
import pytest

from aggregator.fetch import Fetcher, FetchRequest, http
from aggregator.fetch.guard import AddressPolicy, GuardedBackend, IPAddress
from aggregator.model import FetchLimits, FetchOutcome, FetchResult
from tests.support.server import FeedServer

pytestmark = pytest.mark.fault

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>'
PUBLIC = "93.184.215.14"  # what the name resolves to when the guard checks it
LIMITS = FetchLimits(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0)


class Rerouted(httpcore.AsyncNetworkBackend):
    """The real network backend behind a middlebox that sends every connection to ``to``."""

    def __init__(self, to: str) -> None:
        self.to = to
        self.asked: list[str] = []  # the addresses the guard asked to connect to
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append(host)
        return await self._real.connect_tcp(
            self.to,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def sleep(self, seconds: float) -> None:
        await self._real.sleep(seconds)


@pytest.fixture
def rerouted(monkeypatch: pytest.MonkeyPatch) -> Rerouted:
    """Every Fetcher's guard resolves any name to PUBLIC and its connections land on loopback."""
    network = Rerouted("127.0.0.1")

    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(PUBLIC)]

    def backend(policy: AddressPolicy) -> GuardedBackend:
        return GuardedBackend(policy, network, resolve)

    monkeypatch.setattr(http, "GuardedBackend", backend)
    return network


def fetch(url: str, limits: FetchLimits) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(limits) as fetcher:
            return await fetcher.fetch(FetchRequest("wire", url))

    return asyncio.run(run())


def wait_for_connection(server: FeedServer, deadline: float = 5.0) -> None:
    """The server thread registers an accepted connection a moment after the client sees it."""
    end = time.monotonic() + deadline
    while server.connections_opened == 0:
        assert time.monotonic() < end, "the server never saw the connection"
        time.sleep(0.01)


def test_a_name_checked_as_public_but_connected_to_loopback_is_refused(
    feed_server: FeedServer, rerouted: Rerouted
) -> None:
    feed_server.add("/feed.xml", FEED, content_type="application/rss+xml")
    result = fetch(f"http://feeds.example:{feed_server.port}/feed.xml", LIMITS)

    assert rerouted.asked == [PUBLIC]  # the resolved address passed the first check
    wait_for_connection(feed_server)  # and a real connection was made, to loopback
    assert result.outcome is FetchOutcome.FAILED
    assert result.error_type == "BlockedAddressError"
    assert result.error is not None
    assert result.error.startswith(
        "refused to connect to feeds.example (127.0.0.1): it is a loopback address"
    )
    assert feed_server.count() == 0  # refused before a single byte of HTTP was sent


def test_the_same_rerouted_connection_is_used_when_its_peer_is_permitted(
    feed_server: FeedServer, rerouted: Rerouted
) -> None:
    # the control: with loopback allowed, the same path fetches the feed, so the refusal above
    # comes from the peer check and not from the rerouting
    feed_server.add("/feed.xml", FEED, content_type="application/rss+xml")
    limits = FetchLimits(
        connect_timeout=2.0,
        read_timeout=2.0,
        total_timeout=5.0,
        allowed_networks=("127.0.0.0/8",),
    )
    result = fetch(f"http://feeds.example:{feed_server.port}/feed.xml", limits)

    assert result.outcome is FetchOutcome.OK, result.error
    assert result.body == FEED
    assert rerouted.asked == [PUBLIC]
    assert feed_server.count("/feed.xml") == 1
