"""Finding one record by the start of its id, as people type it from a listing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from symdesk.services.errors import UserError

T = TypeVar("T")
MIN_PREFIX = 4


def one_by_id_prefix(records: Iterable[T], key: str, id_of: Callable[[T], str], not_found: str, ambiguous: str) -> T:
    """The single record whose id starts with ``key`` (4+ characters).

    ``not_found`` and ``ambiguous`` are msgids with ``{key}`` (and ``{count}``).
    """
    key = key.strip().lower()
    found = [r for r in records if id_of(r).startswith(key)] if len(key) >= MIN_PREFIX else []
    if not found:
        raise UserError(not_found, key=key)
    if len(found) > 1:
        raise UserError(ambiguous, key=key, count=len(found))
    return found[0]
