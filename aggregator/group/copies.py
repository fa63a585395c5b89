"""The event of each near-duplicate copy while its event is live.

A copy joins its original's event without entering the event clusterer (it is one more reporting
source, not a new article), so the clusterer cannot say where it is; this map can, and it follows
the event when it is merged into another or when a repair moves the copy's original.

Every operation costs what it changes, never the size of the map: the copies are kept in one
group per event, a merge moves the smaller group into the larger (each copy changes group at most
log2(copies) times), and the groups of closed events are dropped when the number of groups has
doubled since the last look. (Re-pointing every copy on every merge, and rebuilding the map
whenever it held more copies than the clusterer held articles, made a syndication-heavy stream,
where copies outnumber articles, quadratic.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_FIRST_PRUNE = 1024  # groups held before the first look for closed events


@dataclass(slots=True, eq=False)
class _Group:
    event_id: str
    copies: dict[str, str] = field(default_factory=dict)  # copy id -> its original's id


class CopyEvents:
    """copy id -> live event id, kept up to date through merges and moves."""

    def __init__(self) -> None:
        self._group_of: dict[str, _Group] = {}  # copy id -> its group
        self._groups: dict[str, _Group] = {}  # event id -> the group of its copies
        self._of_original: dict[str, dict[str, None]] = {}  # original id -> its copies
        self._prune_at = _FIRST_PRUNE

    def __len__(self) -> int:
        return len(self._group_of)

    def event_of(self, copy: str) -> str | None:
        """The event ``copy`` was last known in (it may have closed since), or None."""
        group = self._group_of.get(copy)
        return group.event_id if group is not None else None

    def add(self, copy: str, original: str, event_id: str) -> None:
        """Record that ``copy`` (of ``original``) is in ``event_id``."""
        self._join(copy, original, event_id)
        self._of_original.setdefault(original, {})[copy] = None

    def merge(self, absorbed: str, survivor: str) -> None:
        """``absorbed`` was merged into ``survivor``: its copies are now the survivor's."""
        moving = self._groups.pop(absorbed, None)
        if moving is None:
            return
        staying = self._groups.get(survivor)
        if staying is None:
            moving.event_id = survivor
            self._groups[survivor] = moving
            return
        if len(moving.copies) > len(staying.copies):
            moving, staying = staying, moving
            staying.event_id = survivor
            self._groups[survivor] = staying
        for copy in moving.copies:
            self._group_of[copy] = staying
        staying.copies.update(moving.copies)

    def move(self, original: str, event_id: str) -> list[str]:
        """A repair moved ``original`` to ``event_id``: its known copies follow; returns them."""
        moved = [c for c in self._of_original.get(original, ()) if c in self._group_of]
        for copy in moved:
            group = self._group_of[copy]
            del group.copies[copy]
            if not group.copies:
                del self._groups[group.event_id]
            self._join(copy, original, event_id)
        return moved

    def prune(self, is_live: Callable[[str], bool]) -> None:
        """Forget the copies of closed events, once the groups have doubled since last time."""
        if len(self._groups) <= self._prune_at:
            return
        closed = [g for event_id, g in self._groups.items() if not is_live(event_id)]
        for group in closed:
            del self._groups[group.event_id]
            self._forget(group.copies.items())
        self._prune_at = max(_FIRST_PRUNE, 2 * len(self._groups))

    def _join(self, copy: str, original: str, event_id: str) -> None:
        group = self._groups.get(event_id)
        if group is None:
            group = self._groups[event_id] = _Group(event_id)
        group.copies[copy] = original
        self._group_of[copy] = group

    def _forget(self, copies: Iterable[tuple[str, str]]) -> None:
        for copy, original in copies:
            del self._group_of[copy]
            siblings = self._of_original.get(original)
            if siblings is not None:
                siblings.pop(copy, None)
                if not siblings:
                    del self._of_original[original]
