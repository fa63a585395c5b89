"""Result rows -> the frozen values the store hands back, column by field name.

Most of the store's value types (``types.py``, ``model.py``) are a row with its columns named
like the fields. :func:`from_row` reads each field from the column of the same name, so a read
lists only what it converts or computes::

    from_row(FetchLogRow, row, outcome=FetchOutcome(row["outcome"]))

A field with no column of its name and not given is a ``KeyError`` at the first read (every
store test runs each read), never a silent default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_V = TypeVar("_V", bound="DataclassInstance")


@cache
def _field_names(cls: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(field.name for field in fields(cls) if field.init)


def from_row(cls: type[_V], row: Mapping[Any, Any], /, **given: Any) -> _V:
    """A ``cls`` whose fields are the ``given`` values and, for the rest, ``row``'s columns of
    the same names (a column the value has no field for is not read)."""
    read = {name: row[name] for name in _field_names(cls) if name not in given}
    return cls(**read, **given)
