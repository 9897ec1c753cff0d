"""Copying between domain dataclasses and ORM rows.

Domain fields and column names are the same by design, so one generic pair
of functions serves every table; enum-typed fields are rebuilt from the
stored strings by looking at the dataclass's type hints.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import Any, TypeVar

from symdesk.domain.records import RecordMeta

T = TypeVar("T")

META_FIELDS = ("id", "created_at", "modified_at", "revision", "deleted")


@cache
def _enum_types(cls: type) -> dict[str, type[enum.Enum]]:
    """Field name → enum class, for fields typed ``SomeEnum`` or ``SomeEnum | None``."""
    hints = typing.get_type_hints(cls)
    found: dict[str, type[enum.Enum]] = {}
    for name, hint in hints.items():
        candidates = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
                found[name] = candidate
    return found


def data_fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name != "meta"]


def row_to_domain(row: Any, cls: type[T]) -> T:
    enums = _enum_types(cls)
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
