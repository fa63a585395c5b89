"""Grouping stage (pure, deterministic for a given input order).

Three levels: near-duplicate articles (:class:`NearDuplicateIndex`), merged statements
(:class:`StatementMerger`) and events (:class:`EventClusterer`); :class:`Grouper` runs the article
levels together for the pipeline (each :meth:`Grouper.flush` is one :class:`GroupingStep`, what the
store saves) and :func:`cluster_stream` for ``aggregator cluster``.
See docs/grouping.md for how they work and which mistakes they prefer.
"""

from aggregator.errors import DocumentFormatError
from aggregator.group.duplicates import NearDuplicateIndex
from aggregator.group.events import EventClusterer, event_id_for
from aggregator.group.jsonl import read_jsonl
from aggregator.group.statements import StatementMerger
from aggregator.group.stream import Assignment, Grouper, cluster_stream
from aggregator.group.types import EventConfig, EventUpdate, GroupDoc, GroupingStep

__all__ = [
    "Assignment",
    "DocumentFormatError",
    "EventClusterer",
    "EventConfig",
    "EventUpdate",
    "GroupDoc",
    "Grouper",
    "GroupingStep",
    "NearDuplicateIndex",
    "StatementMerger",
    "cluster_stream",
    "event_id_for",
    "read_jsonl",
]
