"""Searching the classifiers, including the imported national waste list."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from symdesk.classifiers.reference import NATIONAL, CodeEntry, activities, ewc_entries, ewc_headings
from symdesk.classifiers.search import CodeIndex
from symdesk.storage.db import Database
from symdesk.storage.repository import NationalCodeRepository
from symdesk.storage.uow import unit_of_work


@cache
def shipped_index() -> CodeIndex:
    """EWC and activity codes: built once per process."""
    return CodeIndex((*ewc_headings(), *ewc_entries(), *activities()))


def national_entries(db: Database) -> list[CodeEntry]:
    with unit_of_work(db) as session:
        return [
            CodeEntry(NATIONAL, c.code, c.name, "", "entry", c.hazard_class in ("1", "2", "3", "4") or None, c.hazard_class)
            for c in NationalCodeRepository(session).all()
        ]


def code_index(db: Database | None) -> CodeIndex:
    """The shipped classifiers plus, with a database, its imported national list."""
    if db is None:
        return shipped_index()
    national = national_entries(db)
    if not national:
        return shipped_index()
    return CodeIndex((*national, *ewc_headings(), *ewc_entries(), *activities()))


def search_codes(
    db: Database | None, text: str, *, systems: Sequence[str] | None = None, limit: int = 20
) -> list[CodeEntry]:
    return code_index(db).search(text, systems=systems, limit=limit)
