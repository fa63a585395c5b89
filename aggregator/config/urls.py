"""Whether a URL can be requested at all: one check shared by the configuration and the fetcher.

The configuration refuses such a URL where it is written (file, line, key); the fetcher refuses
it again before every request, since a redirect or an article link found inside a feed can name
anything. Either way the URL never reaches the HTTP library or a socket, where a bad part raises
a library error (``OverflowError`` for port 80800, ``IDNAError`` for ``xn--zz``) instead of a
sentence.

An http(s) URL is requestable when it is, in order of the checks:

    at most MAX_URL_LENGTH characters, with no whitespace or control character anywhere
    a scheme of http or https, and a host
    no user name or password before the host (``user:pass@host``)
    a port, if given, from 1 to 65535
    a host that is an IPv4 address, an IPv6 address in brackets, or a DNS name of at most 253
    characters whose labels are 1-63 characters (one trailing dot, the root, is allowed) of
    letters, digits, ``-`` and ``_``, or internationalised labels that IDNA 2008 can encode

``idna`` (the encoder httpx itself uses) is imported only here.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

import idna

from aggregator.wording import describe_char, shown

#: RFC 9110 §4.1 asks clients and servers to support request targets of at least 8000 octets;
#: a URL beyond that may be cut or refused by servers and proxies on the way.
MAX_URL_LENGTH = 8000
WEB_SCHEMES = ("http", "https")

_MAX_HOST = 253
_MAX_LABEL = 63
_IPV4_STYLE = re.compile(r"^[0-9]+(?:\.[0-9]+){3}$")
_ASCII_LABEL = re.compile(r"^[A-Za-z0-9_-]+$")


def split_url(url: str) -> SplitResult | None:
    """``urlsplit`` that answers None instead of raising (e.g. for an unclosed IPv6 bracket)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def text_problem(url: str) -> str | None:
    """What makes ``url`` unusable as text, whatever its scheme: length, whitespace, controls."""
    if len(url) > MAX_URL_LENGTH:
        return f"it is longer than {MAX_URL_LENGTH} characters ({len(url)})"
    for ch in url:
        if ch.isspace():
            return f"it contains whitespace ({describe_char(ch)}); write a space as %20"
        if not ch.isprintable():
            return f"it contains a control character ({describe_char(ch)})"
    return None


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be requested over http(s), as a clause ("the port 80800 is …"); None
    when it can. Pure: nothing is resolved or connected."""
    problem = text_problem(url)
    if problem is not None:
        return problem
    parts = split_url(url)
    if parts is None:
        return "it cannot be parsed as a URL (an unclosed [ or a malformed host)"
    if parts.scheme.lower() not in WEB_SCHEMES:
        return "it is not an http(s) URL; only http and https can be fetched"
    return netloc_problem(parts.netloc)


def netloc_problem(netloc: str) -> str | None:
    """What is wrong with the ``user@host:port`` part of a URL, or None."""
    if "@" in netloc:
        return (
            "it carries a user name or password before the host (user@host); credentials in a "
            "URL end up in logs and in the database, so they are not supported"
        )
    host, port = _host_and_port(netloc)
    if port is not None:
        problem = port_problem(port)
        if problem is not None:
            return problem
    return host_problem(host)


def port_problem(port: str) -> str | None:
    """None for an empty port (the scheme's default) or a number from 1 to 65535."""
    if port == "" or (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return None
    return f'the port "{shown(port)}" is not a number from 1 to 65535'


def host_problem(host: str) -> str | None:
    """What is wrong with a URL's host (a name, an IPv4 address or a bracketed IPv6 address)."""
    if not host:
        return "it has no host"
    if host.startswith("[") or host.endswith("]"):
        bracketed = host.startswith("[") and host.endswith("]")
        try:
            ipaddress.IPv6Address(host[1:-1] if bracketed else "")
        except ValueError:
            return f'the host "{shown(host)}" is not a valid IPv6 address in brackets'
        return None
    if _IPV4_STYLE.match(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return f'the host "{host}" is not a valid IPv4 address'
        return None
    return _name_problem(host)


def _host_and_port(netloc: str) -> tuple[str, str | None]:
    """``host:port`` -> (host, port or None), minding IPv6 brackets (which contain colons)."""
    if netloc.startswith("["):
        end = netloc.find("]")
        if end == -1:
            return netloc, None
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        return host, rest[1:] if rest.startswith(":") else (rest or None)
    host, colon, port = netloc.rpartition(":")
    return (host, port) if colon else (netloc, None)


def _name_problem(host: str) -> str | None:
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels = labels[:-1]  # "example.org." names the root explicitly
    if any(label == "" for label in labels):
        return f'the host name "{shown(host)}" has an empty label (two dots, or a dot at the start)'
    encoded: list[str] = []
    for label in labels:
        if label.isascii():
            if not _ASCII_LABEL.match(label):
                return (
                    f'the host name "{shown(host)}" contains "{shown(_first_bad(label))}"; '
                    "a host name has letters, digits, '-' and '_' only"
                )
            if label.lower().startswith("xn--"):
                try:
                    idna.decode(label)
                except UnicodeError as exc:
                    return f'the host name "{host}" has an invalid IDNA label "{label}" ({exc})'
            encoded.append(label)
            continue
        try:
            encoded.append(idna.encode(label.lower()).decode("ascii"))
        except UnicodeError as exc:
            return (
                f'the host name "{shown(host)}" cannot be encoded as an internationalised '
                f"domain name (IDNA: {exc})"
            )
    if any(len(label) > _MAX_LABEL for label in encoded):
        return f'the host name "{shown(host)}" has a part longer than {_MAX_LABEL} characters'
    if len(".".join(encoded)) > _MAX_HOST:
        return f'the host name "{shown(host)}" is longer than {_MAX_HOST} characters'
    return None


def _first_bad(label: str) -> str:
    return next(ch for ch in label if not _ASCII_LABEL.match(ch))


__all__ = [
    "MAX_URL_LENGTH",
    "WEB_SCHEMES",
    "host_problem",
    "netloc_problem",
    "port_problem",
    "split_url",
    "text_problem",
    "url_problem",
]
