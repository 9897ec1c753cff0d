"""Listing, showing, creating, editing and deleting residents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from symdesk.classifiers.reference import activity_classes
from symdesk.domain.issues import N_, Issue, ValidationError
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Stream
from symdesk.services.errors import UserError
from symdesk.services.zones import current_zone_in
from symdesk.storage.db import Database
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.repository import (
    ResidentRepository,
    ResidentSummary,
    SiteRepository,
    StreamRepository,
)
from symdesk.storage.uow import unit_of_work


def list_residents(db: Database) -> Sequence[ResidentSummary]:
    with unit_of_work(db) as session:
        return ResidentRepository(session).summaries()


@dataclass
class ResidentDetails:
    resident: Resident
    site_name: str
    offers: list[Stream]
    needs: list[Stream]


def find_resident(db: Database, key: str) -> Resident:
    """A resident by full id, unique id prefix (from 4 characters) or УНП."""
    key = key.strip()
    with unit_of_work(db) as session:
        repo = ResidentRepository(session)
        try:
            return repo.get(key)
        except RecordNotFound:
            pass
        found = repo.find(key) if len(key) >= 4 else repo.by_unp(key)
    if not found:
        raise UserError(N_("No resident with id or UNP «{key}»"), key=key)
    if len(found) > 1:
        raise UserError(N_("«{key}» matches {count} residents; give more of the id"), key=key, count=len(found))
    return found[0]


def resident_details(db: Database, key: str) -> ResidentDetails:
    resident = find_resident(db, key)
    with unit_of_work(db) as session:
        site_name = ""
        if resident.site_id:
            try:
                site_name = SiteRepository(session).get(resident.site_id).name
            except RecordNotFound:
                site_name = ""
        streams = StreamRepository(session).list(resident_id=resident.id)
    streams.sort(key=lambda s: (s.category.value, s.name))
    return ResidentDetails(
        resident,
        site_name,
        [s for s in streams if s.direction == "offer"],
        [s for s in streams if s.direction == "need"],
    )


def save_resident(db: Database, resident: Resident) -> Resident:
    """Validate and store a new or edited resident; nothing is written if it is refused.

    Raises ``ValidationError`` listing every problem, each naming its field.
    """
    resident.normalise()
    issues = resident.validate(activity_classes())
    with unit_of_work(db) as session:
        if not resident.zone_id:
            resident.zone_id = current_zone_in(session).id
        if resident.unp and ResidentRepository(session).by_unp(resident.unp, exclude_id=resident.id):
            issues.append(Issue("unp", N_("Another resident already has UNP {value}"), {"value": resident.unp}))
        if resident.site_id:
            try:
                SiteRepository(session).get(resident.site_id)
            except RecordNotFound:
                issues.append(Issue("site_id", N_("Unknown site")))
        if issues:
            raise ValidationError(issues)
        return ResidentRepository(session).add(resident)


def delete_resident(db: Database, resident_id: str) -> None:
    """Soft-delete the resident and its streams (tombstones, kept for merging)."""
    with unit_of_work(db) as session:
        try:
            ResidentRepository(session).delete(resident_id)
        except RecordNotFound:
            raise UserError(N_("No resident with id or UNP «{key}»"), key=resident_id) from None
        streams = StreamRepository(session)
        for stream in streams.list(resident_id=resident_id):
            streams.delete(stream.id)


def resident_names(db: Database) -> dict[str, str]:
    """Display names by resident id, for lists of opportunities and reports."""
    return {r.id: r.short_name or r.name for r in list_residents(db)}
