"""Zone totals of potential benefits, without counting one tonne twice.

One sawdust offer may match three needs; adding up the three pairs would
promise three times the sawdust there is. The total therefore allocates each
offer's yearly supply and each need's yearly demand greedily, best-scored
pair first (the order an administration would pursue them), and scales each
pair's figures by the share it actually gets. Only declared pairs count:
suggested receivers and company-type guesses are questions, not flows, and
pools and chains are made of the same pairs.
"""

from __future__ import annotations

from collections.abc import Iterable

from symdesk.domain.figures import BENEFIT_KEYS
from symdesk.domain.opportunity import MatchKind, Opportunity

COUNTED = frozenset({MatchKind.PAIR})


def benefit_totals(opportunities: Iterable[Opportunity]) -> dict[str, float]:
    """Summed yearly benefit figures (keys of ``BENEFIT_KEYS``) over the declared pairs given."""
    totals = dict.fromkeys(BENEFIT_KEYS, 0.0)
    supply: dict[str, float] = {}
    demand: dict[str, float] = {}
    for o in sorted(opportunities, key=lambda o: (-o.score, o.id)):
        if o.match_kind not in COUNTED:
            continue
        b = o.benefits
        matched = b.get("matched_amount")
        share = 1.0
        if matched:
            left_supply = supply.setdefault(o.offer_id or o.id, float(b.get("supply_amount") or matched))
            left_demand = demand.setdefault(o.need_id or o.id, float(b.get("demand_amount") or matched))
            taken = max(0.0, min(float(matched), left_supply, left_demand))
            supply[o.offer_id or o.id] = left_supply - taken
            demand[o.need_id or o.id] = left_demand - taken
            share = taken / float(matched)
        for key in BENEFIT_KEYS:
            totals[key] += share * float(b.get(key) or 0.0)
    return {k: round(v, 3) for k, v in totals.items()}
