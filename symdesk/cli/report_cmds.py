"""``report KEY --out F.pdf``: every report of ``services.reports``, one subcommand each.

The subcommands are built from the report registry, so a report added there
appears here (and on the GUI Reports page) without touching this module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from symdesk.cli.common import EXISTING_DB, EXIT_OK, command, print_json
from symdesk.domain.opportunity import OpportunityStatus
from symdesk.i18n import _, current_language, set_language
from symdesk.services import reports as reports_service
from symdesk.services.residents import find_resident


def register(sub: Any) -> None:
    group = sub.add_parser("report", help=_("print a PDF report (zone, resident, survey, results, efficiency, roadmap)"))
    rsub = group.add_subparsers(dest="report", metavar="REPORT", required=True, parser_class=type(group))
    for spec in reports_service.reports():
        p = rsub.add_parser(spec.key, help=_(spec.description))
        if spec.needs_resident:
            p.add_argument("resident", help=_("resident: id, its first characters or UNP"))
        p.add_argument("--out", metavar="FILE", required=True, type=Path, help=_("the PDF file to write"))
        p.add_argument("--lang", dest="report_lang", choices=("ru", "en"),
                       help=_("language of the report (default: the language of messages)"))
        p.add_argument("--author", default="", help=_("organisation named on the title page"))
        if spec.uses_opportunity_filters:
            p.add_argument("--status", action="append", choices=[s.value for s in OpportunityStatus],
                           help=_("only opportunities with this status (repeatable)"))
            p.add_argument("--min-score", type=float, default=0.0, help=_("only opportunities scoring at least this"))
        if spec.uses_list_limit:
            p.add_argument("--limit", type=int, default=reports_service.DEFAULT_LIST_LIMIT,
                           help=_("at most this many opportunities in the ranked list (0: all; default {n})").format(
                               n=reports_service.DEFAULT_LIST_LIMIT))
        if spec.offers_for_residents:
            p.add_argument("--for-residents", action="store_true",
                           help=_("hide the names of parties who asked for confidentiality"))
        if spec.uses_cluster:
            p.add_argument("--cluster", type=int, help=_("only this cluster (number from the network analysis)"))
        p.add_argument("--json", action="store_true", help=_("print JSON"))
        p.set_defaults(report_key=spec.key)
        command(p, cmd_report, EXISTING_DB)


def _progress(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{done}/{total} {text}".ljust(60), end="", file=sys.stderr, flush=True)


def cmd_report(db: Any, args: argparse.Namespace) -> int:
    language = args.report_lang or current_language()
    if language != current_language():
        set_language(language)
    resident_id = find_resident(db, args.resident).id if getattr(args, "resident", None) else None
    options = reports_service.ReportOptions(
        language=language,
        statuses=tuple(getattr(args, "status", None) or ()),
        min_score=getattr(args, "min_score", 0.0),
        for_residents=getattr(args, "for_residents", False),
        resident_id=resident_id,
        cluster=getattr(args, "cluster", None),
        author=args.author,
        list_limit=getattr(args, "limit", reports_service.DEFAULT_LIST_LIMIT),
    )
    result = reports_service.write_report(db, args.report_key, args.out, options, progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json({"path": str(result.path), "pages": result.pages, "totals": result.totals})
    else:
        print(_("Report written: {path} ({pages} pages)").format(path=result.path, pages=result.pages))
    return EXIT_OK
