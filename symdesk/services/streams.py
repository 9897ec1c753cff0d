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
