"""What a resident probably has or needs, judged by its kind of activity: UNIDO's "search by company type".

Questionnaires are incomplete: a sawmill that forgot to mention its sawdust
is still a sawmill. For each resident the knowledge base lists the materials
its activity class typically gives off and uses; where one of those is *not*
declared by the resident but *is* declared on the other side by a neighbour,
the pair becomes a COMPANY_TYPE opportunity — a question to put to the
resident ("do you have wood waste? the pellet plant needs it"). Suggestions
with no counterpart in the zone are left to the search page: they are not
opportunities yet.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import neg

from symdesk.domain.issues import N_
from symdesk.domain.opportunity import MatchKind, Opportunity, opportunity_key
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.matching.components import (
    NEUTRAL,
    distance_value,
    distance_value_at,
    guess_notes,
    precedent_reasons,
    shared_reason,
    total_by_distance,
    weighted_score,
    weighted_total,
)
from symdesk.matching.knowledge import KnowledgeBase, MaterialSuggestion
from symdesk.matching.reach import Grid, longest_reach_km, reach_km, resident_distance_km
from symdesk.matching.receiver_mode import activity_class
from symdesk.matching.settings import COMPONENTS, Weights

_UNSEEN = object()  # a neighbour not yet looked up (None is one not to ask)
# A guess about the resident's own streams is weaker still than a guessed receiver.
MAX_FIT = 0.7

ClassesOf = Callable[[Stream], tuple[str, ...]]


@lru_cache(maxsize=4096)
def _likely(
    kb: KnowledgeBase, act: str, limit: int
) -> tuple[tuple[MaterialSuggestion, ...], tuple[MaterialSuggestion, ...]]:
    """What an activity class likely gives off and needs; remembered for the process (the knowledge base is fixed)."""
    found = kb.suggest_for_activity(act, limit=limit)
    return tuple(found.likely_offers), tuple(found.likely_needs)


def company_type_opportunities(
    streams: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights,
    classes_of: ClassesOf,
    *,
    per_resident: int = 3,
    suggestions_per_side: int = 6,
    min_score: float = 35.0,
    language: str = "en",
) -> list[Opportunity]:
    """COMPANY_TYPE opportunities: an undeclared likely offer (or need) of a resident meeting a neighbour's declared need (or offer)."""
    live = [r for r in residents_by_id.values() if r.status is not ResidentStatus.LEFT]
    declared: dict[tuple[str, Direction], set[str]] = {}
    grid = Grid.around(list(residents_by_id.values()), longest_reach_km(weights))
    holders: dict[tuple[str, Direction], dict[int, list[Stream]]] = {}
    for s in sorted(streams, key=lambda s: s.id):
        if s.resident_id not in residents_by_id:
            continue
        cell = grid.cell(residents_by_id[s.resident_id])
        for cls in classes_of(s):
            declared.setdefault((s.resident_id, s.direction), set()).add(cls)
            holders.setdefault((cls, s.direction), {}).setdefault(cell, []).append(s)
    component_weights = {c: weights.weight(c) for c in COMPONENTS}
    reaches = {category: reach_km(category, weights) for category in Category}

    found: list[Opportunity] = []
    for resident in sorted(live, key=lambda r: r.id):
        act = activity_class(resident.activity_codes[0]) if resident.activity_codes else ""
        if not act:
            continue
        offers, needs = _likely(kb, act, suggestions_per_side)
        # Each suggestion's guesses differ only in their distance, so a guess next door is the best
        # a suggestion can give. Suggestions are taken best first and stop once even that cannot
        # beat the guesses already found (nor reach min_score); every guess scored is explained
        # only if it is kept.
        asked = []
        for side, suggestions, counter_direction in (
            (Direction.OFFER, offers, Direction.NEED),
            (Direction.NEED, needs, Direction.OFFER),
        ):
            if not suggestions:
                continue
            top = suggestions[0].score or 1.0
            already = declared.get((resident.id, side), set())
            for suggestion in suggestions:
                if suggestion.material_class in already:
                    continue
                at_best = weighted_total(_values(0.0, suggestion, top, None, weights)[0], component_weights)
                asked.append((at_best, side, suggestion, counter_direction, top))
        asked.sort(key=lambda a: -a[0])  # stable: ties keep the order of the suggestions
        scored: list[tuple[float, tuple]] = []
        # Each neighbour met, with its distance from the resident (None: not a neighbour to ask).
        neighbours: dict[str, tuple[Resident, float | None] | None] = {}
        resident_id, cell = resident.id, grid.cell(resident)
        totals: list[float] = []  # best first
        for at_best, side, suggestion, counter_direction, top in asked:
            if at_best < min_score or (len(totals) >= per_resident and at_best < totals[per_resident - 1]):
                break
            near = grid.near(cell, holders.get((suggestion.material_class, counter_direction), {}))
            values, cases = _values(None, suggestion, top, None, weights)
            total_at = total_by_distance(values, component_weights)  # the guesses differ in their distance only
            for counterpart in near:
                other_id = counterpart.resident_id
                neighbour = neighbours.get(other_id, _UNSEEN)
                if neighbour is _UNSEEN:
                    other = residents_by_id.get(other_id)
                    neighbour = neighbours[other_id] = (
                        None if other is None or other_id == resident_id or other.status is ResidentStatus.LEFT
                        else (other, resident_distance_km(resident, other))
                    )
                if neighbour is None:
                    continue
                other, km = neighbour
                limit = reaches[counterpart.category]
                if km is not None and km > limit:  # beyond_reach
                    continue
                total = total_at(distance_value_at(km, limit))
                scored.append((total, (side, suggestion, counterpart, other, km, cases, top)))
                insort(totals, total, key=neg)
        # Ties are broken by the opportunity id: worked out only for the guesses that can still make it.
        threshold = totals[per_resident - 1] if len(totals) >= per_resident else float("-inf")
        mine: dict[str, tuple[float, tuple]] = {}
        for total, args in scored:
            if total < threshold:
                continue
            side, suggestion, counterpart = args[0], args[1], args[2]
            key = opportunity_key(
                MatchKind.COMPANY_TYPE, resident.id, side.value, suggestion.material_class, counterpart.id
            )
            if key not in mine or total > mine[key][0]:
                mine[key] = (total, args)
        ranked = sorted(mine.items(), key=lambda item: (-item[1][0], item[0]))[:per_resident]
        found.extend(
            _opportunity(key, resident, side, suggestion, counterpart, other,
                         _values(km, suggestion, top, counterpart, weights)[0], km, cases, kb, component_weights, language)
            for key, (total, (side, suggestion, counterpart, other, km, cases, top)) in ranked
            if total >= min_score
        )
    return found


def _values(
    km: float | None, suggestion: MaterialSuggestion, top: float, counterpart: Stream | None, weights: Weights
) -> tuple[dict[str, float], int]:
    """The score components of a guess at ``km`` from the counterpart, and the number of precedent cases
    (without a counterpart: of a guess next door, the best the suggestion can score)."""
    cases = len({p.case_id for p in suggestion.precedents})
    values = {
        "material_fit": MAX_FIT * suggestion.score / top,
        "quantity_coverage": NEUTRAL,
        "distance": 1.0 if counterpart is None else distance_value(km, counterpart.category, weights),
        "regularity_fit": NEUTRAL,
        "hazard": NEUTRAL,
        "price_signal": NEUTRAL,
        "data_completeness": 0.25,
        "kb_confidence": min(1.0, (cases + 0.5 * len(suggestion.rules)) / max(1, weights.kb_precedents_for_full_confidence)),
    }
    return values, cases


def _opportunity(
    key: str,
    resident: Resident,
    side: Direction,
    suggestion: MaterialSuggestion,
    counterpart: Stream,
    other: Resident,
    values: dict[str, float],
    km: float | None,
    cases: int,
    kb: KnowledgeBase,
    component_weights: Mapping[str, float],
    language: str,
) -> Opportunity:
    material = kb.materials.get(suggestion.material_class)
    material_name = material.name_ru if material else suggestion.material_class
    notes = guess_notes(N_("Not declared by the resident: to confirm"), cases, km)
    total, rows = weighted_score(values, component_weights, notes)
    if side is Direction.OFFER:
        question = N_("Ask the resident whether it gives off {material}: a neighbour needs it")
        title = f"{material_name} → {counterpart.name}"
        provider_id, receiver_id, offer_id, need_id = resident.id, other.id, None, counterpart.id
    else:
        question = N_("Ask the resident whether it needs {material}: a neighbour offers it")
        title = f"{counterpart.name} → {material_name}"
        provider_id, receiver_id, offer_id, need_id = other.id, resident.id, counterpart.id, None
    reasons: list[dict] = [shared_reason(question, {"material": material_name})]
    reasons.extend(precedent_reasons(suggestion.precedents, language=language))
    if suggestion.rules:
        reasons.append(shared_reason(N_("Rules of thumb: {rules}"), {"rules": ", ".join(suggestion.rules[:3])}))
    return Opportunity(
        match_kind=MatchKind.COMPANY_TYPE,
        kind=counterpart.kind.value,
        title=title,
        score=total,
        provider_id=provider_id,
        receiver_id=receiver_id,
        offer_id=offer_id,
        need_id=need_id,
        members=[resident.id, side.value, suggestion.material_class, counterpart.id],
        components=rows,
        reasons=reasons,
        confidential_parties=[other.id] if counterpart.confidential else [],
        meta=RecordMeta(id=key),
    )
