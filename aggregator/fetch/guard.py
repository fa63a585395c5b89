"""The SSRF guard: which addresses a fetch may connect to, enforced on the address connected to.

A feed URL, a redirect or an article link can name any host. Checking the *name* before the
request is not enough: DNS can answer differently a moment later (rebinding). So the check sits
in the network backend that httpcore uses to open sockets: it resolves the name itself, refuses
every address in a blocked range, connects to one of the checked addresses (never to the name),
and checks the connected peer once more.

Blocked unless ``allow_private_networks``: loopback, private, link-local, multicast, unspecified,
reserved and other not-globally-routable addresses, IPv4 and IPv6, IPv4-mapped IPv6 judged as
the IPv4 address it maps. Networks in ``allowed_networks`` are always exempt.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import anyio
import httpcore

from aggregator.errors import BlockedAddressError, ConfigError, FetchError, FetchTimeoutError
from aggregator.model import FetchLimits
from aggregator.wording import a_or_an

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _plain(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv4-mapped IPv6 address (``::ffff:a.b.c.d``) stands for."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_category(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address (e.g. ``"loopback"``), or None if it is.

    Pure: it classifies a literal address and never resolves or connects.
    """
    ip = _plain(address)
    # Order matters: the most specific, most recognisable name wins in the user's message.
    checks: tuple[tuple[str, bool], ...] = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    )
    for name, hit in checks:
        if hit:
            return name
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        # 2002::/16 tunnels to the embedded IPv4 address; judge that one.
        return address_category(ip.sixtofour)
    if not ip.is_global:
        # e.g. 100.64.0.0/10 (carrier-grade NAT): not private, but not the public internet either
        return "non-global"
    return None


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses may be connected to."""

    allow_private_networks: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_limits(cls, limits: FetchLimits) -> AddressPolicy:
        """The policy configured in ``limits``; an invalid CIDR is a :class:`ConfigError`."""
        networks: list[IPNetwork] = []
        for cidr in limits.allowed_networks:
            try:
                networks.append(ipaddress.ip_network(cidr, strict=False))
            except ValueError as exc:
                raise ConfigError(
                    f"{cidr!r} is not a network in CIDR form such as 10.0.0.0/8",
                    key="allowed_networks",
                ) from exc
        return cls(limits.allow_private_networks, tuple(networks))

    def refusal(self, address: IPAddress) -> str | None:
        """The category that makes ``address`` refused under this policy, or None if permitted."""
        ip = _plain(address)
        if any(ip.version == net.version and ip in net for net in self.allowed_networks):
            return None
        category = address_category(ip)
        if category is None or self.allow_private_networks:
            return None
        return category

    def check(self, host: str, address: IPAddress) -> None:
        """Raise :class:`BlockedAddressError` if ``address`` (resolved from ``host``) is refused."""
        category = self.refusal(address)
        if category is not None:
            raise BlockedAddressError(_blocked_message(host, address, category))


def _blocked_message(host: str, address: IPAddress, category: str) -> str:
    shown = host if host == str(address) else f"{host} ({address})"
    return (
        f"refused to connect to {shown}: it is {a_or_an(category)} address, not the public "
        "internet; set allow_private_networks or list the network in allowed_networks to permit it"
    )


def _reason(exc: BaseException) -> str:
    """A short human reason from an OS-level error deep in a chain, e.g. "connection refused"."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and (cause.errno or cause.strerror):
            # asyncio puts "Connect call failed (addr)" in strerror; the errno says why.
            # getaddrinfo errors carry negative EAI_* codes: only their strerror is readable.
            errno = cause.errno
            text = os.strerror(errno) if errno and errno > 0 else str(cause.strerror or cause)
            return text[0].lower() + text[1:]
        if isinstance(cause, BaseExceptionGroup):
            cause = cause.exceptions[0]
        else:
            cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__


Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The addresses the system resolver gives for ``host`` (IP literals come back as is)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # sockaddr[0] may carry an IPv6 scope ("fe80::1%eth0"): drop it before parsing.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves, checks each address, then connects to it.

    It raises :mod:`aggregator.errors` types directly: httpx lets exceptions that are not
    httpcore's pass through unchanged, so the caller sees the precise reason.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._policy = policy
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()
        self._resolver = resolver if resolver is not None else system_resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``, refuse blocked addresses, connect to the first permitted one."""
        if not 0 < port < 65536:
            # the socket would raise OverflowError; URLs are checked before, this is the last gate
            raise FetchError(f"cannot connect to {host} port {port}: a port is from 1 to 65535")
        deadline = None if timeout is None else anyio.current_time() + timeout
        addresses = await self._resolve(host, port, timeout)
        permitted = [ip for ip in addresses if self._policy.refusal(ip) is None]
        if not permitted:
            first = addresses[0]
            self._policy.check(host, first)  # raises with the category of the first address
        last_error: BaseException | None = None
        for ip in permitted:
            remaining = None if deadline is None else max(deadline - anyio.current_time(), 0.0)
            try:
                stream = await self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=remaining,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectTimeout as exc:
                raise FetchTimeoutError(
                    f"connecting to {host} port {port} took longer than {timeout:g} s"
                    if timeout is not None
                    else f"connecting to {host} port {port} timed out"
                ) from exc
            except httpcore.ConnectError as exc:
                last_error = exc
                continue
            try:
                self._check_peer(host, stream)
            except BlockedAddressError:
                await stream.aclose()
                raise
            return stream
        assert last_error is not None  # permitted was not empty
        raise FetchError(
            f"could not connect to {host} port {port}: {_reason(last_error)}"
        ) from last_error

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[IPAddress]:
        try:
            with anyio.fail_after(timeout):
                found = await self._resolver(host, port)
        except TimeoutError as exc:
            raise FetchTimeoutError(f"looking up {host} took longer than {timeout:g} s") from exc
        except (OSError, UnicodeError) as exc:
            raise FetchError(
                f"could not find the host {host} (DNS lookup failed: {_reason(exc)}); "
                "check the URL's spelling"
            ) from exc
        addresses = list(dict.fromkeys(found))  # unique, in the resolver's order
        if not addresses:
            raise FetchError(f"could not find the host {host} (DNS returned no address)")
        return addresses

    def _check_peer(self, host: str, stream: httpcore.AsyncNetworkStream) -> None:
        """Check the address the socket is actually connected to (belt and braces)."""
        peer = stream.get_extra_info("server_addr")
        if isinstance(peer, tuple) and peer:
            self._policy.check(host, ipaddress.ip_address(str(peer[0]).split("%", 1)[0]))

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never a fetch target."""
        raise BlockedAddressError(f"refused to connect to the unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        """Sleep without blocking the event loop (used by httpcore for retries)."""
        await self._inner.sleep(seconds)


__all__ = ["AddressPolicy", "GuardedBackend", "address_category"]
