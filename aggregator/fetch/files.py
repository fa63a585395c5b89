"""Local feeds: ``file://`` URLs and absolute paths, read under the same size cap as HTTP.

A file's validators come from its modification time and size, so polling an unchanged file
gives ``NOT_MODIFIED`` exactly like a 304.
"""

from __future__ import annotations

import asyncio
import email.utils
import mimetypes
import os
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from aggregator import clock
from aggregator.errors import FetchError
from aggregator.fetch.body import too_large_on_wire
from aggregator.model import FetchOutcome, FetchResult, Validators

# Feed suffixes the stdlib does not know; everything else is guessed by mimetypes.
_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
}


def is_local(url: str) -> bool:
    """True for ``file://`` URLs and absolute filesystem paths."""
    return url.lower().startswith("file:") or os.path.isabs(url)


def local_path(url: str) -> Path:
    """The filesystem path a ``file://`` URL or absolute path names.

    Raises :class:`FetchError` for a ``file://`` URL on another host, which we cannot read.
    """
    if not url.lower().startswith("file:"):
        return Path(url)
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(
            f"cannot read {url}: file:// URLs must name a local file "
            f"(file:///path), not one on the host {parts.netloc!r}"
        )
    return Path(unquote(parts.path))


def file_validators(stat: os.stat_result) -> Validators:
    """Validators for a file: an ETag from mtime (ns) and size, Last-Modified from mtime."""
    return Validators(
        etag=f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"',
        last_modified=email.utils.formatdate(stat.st_mtime, usegmt=True),
    )


def _read(path: Path, max_bytes: int, validators: Validators) -> tuple[bytes | None, Validators]:
    """Blocking read of at most ``max_bytes``; ``None`` body when the validators still match."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        current = file_validators(stat)
        if validators.etag is not None and validators.etag == current.etag:
            return None, current
        if stat.st_size > max_bytes:
            raise too_large_on_wire(str(path), max_bytes, announced=stat.st_size)
        # Read one byte more than allowed: a file that grew since fstat still cannot exceed the cap.
        body = handle.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise too_large_on_wire(str(path), max_bytes)
    return body, current


async def fetch_file(
    source: str, url: str, validators: Validators, *, max_bytes: int
) -> FetchResult:
    """Read a local feed; a missing or unreadable file is a FAILED result naming the path."""
    started = time.monotonic()
    fetched_at = clock.now()

    def failed(error: FetchError) -> FetchResult:
        return FetchResult(
            source=source,
            requested_url=url,
            outcome=FetchOutcome.FAILED,
            final_url=url,
            error=str(error),
            error_type=type(error).__name__,
            duration=time.monotonic() - started,
            fetched_at=fetched_at,
        )

    try:
        path = local_path(url)
    except FetchError as exc:
        return failed(exc)
    try:
        body, current = await asyncio.to_thread(_read, path, max_bytes, validators)
    except FetchError as exc:
        return failed(exc)
    except FileNotFoundError:
        return failed(FetchError(f"the file {path} does not exist; check the source's URL"))
    except IsADirectoryError:
        return failed(FetchError(f"{path} is a directory, not a feed file"))
    except PermissionError:
        return failed(FetchError(f"no permission to read {path}"))
    except OSError as exc:
        return failed(FetchError(f"could not read {path}: {exc.strerror or exc}"))
    except ValueError:  # e.g. an encoded NUL byte in the URL
        return failed(FetchError(f"{url} is not a usable file path"))
    content_type = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    headers = {"content-type": content_type} if content_type else {}
    return FetchResult(
        source=source,
        requested_url=url,
        outcome=FetchOutcome.OK if body is not None else FetchOutcome.NOT_MODIFIED,
        final_url=url,
        body=body,
        headers=headers,
        validators=current,
        duration=time.monotonic() - started,
        fetched_at=fetched_at,
    )
