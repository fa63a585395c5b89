"""The input of ``aggregator cluster``: one JSON document a line, read with bounded memory.

    for each line (at most MAX_LINE_BYTES bytes, else an error naming it):
        UTF-8 -> JSON (nested at most as deep as the parser allows) -> an object with the fields
        -> GroupDoc (its text is grouped on its first MAX_TEXT_CHARS characters, as in the
           pipeline; the document keeps it whole)

Every bad line raises :class:`DocumentFormatError` naming the line and what is wrong with it, so
a binary file, a truncated line or a hostile one (20 MB, nested 100,000 deep) is a one-line
error, never a traceback or gigabytes of memory. This module opens the file it is given: the
stage's one exception to "no I/O".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from aggregator.errors import DocumentFormatError
from aggregator.group.types import GroupDoc
from aggregator.model import MAX_TEXT_CHARS

#: The longest line read: 4 MiB, room for a document whose text is MAX_TEXT_CHARS characters
#: even with every character escaped (``\uXXXX``, 6 bytes), and its title. A longer line is an
#: error; memory stays within a few times this whatever the file holds.
MAX_LINE_BYTES = 4 * 1024 * 1024

_FIELDS = (
    ("id", True),
    ("title", True),
    ("text", True),
    ("published", False),
    ("source", False),
    ("language", False),
)


def read_jsonl(source: str | Path | IO[str] | IO[bytes]) -> Iterator[GroupDoc]:
    """Documents from JSON lines: ``id``, ``title``, ``text``, optional ``published``, ``source``
    and ``language`` (a tag such as "en" or "ru": articles in different known languages are
    compared by their language-independent evidence).

    Blank lines are skipped. A bad line raises :class:`DocumentFormatError` naming its number.
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:  # (an OSError is the caller's to report)
            yield from _read_lines(handle, str(source))
    else:
        yield from _read_lines(source, getattr(source, "name", None))


def _read_lines(handle: IO[str] | IO[bytes], path: str | None) -> Iterator[GroupDoc]:
    number = 0
    while True:
        number += 1
        try:
            line = handle.readline(MAX_LINE_BYTES + 1)
        except UnicodeDecodeError as exc:  # a text stream decoding as it reads
            raise DocumentFormatError(
                f"not UTF-8 text ({exc.reason})", line=number, path=path
            ) from exc
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            raise DocumentFormatError(
                f"the line is longer than {MAX_LINE_BYTES:,} bytes, the most one document may "
                "take (its text is read up to "
                f"{MAX_TEXT_CHARS:,} characters)",
                line=number,
                path=path,
            )
        text = _decoded(line, number, path)
        if text.strip():
            yield _document(_parsed(text, number, path), number, path)


def _decoded(line: str | bytes, number: int, path: str | None) -> str:
    if isinstance(line, str):
        return line
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentFormatError(
            f"not UTF-8 text (byte 0x{line[exc.start]:02x} at column {exc.start + 1}); "
            "is this a binary file?",
            line=number,
            path=path,
        ) from None


def _parsed(text: str, number: int, path: str | None) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentFormatError(f"not JSON: {exc.msg}", line=number, path=path) from None
    except RecursionError:
        raise DocumentFormatError(
            "JSON nested too deeply to be a document", line=number, path=path
        ) from None


def _document(record: object, number: int, path: str | None) -> GroupDoc:
    if not isinstance(record, dict):
        raise DocumentFormatError("expected a JSON object", line=number, path=path)
    fields: dict[str, str | None] = {}
    for name, required in _FIELDS:
        value = record.get(name)
        if value is None and required:
            raise DocumentFormatError(f"missing field {name!r}", line=number, path=path)
        if value is not None and not isinstance(value, str):
            raise DocumentFormatError(f"field {name!r} must be a string", line=number, path=path)
        fields[name] = value
    published = None
    if fields["published"]:
        try:
            published = datetime.fromisoformat(fields["published"])
        except ValueError as exc:
            raise DocumentFormatError(
                f"published is not an ISO date: {fields['published']!r}", line=number, path=path
            ) from exc
        # a date without a zone is taken as UTC, like every date in the project
        published = published.replace(tzinfo=UTC) if published.tzinfo is None else published
    return GroupDoc(
        id=str(fields["id"]),
        title=str(fields["title"]),
        text=str(fields["text"]),
        published=published.astimezone(UTC) if published is not None else None,
        source=fields["source"],
        language=fields["language"],
    )
