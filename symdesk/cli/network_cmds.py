"""``network``: the zone's clusters, hub residents and missing links."""

from __future__ import annotations

import argparse
from typing import Any

from symdesk.cli.common import EXISTING_DB, EXIT_OK, command, print_json, print_table
from symdesk.domain.opportunity import MatchKind, OpportunityStatus
from symdesk.i18n import _, format_number
from symdesk.services import network as network_service


def register(sub: Any) -> None:
    p = sub.add_parser("network", help=_("clusters, hub residents and missing links of the zone's network"))
    p.add_argument("--min-score", type=float, default=0.0, help=_("only opportunities scoring at least this"))
    p.add_argument("--match-kind", action="append", choices=[k.value for k in MatchKind],
                   help=_("opportunities that make the network (repeatable; default: pair)"))
    p.add_argument("--status", action="append", choices=[s.value for s in OpportunityStatus],
                   help=_("only opportunities with this status (repeatable)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    command(p, cmd_network, EXISTING_DB)


def cmd_network(db: Any, args: argparse.Namespace) -> int:
    net = network_service.zone_network(
        db, min_score=args.min_score, statuses=tuple(args.status or ()), match_kinds=tuple(args.match_kind or ())
    )
    if args.json:
        print_json(net.as_json())
        return EXIT_OK
    names = {n.resident_id: n.name for n in net.nodes}
    print(_("Residents: {nodes}, links: {edges}, clusters: {clusters}").format(
        nodes=len(net.nodes), edges=len(net.edges), clusters=len(net.clusters)))
    print()
    print(_("Clusters"))
    print_table(
        [_("No."), _("Residents"), _("Opportunities"), _("t/yr diverted")],
        [(c.number, ", ".join(names[r] for r in c.resident_ids), len(c.opportunity_ids),
          format_number(c.benefits.get("landfill_diverted_t", 0.0), 0)) for c in net.clusters],
    )
    print()
    print(_("Hub residents"))
    print_table(
        [_("Resident"), _("Links"), _("Betweenness")],
        [(h.name, h.degree, format_number(h.betweenness, 3)) for h in net.hubs],
    )
    print()
    print(_("Missing links: kinds of residents the zone lacks"))
    print_table(
        [_("Class"), _("Activity"), _("Offers it would use"), _("t/yr"), _("Precedent cases")],
        [(f"{m.activity_class[:2]}.{m.activity_class[2:]}", m.class_name, len(m.offer_ids),
          format_number(m.tonnes_per_year, 0), m.precedents) for m in net.missing_links],
    )
    return EXIT_OK
