"""``template`` (the Excel questionnaire, blank, prefilled or filled) and ``import`` (filled ones back)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from symdesk.cli.common import CREATE_DB, EXIT_ERROR, EXIT_OK, OPTIONAL_DB, command, print_json
from symdesk.i18n import N_, _
from symdesk.io.problems import ImportProblem
from symdesk.services import database as database_service
from symdesk.services import questionnaire_files
from symdesk.services import residents as resident_service
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    template = sub.add_parser("template", help=_("write the Excel questionnaire: blank, for a resident, or a filled one"))
    template.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help=_("the file to write"))
    who = template.add_mutually_exclusive_group()
    who.add_argument("--resident", metavar="ID", help=_("prefill for this resident (id, id prefix or UNP)"))
    who.add_argument("--questionnaire", metavar="ID", help=_("write this questionnaire with its answers"))
    template.add_argument("--lang", dest="template_language", choices=("ru", "en"), default="ru",
                          help=_("language of the template (default: Russian)"))
    command(template, cmd_template, OPTIONAL_DB)

    imp = sub.add_parser("import", help=_("import filled Excel questionnaires (one file or many)"))
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help=_("check the files, change nothing"))
    imp.add_argument("--json", action="store_true", help=_("print JSON"))
    command(imp, cmd_import, CREATE_DB)


def cmd_template(db: Database | None, args: argparse.Namespace) -> int:
    own_db = None
    if db is None and (args.resident or args.questionnaire):
        db = own_db = database_service.open_db(None, create=False)
    try:
        resident_id = resident_service.find_resident(db, args.resident).id if args.resident and db else None
        path = questionnaire_files.write_template(
            db, args.out, resident_id=resident_id, questionnaire_id=args.questionnaire,
            language=args.template_language,
        )
    finally:
        if own_db is not None:
            own_db.close()
    print(_("Template written: {path}").format(path=path))
    return EXIT_OK


def problem_json(p: ImportProblem) -> dict[str, Any]:
    return {"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column, "message": p.render(_)}


def describe_problem(p: ImportProblem) -> str:
    where = [p.file]
    if p.sheet:
        where.append(_("sheet «{sheet}»").format(sheet=p.sheet))
    if p.row is not None:
        where.append(_("row {row}").format(row=p.row))
    if p.column:
        where.append(_("column «{column}»").format(column=p.column))
    return f"{', '.join(where)}: {p.render(_)}"


OUTCOME_LABELS = {
    "imported": N_("imported"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "failed": N_("failed"),
}


def cmd_import(db: Database, args: argparse.Namespace) -> int:
    report = questionnaire_files.import_questionnaires(db, args.files, dry_run=args.dry_run)
    counts = report.counts()
    if args.json:
        print_json(
            {
                "files": [
                    {
                        "path": str(f.path),
                        "outcome": f.outcome,
                        "questionnaire_id": f.questionnaire_id,
                        "resident_name": f.resident_name,
                        "status": f.status or None,
                        "problems": [problem_json(p) for p in f.problems],
                        "notes": [problem_json(p) for p in f.notes],
                    }
                    for f in report.files
                ],
                "summary": counts,
                "dry_run": report.dry_run,
                "cancelled": report.cancelled,
            }
        )
    else:
        for f in report.files:
            print(f"{_(OUTCOME_LABELS[f.outcome]):<12} {f.path}  {f.resident_name}".rstrip())
            for p in f.problems:
                print("  " + describe_problem(p), file=sys.stderr)
            for p in f.notes:
                print("  " + describe_problem(p))
        print(_("Imported {imported}, updated {updated}, unchanged {unchanged}, failed {failed}").format(**counts)
              + (" " + _("(dry run: nothing changed)") if report.dry_run else ""))
    return EXIT_ERROR if report.failed else EXIT_OK
