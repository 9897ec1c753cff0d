"""The unit of work: one transaction, committed whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from symdesk.storage.db import Database


@contextmanager
def unit_of_work(db: Database) -> Iterator[Session]:
    """Yield a session inside a transaction; commit on success, roll back on any error.

    Nothing half-written survives an exception raised inside the block.
    """
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        yield session
