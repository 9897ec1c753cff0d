"""Copying between domain dataclasses and ORM rows.

Domain fields and column names are the same by design, so one generic pair
of functions serves every table; enum-typed fields are rebuilt from the
stored strings by looking at the dataclass's type hints.
"""

from __future__ import annotations

import dataclasses
import enum
from functools import cache
from typing import Any, TypeVar

from symdesk.domain.records import RecordMeta, enum_fields

T = TypeVar("T")

META_FIELDS = ("id", "created_at", "modified_at", "revision", "deleted")


@cache
def data_fields(cls: type) -> tuple[str, ...]:
    """The fields of a domain dataclass that are columns (all but ``meta``); asked once per class."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "meta")


def row_to_domain(row: Any, cls: type[T]) -> T:
    enums = enum_fields(cls)
    values: dict[str, Any] = {}
    for name in data_fields(cls):
        value = getattr(row, name)
        if value is not None and name in enums:
            value = enums[name](value)
        if isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        values[name] = value
    meta = RecordMeta(**{name: getattr(row, name) for name in META_FIELDS})
    return cls(**values, meta=meta)


def domain_values(record: Any) -> dict[str, Any]:
    """The column values of a domain record (enums stored as their string values)."""
    values = {}
    for name in data_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, enum.Enum):
            value = value.value
        values[name] = value
    return values
