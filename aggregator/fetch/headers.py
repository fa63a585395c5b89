"""Pure helpers over HTTP header values: request headers, Retry-After, validators, media types."""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from aggregator.model import Validators

# Feeds first; HTML and anything else still accepted, so a misconfigured server answers at all.
ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.2, */*;q=0.1"
)
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

# Media types that cannot be a feed or an article page however lenient the parser is.
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_TYPES = frozenset(
    {"application/pdf", "application/zip", "application/gzip", "application/x-tar"}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def sendable(value: str | None) -> str | None:
    """``value`` if it can go back in a request header: printable ASCII, no CR/LF; else None.

    A server controls its ETag; a non-ASCII one would make the next request fail to encode, a
    CR/LF one would inject headers. Such a validator is dropped (we fetch the full feed instead).
    """
    if value and value.isascii() and value.isprintable():
        return value
    return None


def conditional_headers(validators: Validators) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for the validators we kept from the last 200."""
    headers: dict[str, str] = {}
    if etag := sendable(validators.etag):
        headers["If-None-Match"] = etag
    if last_modified := sendable(validators.last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


def response_validators(headers: Mapping[str, str], previous: Validators) -> Validators:
    """Validators from a response; on a 304 a header the server left out keeps its old value."""
    return Validators(
        etag=sendable(headers.get("etag")) or previous.etag,
        last_modified=sendable(headers.get("last-modified")) or previous.last_modified,
    )


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """When Retry-After allows the next request: delta-seconds or an HTTP-date; else None."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        # Absurd values (years) are passed on; the caller caps what it honours.
        return now + timedelta(seconds=min(int(value), 10**9))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC per RFC 5322
        when = when.replace(tzinfo=UTC)
    return max(when.astimezone(UTC), now)


def media_type(content_type: str | None) -> str | None:
    """``"text/HTML; charset=utf-8"`` -> ``"text/html"``."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def is_html(content_type: str | None) -> bool:
    """True for an HTML page (the parser will say "this is a web page, not a feed")."""
    return media_type(content_type) in _HTML_TYPES


def is_binary(content_type: str | None) -> bool:
    """True for media types no feed or page parser can use (images, audio, PDF …)."""
    kind = media_type(content_type)
    return kind is not None and (kind.startswith(_BINARY_PREFIXES) or kind in _BINARY_TYPES)


def flatten(headers: Mapping[str, str] | list[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased names; repeated headers joined with ", " as RFC 9110 allows."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out
