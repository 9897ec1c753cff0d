"""What every synchronised record carries: a stable identity and a revision.

Bundles (exchanged between laptops and offices) merge records by ``id`` and
decide between two edits by ``revision`` then ``modified_at``. Deleting only
sets ``deleted``: a tombstone travels in bundles like any other edit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class RecordMeta:
    id: str = field(default_factory=new_id)
    created_at: datetime | None = None
    modified_at: datetime | None = None
    revision: int = 0
    deleted: bool = False
