"""The values extraction makes for every sentence, cue and statement: frozen to the type checker,
plain slotted dataclasses at run time.

A frozen dataclass sets each field through ``object.__setattr__`` (a call per field), which
makes it five times as costly to make as a plain one with slots; the values here are made
several times a sentence, and their cost showed in text made only of attributions
(docs/benchmarks/extraction.md). Equality, hashing, ``repr`` and :func:`dataclasses.replace`
are those of a frozen dataclass; assigning to a field is a type error (``mypy --strict``), not
checked at run time. Values that leave the package (:class:`aggregator.model.Statement`) stay
frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: type[_T]) -> type[_T]:
    """A dataclass with slots, equality and a hash over its fields, read-only for mypy."""
    return dataclass(slots=True, unsafe_hash=True)(cls)
