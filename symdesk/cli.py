"""The ``symdesk`` command line: every job the GUI does, headless.

Errors are one line on stderr and a non-zero exit status: 1 for a problem
with the data or files, 2 for bad arguments. ``--json`` output is stable and
documented in the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from symdesk import __version__
from symdesk.classifiers.reference import SYSTEMS, CodeEntry, describe_activity
from symdesk.config import load_settings
from symdesk.domain.codes import format_activity_code
from symdesk.domain.issues import ValidationError
from symdesk.domain.labels import label
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Stream
from symdesk.files.tabular import TableError
from symdesk.i18n import _, current_language, set_language
from symdesk.services import classifier as classifier_service
from symdesk.services import codes as codes_service
from symdesk.services import database as database_service
from symdesk.services import demo as demo_service
from symdesk.services import residents as resident_service
from symdesk.services import zones as zone_service
from symdesk.services.errors import UserError, describe, field_label
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> Parser:
    parser = Parser(prog="symdesk", description=_("Industrial symbiosis desk for special economic zones."))
    parser.add_argument("--version", action="version", version=f"symdesk {__version__}")
    parser.add_argument("--db", metavar="PATH", help=_("database file (default: in the user's data directory)"))
    parser.add_argument("--lang", choices=("ru", "en"), help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    gui = sub.add_parser("gui", help=_("open the application window (the default)"))
    gui.add_argument("--demo-if-empty", action="store_true", help=_("load the demo zone into an empty database"))

    sub.add_parser("init", help=_("create the database (or migrate it to this version)"))
    sub.add_parser("demo", help=_("load the demo zone"))

    residents = sub.add_parser("residents", help=_("list and show residents"))
    rsub = residents.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    rlist = rsub.add_parser("list", help=_("list residents"))
    rlist.add_argument("--json", action="store_true", help=_("print JSON"))
    rshow = rsub.add_parser("show", help=_("show one resident with its offers and needs"))
    rshow.add_argument("id", help=_("id, id prefix or UNP"))
    rshow.add_argument("--json", action="store_true", help=_("print JSON"))

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
    rdelete = rsub.add_parser("delete", help=_("delete a resident (kept as a tombstone)"))
    rdelete.add_argument("id", help=_("id, id prefix or UNP"))

    classifier = sub.add_parser("classifier", help=_("the national waste classifier"))
    csub = classifier.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    cimport = csub.add_parser("import", help=_("import the official list from xlsx or csv (code, name, hazard class)"))
    cimport.add_argument("file", type=Path)
    cimport.add_argument("--strict", action="store_true", help=_("import nothing if any row is rejected"))
    cimport.add_argument("--dry-run", action="store_true", help=_("check the file, change nothing"))
    cimport.add_argument("--json", action="store_true", help=_("print JSON"))

    codes = sub.add_parser("codes", help=_("search waste and activity codes"))
    cosub = codes.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    search = cosub.add_parser("search", help=_("search by code prefix or words of the name"))
    search.add_argument("text")
    search.add_argument("--system", choices=SYSTEMS, action="append", help=_("limit to a classifier (repeatable)"))
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help=_("print JSON"))

    dbp = sub.add_parser("db", help=_("database maintenance"))
    dsub = dbp.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    check = dsub.add_parser("check", help=_("integrity and migration state"))
    check.add_argument("--json", action="store_true", help=_("print JSON"))
    return parser


# ---------------------------------------------------------------- output helpers


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    texts = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in texts:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def stream_json(s: Stream) -> dict[str, Any]:
    data = {k: v for k, v in asdict(s).items() if k not in ("meta", "resident_id")}
    data["id"] = s.id
    data["kind"] = s.kind.value
    yearly = s.yearly()
    data["yearly_amount"] = {"value": yearly.value, "unit": yearly.unit} if yearly else None
    return data


def entry_json(e: CodeEntry) -> dict[str, Any]:
    return {
        "system": e.system,
        "code": e.code,
        "display_code": e.display_code,
        "level": e.level,
        "name_ru": e.name_ru,
        "name_en": e.name_en,
        "hazardous": e.hazardous,
        "hazard_class": e.hazard_class or None,
    }


# ---------------------------------------------------------------- commands


def cmd_init(db: Database, args: argparse.Namespace) -> int:
    print(_("Database ready: {path}").format(path=db.path))
    if db.backup_path:
        print(_("The previous version was saved to {path}").format(path=db.backup_path))
    return EXIT_OK


def cmd_demo(db: Database, args: argparse.Namespace) -> int:
    summary = demo_service.load_demo(db)
    print(
        _("Demo zone «{zone}» loaded: {residents} residents, {offers} offers, {needs} needs").format(
            zone=summary.zone, residents=summary.residents, offers=summary.offers, needs=summary.needs
        )
    )
    return EXIT_OK


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


def cmd_classifier_import(db: Database, args: argparse.Namespace) -> int:
    result = classifier_service.import_classifier(db, args.file, strict=args.strict, dry_run=args.dry_run)
    changed = not args.dry_run and not (args.strict and result.rejected)
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "accepted": len(result.entries),
                "rejected": [
                    {"row": r.row, "column": r.column, "message": _(r.message).format(**r.params)}
                    for r in result.rejected
                ],
                "imported": changed,
            }
        )
    else:
        for r in result.rejected:
            where = _("{file}: row {row}, {column}").format(file=args.file, row=r.row, column=field_label(r.column))
            print(f"{where}: {_(r.message).format(**r.params)}", file=sys.stderr)
        if changed:
            print(_("Imported {count} codes; rejected {rejected} rows").format(
                count=len(result.entries), rejected=len(result.rejected)))
        else:
            print(_("Checked: {count} codes usable, {rejected} rows rejected; nothing changed").format(
                count=len(result.entries), rejected=len(result.rejected)))
    return EXIT_ERROR if args.strict and result.rejected else EXIT_OK


def cmd_codes_search(db: Database | None, args: argparse.Namespace) -> int:
    hits = codes_service.search_codes(db, args.text, systems=args.system, limit=args.limit)
    if args.json:
        print_json([entry_json(e) for e in hits])
        return EXIT_OK
    lang = current_language()
    for e in hits:
        print(f"{e.system:<9} {e.display_code:<12} {e.name(lang)}")
    if not hits:
        print(_("Nothing found"), file=sys.stderr)
    return EXIT_OK


def cmd_db_check(db: Database, args: argparse.Namespace) -> int:
    check = database_service.check_db(db)
    if args.json:
        print_json(check.as_json())
    else:
        print(_("Database: {path}").format(path=check.path))
        print(_("Schema: {found} (this version: {head})").format(found=check.revision, head=check.head))
        print(_("Integrity: {result}").format(result=", ".join(check.integrity)))
        print(_("Foreign key problems: {count}").format(count=check.foreign_key_problems))
        for table, count in check.counts.items():
            print("  " + _("{table}: {count} (+{deleted} deleted)").format(
                table=table, count=count, deleted=check.deleted[table]))
        print(_("OK") if check.ok else _("PROBLEMS FOUND"))
    return EXIT_OK if check.ok else EXIT_ERROR


Command = Callable[[Any, argparse.Namespace], int]
COMMANDS: dict[tuple[str, str | None], Command] = {
    ("init", None): cmd_init,
    ("demo", None): cmd_demo,
    ("residents", "list"): cmd_residents_list,
    ("residents", "show"): cmd_residents_show,
    ("residents", "add"): cmd_residents_add,
    ("residents", "edit"): cmd_residents_edit,
    ("residents", "delete"): cmd_residents_delete,
    ("classifier", "import"): cmd_classifier_import,
    ("codes", "search"): cmd_codes_search,
    ("db", "check"): cmd_db_check,
}
# Commands that must not create a database that does not exist yet.
READ_ONLY = {("residents", "list"), ("residents", "show"), ("db", "check")}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def run(args: argparse.Namespace) -> int:
    """Run a parsed non-GUI command; errors become one line on stderr."""
    key = (args.command, getattr(args, "action", None))
    command = COMMANDS[key]
    db = None
    try:
        if key == ("codes", "search") and not args.db:
            db = None  # the shipped classifiers need no database
        else:
            db = database_service.open_db(args.db, create=key not in READ_ONLY)
        return command(db, args)
    except (UserError, StorageError, TableError, ValidationError) as exc:
        print(f"symdesk: {describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("symdesk: " + _("interrupted"), file=sys.stderr)
        return 130
    finally:
        if db is not None:
            db.close()


def apply_language(args: argparse.Namespace) -> None:
    set_language(args.lang or load_settings().language)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for every command except the GUI (see ``symdesk.__main__``)."""
    argv = sys.argv[1:] if argv is None else argv
    set_language(load_settings().language)
    try:
        args = parse_args(argv)
    except UsageError as exc:
        print(f"symdesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    apply_language(args)
    if args.command in (None, "gui"):
        print("symdesk: " + _("run «symdesk» without a command to open the window"), file=sys.stderr)
        return EXIT_USAGE
    return run(args)
