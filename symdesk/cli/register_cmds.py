"""``import-register FILE`` and ``export-register --out FILE``: the consolidated register."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from symdesk.cli.common import EXISTING_DB, EXIT_ERROR, EXIT_OK, command, print_json
from symdesk.i18n import _, current_language
from symdesk.services import register as register_service
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    imp = sub.add_parser(
        "import-register", help=_("import a consolidated register of residents' offers and needs (.xlsx or .csv)")
    )
    imp.add_argument("file", help=_(".xlsx or .csv file, one row per stream"))
    imp.add_argument("--dry-run", action="store_true", help=_("check the file and count changes, write nothing"))
    imp.add_argument("--json", action="store_true", help=_("print JSON"))
    command(imp, cmd_import_register)

    exp = sub.add_parser("export-register", help=_("export every resident's offers and needs to Excel"))
    exp.add_argument("--out", required=True, metavar="FILE", help=_("the .xlsx file to write"))
    exp.add_argument("--lang", dest="export_lang", choices=("ru", "en"), help=_("language of headers and values"))
    command(exp, cmd_export_register, EXISTING_DB)


def cmd_import_register(db: Database, args: argparse.Namespace) -> int:
    report = register_service.import_register(db, args.file, dry_run=args.dry_run)
    if args.json:
        print_json(
            {
                "file": str(report.path),
                "imported": report.imported,
                "dry_run": bool(args.dry_run),
                "problems": [
                    {"row": p.row, "column": p.column, "message": register_service.problem_text(p)}
                    for p in report.problems
                ],
                "residents": {"created": report.residents_created, "matched": report.residents_matched},
                "streams": {
                    "created": report.streams_created,
                    "updated": report.streams_updated,
                    "unchanged": report.streams_unchanged,
                },
            }
        )
    else:
        for p in report.problems:
            where = ", ".join(
                part
                for part in (
                    p.file,
                    _("row {row}").format(row=p.row) if p.row is not None else "",
                    p.column,
                )
                if part
            )
            print(f"{where}: {register_service.problem_text(p)}", file=sys.stderr)
        if report.problems:
            print(
                _("{file}: refused, {count} problems; nothing imported").format(
                    file=report.path.name, count=len(report.problems)
                ),
                file=sys.stderr,
            )
        else:
            summary = _(
                "residents: {rc} new, {rm} matched; streams: {sc} new, {su} updated, {sn} unchanged"
            ).format(
                rc=report.residents_created,
                rm=report.residents_matched,
                sc=report.streams_created,
                su=report.streams_updated,
                sn=report.streams_unchanged,
            )
            prefix = _("Dry run, nothing written") if args.dry_run else _("Imported")
            print(f"{prefix}: {summary}")
    return EXIT_ERROR if report.problems else EXIT_OK


def cmd_export_register(db: Database, args: argparse.Namespace) -> int:
    language = args.export_lang or current_language()
    path = register_service.export_register(db, args.out, language=language)
    print(_("Written {path}").format(path=path))
    return EXIT_OK
