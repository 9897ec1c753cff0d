"""Reading the demo zone from resources/demo/demo_zone.yaml into domain records.

Identifiers are UUID5 derived from the keys in the file, so loading the demo
twice updates the same records instead of duplicating them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import (
    Category,
    CodeSystem,
    Direction,
    Handling,
    HazardClass,
    Readiness,
    Regularity,
    Stream,
)
from symdesk.domain.units import Period
from symdesk.domain.zone import Campaign, Site, Zone
from symdesk.files.yaml_file import read_yaml
from symdesk.paths import resources_dir

DEMO_NAMESPACE = uuid.UUID("6f1c2a4e-9d7b-4c1e-8a55-3e2f5b7d9c01")


def demo_id(*parts: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, ":".join(parts)))


def demo_zone_path() -> Path:
    return resources_dir() / "demo" / "demo_zone.yaml"


@dataclass
class DemoZone:
    zone: Zone
    sites: list[Site] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    streams: list[Stream] = field(default_factory=list)


def _enum(cls: Any, value: Any) -> Any:
    return None if value is None or value == "" else cls(str(value))


def _float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def _stream(resident_id: str, key: str, direction: Direction, i: int, data: dict[str, Any]) -> Stream:
    return Stream(
        resident_id=resident_id,
        direction=direction,
        category=Category(data["category"]),
        name=str(data["name"]),
        code=str(data.get("code") or ""),
        code_system=_enum(CodeSystem, data.get("code_system")),
        hazard_class=_enum(HazardClass, data.get("hazard_class")),
        quantity=_float(data.get("quantity")),
        unit=str(data.get("unit") or ""),
        period=_enum(Period, data.get("period")),
        regularity=_enum(Regularity, data.get("regularity")),
        quality=str(data.get("quality") or ""),
        temperature_c=_float(data.get("temperature_c")),
        pressure_mpa=_float(data.get("pressure_mpa")),
        handling=_enum(Handling, data.get("handling")),
        price_byn=_float(data.get("price_byn")),
        secondary_acceptable=data.get("secondary_acceptable"),
        readiness=_enum(Readiness, data.get("readiness")),
        confidential=bool(data.get("confidential", False)),
        notes=str(data.get("notes") or ""),
        meta=RecordMeta(id=demo_id("stream", key, direction.value, str(i))),
    )


def read_demo_zone(path: Path | None = None) -> DemoZone:
    raw = read_yaml(path or demo_zone_path())
    z = raw["zone"]
    zone = Zone(
        name=z["name"],
        short_name=z.get("short_name", ""),
        region=z.get("region", ""),
        administration=z.get("administration", ""),
        latitude=_float(z.get("latitude")),
        longitude=_float(z.get("longitude")),
        meta=RecordMeta(id=demo_id("zone")),
    )
    demo = DemoZone(zone)
    site_ids = {}
    for s in raw.get("sites", []):
        site = Site(zone.id, s["name"], str(s.get("code", "")), _float(s.get("latitude")),
                    _float(s.get("longitude")), RecordMeta(id=demo_id("site", s["key"])))
        site_ids[s["key"]] = site.id
        demo.sites.append(site)
    for c in raw.get("campaigns", []):
        demo.campaigns.append(
            Campaign(zone.id, c["name"], int(c["year"]), _date(c.get("start_date")), _date(c.get("end_date")),
                     RecordMeta(id=demo_id("campaign", c["key"])))
        )
    for r in raw["residents"]:
        resident = Resident(
            zone_id=zone.id,
            name=r["name"],
            short_name=r.get("short_name", ""),
            unp=str(r.get("unp", "")),
            activity_codes=[str(c) for c in r.get("activity_codes", [])],
            site_id=site_ids.get(r.get("site")),
            address=r.get("address", ""),
            latitude=_float(r.get("latitude")),
            longitude=_float(r.get("longitude")),
            contact_person=r.get("contact_person", ""),
            phone=str(r.get("phone", "")),
            email=r.get("email", ""),
            staff_count=r.get("staff_count"),
            main_products=r.get("main_products", ""),
            status=ResidentStatus(r.get("status", "active")),
            notes=r.get("notes", "") or "",
            meta=RecordMeta(id=demo_id("resident", r["key"])),
        )
        demo.residents.append(resident)
        for direction, key in ((Direction.OFFER, "offers"), (Direction.NEED, "needs")):
            for i, data in enumerate(r.get(key) or []):
                demo.streams.append(_stream(resident.id, r["key"], direction, i, data))
    return demo


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
