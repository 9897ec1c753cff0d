"""``export opportunities --out F.xlsx``: the opportunities as an Excel workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from symdesk.cli.common import EXISTING_DB, EXIT_OK, command, print_json
from symdesk.domain.opportunity import MatchKind, OpportunityStatus
from symdesk.domain.stream import OpportunityKind
from symdesk.i18n import _
from symdesk.services import exports
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    group = sub.add_parser("export", help=_("export data to Excel (opportunities)"))
    esub = group.add_subparsers(dest="export", metavar="WHAT", required=True, parser_class=type(group))
    p = esub.add_parser("opportunities", help=_("the opportunities with their score components and benefits"))
    p.add_argument("--out", metavar="FILE", required=True, type=Path, help=_("the .xlsx file to write"))
    p.add_argument("--kind", choices=[k.value for k in OpportunityKind], help=_("only opportunities of this kind"))
    p.add_argument("--match-kind", choices=[k.value for k in MatchKind], help=_("only opportunities found this way"))
    p.add_argument("--status", action="append", choices=[s.value for s in OpportunityStatus],
                   help=_("only opportunities with this status (repeatable)"))
    p.add_argument("--min-score", type=float, default=0.0, help=_("only opportunities scoring at least this"))
    p.add_argument("--for-residents", action="store_true",
                   help=_("hide the names of parties who asked for confidentiality"))
    p.add_argument("--lang", dest="export_lang", choices=("ru", "en"),
                   help=_("language of headings and labels (default: the language of messages)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    command(p, cmd_export_opportunities, EXISTING_DB)


def cmd_export_opportunities(db: Database, args: argparse.Namespace) -> int:
    filters = exports.OpportunityFilters(
        kind=args.kind, match_kind=args.match_kind, statuses=tuple(args.status or ()), min_score=args.min_score,
        for_residents=args.for_residents,
    )
    result = exports.export_opportunities(db, args.out, filters, language=args.export_lang)
    if args.json:
        print_json({"path": str(result.path), "rows": result.rows})
    else:
        print(_("Opportunities exported: {path} ({rows} rows)").format(path=result.path, rows=result.rows))
    return EXIT_OK
