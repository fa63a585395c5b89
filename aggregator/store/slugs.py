"""URL slugs of actor names: ``"Jean-Noël Barrot"`` -> ``"jean-noel-barrot"``.

One function makes them, :func:`actor_slug`; the store writes its value into
``statements.actor_slug`` whenever it writes a statement (and migration 0006 backfilled the rows
before it), and the web archive's actor pages look statements up by it. Changing the rules
changes every stored slug's meaning: a change here needs a migration that recomputes them.

Rules, per character of the name (NFC)::

    Latin letter with accents  ->  its NFKD base letters, lowercased   (é -> e, ﬁ -> fi)
    any other letter or digit  ->  kept as it is, lowercased           (Лавров -> лавров, й stays)
    anything else              ->  "-"
    then runs of "-" become one, none at either end, at most MAX_LENGTH characters
"""

from __future__ import annotations

import re
import unicodedata

#: the longest slug (a column of 200 leaves room; a name that long is no name anyway)
MAX_LENGTH = 120

_DASHES = re.compile("-{2,}")


def actor_slug(name: str) -> str:
    """The URL slug of ``name``: lowercase, Latin accents folded, other scripts kept, words
    joined by ``-``; empty when the name holds no letter or digit."""
    parts = [_fold(ch) for ch in unicodedata.normalize("NFC", name)]
    slug = _DASHES.sub("-", "".join(parts).lower()).strip("-")
    return slug[:MAX_LENGTH].rstrip("-")


def actor_slug_or_none(name: str | None) -> str | None:
    """:func:`actor_slug` of ``name``; None for None and for a name without letters or digits."""
    if name is None:
        return None
    return actor_slug(name) or None


def _fold(ch: str) -> str:
    """One character as the slug spells it (see the module docstring)."""
    if ch.isascii():
        return ch if ch.isalnum() else "-"
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and base.isascii():
        # an accented Latin letter or a compatibility form (ligature, full width): its letters
        return "".join(c if c.isalnum() else "-" for c in base)
    return ch if ch.isalnum() else "-"
