"""The zone as a network: residents joined by their opportunities.

Used by the GUI network view, the reports' network picture and the cluster
roadmap; all three draw from this one analysis (``symdesk.matching.network``),
so screen and paper agree. By default the network is made of declared pairs —
what residents themselves said — and ``match_kinds`` widens it to suggested
receivers and company-type guesses.
"""

from __future__ import annotations

from collections.abc import Sequence

from symdesk.domain.opportunity import EXPLANATION_FIELDS, MatchKind, Opportunity
from symdesk.domain.stream import Direction
from symdesk.i18n import current_language
from symdesk.matching.chains import MIN_LINK_SCORE
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.network import (
    Cluster,
    Hub,
    MissingLink,
    NetworkEdge,
    NetworkNode,
    ZoneNetwork,
    analyse_network,
)
from symdesk.storage.db import Database
from symdesk.storage.repository import OpportunityRepository, ResidentRepository, StreamRepository
from symdesk.storage.uow import unit_of_work

__all__ = ["Cluster", "Hub", "MissingLink", "NetworkEdge", "NetworkNode", "ZoneNetwork", "zone_network"]

DEFAULT_MATCH_KINDS = (MatchKind.PAIR.value,)


def _selected(o: Opportunity, min_score: float, statuses: Sequence[str], match_kinds: Sequence[str]) -> bool:
    return (
        o.active
        and o.score >= min_score
        and (not statuses or o.status.value in statuses)
        and o.match_kind.value in (match_kinds or DEFAULT_MATCH_KINDS)
    )


def zone_network(
    db: Database,
    *,
    min_score: float = 0.0,
    statuses: Sequence[str] = (),
    match_kinds: Sequence[str] = (),
) -> ZoneNetwork:
    """The network of the zone's residents over the selected opportunities (default: declared pairs)."""
    with unit_of_work(db) as session:
        residents = ResidentRepository(session).list()
        streams = StreamRepository(session).list()
        # The network needs parties, scores and benefits, not the breakdowns and reasons.
        opportunities = OpportunityRepository(session).records(leave_out=EXPLANATION_FIELDS)
    live = {r.id for r in residents}
    selected = [o for o in opportunities if _selected(o, min_score, statuses, match_kinds)]
    taken = {
        o.offer_id
        for o in opportunities
        if o.active and o.match_kind is MatchKind.PAIR and o.score >= MIN_LINK_SCORE and o.offer_id
    }
    unmatched = [s for s in streams if s.direction is Direction.OFFER and s.resident_id in live and s.id not in taken]
    return analyse_network(residents, selected, unmatched, knowledge_base(), language=current_language())
