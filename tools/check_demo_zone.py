"""Check the demo zone file (resources/demo/demo_zone.yaml) against the domain rules.

A developer tool, not part of the product: it reads the reference classifiers
in ../shared/data (NACE Rev. 2 classes, European List of Waste), builds every
resident and stream with the domain dataclasses, runs their ``normalise()``
and ``validate()``, adds checks the demo data must pass (unique keys and УНП,
sites, distances, hazard classes against the List of Waste, all six kinds of
opportunity on both sides) and prints a summary.

Run from the repository root:

    PYTHONPATH=. python tools/check_demo_zone.py [path/to/demo_zone.yaml]

Exits with status 1 if any problem is found.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from symdesk.domain.geo import haversine_km
from symdesk.domain.issues import Issue
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import (
    CODED_CATEGORIES,
    Category,
    CodeSystem,
    Direction,
    Handling,
    HazardClass,
    OpportunityKind,
    Readiness,
    Regularity,
    Stream,
)
from symdesk.domain.units import UNITS, Period
from symdesk.domain.zone import Campaign, Site, Zone

REPO = Path(__file__).resolve().parents[1]
DEFAULT_YAML = REPO / "resources" / "demo" / "demo_zone.yaml"
SHARED_DATA = REPO.parent / "shared" / "data"

MAX_KM_FROM_CENTRE = 6.0
MAX_KM_FROM_SITE = 1.5
MIN_RESIDENTS = 45
MIN_STREAMS = 200
# The one code of the Belarusian waste classifier we know to be real.
KNOWN_NATIONAL_CODES = {"5960200"}
# Categories measured as a flow: an amount needs a period. Equipment and
# infrastructure may state a capacity (a crane, a storage volume) with none.
CAPACITY_CATEGORIES = frozenset({Category.EQUIPMENT, Category.INFRASTRUCTURE})

E = TypeVar("E", bound=Enum)

ZONE_FIELDS = {"name", "short_name", "region", "administration", "latitude", "longitude"}
SITE_FIELDS = {"key", "name", "code", "latitude", "longitude"}
CAMPAIGN_FIELDS = {"key", "name", "year", "start_date", "end_date"}
RESIDENT_FIELDS = {
    "key", "name", "short_name", "unp", "activity_codes", "site", "address", "latitude",
    "longitude", "contact_person", "phone", "email", "staff_count", "main_products", "status",
    "notes", "offers", "needs",
}  # fmt: skip
STREAM_FIELDS = {
    "category", "name", "code", "hazard_class", "quantity", "unit", "period", "regularity",
    "quality", "temperature_c", "pressure_mpa", "handling", "price_byn",
    "secondary_acceptable", "readiness", "confidential", "notes",
}  # fmt: skip


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def issues(self, where: str, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(where, f"{issue.field}: {issue.render()}")


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with the same key twice (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key «{key}»", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_nace_classes(path: Path) -> set[str]:
    """Four-digit NACE Rev. 2 classes, digits only (``16.10`` → ``1610``)."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"].replace(".", "") for row in csv.DictReader(f) if row["level"] == "4"}


def load_ewc(path: Path) -> dict[str, bool]:
    """EWC code → hazardous?"""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["hazardous"] == "yes" for row in csv.DictReader(f)}


def unknown_fields(report: Report, where: str, data: dict[str, Any], allowed: set[str]) -> None:
    for name in sorted(set(data) - allowed):
        report.add(where, f"unknown field «{name}»")


def enum_value(report: Report, where: str, enum: type[E], value: Any) -> E | None:
    if value is None:
        return None
    try:
        return enum(str(value))
    except ValueError:
        report.add(where, f"«{value}» is not a valid {enum.__name__}")
        return None


def as_float(report: Report, where: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        report.add(where, f"«{value}» is not a number")
        return None
    return float(value)


def require_str(report: Report, where: str, data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        report.add(where, f"«{name}» must be a non-empty string")
        return ""
    return value


def check_zone(report: Report, data: dict[str, Any]) -> Zone:
    unknown_fields(report, "zone", data, ZONE_FIELDS)
    zone = Zone(
        name=require_str(report, "zone", data, "name"),
        short_name=str(data.get("short_name", "")),
        region=str(data.get("region", "")),
        administration=str(data.get("administration", "")),
        latitude=as_float(report, "zone.latitude", data.get("latitude")),
        longitude=as_float(report, "zone.longitude", data.get("longitude")),
    )
    report.issues("zone", zone.validate())
    if zone.latitude is None or zone.longitude is None:
        report.add("zone", "the zone needs centre coordinates")
    return zone


def check_sites(report: Report, zone: Zone, items: list[dict[str, Any]]) -> dict[str, Site]:
    sites: dict[str, Site] = {}
    codes: set[str] = set()
    for i, data in enumerate(items):
        key = str(data.get("key", ""))
        where = f"sites[{i}] {key}"
        unknown_fields(report, where, data, SITE_FIELDS)
        site = Site(
            zone_id=zone.id,
            name=require_str(report, where, data, "name"),
            code=str(data.get("code", "")),
            latitude=as_float(report, where, data.get("latitude")),
            longitude=as_float(report, where, data.get("longitude")),
        )
        report.issues(where, site.validate())
        if not key:
            report.add(where, "the site needs a key")
        elif key in sites:
            report.add(where, "duplicate site key")
        if site.code in codes:
            report.add(where, f"duplicate site code {site.code}")
        codes.add(site.code)
        check_distance(report, where, zone, site.latitude, site.longitude)
        sites[key] = site
    return sites


def check_campaigns(report: Report, zone: Zone, items: list[dict[str, Any]]) -> None:
    keys: set[str] = set()
    for i, data in enumerate(items):
        key = str(data.get("key", ""))
        where = f"campaigns[{i}] {key}"
        unknown_fields(report, where, data, CAMPAIGN_FIELDS)
        start, end = data.get("start_date"), data.get("end_date")
        for name, value in (("start_date", start), ("end_date", end)):
            if value is not None and not isinstance(value, date):
                report.add(where, f"«{name}» must be a date (YYYY-MM-DD)")
        campaign = Campaign(
            zone_id=zone.id,
            name=require_str(report, where, data, "name"),
            year=int(data.get("year", 0)),
            start_date=start if isinstance(start, date) else None,
            end_date=end if isinstance(end, date) else None,
        )
        report.issues(where, campaign.validate())
        if key in keys:
            report.add(where, "duplicate campaign key")
        keys.add(key)


def check_distance(
    report: Report, where: str, zone: Zone, lat: float | None, lon: float | None
) -> float | None:
    if lat is None or lon is None or zone.latitude is None or zone.longitude is None:
        report.add(where, "coordinates missing")
        return None
    km = haversine_km(zone.latitude, zone.longitude, lat, lon)
    if km > MAX_KM_FROM_CENTRE:
        report.add(where, f"{km:.1f} km from the zone centre (limit {MAX_KM_FROM_CENTRE} km)")
    return km


def build_stream(
    report: Report,
    where: str,
    resident: Resident,
    direction: Direction,
    data: dict[str, Any],
    ewc: dict[str, bool],
) -> Stream | None:
    unknown_fields(report, where, data, STREAM_FIELDS)
    category = enum_value(report, where, Category, data.get("category"))
    if category is None:
        report.add(where, "the stream needs a valid category")
        return None
    unit = str(data.get("unit", ""))
    period_raw = data.get("period")
    stream = Stream(
        resident_id=resident.id,
        direction=direction,
        category=category,
        name=str(data.get("name", "")),
        code=str(data.get("code", "")),
        hazard_class=enum_value(report, where, HazardClass, data.get("hazard_class")),
        quantity=as_float(report, where, data.get("quantity")),
        unit=unit,
        period=enum_value(report, where, Period, period_raw),
        regularity=enum_value(report, where, Regularity, data.get("regularity")),
        quality=str(data.get("quality", "")),
        temperature_c=as_float(report, where, data.get("temperature_c")),
        pressure_mpa=as_float(report, where, data.get("pressure_mpa")),
        handling=enum_value(report, where, Handling, data.get("handling")),
        price_byn=as_float(report, where, data.get("price_byn")),
        secondary_acceptable=data.get("secondary_acceptable"),
        readiness=enum_value(report, where, Readiness, data.get("readiness")),
        confidential=bool(data.get("confidential", False)),
        notes=str(data.get("notes", "")),
    )
    if "code" in data and not isinstance(data["code"], str):
        report.add(where, "quote the waste code as a string, or leading zeros are lost")
    stream.normalise()
    report.issues(where, stream.validate())
    check_stream_rules(report, where, stream, period_raw is not None, ewc)
    return stream


def check_stream_rules(
    report: Report, where: str, stream: Stream, has_period: bool, ewc: dict[str, bool]
) -> None:
    """Rules the demo data keeps beyond what ``Stream.validate`` enforces."""
    if stream.quantity is None or not stream.unit:
        report.add(where, "every demo stream states a quantity and a unit")
    unit = UNITS.get(stream.unit)
    if unit is not None:
        if unit.is_rate and has_period:
            report.add(where, f"{stream.unit} is a capacity: give no period")
        if not unit.is_rate and not has_period and stream.category not in CAPACITY_CATEGORIES:
            report.add(where, f"an amount in {stream.unit} needs a period")
    if stream.code:
        if stream.code_system is CodeSystem.EWC:
            hazardous = ewc.get(stream.code)
            if hazardous is None:
                report.add(where, f"{stream.code} is not in the European List of Waste")
            elif hazardous and stream.hazard_class not in (
                HazardClass.CLASS_1,
                HazardClass.CLASS_2,
                HazardClass.CLASS_3,
            ):
                report.add(where, f"{stream.code} is hazardous (*): hazard class must be 1–3")
            elif not hazardous and stream.hazard_class in (
                HazardClass.CLASS_1,
                HazardClass.CLASS_2,
                HazardClass.CLASS_3,
            ):
                report.add(where, f"{stream.code} is non-hazardous: class 4 or non_hazardous")
        elif stream.code not in KNOWN_NATIONAL_CODES:
            report.add(where, f"national code {stream.code} is not one we know to be real")
        if stream.hazard_class is None:
            report.add(where, "a coded stream needs a hazard class")
    elif stream.hazard_class is not None and stream.category not in CODED_CATEGORIES:
        report.add(where, "only wastes, by-products and materials carry a hazard class")
    if stream.category in (Category.HEAT, Category.STEAM) and stream.temperature_c is None:
        report.add(where, "heat and steam streams state a temperature")
    if stream.category is Category.STEAM and stream.pressure_mpa is None:
        report.add(where, "steam streams state a pressure")


def check_residents(
    report: Report,
    zone: Zone,
    sites: dict[str, Site],
    items: list[dict[str, Any]],
    nace: set[str],
    ewc: dict[str, bool],
) -> tuple[list[Resident], list[Stream]]:
    residents: list[Resident] = []
    streams: list[Stream] = []
    keys: set[str] = set()
    unps: set[str] = set()
    for i, data in enumerate(items):
        key = str(data.get("key", ""))
        where = f"residents[{i}] {key}"
        unknown_fields(report, where, data, RESIDENT_FIELDS)
        if not key or not key.replace("_", "").isalnum() or not key.isascii():
            report.add(where, "the key must be a short latin slug")
        if key in keys:
            report.add(where, "duplicate resident key")
        keys.add(key)
        site_key = data.get("site")
        site = sites.get(str(site_key))
        if site is None:
            report.add(where, f"unknown site «{site_key}»")
        raw_codes = data.get("activity_codes") or []
        if not all(isinstance(c, str) and len(c) == 5 and c.isdigit() for c in raw_codes):
            report.add(where, "activity codes are 5-digit ОКЭД codes quoted as strings")
        if not 1 <= len(raw_codes) <= 2:
            report.add(where, "give one or two activity codes")
        unp_raw = data.get("unp")
        if not isinstance(unp_raw, str):
            report.add(where, "quote the УНП as a string")
        status = enum_value(report, where, ResidentStatus, data.get("status", "active"))
        staff = data.get("staff_count")
        resident = Resident(
            zone_id=zone.id,
            name=require_str(report, where, data, "name"),
            short_name=str(data.get("short_name", "")),
            unp=str(unp_raw or ""),
            activity_codes=[str(c) for c in raw_codes],
            site_id=site.id if site else None,
            address=str(data.get("address", "")),
            latitude=as_float(report, where, data.get("latitude")),
            longitude=as_float(report, where, data.get("longitude")),
            contact_person=str(data.get("contact_person", "")),
            phone=str(data.get("phone", "")),
            email=str(data.get("email", "")),
            staff_count=staff if isinstance(staff, int) else None,
            main_products=str(data.get("main_products", "")),
            status=status or ResidentStatus.ACTIVE,
            notes=str(data.get("notes", "")),
        )
        resident.normalise()
        report.issues(where, resident.validate(nace))
        if not (resident.unp.isdigit() and resident.unp[0] in "1234567"):
            report.add(
                where, f"УНП {resident.unp} must be 9 digits starting with a region code 1–7"
            )
        if resident.unp in unps:
            report.add(where, f"duplicate УНП {resident.unp}")
        unps.add(resident.unp)
        if not resident.phone.startswith("+375"):
            report.add(where, "the phone number must start with +375")
        for name in ("short_name", "address", "contact_person", "email", "main_products"):
            require_str(report, where, data, name)
        check_distance(report, where, zone, resident.latitude, resident.longitude)
        if (
            site is not None
            and site.latitude is not None
            and site.longitude is not None
            and resident.latitude is not None
            and resident.longitude is not None
        ):
            km = haversine_km(site.latitude, site.longitude, resident.latitude, resident.longitude)
            if km > MAX_KM_FROM_SITE:
                report.add(where, f"{km:.1f} km from its site (limit {MAX_KM_FROM_SITE} km)")
        residents.append(resident)
        for direction, list_name in ((Direction.OFFER, "offers"), (Direction.NEED, "needs")):
            for j, stream_data in enumerate(data.get(list_name) or []):
                stream_where = f"{where} {list_name}[{j}] {stream_data.get('name', '')}"
                stream = build_stream(report, stream_where, resident, direction, stream_data, ewc)
                if stream is not None:
                    streams.append(stream)
    return residents, streams


def check_totals(report: Report, residents: list[Resident], streams: list[Stream]) -> None:
    if len(residents) < MIN_RESIDENTS:
        report.add("residents", f"{len(residents)} residents, at least {MIN_RESIDENTS} wanted")
    if len(streams) < MIN_STREAMS:
        report.add("streams", f"{len(streams)} streams, at least {MIN_STREAMS} wanted")
    statuses = Counter(r.status for r in residents)
    for status in (ResidentStatus.PLANNED, ResidentStatus.SUSPENDED):
        if not statuses[status]:
            report.add("residents", f"no resident with status {status.value}")
    for direction in Direction:
        kinds = {s.kind for s in streams if s.direction is direction}
        for kind in OpportunityKind:
            if kind not in kinds:
                report.add("streams", f"no {direction.value} of kind {kind.value}")
    if not any(s.code_system is CodeSystem.NATIONAL for s in streams):
        report.add("streams", "no stream uses a national (7-digit) waste code")


def print_summary(residents: list[Resident], streams: list[Stream]) -> None:
    offers = [s for s in streams if s.direction is Direction.OFFER]
    needs = [s for s in streams if s.direction is Direction.NEED]
    statuses = Counter(r.status.value for r in residents)
    print(f"Residents: {len(residents)} ({', '.join(f'{k} {v}' for k, v in statuses.items())})")
    print(f"Streams:   {len(streams)} (offers {len(offers)}, needs {len(needs)})")
    print(f"Confidential streams: {sum(s.confidential for s in streams)}")
    print()
    print(f"{'category':<16}{'offers':>8}{'needs':>8}")
    for category in Category:
        o = sum(s.category is category for s in offers)
        n = sum(s.category is category for s in needs)
        print(f"{category.value:<16}{o:>8}{n:>8}")
    print()
    print(f"{'kind':<16}{'offers':>8}{'needs':>8}")
    for kind in OpportunityKind:
        o = sum(s.kind is kind for s in offers)
        n = sum(s.kind is kind for s in needs)
        print(f"{kind.value:<16}{o:>8}{n:>8}")
    hazard = Counter(s.hazard_class.value for s in streams if s.hazard_class)
    print()
    print("Hazard classes:", ", ".join(f"{k} {v}" for k, v in sorted(hazard.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_YAML)
    parser.add_argument(
        "--data", type=Path, default=SHARED_DATA, help="folder of nace_rev2.csv and ewc.csv"
    )
    args = parser.parse_args(argv)

    with args.path.open(encoding="utf-8") as f:
        try:
            doc = yaml.load(f, Loader=UniqueKeyLoader)  # a SafeLoader subclass
        except yaml.YAMLError as e:
            print(f"{args.path}: {e}", file=sys.stderr)
            return 1
    report = Report()
    if not isinstance(doc, dict):
        print(f"{args.path}: not a YAML mapping", file=sys.stderr)
        return 1
    for name in sorted(set(doc) - {"zone", "sites", "campaigns", "residents"}):
        report.add("file", f"unknown top-level key «{name}»")

    nace = load_nace_classes(args.data / "nace_rev2.csv")
    ewc = load_ewc(args.data / "ewc.csv")
    zone = check_zone(report, doc.get("zone") or {})
    sites = check_sites(report, zone, doc.get("sites") or [])
    if not 4 <= len(sites) <= 6:
        report.add("sites", f"{len(sites)} sites, 4–6 wanted")
    check_campaigns(report, zone, doc.get("campaigns") or [])
    residents, streams = check_residents(report, zone, sites, doc.get("residents") or [], nace, ewc)
    used_sites = {r.site_id for r in residents}
    for key, site in sites.items():
        if site.id not in used_sites:
            report.add(f"sites {key}", "no resident sits on this site")
    check_totals(report, residents, streams)

    print_summary(residents, streams)
    if report.problems:
        print(f"\n{len(report.problems)} problem(s):", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
