"""Copying between domain dataclasses and ORM rows.

Domain fields and column names are the same by design, so one generic pair
of functions serves every table; enum-typed fields are rebuilt from the
stored strings by looking at the dataclass's type hints.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Sequence
from functools import cache
from itertools import repeat
from operator import attrgetter
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


def record_builder(cls: type[T], fields: tuple[str, ...]) -> Callable[[Sequence[Any]], T]:
    """A function from a plain row — ``fields`` then ``META_FIELDS``, in that order — to a record.

    For Core selects (``Repository.records``): no ORM object in between, and
    JSON values are fresh from the decoder, so they need no copying. Data
    fields not in ``fields`` get their defaults (a new list where the default
    is a new list).
    """
    enums = enum_fields(cls)
    every = data_fields(cls)
    # By value, as ``Enum(value)`` does, from the enum's own table (a tenth of the call's time).
    converters = [(i, _by_value(enums[name])) for i, name in enumerate(fields) if name in enums]
    count = len(fields)
    missing = [(every.index(f.name), _default_of(f)) for f in dataclasses.fields(cls)  # type: ignore[arg-type]
               if f.name in every and f.name not in fields]

    def build(row: Sequence[Any]) -> T:
        values = list(row)
        for i, members in converters:
            if values[i] is not None:
                values[i] = members[values[i]]
        meta = RecordMeta(*values[count:])
        del values[count:]
        for at, default in missing:  # in field order, so each lands where it belongs
            values.insert(at, default())
        return cls(*values, meta=meta)

    return build


def _default_of(f: dataclasses.Field[Any]) -> Callable[[], Any]:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory
    if f.default is dataclasses.MISSING:
        raise TypeError(f"{f.name} has no default: it cannot be left out")
    return lambda: f.default


class _ByValue(dict):
    """Members of an enum by value; an unknown value raises ``ValueError`` as ``Enum(value)`` would."""

    def __init__(self, enum_type: type[enum.Enum]):
        super().__init__({m.value: m for m in enum_type})
        self.enum_type = enum_type

    def __missing__(self, value: Any) -> Any:
        return self.enum_type(value)


@cache
def _by_value(enum_type: type[enum.Enum]) -> _ByValue:
    return _ByValue(enum_type)


def domain_columns(records: Sequence[Any]) -> dict[str, list[Any]]:
    """The column values of many records of one type, column by column: what ``domain_values``
    gives each record, read with one ``attrgetter`` per record and converted a column at a time
    (a matching run stores tens of thousands of opportunities at once)."""
    if not records:
        return {}
    fields = data_fields(type(records[0]))
    read = attrgetter(*fields)
    columns: dict[str, list[Any]] = {}
    for name, column in zip(fields, zip(*map(read, records), strict=True), strict=True):
        if any(map(isinstance, column, repeat(enum.Enum))):
            columns[name] = [value.value if isinstance(value, enum.Enum) else value for value in column]
        else:
            columns[name] = list(column)
    return columns


def domain_values(record: Any) -> dict[str, Any]:
    """The column values of a domain record (enums stored as their string values)."""
    values = {}
    for name in data_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, enum.Enum):
            value = value.value
        values[name] = value
    return values
