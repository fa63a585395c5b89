"""The SSRF guard's address classifier and policy, on literal addresses (nothing connects)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import pytest

from aggregator.errors import BlockedAddressError, ConfigError, FetchError
from aggregator.fetch import AddressPolicy, address_category
from aggregator.fetch.guard import GuardedBackend, IPAddress, Resolver
from aggregator.model import FetchLimits

# Ranges whose exact category differs between Python patch releases: blocked is what matters.
BLOCKED = "blocked (any category)"


@pytest.mark.parametrize(
    ("address", "category"),
    [
        # IPv4
        ("8.8.8.8", None),
        ("93.184.215.14", None),
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoints live here
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", BLOCKED),  # reserved class E
        ("255.255.255.255", BLOCKED),
        ("100.64.0.1", BLOCKED),  # carrier-grade NAT
        ("192.0.2.1", BLOCKED),  # documentation range
        ("172.32.0.1", None),  # just outside 172.16.0.0/12
        # IPv6
        ("2606:4700::1111", None),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", BLOCKED),  # documentation
        # IPv4-mapped IPv6 is judged as the IPv4 address
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:8.8.8.8", None),
        # 6to4 embeds an IPv4 address
        ("2002:7f00:1::1", "loopback"),
        ("2002:0808:0808::1", None),
    ],
)
def test_address_category(address: str, category: str | None) -> None:
    found = address_category(ipaddress.ip_address(address))
    if category is BLOCKED:
        assert found is not None
    else:
        assert found == category


LOOPBACK_ONLY = AddressPolicy.from_limits(FetchLimits(allowed_networks=("127.0.0.1/32",)))


@pytest.mark.parametrize(
    ("policy", "address", "refused"),
    [
        (AddressPolicy(), "8.8.8.8", None),
        (AddressPolicy(), "127.0.0.1", "loopback"),
        (AddressPolicy(), "10.0.0.1", "private"),
        (AddressPolicy(allow_private_networks=True), "10.0.0.1", None),
        (AddressPolicy(allow_private_networks=True), "::1", None),
        (LOOPBACK_ONLY, "127.0.0.1", None),
        (LOOPBACK_ONLY, "::ffff:127.0.0.1", None),  # mapped form matches the IPv4 network
        (LOOPBACK_ONLY, "127.0.0.2", "loopback"),
        (LOOPBACK_ONLY, "::1", "loopback"),
        (LOOPBACK_ONLY, "8.8.8.8", None),
        (AddressPolicy.from_limits(FetchLimits(allowed_networks=("fd00::/8",))), "fd00::5", None),
        (
            AddressPolicy.from_limits(FetchLimits(allowed_networks=("fd00::/8",))),
            "10.0.0.1",
            "private",
        ),
    ],
)
def test_policy_refusal(policy: AddressPolicy, address: str, refused: str | None) -> None:
    assert policy.refusal(ipaddress.ip_address(address)) == refused


def test_check_raises_with_an_actionable_message() -> None:
    with pytest.raises(BlockedAddressError) as info:
        AddressPolicy().check("intranet.example", ipaddress.ip_address("192.168.0.10"))
    message = str(info.value)
    assert "intranet.example (192.168.0.10)" in message
    assert "private address" in message
    assert "allow_private_networks" in message
    assert "allowed_networks" in message


def test_check_passes_public_addresses() -> None:
    AddressPolicy().check("example.org", ipaddress.ip_address("93.184.215.14"))


def test_invalid_cidr_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"allowed_networks: '10\.0\.0\.0/33'"):
        AddressPolicy.from_limits(FetchLimits(allowed_networks=("10.0.0.0/33",)))


# -- the network backend: resolution and the refusal happen before any connection -------------


class RefusingInner(httpcore.AsyncNetworkBackend):
    """Records connection attempts; a refused address must never get this far."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.attempts.append(host)
        raise httpcore.ConnectError("refused") from ConnectionRefusedError(
            111, "Connection refused"
        )


def resolving_to(*addresses: str) -> Resolver:
    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(a) for a in addresses]

    return resolve


async def failing_resolver(host: str, port: int) -> list[IPAddress]:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def connect(backend: GuardedBackend, host: str = "feeds.example") -> None:
    asyncio.run(backend.connect_tcp(host, 80, timeout=1.0))


def test_backend_refuses_a_name_resolving_only_to_private_addresses() -> None:
    inner = RefusingInner()
    backend = GuardedBackend(AddressPolicy(), inner, resolving_to("10.0.0.7", "169.254.169.254"))
    with pytest.raises(BlockedAddressError, match=r"feeds\.example \(10\.0\.0\.7\).*private"):
        connect(backend)
    assert inner.attempts == []


def test_backend_connects_only_to_the_permitted_addresses_it_checked() -> None:
    # a rebinding-style answer mixing public and private addresses: only the public one is tried
    inner = RefusingInner()
    backend = GuardedBackend(
        AddressPolicy(), inner, resolving_to("192.168.1.1", "93.184.215.14", "::1")
    )
    with pytest.raises(
        FetchError, match=r"could not connect to feeds\.example port 80: connection refused"
    ):
        connect(backend)
    assert inner.attempts == ["93.184.215.14"]


def test_backend_dns_failure_is_a_clear_fetch_error() -> None:
    backend = GuardedBackend(AddressPolicy(), RefusingInner(), failing_resolver)
    with pytest.raises(
        FetchError,
        match=r"could not find the host nowhere\.example "
        r"\(DNS lookup failed: name or service not known\)",
    ):
        connect(backend, "nowhere.example")


def test_backend_refuses_unix_sockets() -> None:
    backend = GuardedBackend(AddressPolicy(allow_private_networks=True), RefusingInner())
    with pytest.raises(BlockedAddressError):
        asyncio.run(backend.connect_unix_socket("/run/docker.sock"))
