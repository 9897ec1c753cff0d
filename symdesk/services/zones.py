"""The zone a database describes, and its sites and campaigns."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from symdesk.domain.zone import Campaign, Site, Zone
from symdesk.i18n import N_, _
from symdesk.services.errors import UserError
from symdesk.storage.db import Database
from symdesk.storage.repository import CampaignRepository, SiteRepository, ZoneRepository
from symdesk.storage.uow import unit_of_work


@dataclass
class ZoneOverview:
    zone: Zone | None
    sites: list[Site]
    campaigns: list[Campaign]


def current_zone_in(session: Session) -> Zone:
    """The zone this database describes; a new database gets an unnamed one."""
    repo = ZoneRepository(session)
    zones = sorted(repo.list(), key=lambda z: (z.meta.created_at is None, z.meta.created_at, z.id))
    if zones:
        return zones[0]
    return repo.add(Zone(name=_("New zone")))


def zone_overview(db: Database) -> ZoneOverview:
    with unit_of_work(db) as session:
        zones = ZoneRepository(session).list()
        zone = zones[0] if zones else None
        sites = sorted(SiteRepository(session).list(), key=lambda s: (s.code, s.name))
        campaigns = sorted(CampaignRepository(session).list(), key=lambda c: (-c.year, c.name))
    return ZoneOverview(zone, sites, campaigns)


def find_site(db: Database, key: str) -> Site:
    """A site by its code or name (case-insensitive)."""
    wanted = key.strip().casefold()
    for site in zone_overview(db).sites:
        if wanted in (site.code.casefold(), site.name.casefold()):
            return site
    raise UserError(N_("No site «{key}» in this zone"), key=key)
