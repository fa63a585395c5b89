"""Statement extraction: text -> [Statement] (who said what, in what role, for which side).

Pure and rule-based: no I/O except reading the gazetteer files in :func:`load_gazetteer`.
"""

from __future__ import annotations

from aggregator.extract.acts import is_act, quoted_actors
from aggregator.extract.sides import Actor, Gazetteer, load_gazetteer
from aggregator.extract.statements import Explanation, explain_statements, extract_statements
from aggregator.model import Statement

__all__ = [
    "Actor",
    "Explanation",
    "Gazetteer",
    "explain_statements",
    "extract_statements",
    "is_act",
    "load_gazetteer",
    "quoted_actors",
    "statement_to_json",
]

JSON_KEYS = (
    "text",
    "start",
    "end",
    "speaker",
    "speaker_start",
    "speaker_end",
    "role",
    "side",
    "cue",
    "kind",
    "actor",
    "commentary",
)


def statement_to_json(statement: Statement, rule: str | None = None) -> dict[str, object]:
    """The DESIGN.md contract object for ``aggregator extract --json`` (plus ``actor`` and
    ``commentary``: whether the speaker is no party); with ``rule`` (``--explain``), the name
    of the construction that made the statement too."""
    out: dict[str, object] = {key: getattr(statement, key) for key in JSON_KEYS}
    if rule is not None:
        out["rule"] = rule
    return out
