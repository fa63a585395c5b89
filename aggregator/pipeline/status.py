"""What ``aggregator status`` shows: a table of sources for people, the same as JSON for scripts.

The JSON form is a contract (docs/fetching.md): one array, an object a source, times in ISO 8601
UTC, absent values null. The table shows local times and never cuts a source's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from aggregator.store import DaemonRow, SourceStatus

#: what the table's columns are called, in order
COLUMNS = ("source", "last fetch", "HTTP", "new", "failures", "next poll", "state")


def source_state(row: SourceStatus) -> tuple[str, str | None]:
    """``("ok" | "backing_off" | "disabled", why)``: whether the source is polled on schedule."""
    if not row.enabled:
        return "disabled", row.disabled_reason or "not in the configuration"
    if row.last_error:
        return "backing_off", row.last_error
    return "ok", None


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="seconds")


def local_time(value: datetime | None) -> str:
    """A stored time as the machine's local time, ``-`` when there is none."""
    if value is None:
        return "-"
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def status_records(
    rows: Sequence[SourceStatus], daemons: Sequence[DaemonRow], *, now: datetime
) -> list[dict[str, Any]]:
    """One JSON-ready object a source (the ``status --json`` contract); ``daemons`` are every
    known daemon, for the heartbeat of whoever holds a live lease."""
    beats = {daemon.id: daemon.last_beat_at for daemon in daemons}
    records = []
    for row in rows:
        state, _ = source_state(row)
        lease = None
        if row.lease_owner and row.lease_expires_at and row.lease_expires_at > now:
            lease = {
                "owner": row.lease_owner,
                "expires_at": _iso(row.lease_expires_at),
                "owner_last_beat_at": _iso(beats.get(row.lease_owner)),
            }
        records.append(
            {
                "name": row.name,
                "url": row.url,
                "kind": row.kind,
                "enabled": row.enabled,
                "state": state,
                "disabled_reason": row.disabled_reason,
                "last_fetch_at": _iso(row.last_fetch_at),
                "last_status": row.last_status,
                "last_outcome": None if row.last_outcome is None else row.last_outcome.value,
                "last_new_entries": row.last_new_entries,
                "consecutive_failures": row.consecutive_failures,
                "last_error": row.last_error,
                "next_poll_at": _iso(row.next_poll_at) if row.enabled else None,
                "lease": lease,
            }
        )
    return records


def status_table(rows: Sequence[SourceStatus], *, width: int | None = None) -> Table:
    """The sources table. Nothing in it is ever cut: a name takes the width of the longest one,
    or, on a terminal ``width`` columns wide, at least a third of it and folds beyond that."""
    table = Table(title="sources")
    longest = max((len(row.name) for row in rows), default=0)
    name_width = max(longest, len(COLUMNS[0]))
    if width is not None:
        name_width = min(name_width, max(width // 3, len(COLUMNS[0])))
    # a fixed width: the other columns shrink first, and a name is folded, never cut
    table.add_column(COLUMNS[0], overflow="fold", width=name_width)
    for column in COLUMNS[1:]:
        table.add_column(column, overflow="fold")
    for row in rows:
        state, reason = source_state(row)
        shown = state.replace("_", " ")
        table.add_row(
            row.name,
            local_time(row.last_fetch_at),
            "-" if row.last_status is None else str(row.last_status),
            "-" if row.last_new_entries is None else str(row.last_new_entries),
            str(row.consecutive_failures),
            local_time(row.next_poll_at) if row.enabled else "-",
            shown if reason is None else f"{shown}: {reason}",
        )
    return table


def print_status_table(out: Console, rows: Sequence[SourceStatus]) -> None:
    """Print the table to fit a terminal; into a pipe or a file at the table's full width, one
    line a source, rather than at the 80 columns a console assumes when it has no terminal."""
    if out.is_terminal:
        out.print(status_table(rows, width=out.width))
        return
    table = status_table(rows)
    natural = Measurement.get(out, out.options.update_width(1_000_000), table).maximum
    narrow = out.width
    out.width = max(narrow, natural)  # print(width=) cannot widen a console, only narrow it
    try:
        out.print(table)
    finally:
        out.width = narrow


def daemon_lines(daemons: Sequence[DaemonRow]) -> list[str]:
    """One line a live daemon with its last heartbeat, or a line saying there is none."""
    if not daemons:
        return ["no daemon has sent a heartbeat in the last minute"]
    return [
        f"daemon {d.id} on {d.host} (pid {d.pid}, {d.version}): "
        f"{d.state}, last heartbeat {local_time(d.last_beat_at)}"
        for d in daemons
    ]
