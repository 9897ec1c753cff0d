"""``match`` and ``opportunities list | show | set-status``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from symdesk.cli.common import CREATE_DB, EXISTING_DB, EXIT_OK, command, print_json, print_table
from symdesk.domain.figures import BENEFIT_LABELS, COMPONENT_LABELS
from symdesk.domain.labels import label
from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus
from symdesk.domain.stream import OpportunityKind
from symdesk.i18n import _, format_number
from symdesk.services import matching as matching_service
from symdesk.services.confidentiality import party_name
from symdesk.services.residents import find_resident, resident_names
from symdesk.storage.db import Database


def register(sub: Any) -> None:
    match = sub.add_parser("match", help=_("find and score the zone's opportunities (offer meets need)"))
    match.add_argument("--top", type=int, default=10, metavar="N",
                       help=_("then list the N best opportunities (0: none; default 10)"))
    match.add_argument("--json", action="store_true", help=_("print JSON"))
    command(match, cmd_match, CREATE_DB)
    group = sub.add_parser("opportunities", help=_("list, show and follow up opportunities"))
    osub = group.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(group))
    olist = osub.add_parser("list", help=_("list opportunities, best first"))
    olist.add_argument("--kind", choices=[k.value for k in OpportunityKind], help=_("category of the opportunity"))
    olist.add_argument("--match-kind", choices=[k.value for k in MatchKind],
                       help=_("how it was found: pair, receiver, company_type, pooling, chain"))
    olist.add_argument("--status", choices=[s.value for s in OpportunityStatus])
    olist.add_argument("--resident", help=_("only opportunities of this resident (id, its prefix or УНП)"))
    olist.add_argument("--min-score", type=float, default=0.0)
    olist.add_argument("--inactive", action="store_true", help=_("include opportunities no longer found"))
    olist.add_argument("--for-residents", action="store_true",
                       help=_("hide the names of parties who asked for confidentiality"))
    olist.add_argument("--limit", type=int, default=0, help=_("show at most N (0: all)"))
    olist.add_argument("--json", action="store_true", help=_("print JSON"))
    command(olist, cmd_list, EXISTING_DB)
    show = osub.add_parser("show", help=_("one opportunity with its score breakdown and benefits"))
    show.add_argument("id", help=_("opportunity id or its prefix"))
    show.add_argument("--for-residents", action="store_true",
                      help=_("hide the names of parties who asked for confidentiality"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    command(show, cmd_show, EXISTING_DB)
    status = osub.add_parser("set-status", help=_("move an opportunity along new → discussing → negotiating → implemented / rejected"))
    status.add_argument("id", help=_("opportunity id or its prefix"))
    status.add_argument("status", choices=[s.value for s in OpportunityStatus])
    status.add_argument("--reason", default="", help=_("why it is rejected (required for rejected)"))
    status.add_argument("--note", default="", help=_("a note to add"))
    command(status, cmd_set_status, EXISTING_DB)


def opportunity_json(o: Opportunity, names: dict[str, str], *, for_residents: bool = False) -> dict[str, Any]:
    """The stored record plus the parties' names (hidden per confidentiality when ``for_residents``)."""
    data = {k: v for k, v in asdict(o).items() if k != "meta"}
    data.update(id=o.id, revision=o.meta.revision, modified_at=o.meta.modified_at)
    data["provider_name"] = party_name(o, o.provider_id, names, for_residents=for_residents)
    data["receiver_name"] = party_name(o, o.receiver_id, names, for_residents=for_residents)
    if for_residents:
        hidden = set(o.confidential_parties)
        data["provider_id"] = None if o.provider_id in hidden else o.provider_id
        data["receiver_id"] = None if o.receiver_id in hidden else o.receiver_id
        data["members"] = [m for m in o.members if m not in hidden]
    return data


def _names(db: Database) -> dict[str, str]:
    return resident_names(db)


def cmd_match(db: Database, args: argparse.Namespace) -> int:
    summary = matching_service.run_matching(db)
    best = matching_service.list_opportunities(db, explanations=args.json, limit=args.top) if args.top > 0 else []
    names = _names(db) if best else {}
    if args.json:
        print_json(asdict(summary) | {"top": [opportunity_json(o, names) for o in best]})
        return EXIT_OK
    print(_("Opportunities found: {found} ({new} new, {updated} updated, {unchanged} unchanged); "
            "no longer found: {deactivated}").format(**asdict(summary)))
    for kind, count in summary.by_kind.items():
        print(f"  {_(label(MatchKind(kind)))}: {count}")
    if best:
        print()
        _print_opportunities(best, names, for_residents=False)
    return EXIT_OK


def cmd_list(db: Database, args: argparse.Namespace) -> int:
    resident_id = find_resident(db, args.resident).id if args.resident else None
    rows = matching_service.list_opportunities(
        db, kind=args.kind, match_kind=args.match_kind, status=args.status, min_score=args.min_score,
        resident_id=resident_id, include_inactive=args.inactive, explanations=args.json, limit=max(args.limit, 0),
    )
    names = _names(db)
    if args.json:
        print_json([opportunity_json(o, names, for_residents=args.for_residents) for o in rows])
        return EXIT_OK
    _print_opportunities(rows, names, for_residents=args.for_residents)
    return EXIT_OK


def _print_opportunities(rows: list[Opportunity], names: dict[str, str], *, for_residents: bool) -> None:
    def parties(o: Opportunity) -> str:
        giver = party_name(o, o.provider_id, names, for_residents=for_residents) or "—"
        taker = party_name(o, o.receiver_id, names, for_residents=for_residents) or "—"
        return f"{giver} → {taker}"

    print_table(
        [_("ID"), _("Score"), _("Found as"), _("Kind"), _("Status"), _("Parties"), _("Opportunity")],
        [(o.id[:8], format_number(o.score, 1), _(label(o.match_kind)), _(label(OpportunityKind(o.kind))),
          _(label(o.status)), parties(o), o.title) for o in rows],
    )


def cmd_show(db: Database, args: argparse.Namespace) -> int:
    o = matching_service.find_opportunity(db, args.id)
    names = _names(db)
    if args.json:
        print_json(opportunity_json(o, names, for_residents=args.for_residents))
        return EXIT_OK
    print(o.title)
    print(f"  {_(label(o.match_kind))}, {_(label(OpportunityKind(o.kind)))}")
    for role, rid in ((_("Gives"), o.provider_id), (_("Takes"), o.receiver_id)):
        if rid:
            print(f"  {role}: {party_name(o, rid, names, for_residents=args.for_residents)}")
    print(f"  {_('Score')}: {format_number(o.score, 1)} — {_(label(o.status))}")
    for c in o.components:
        name = _(COMPONENT_LABELS.get(c["component"], c["component"]))
        print(f"    {name}: {format_number(c['value'], 2)} × {format_number(c['weight'], 2)}")
    for key, (title, unit) in BENEFIT_LABELS.items():
        value = o.benefits.get(key)
        if value:
            print(f"    {_(title)}: {format_number(value, 1)} {_(unit)}")
    for reason in o.reasons:
        message, params = reason["message"], reason["params"]
        print("  - " + _(message).format(**params))
    if o.notes:
        print(o.notes)
    return EXIT_OK


def cmd_set_status(db: Database, args: argparse.Namespace) -> int:
    found = matching_service.find_opportunity(db, args.id)
    saved = matching_service.set_opportunity_status(
        db, found.id, OpportunityStatus(args.status), reason=args.reason, note=args.note
    )
    print(f"{saved.title}: {_(label(saved.status))}")
    return EXIT_OK
