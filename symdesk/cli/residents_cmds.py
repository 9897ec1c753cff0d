"""``residents list | show | add | edit | delete``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from symdesk.classifiers.reference import describe_activity
from symdesk.cli.common import EXISTING_DB, EXIT_OK, command, print_json, print_table
from symdesk.domain.codes import format_activity_code
from symdesk.domain.labels import label
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Stream
from symdesk.i18n import _, current_language
from symdesk.services import residents as resident_service
from symdesk.services import zones as zone_service
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    residents = sub.add_parser("residents", help=_("list and show residents"))
    rsub = residents.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(residents))
    rlist = rsub.add_parser("list", help=_("list residents"))
    rlist.add_argument("--json", action="store_true", help=_("print JSON"))
    command(rlist, cmd_residents_list, EXISTING_DB)
    rshow = rsub.add_parser("show", help=_("show one resident with its offers and needs"))
    rshow.add_argument("id", help=_("id, id prefix or UNP"))
    rshow.add_argument("--json", action="store_true", help=_("print JSON"))
    command(rshow, cmd_residents_show, EXISTING_DB)

    for action, help_text in (("add", _("add a resident")), ("edit", _("change fields of a resident"))):
        edit = rsub.add_parser(action, help=help_text)
        if action == "edit":
            edit.add_argument("id", help=_("id, id prefix or UNP"))
        edit.add_argument("--name", required=action == "add", help=_("full name"))
        edit.add_argument("--short-name")
        edit.add_argument("--unp", help=_("9-character taxpayer number"))
        edit.add_argument("--oked", help=_("OKED codes, comma-separated (16100, 35.11)"))
        edit.add_argument("--site", help=_("site name or code"))
        edit.add_argument("--address")
        edit.add_argument("--lat", type=float, help=_("latitude"))
        edit.add_argument("--lon", type=float, help=_("longitude"))
        edit.add_argument("--contact", help=_("contact person"))
        edit.add_argument("--phone")
        edit.add_argument("--email")
        edit.add_argument("--staff", type=int, help=_("staff count"))
        edit.add_argument("--products", help=_("main products"))
        edit.add_argument("--status", choices=[s.value for s in ResidentStatus])
        edit.add_argument("--notes")
        edit.add_argument("--json", action="store_true", help=_("print JSON"))
        command(edit, cmd_residents_add if action == "add" else cmd_residents_edit)
    rdelete = rsub.add_parser("delete", help=_("delete a resident (kept as a tombstone)"))
    rdelete.add_argument("id", help=_("id, id prefix or UNP"))
    command(rdelete, cmd_residents_delete, EXISTING_DB)


def stream_json(s: Stream) -> dict[str, Any]:
    data = {k: v for k, v in asdict(s).items() if k not in ("meta", "resident_id")}
    data["id"] = s.id
    data["kind"] = s.kind.value
    yearly = s.yearly()
    data["yearly_amount"] = {"value": yearly.value, "unit": yearly.unit} if yearly else None
    return data


def cmd_residents_list(db: Database, args: argparse.Namespace) -> int:
    rows = resident_service.list_residents(db)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "short_name": r.short_name,
                    "unp": r.unp,
                    "activity_codes": list(r.activity_codes),
                    "site": r.site_name,
                    "status": r.status,
                    "offers": r.offers,
                    "needs": r.needs,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    print_table(
        [_("ID"), _("UNP"), _("Name"), _("OKED"), _("Site"), _("Offers"), _("Needs")],
        [
            (
                r.id[:8],
                r.unp,
                r.short_name or r.name,
                ", ".join(format_activity_code(c) for c in r.activity_codes),
                r.site_name,
                r.offers,
                r.needs,
            )
            for r in rows
        ],
    )
    print(_("{count} residents").format(count=len(rows)))
    return EXIT_OK


def cmd_residents_show(db: Database, args: argparse.Namespace) -> int:
    details = resident_service.resident_details(db, args.id)
    r = details.resident
    if args.json:
        data = {k: v for k, v in asdict(r).items() if k != "meta"}
        data.update(
            id=r.id,
            site=details.site_name,
            created_at=r.meta.created_at,
            modified_at=r.meta.modified_at,
            revision=r.meta.revision,
            offers=[stream_json(s) for s in details.offers],
            needs=[stream_json(s) for s in details.needs],
        )
        print_json(data)
        return EXIT_OK
    lang = current_language()
    print(r.name)
    fields = [
        (_("ID"), r.id),
        (_("UNP"), r.unp),
        (
            _("OKED"),
            "; ".join(f"{format_activity_code(c)} {describe_activity(c, lang)}" for c in r.activity_codes),
        ),
        (_("Site"), details.site_name),
        (_("Address"), r.address),
        (_("Coordinates"), f"{r.latitude}, {r.longitude}" if r.latitude is not None else ""),
        (_("Contact"), " ".join(x for x in (r.contact_person, r.phone, r.email) if x)),
        (_("Staff"), r.staff_count if r.staff_count is not None else ""),
        (_("Products"), r.main_products),
        (_("Status"), _(label(r.status))),
    ]
    for caption, value in fields:
        if value not in ("", None):
            print(f"  {caption}: {value}")
    for title, streams in ((_("Offers"), details.offers), (_("Needs"), details.needs)):
        print(f"{title} ({len(streams)}):")
        for s in streams:
            amount = f"{s.quantity:g} {s.unit}" if s.quantity is not None else ""
            period = f"/{s.period.value}" if s.period and amount else ""
            code = f" [{s.code}]" if s.code else ""
            print(f"  - {s.name}{code} {amount}{period}".rstrip())
    return EXIT_OK


RESIDENT_OPTIONS = {
    "name": "name",
    "short_name": "short_name",
    "unp": "unp",
    "address": "address",
    "lat": "latitude",
    "lon": "longitude",
    "contact": "contact_person",
    "phone": "phone",
    "email": "email",
    "staff": "staff_count",
    "products": "main_products",
    "notes": "notes",
}


def _apply_resident_options(db: Database, resident: Resident, args: argparse.Namespace) -> None:
    for option, field_name in RESIDENT_OPTIONS.items():
        value = getattr(args, option)
        if value is not None:
            setattr(resident, field_name, value)
    if args.oked is not None:
        resident.activity_codes = [c.strip() for c in args.oked.split(",") if c.strip()]
    if args.status is not None:
        resident.status = ResidentStatus(args.status)
    if args.site is not None:
        resident.site_id = zone_service.find_site(db, args.site).id if args.site else None


def _print_saved(resident: Resident, args: argparse.Namespace) -> None:
    if args.json:
        print_json({"id": resident.id, "name": resident.name, "revision": resident.meta.revision})
    else:
        print(_("Saved {name} ({id})").format(name=resident.name, id=resident.id))


def cmd_residents_add(db: Database, args: argparse.Namespace) -> int:
    resident = Resident(zone_id="", name="")
    _apply_resident_options(db, resident, args)
    _print_saved(resident_service.save_resident(db, resident), args)
    return EXIT_OK


def cmd_residents_edit(db: Database, args: argparse.Namespace) -> int:
    resident = resident_service.find_resident(db, args.id)
    _apply_resident_options(db, resident, args)
    _print_saved(resident_service.save_resident(db, resident), args)
    return EXIT_OK


def cmd_residents_delete(db: Database, args: argparse.Namespace) -> int:
    resident = resident_service.find_resident(db, args.id)
    resident_service.delete_resident(db, resident.id)
    print(_("Deleted {name} ({id})").format(name=resident.name, id=resident.id))
    return EXIT_OK
