"""``classifier import`` and ``codes search``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from symdesk.classifiers.reference import SYSTEMS, CodeEntry
from symdesk.cli.common import CREATE_DB, EXIT_ERROR, EXIT_OK, OPTIONAL_DB, command, print_json
from symdesk.i18n import _, current_language
from symdesk.services import classifier as classifier_service
from symdesk.services import codes as codes_service
from symdesk.services.errors import field_label
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    classifier = sub.add_parser("classifier", help=_("the national waste classifier"))
    csub = classifier.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(classifier))
    cimport = csub.add_parser("import", help=_("import the official list from xlsx or csv (code, name, hazard class)"))
    cimport.add_argument("file", type=Path)
    cimport.add_argument("--strict", action="store_true", help=_("import nothing if any row is rejected"))
    cimport.add_argument("--dry-run", action="store_true", help=_("check the file, change nothing"))
    cimport.add_argument("--json", action="store_true", help=_("print JSON"))
    command(cimport, cmd_classifier_import, CREATE_DB)

    codes = sub.add_parser("codes", help=_("search waste and activity codes"))
    cosub = codes.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(codes))
    search = cosub.add_parser("search", help=_("search by code prefix or words of the name"))
    search.add_argument("text")
    search.add_argument("--system", choices=SYSTEMS, action="append", help=_("limit to a classifier (repeatable)"))
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help=_("print JSON"))
    command(search, cmd_codes_search, OPTIONAL_DB)


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
