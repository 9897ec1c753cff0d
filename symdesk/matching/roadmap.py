"""A draft roadmap for a pilot cluster: its opportunities ordered into stages (pure functions).

The staging rule, printed in the roadmap report:

* **Stage 3, licences**: the material offered is of hazard class 1 or 2
  (handled only by licensed operators, with permits to obtain first).
* **Stage 2, investment**: otherwise, when the exchange needs a pipe, a line
  or a shared facility (heat, steam, water, fuel gas, CO2, electricity, or an
  opportunity of the shared-infrastructure kind), when the parties are more
  than ``QUICK_MAX_KM`` apart (or their distance is unknown), or when the
  score is below ``QUICK_MIN_SCORE`` (the match needs more work before anyone
  commits to it).
* **Stage 1, quick wins**: everything else: a good score, a short truck run,
  no permits and no construction.

Each decision keeps the reasons behind it (msgids with parameters) so the
report can say why an opportunity waits for a later stage. The benefits of a
stage are the sums of its opportunities' benefit figures, each scaled by the
share of its amount it can still get: one offer matched with three needs is
not promised three times. Offers and needs are allocated greedily in roadmap
order (stage 1 first, best score first within a stage), the rule of
``symdesk.matching.totals`` for the zone's totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from symdesk.domain.issues import N_

QUICK_WINS, INVESTMENT, LICENCES = 1, 2, 3
STAGES = (QUICK_WINS, INVESTMENT, LICENCES)
QUICK_MIN_SCORE = 60.0  # score (0–100) a quick win needs
QUICK_MAX_KM = 10.0  # longest truck run of a quick win

# Categories that travel through a pipe, a cable or a shared plant, not a truck.
NETWORK_CATEGORIES = frozenset({"heat", "steam", "water", "fuel_gas", "co2", "electricity"})
INFRASTRUCTURE_KIND = "infrastructure"
LICENSED_HAZARD_CLASSES = frozenset({"1", "2"})

# The benefit figures summed per stage (keys of an opportunity's benefits).
BENEFIT_KEYS: tuple[str, ...] = (
    "landfill_diverted_t",
    "disposal_cost_avoided_byn",
    "purchase_cost_avoided_byn",
    "net_savings_byn",
    "net_co2e_avoided_t",
    "water_reused_m3",
    "energy_recovered_mwh",
    "energy_recovered_gcal",
)

Reason = tuple[str, dict[str, Any]]  # msgid, parameters


@dataclass(frozen=True)
class OpportunityFacts:
    """What the staging rule looks at for one opportunity."""

    opportunity_id: str
    score: float
    kind: str  # OpportunityKind value
    categories: tuple[str, ...] = ()  # of the offer and the need
    hazard_classes: tuple[str, ...] = ()  # of the offer (and need) streams, HazardClass values
    distance_km: float | None = None
    owners: tuple[str, ...] = ()  # resident ids of the parties, provider first
    benefits: Mapping[str, Any] = field(default_factory=dict)
    offer_id: str | None = None  # streams whose amounts are shared out among opportunities
    need_id: str | None = None
    supply: float | None = None  # the offer's and the need's yearly amounts, canonical units
    demand: float | None = None


@dataclass(frozen=True)
class StageDecision:
    stage: int
    reasons: tuple[Reason, ...]


def stage_of(facts: OpportunityFacts, *, min_score: float = QUICK_MIN_SCORE, max_km: float = QUICK_MAX_KM) -> StageDecision:
    """The stage of one opportunity and why (see the module docstring)."""
    licensed = sorted(h for h in set(facts.hazard_classes) if h in LICENSED_HAZARD_CLASSES)
    if licensed:
        return StageDecision(LICENCES, tuple(
            (N_("Hazard class {hazard_class}: needs licensed handling"), {"hazard_class": h}) for h in licensed
        ))
    reasons: list[Reason] = []
    networked = sorted(set(facts.categories) & NETWORK_CATEGORIES)
    if networked:
        reasons.append((N_("Needs a connection for {categories}"), {"categories": ", ".join(networked)}))
    if facts.kind == INFRASTRUCTURE_KIND:
        reasons.append((N_("Shared infrastructure to build"), {}))
    if facts.distance_km is None:
        reasons.append((N_("Distance between the sites unknown"), {}))
    elif facts.distance_km > max_km:
        reasons.append((N_("Sites {km} km apart"), {"km": round(facts.distance_km, 1)}))
    if facts.score < min_score:
        reasons.append((N_("Score {score} below {threshold}"), {"score": round(facts.score, 1), "threshold": min_score}))
    if reasons:
        return StageDecision(INVESTMENT, tuple(reasons))
    return StageDecision(QUICK_WINS, ())


def _figure(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def sum_benefits(benefits: Iterable[Mapping[str, Any]], shares: Iterable[float] | None = None) -> dict[str, float]:
    """The benefit figures of ``BENEFIT_KEYS`` summed, each dict scaled by its share (1 by default);
    missing or non-numeric values count as 0."""
    totals = dict.fromkeys(BENEFIT_KEYS, 0.0)
    share_list = list(shares) if shares is not None else None
    for n, b in enumerate(benefits):
        share = share_list[n] if share_list is not None else 1.0
        for key in BENEFIT_KEYS:
            value = _figure(b.get(key))
            if value is not None:
                totals[key] += share * value
    return totals


def allocate(facts: Sequence[OpportunityFacts]) -> dict[str, float]:
    """The share (0–1) of its matched amount each opportunity gets, taking them in the order given.

    An offer's yearly supply and a need's yearly demand (``supply`` and
    ``demand`` of the facts, else the matched amount) are used up by the
    opportunities before; an opportunity without a matched amount keeps its
    whole figures.
    """
    supply: dict[str, float] = {}
    demand: dict[str, float] = {}
    shares = {}
    for f in facts:
        matched = _figure(f.benefits.get("matched_amount"))
        if not matched or matched <= 0:
            shares[f.opportunity_id] = 1.0
            continue
        offer, need = f.offer_id or f"offer:{f.opportunity_id}", f.need_id or f"need:{f.opportunity_id}"
        left_supply = supply.setdefault(offer, f.supply if f.supply and f.supply > 0 else matched)
        left_demand = demand.setdefault(need, f.demand if f.demand and f.demand > 0 else matched)
        taken = max(0.0, min(matched, left_supply, left_demand))
        supply[offer], demand[need] = left_supply - taken, left_demand - taken
        shares[f.opportunity_id] = taken / matched
    return shares


@dataclass(frozen=True)
class StagedOpportunity:
    facts: OpportunityFacts
    decision: StageDecision
    share: float = 1.0  # of its figures counted in the stage's benefits (see ``allocate``)


@dataclass(frozen=True)
class Stage:
    number: int  # QUICK_WINS, INVESTMENT or LICENCES
    opportunities: list[StagedOpportunity]
    owners: list[str]  # resident ids, in order of first appearance (best opportunity first)
    benefits: dict[str, float]


def build_stages(facts: Sequence[OpportunityFacts], **rule: float) -> list[Stage]:
    """The three stages of a cluster, each with its opportunities best first, owners and summed benefits.

    Stages without opportunities are kept (empty), so a roadmap always has the same shape.
    """
    decided = [(f, stage_of(f, **rule)) for f in facts]
    decided.sort(key=lambda x: (x[1].stage, -x[0].score, x[0].opportunity_id))
    shares = allocate([f for f, _d in decided])
    stages = []
    for number in STAGES:
        items = [StagedOpportunity(f, d, shares[f.opportunity_id]) for f, d in decided if d.stage == number]
        owners = list(dict.fromkeys(owner for s in items for owner in s.facts.owners if owner))
        benefits = sum_benefits((s.facts.benefits for s in items), (s.share for s in items))
        stages.append(Stage(number, items, owners, benefits))
    return stages
