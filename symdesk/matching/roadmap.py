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
report can say why an opportunity waits for a later stage; the benefits of a
stage are the sums of its opportunities' benefit figures.
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


def sum_benefits(benefits: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """The benefit figures of ``BENEFIT_KEYS`` summed (missing or non-numeric values count as 0)."""
    totals = dict.fromkeys(BENEFIT_KEYS, 0.0)
    for b in benefits:
        for key in BENEFIT_KEYS:
            value = b.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                totals[key] += float(value)
    return totals


@dataclass(frozen=True)
class StagedOpportunity:
    facts: OpportunityFacts
    decision: StageDecision


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
    staged: dict[int, list[StagedOpportunity]] = {n: [] for n in STAGES}
    for f in facts:
        decision = stage_of(f, **rule)
        staged[decision.stage].append(StagedOpportunity(f, decision))
    stages = []
    for number in STAGES:
        items = sorted(staged[number], key=lambda s: (-s.facts.score, s.facts.opportunity_id))
        owners = list(dict.fromkeys(owner for s in items for owner in s.facts.owners if owner))
        stages.append(Stage(number, items, owners, sum_benefits(s.facts.benefits for s in items)))
    return stages
