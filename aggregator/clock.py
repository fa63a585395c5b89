"""The one clock. Everything that needs "now" calls :func:`now`; tests patch it."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
