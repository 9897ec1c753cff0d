"""``match`` and ``opportunities list | show | set-status``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from symdesk.cli.common import CREATE_DB, EXISTING_DB, EXIT_OK, command, print_json, print_table
from symdesk.domain.labels import label
from symdesk.domain.opportunity import Opportunity, OpportunityStatus
from symdesk.domain.stream import OpportunityKind
from symdesk.i18n import _, format_number
from symdesk.services import matching as matching_service
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    match = sub.add_parser("match", help=_("find and score the zone's opportunities (offer meets need)"))
    match.add_argument("--json", action="store_true", help=_("print JSON"))
    command(match, cmd_match, CREATE_DB)
    group = sub.add_parser("opportunities", help=_("list, show and follow up opportunities"))
    osub = group.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(group))
    olist = osub.add_parser("list", help=_("list opportunities, best first"))
    olist.add_argument("--kind", choices=[k.value for k in OpportunityKind])
    olist.add_argument("--status", choices=[s.value for s in OpportunityStatus])
    olist.add_argument("--min-score", type=float, default=0.0)
    olist.add_argument("--limit", type=int, default=0, help=_("show at most N (0: all)"))
    olist.add_argument("--json", action="store_true", help=_("print JSON"))
    command(olist, cmd_list, EXISTING_DB)
    show = osub.add_parser("show", help=_("one opportunity with its score breakdown and benefits"))
    show.add_argument("id", help=_("opportunity id or its prefix"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    command(show, cmd_show, EXISTING_DB)
    status = osub.add_parser("set-status", help=_("move an opportunity along new → discussing → negotiating → implemented / rejected"))
    status.add_argument("id", help=_("opportunity id or its prefix"))
    status.add_argument("status", choices=[s.value for s in OpportunityStatus])
    status.add_argument("--reason", default="", help=_("why it is rejected (required for rejected)"))
    status.add_argument("--note", default="", help=_("a note to add"))
    command(status, cmd_set_status, EXISTING_DB)


def opportunity_json(o: Opportunity) -> dict[str, Any]:
    data = {k: v for k, v in asdict(o).items() if k != "meta"}
    data.update(id=o.id, revision=o.meta.revision, modified_at=o.meta.modified_at)
    return data


def cmd_match(db: Database, args: argparse.Namespace) -> int:
    summary = matching_service.run_matching(db)
    if args.json:
        print_json(asdict(summary))
    else:
        print(_("Opportunities found: {found} ({new} new, {updated} updated, {unchanged} unchanged); "
                "no longer found: {deactivated}").format(**asdict(summary)))
    return EXIT_OK


def cmd_list(db: Database, args: argparse.Namespace) -> int:
    rows = matching_service.list_opportunities(db, kind=args.kind, status=args.status, min_score=args.min_score)
    if args.limit:
        rows = rows[: args.limit]
    if args.json:
        print_json([opportunity_json(o) for o in rows])
        return EXIT_OK
    print_table(
        [_("ID"), _("Score"), _("Kind"), _("Status"), _("Opportunity")],
        [(o.id[:8], format_number(o.score, 1), _(label(OpportunityKind(o.kind))), _(label(o.status)), o.title) for o in rows],
    )
    return EXIT_OK


def cmd_show(db: Database, args: argparse.Namespace) -> int:
    o = matching_service.find_opportunity(db, args.id)
    if args.json:
        print_json(opportunity_json(o))
        return EXIT_OK
    print(o.title)
    print(f"  {_('Score')}: {format_number(o.score, 1)} — {_(label(o.status))}")
    for c in o.components:
        print(f"    {c['component']}: {format_number(c['value'], 2)} × {format_number(c['weight'], 2)}")
    for reason in o.reasons:
        message, params = reason["message"], reason["params"]
        print("  - " + _(message).format(**params))
    return EXIT_OK


def cmd_set_status(db: Database, args: argparse.Namespace) -> int:
    found = matching_service.find_opportunity(db, args.id)
    saved = matching_service.set_opportunity_status(
        db, found.id, OpportunityStatus(args.status), reason=args.reason, note=args.note
    )
    print(f"{saved.title}: {_(label(saved.status))}")
    return EXIT_OK
