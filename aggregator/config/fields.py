"""Durations, sizes and the validated field types of the configuration schema.

Each validator raises a :class:`~pydantic_core.PydanticCustomError` of type :data:`CUSTOM_ERROR`
whose message is already a complete sentence for the user ("expected ... (got ...)");
:mod:`aggregator.config.yaml_file` prints such messages unchanged.
"""

from __future__ import annotations

import ipaddress
import re
import zoneinfo
from collections.abc import Callable
from datetime import time, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import unquote

from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from aggregator.config.urls import MAX_URL_LENGTH, WEB_SCHEMES, split_url, url_problem
from aggregator.errors import ConfigError
from aggregator.wording import shown

CUSTOM_ERROR = "aggregator_config"  # pydantic error type of our own, already complete, messages

# ---------------------------------------------------------------- durations and sizes

_DURATION_RE = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?$")
_DURATION_HINT = "expected a duration like 90s, 15m, 1h, 1d or 1h30m"
_SIZE_RE = re.compile(r"^(\d+)\s*([A-Za-z]*)$")
_SIZE_UNITS = {"": 1, "b": 1, "kb": 10**3, "kib": 2**10, "mb": 10**6, "mib": 2**20}
_SIZE_UNITS |= {"gb": 10**9, "gib": 2**30}
_SIZE_HINT = "expected a size like 512KiB, 10MiB, 1GB or a number of bytes"


def describe_value(value: object) -> str:
    """The offending value as the user wrote it in YAML, quoted when it is a string."""
    if isinstance(value, str):
        return f'"{shown(value)}"' if len(value) <= 80 else f'"{shown(value[:77])}..."'
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return str(value)


def parse_duration(value: str | int) -> timedelta:
    """``90s``, ``15m``, ``1h``, ``1d``, ``1h30m`` or a bare number of seconds -> timedelta >= 1s.

    Raises ConfigError (without a location) for anything else.
    """
    seconds: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit():
            seconds = int(text)
        elif text and (match := _DURATION_RE.match(text)):
            d, h, m, s = (int(part or 0) for part in match.groups())
            seconds = ((d * 24 + h) * 60 + m) * 60 + s
    if seconds is None:
        raise ConfigError(f"{_DURATION_HINT} (got {describe_value(value)})")
    if seconds < 1:
        raise ConfigError(f"expected a duration of at least 1s (got {describe_value(value)})")
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ConfigError(f"duration is too large (got {describe_value(value)})") from None


def format_duration(value: timedelta) -> str:
    """The shortest ``1d2h3m4s`` form of a duration (the inverse of :func:`parse_duration`)."""
    total = int(value.total_seconds())
    if total <= 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def parse_size(value: str | int) -> int:
    """``10MiB``, ``512KB``, ``1GiB`` (B, KB, KiB, MB, MiB, GB, GiB) or a byte count -> bytes."""
    size: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, str) and (match := _SIZE_RE.match(value.strip())):
        factor = _SIZE_UNITS.get(match.group(2).lower())
        if factor is not None:
            size = int(match.group(1)) * factor
    if size is None:
        raise ConfigError(f"{_SIZE_HINT} (got {describe_value(value)})")
    if size < 1:
        raise ConfigError(f"expected a size of at least 1 byte (got {describe_value(value)})")
    return size


# ---------------------------------------------------------------- field validators


def fail(message: str) -> PydanticCustomError:
    """A validation error whose message is printed as is (raise it from a validator)."""
    # the message is passed as context, so braces in user input are never re-interpreted
    return PydanticCustomError(CUSTOM_ERROR, "{message}", {"message": message})


def _as_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    try:
        return parse_duration(value)
    except ConfigError as exc:
        raise fail(exc.reason) from None


def _as_size(value: Any) -> int:
    try:
        return parse_size(value)
    except ConfigError as exc:
        raise fail(exc.reason) from None


_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _matching(
    pattern: re.Pattern[str], expected: str, *, longest: int | None = None
) -> Callable[[str], str]:
    """A validator that keeps a value ``pattern`` matches (of at most ``longest`` characters)
    as it is and refuses any other with "expected …"."""

    def check(value: str) -> str:
        if not pattern.match(value) or (longest is not None and len(value) > longest):
            raise fail(f"expected {expected} (got {describe_value(value)})")
        return value

    return check


_slug = _matching(
    _SLUG_RE,
    "a lower-case name of letters, digits, '.', '_' or '-' "
    'starting with a letter or digit, like "un-news"',
    longest=64,
)


_EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")


def _email(value: str) -> str:
    address = parseaddr(value)[1] if "<" in value else value.strip()
    if not _EMAIL_RE.match(address) or not value.isprintable():
        raise fail(
            f'expected an e-mail address like "analyst@example.org" (got {describe_value(value)})'
        )
    return value


def _unfetchable(value: str, problem: str) -> PydanticCustomError:
    return fail(f"expected a URL that can be fetched, but {problem} (got {describe_value(value)})")


def _url_or_mailto(value: str) -> str:
    parts = split_url(value)
    if parts is not None and parts.scheme in WEB_SCHEMES:
        problem = url_problem(value)
        if problem is not None:
            raise _unfetchable(value, problem)
        return value
    mailbox = value.removeprefix("mailto:")
    if mailbox != value and value.isprintable() and _EMAIL_RE.match(mailbox):
        return value
    hint = f' (write "mailto:{value}")' if _EMAIL_RE.match(value) else ""
    raise fail(
        f"expected an http(s):// URL or a mailto: address (got {describe_value(value)}){hint}"
    )


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError:
        raise fail(
            'expected an IP network like "10.0.0.0/8", "127.0.0.1" or "fd00::/8" '
            f"(got {describe_value(value)})"
        ) from None


_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


_env_name = _matching(
    _ENV_NAME_RE,
    'the NAME of an environment variable holding the password, like "AGGREGATOR_SMTP_PASSWORD"',
)


_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


_language = _matching(_LANGUAGE_RE, 'a language tag like "en", "ru" or "pt-BR"')


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise fail(
            'expected an IANA time zone like "UTC" or "Europe/London" '
            f"(got {describe_value(value)})"
        ) from None
    return value


_HHMM_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _as_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    match = _HHMM_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise fail(f'expected a time of day as "HH:MM", like "07:00" (got {describe_value(value)})')
    return time(int(match.group(1)), int(match.group(2)))


def none_as(empty: Any) -> BeforeValidator:
    """Read YAML null ("sources:" with nothing under it) as ``empty()``: an empty section."""
    return BeforeValidator(lambda value: empty() if value is None else value)


def _against_config_folder(path: Path, info: ValidationInfo) -> Path:
    # relative paths follow the configuration file, so a config and its files can move together
    if not path.is_absolute():
        path = Path((info.context or {}).get("base_dir") or ".") / path
    return path.absolute()


def resolve_path(value: str, info: ValidationInfo) -> str:
    """A file or folder path, made absolute against the configuration file's folder."""
    return str(_against_config_folder(Path(value), info))


_SOURCE_URL_HINT = (
    'expected an http:// or https:// URL, or a file: URL such as "file:///srv/feeds/x.xml" '
    'or "file:samples/x.xml"'
)


def _file_url_problem(value: str) -> str | None:
    """What makes a ``file:`` URL unreadable: a host, no path, control characters (also %00)."""
    parts = split_url(value)
    if parts is None or parts.netloc not in ("", "localhost") or not parts.path:
        return "a file: URL must name a local path, like file:///srv/feeds/x.xml or file:x.xml"
    if len(value) > MAX_URL_LENGTH:
        return f"it is longer than {MAX_URL_LENGTH} characters ({len(value)})"
    if not unquote(parts.path).isprintable():
        return "its path contains a control character (a NUL byte, %00, or the like)"
    return None


def resolve_source_url(value: str, info: ValidationInfo) -> str:
    """http(s) URLs that can be fetched pass; ``file:`` URLs become absolute (relative ones
    against the config folder). Anything else fails with the part that is wrong."""
    parts = split_url(value)
    scheme = parts.scheme if parts is not None else None
    if scheme in WEB_SCHEMES:
        problem = url_problem(value)
        if problem is not None:
            raise _unfetchable(value, problem)
        return value
    if scheme == "file":
        problem = _file_url_problem(value)
        if problem is not None:
            raise _unfetchable(value, problem)
        assert parts is not None
        return _against_config_folder(Path(unquote(parts.path)), info).as_uri()
    raise fail(f"{_SOURCE_URL_HINT} (got {describe_value(value)})")


#: what {page} and {date} stand for when a template is checked as a URL
_TEMPLATE_SAMPLE = {"{page}": "1", "{date}": "2000-01-01"}


def _archive_template(value: str) -> str:
    if "{page}" not in value and "{date}" not in value:
        raise fail(
            f"expected a URL template containing {{page}} or {{date}} (got {describe_value(value)})"
        )
    leftover = re.sub(r"\{(?:page|date)\}", "", value)
    if "{" in leftover or "}" in leftover:
        raise fail(f"only {{page}} and {{date}} may appear in braces (got {describe_value(value)})")
    sample = re.sub(r"\{(?:page|date)\}", lambda m: _TEMPLATE_SAMPLE[m.group()], value)
    parts = split_url(sample)
    if parts is None or parts.scheme not in (*WEB_SCHEMES, "file"):
        raise fail(f"expected an http(s):// or file: URL template (got {describe_value(value)})")
    problem = url_problem(sample) if parts.scheme in WEB_SCHEMES else _file_url_problem(sample)
    if problem is not None:
        raise _unfetchable(value, problem)
    return value


def check_database_url(value: str) -> str:
    """A SQLAlchemy-style URL: a scheme (with an optional +driver) and "://"."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+]*://", value):
        raise fail(
            'expected a database URL like "sqlite:///aggregator.db" or '
            f'"postgresql+psycopg://user@host/db" (got {describe_value(value)})'
        )
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Duration = Annotated[timedelta, BeforeValidator(_as_duration)]
Size = Annotated[int, BeforeValidator(_as_size)]
Slug = Annotated[str, AfterValidator(_slug)]
Email = Annotated[str, AfterValidator(_email)]


def _header_safe(value: str) -> str:
    # the contact goes into every request's User-Agent, and a header carries printable ASCII only
    if not (value.isascii() and value.isprintable()):
        raise fail(
            f"{describe_value(value)} goes into the User-Agent header, which carries printable "
            "ASCII only: write a non-ASCII domain in its xn-- form and a non-ASCII path "
            "percent-encoded"
        )
    return value


def _site_url(value: str) -> str:
    # where the web archive is reached from outside (links in the mail, the Atom feed): an
    # absolute http(s) URL with a host, no query or fragment; kept without its trailing slash
    parts = split_url(value)
    try:
        _ = parts.port if parts is not None else None  # a port out of range raises
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in WEB_SCHEMES
        or not parts.netloc
        or parts.query
        or parts.fragment
        or not (value.isascii() and value.isprintable())
        or any(c.isspace() for c in value)
    ):
        raise fail(
            "expected the address readers open the web archive at, an http(s):// URL with no "
            f'query or fragment, like "https://digest.example.org" (got {describe_value(value)})'
        )
    return value.rstrip("/")


UrlOrMailto = Annotated[str, AfterValidator(_url_or_mailto)]
SiteUrl = Annotated[str, AfterValidator(_site_url)]
HeaderUrlOrMailto = Annotated[str, AfterValidator(_url_or_mailto), AfterValidator(_header_safe)]
Network = Annotated[str, AfterValidator(_network)]
EnvName = Annotated[str, AfterValidator(_env_name)]
Language = Annotated[str, AfterValidator(_language)]
TimeZoneName = Annotated[str, AfterValidator(_timezone)]
TimeOfDay = Annotated[time, BeforeValidator(_as_time)]
ArchiveTemplate = Annotated[str, AfterValidator(_archive_template)]
LocalPath = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(resolve_path)
]
DatabaseUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_database_url)
]
