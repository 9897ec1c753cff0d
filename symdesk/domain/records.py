"""What every synchronised record carries: a stable identity and a revision.

Bundles (exchanged between laptops and offices) merge records by ``id`` and
decide between two edits by ``revision`` then ``modified_at``. Deleting only
sets ``deleted``: a tombstone travels in bundles like any other edit.
"""

from __future__ import annotations

import types
import typing
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import cache


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(slots=True)
class RecordMeta:
    id: str = field(default_factory=new_id)
    created_at: datetime | None = None
    modified_at: datetime | None = None
    revision: int = 0
    deleted: bool = False


def enum_fields(cls: type) -> dict[str, type[Enum]]:
    """Field name → enum class, for dataclass fields typed ``SomeEnum`` or ``SomeEnum | None``.

    Storage and the questionnaire binding both rebuild enums from stored or
    typed-in strings through this.
    """
    return _enum_fields(cls)


@cache
def _enum_fields(cls: type) -> dict[str, type[Enum]]:
    found: dict[str, type[Enum]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        candidates = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, Enum):
                found[name] = candidate
    return found
