"""Text as both databases can hold it, and the keys the store indexes instead of feed text.

Both backends must end up with the same data from the same input, and some text only one of
them takes: PostgreSQL refuses NUL in ``text`` (SQLite keeps it), and a lone surrogate cannot be
encoded as UTF-8 for either driver. :func:`storable_text` removes exactly those characters; it
runs on every text value of an entry on its way into the store (``ingest``), whoever built the
entry (the feed parser, a backfill's saved pages, a script), so both databases hold the same
row and neither refuses it. Other control characters are legal text on both and are left to
the parse stage's hygiene.

The article's prose (title, summary, text; statements are spans of that text) also goes through
:func:`storable_prose`, which removes the two private-use characters that search snippets mark
matches with (:data:`MARK_START`, :data:`MARK_END`): a marker in a snippet is then always the
database's, never the feed's. Keys are left alone (a changed guid would be a new entry).

Unique keys never index feed text itself: a PostgreSQL btree entry must fit in a third of a
page (2,704 bytes), and a feed decides how long its links and guids are. The store indexes
:func:`text_key` of the value instead, a SHA-256 digest of its UTF-8 bytes (64 hex characters),
and keeps the value whole in its own column. Equal digests mean equal values (a collision of
SHA-256 has never been found), so "unique on the canonical URL" stays exact whatever the
URL's length.
"""

from __future__ import annotations

import hashlib
import re

# NUL, and the surrogate range: a lone surrogate (from a numeric character reference such as
# &#xD800; read by a lenient parser) is not a character UTF-8 can encode
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

#: where a search snippet's match starts and ends (private-use characters: plain text that a web
#: page escapes as it is, then turns into ``<mark>``)
MARK_START = "\ue000"
MARK_END = "\ue001"

#: the length of :func:`text_key`'s digest
KEY_LENGTH = 64


def storable_text(value: str) -> str:
    """``value`` without NUL and lone surrogates; the same object when it has none (the usual
    case, checked without a scan of the text by a regular expression)."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = _UNSTORABLE.sub("", value)
    return value


def storable_prose(value: str) -> str:
    """:func:`storable_text` of ``value`` without the search markers :data:`MARK_START` and
    :data:`MARK_END`."""
    value = storable_text(value)
    if not value.isascii() and (MARK_START in value or MARK_END in value):
        value = value.replace(MARK_START, "").replace(MARK_END, "")
    return value


def storable_or_none(value: str | None) -> str | None:
    """:func:`storable_text` of ``value``; ``None`` stays ``None``."""
    return None if value is None else storable_text(value)


def text_key(value: str) -> str:
    """The SHA-256 hex digest of ``value``'s UTF-8 bytes: what a unique key on text indexes.

    ``value`` must already be storable (see :func:`storable_text`).
    """
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
