"""Reading a streamed response body under two caps: bytes on the wire, and bytes after decoding.

We decode ``Content-Encoding`` ourselves (httpx is asked for the raw stream) because the cap on
the decompressed size must be enforced *while* decompressing: a 10 kB gzip body can expand to
gigabytes, and httpx's own decoders would allocate all of it before we could look.
"""

from __future__ import annotations

import zlib
from typing import Protocol

from aggregator.errors import FetchError, TooLargeError
from aggregator.wording import plural

# What we announce in Accept-Encoding; brotli/zstd are not installed, so not offered.
ACCEPT_ENCODING = "gzip, deflate"


def human_size(n: int) -> str:
    """``10485760`` -> ``"10 MiB"``: limits in messages are read by people."""
    if n < 1024:
        return plural(n, "byte")
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


class _Stage(Protocol):
    def decode(self, data: bytes, limit: int) -> bytes: ...

    def flush(self) -> bytes: ...


class _Zlib:
    """One gzip or deflate layer; never produces more than ``limit + 1`` bytes per call."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._gzip = encoding in ("gzip", "x-gzip")
        self._started = False
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            return self._decode(data, limit)
        except zlib.error as exc:
            raise FetchError(
                f"the server sent a corrupt {self._encoding}-compressed body ({exc})"
            ) from exc

    def _decode(self, data: bytes, limit: int) -> bytes:
        if not self._started and not self._gzip and data:
            self._started = True
            try:
                return self._bounded(data, limit)
            except zlib.error:
                # "deflate" is often sent raw, without the zlib header (RFC 9110 says otherwise).
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        self._started = True
        return self._bounded(data, limit)

    def _bounded(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data:
            # max_length keeps memory bounded: at most limit+1 bytes come out of this call,
            # and the caller fails as soon as the running total passes the cap.
            out += self._obj.decompress(data, max(limit + 1 - len(out), 1))
            if len(out) > limit:
                return bytes(out)
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._gzip and self._obj.unused_data:
                # concatenated gzip members (allowed by RFC 1952)
                data = self._obj.unused_data
                self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        return bytes(out)

    def flush(self) -> bytes:
        try:
            return self._obj.flush()
        except zlib.error as exc:  # pragma: no cover - flush after a clean stream does not fail
            raise FetchError(f"the server sent a corrupt {self._encoding} body ({exc})") from exc


def _stages(content_encoding: str | None) -> list[_Stage]:
    """Decoders in the order to apply them (the reverse of the header's order)."""
    if not content_encoding:
        return []
    names = [t.strip().lower() for t in content_encoding.split(",") if t.strip()]
    stages: list[_Stage] = []
    for name in reversed(names):
        if name == "identity":
            continue
        if name not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(
                f"the server compressed the body with {name!r}, which this fetcher cannot "
                f"decode (it asked for {ACCEPT_ENCODING})"
            )
        stages.append(_Zlib(name))
    return stages


class BodyReader:
    """Accumulate a streamed body: cap the wire bytes, decode, cap the decoded bytes."""

    def __init__(
        self, url: str, content_encoding: str | None, *, max_wire: int, max_decoded: int
    ) -> None:
        self._url = url
        self._max_wire = max_wire
        self._max_decoded = max_decoded
        self._stages = _stages(content_encoding)
        self._wire = 0
        self._body = bytearray()

    @property
    def wire_bytes(self) -> int:
        """Bytes received so far, before decoding."""
        return self._wire

    def feed(self, chunk: bytes) -> None:
        """Take one raw chunk; raise :class:`TooLargeError` as soon as a cap is passed."""
        self._wire += len(chunk)
        if self._wire > self._max_wire:
            raise too_large_on_wire(self._url, self._max_wire)
        self._append(self._run(chunk, flush=False))

    def finish(self) -> bytes:
        """The decoded body, once the stream has ended."""
        self._append(self._run(b"", flush=True))
        return bytes(self._body)

    def _run(self, data: bytes, *, flush: bool) -> bytes:
        for stage in self._stages:
            limit = self._max_decoded - len(self._body)
            data = stage.decode(data, limit) if data else b""
            if flush:
                data += stage.flush()
            if len(data) > limit:
                raise self._bomb()
        return data

    def _append(self, data: bytes) -> None:
        if len(self._body) + len(data) > self._max_decoded:
            raise self._bomb()
        self._body += data

    def _bomb(self) -> TooLargeError:
        return TooLargeError(
            f"the response from {self._url} decompresses to more than "
            f"{human_size(self._max_decoded)} (max_decompressed_bytes); it looks like a "
            "decompression bomb, or the limit is too low for this source"
        )


def too_large_on_wire(url: str, limit: int, announced: int | None = None) -> TooLargeError:
    """The error for a body above ``max_body_bytes`` (announced by Content-Length or counted)."""
    size = f" ({human_size(announced)} announced)" if announced is not None else ""
    return TooLargeError(
        f"the response from {url} is larger than the {human_size(limit)} limit{size} "
        "(max_body_bytes); raise the limit if this feed really is that big"
    )
