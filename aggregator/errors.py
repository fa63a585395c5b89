"""The project's exception tree.

Third-party errors are caught where the library is used and re-raised as one of these, with the
original chained as ``__cause__``. Bugs (TypeError, KeyError …) are never caught and re-labelled.

    AggregatorError
    ├── ConfigError          a config file is unreadable or invalid (file, line, key)
    ├── FetchError           a source could not be fetched
    │   ├── BlockedAddressError   the SSRF guard refused an address
    │   ├── TooLargeError         body or decompressed body above the limit
    │   ├── TooManyRedirectsError
    │   ├── FetchTimeoutError
    │   └── HTTPStatusError       a status we do not treat as success (carries status)
    ├── FeedParseError       the bytes are not a feed we could recover anything from
    ├── DocumentFormatError  a line of a JSONL input (aggregator cluster) is not a document
    ├── StoreError           the database refused or is unreachable
    │   ├── StoreUnavailableError the database cannot be used at all (unreachable, locked, full)
    │   └── ClaimLostError        a digest's ledger claim expired and another process took it
    ├── MailError            the SMTP relay refused or is unreachable
    └── DaemonAlreadyRunning another daemon holds the SQLite database
"""

from __future__ import annotations


class AggregatorError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(AggregatorError):
    """An invalid configuration file; the message names the file, line and key."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.reason = message
        where = ""
        if path is not None:
            where = path if line is None else f"{path}:{line}"
        prefix = f"{where}: " if where else ""
        keypart = f"{key}: " if key else ""
        super().__init__(f"{prefix}{keypart}{message}")


class FetchError(AggregatorError):
    """A source could not be fetched."""


class BlockedAddressError(FetchError):
    """The SSRF guard refused to connect to an address."""


class TooLargeError(FetchError):
    """The response body (or its decompressed size) exceeded the configured limit."""


class TooManyRedirectsError(FetchError):
    """More redirects than allowed, or a redirect loop."""


class FetchTimeoutError(FetchError):
    """Connect, read or total time limit exceeded."""


class HTTPStatusError(FetchError):
    """The server answered with a status that is not a success."""

    def __init__(self, message: str, *, status: int) -> None:
        self.status = status
        super().__init__(message)


class FeedParseError(AggregatorError):
    """Nothing usable could be recovered from a document."""


class DocumentFormatError(AggregatorError, ValueError):
    """A line of a JSONL input is not a valid document; the message names the line."""

    def __init__(self, message: str, *, line: int, path: str | None = None) -> None:
        self.line = line
        self.path = path
        where = f"{path}:{line}" if path else f"line {line}"
        super().__init__(f"{where}: {message}")


class StoreError(AggregatorError):
    """The database refused an operation or could not be reached."""


class StoreUnavailableError(StoreError):
    """The database cannot be used for anything right now: unreachable, locked for longer than
    the busy timeout, out of space, without a schema. Unlike a refused value, this is nobody's
    data: every further write would fail the same way."""


class ClaimLostError(StoreError):
    """The caller no longer holds the digest's claim (it expired and another process took it)."""


class MailError(AggregatorError):
    """The mail relay refused a message or could not be reached.

    ``permanent``: retrying will not help. ``uncertain``: the connection failed after the message
    body was handed over, so the relay may have delivered it; such a send must not be repeated
    automatically.
    """

    def __init__(self, message: str, *, permanent: bool = False, uncertain: bool = False) -> None:
        self.permanent = permanent or uncertain
        self.uncertain = uncertain
        super().__init__(message)


class DaemonAlreadyRunning(AggregatorError):
    """Another daemon holds the database (SQLite allows one daemon; PostgreSQL allows many)."""
