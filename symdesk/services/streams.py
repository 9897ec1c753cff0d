"""Saving a resident's offers and needs."""

from __future__ import annotations

from symdesk.domain.issues import N_, Issue, ValidationError
from symdesk.domain.stream import Stream
from symdesk.storage.db import Database
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.repository import ResidentRepository, StreamRepository
from symdesk.storage.uow import unit_of_work


def save_streams(db: Database, streams: list[Stream]) -> list[Stream]:
    """Validate and store streams all together: one bad stream and none is saved."""
    issues: list[Issue] = []
    for stream in streams:
        stream.normalise()
        issues += stream.validate()
    with unit_of_work(db) as session:
        residents = ResidentRepository(session)
        for stream in streams:
            try:
                residents.get(stream.resident_id)
            except RecordNotFound:
                issues.append(Issue("resident_id", N_("Unknown resident")))
        if issues:
            raise ValidationError(issues)
        repo = StreamRepository(session)
        return [repo.add(s) for s in streams]


def stream_index(db: Database) -> dict[str, tuple[str, str]]:
    """Every live stream's name and resident by id, in one query: for lists that name
    the members of a pool or the links of a chain without opening each resident."""
    with unit_of_work(db) as session:
        return {s.id: (s.name, s.resident_id) for s in StreamRepository(session).list()}
