"""Page cursors: where the next page of a read starts, as one opaque URL-safe string.

A cursor is its parts joined by ``|`` in unpadded base64url (no character a URL or a form would
change). Callers hand back what a page gave them; a string no page made is a ValueError, which a
web layer answers with 400 rather than guessing a page::

    encode_cursor("2026-03-01T08:00:00+00:00", "ev-1")
        ->  "MjAyNi0wMy0wMVQwODowMDowMCswMDowMHxldi0x"
    decode_cursor("MjAyNi0wMy0wMVQwODowMDowMCswMDowMHxldi0x", parts=2)
        ->  ["2026-03-01T08:00:00+00:00", "ev-1"]
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

#: longer strings are no cursor of ours (an event id and a time fit in far less)
MAX_CURSOR = 600


def encode_cursor(*parts: str) -> str:
    """``parts`` as one cursor (only the last part may hold ``|``)."""
    joined = "|".join(parts).encode("utf-8")
    return base64.urlsafe_b64encode(joined).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, *, parts: int) -> list[str]:
    """The ``parts`` strings of a cursor :func:`encode_cursor` made; ValueError otherwise."""
    if len(cursor) > MAX_CURSOR or not cursor.isascii():
        raise ValueError("not a page cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found = raw.decode("utf-8").split("|", parts - 1)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError("not a page cursor") from exc
    if len(found) != parts:
        raise ValueError("not a page cursor")
    return found


def time_cursor(time: datetime, key: int | str) -> str:
    """The cursor after a row ordered by (time, key)."""
    return encode_cursor(time.isoformat(), str(key))


def read_time_cursor(cursor: str) -> tuple[datetime, str]:
    """The (aware time, key) of a :func:`time_cursor`; ValueError for anything else."""
    when, key = decode_cursor(cursor, parts=2)
    try:
        time = datetime.fromisoformat(when)
    except ValueError as exc:
        raise ValueError("not a page cursor") from exc
    if time.tzinfo is None:
        raise ValueError("not a page cursor")
    return time, key


def offset_cursor(offset: int) -> str:
    """The cursor of a ranked read's page that starts at ``offset``."""
    return encode_cursor("offset", str(offset))


def read_offset_cursor(cursor: str) -> int:
    """The offset of an :func:`offset_cursor`; ValueError for anything else."""
    kind, value = decode_cursor(cursor, parts=2)
    if kind != "offset" or not value.isdigit() or not value.isascii():
        raise ValueError("not a page cursor")
    return int(value)
