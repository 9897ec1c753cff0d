"""Residents as the matching sees them: those without coordinates placed at their site.

Every service that measures a distance between residents (matching, the
opportunity export, the roadmap) reads them through here, so a distance
printed in a report is the one the score used.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from symdesk.domain.resident import Resident
from symdesk.matching.places import located
from symdesk.storage.repository import ResidentRepository, SiteRepository


def located_residents(session: Session) -> list[Resident]:
    return located(ResidentRepository(session).list(), SiteRepository(session).list())
