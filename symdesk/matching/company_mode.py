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
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from operator import neg

import numpy as np

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
    linear_by_distance,
    precedent_reasons,
    shared_reason,
    total_by_distance,
    weighted_score,
    weighted_total,
)
from symdesk.matching.knowledge import KnowledgeBase, MaterialSuggestion
from symdesk.matching.nearby import Places, in_reach, lowest_keepable, rough_distance_values
from symdesk.matching.reach import Grid, longest_reach_km, reach_km, resident_distance_km
from symdesk.matching.receiver_mode import activity_class
from symdesk.matching.settings import COMPONENTS, Weights

# A guess about the resident's own streams is weaker still than a guessed receiver.
MAX_FIT = 0.7
# Materials looked at on each side (what an activity gives off, what it needs).
SUGGESTIONS_PER_SIDE = 6
# Guesses kept about each resident, and the least score of one kept.
PER_RESIDENT = 3
MIN_SCORE = 35.0

ClassesOf = Callable[[Stream], tuple[str, ...]]


@lru_cache(maxsize=4096)
def _likely(
    kb: KnowledgeBase, act: str, limit: int
) -> tuple[tuple[MaterialSuggestion, ...], tuple[MaterialSuggestion, ...]]:
    """What an activity class likely gives off and needs; remembered for the process (the knowledge base is fixed)."""
    found = kb.suggest_for_activity(act, limit=limit)
    return tuple(found.likely_offers), tuple(found.likely_needs)


def best_totals(kb: KnowledgeBase, act: str, weights: Weights) -> dict[tuple[Direction, str], float]:
    """The best total a guess about a resident of activity class ``act`` can score, by the side it is
    asked about and its material class: that of a neighbour next door. A guess that the resident
    gives off a material looks for neighbours' needs of it, one that it needs for their offers."""
    component_weights = {c: weights.weight(c) for c in COMPONENTS}
    found: dict[tuple[Direction, str], float] = {}
    offers, needs = _likely(kb, act, SUGGESTIONS_PER_SIDE)
    for side, suggestions in ((Direction.OFFER, offers), (Direction.NEED, needs)):
        top = (suggestions[0].score or 1.0) if suggestions else 1.0
        for suggestion in suggestions:
            at_best = weighted_total(_values(0.0, suggestion, top, None, weights)[0], component_weights)
            key = (side, suggestion.material_class)
            found[key] = max(found.get(key, at_best), at_best)
    return found


def company_type_opportunities(
    streams: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights,
    classes_of: ClassesOf,
    *,
    per_resident: int = PER_RESIDENT,
    suggestions_per_side: int = SUGGESTIONS_PER_SIDE,
    min_score: float = MIN_SCORE,
    language: str = "en",
    asking: Collection[str] | None = None,
) -> list[Opportunity]:
    """COMPANY_TYPE opportunities: an undeclared likely offer (or need) of a resident meeting a neighbour's declared need (or offer).

    With ``asking`` (resident ids), only the guesses about those residents (a re-match): each
    resident's guesses depend on the zone, not on the guesses about the others."""
    live = [r for r in residents_by_id.values() if r.status is not ResidentStatus.LEFT
            and (asking is None or r.id in asking)]
    places = Places(list(residents_by_id.values()))
    grid = Grid.around(places.residents, longest_reach_km(weights))
    reaches = {category: reach_km(category, weights) for category in Category}
    holders = _Holders(streams, places, grid, classes_of, reaches)
    component_weights = {c: weights.weight(c) for c in COMPONENTS}

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
            already = holders.declared.get((resident.id, side), set())
            for suggestion in suggestions:
                if suggestion.material_class in already:
                    continue
                at_best = weighted_total(_values(0.0, suggestion, top, None, weights)[0], component_weights)
                asked.append((at_best, side, suggestion, counter_direction, top))
        asked.sort(key=lambda a: -a[0])  # stable: ties keep the order of the suggestions
        # The guesses that may be kept (at or above the per_resident-th total at the time they were scored).
        scored: list[tuple[float, tuple]] = []
        distances: dict[int, float | None] = {}  # from the resident to each neighbour scored
        here, cell = places.index[resident.id], grid.cell(resident)
        totals: list[float] = []  # the best per_resident totals so far, best first
        for at_best, side, suggestion, counter_direction, top in asked:
            if at_best < min_score or (len(totals) >= per_resident and at_best < totals[per_resident - 1]):
                break
            near = holders.near(cell, suggestion.material_class, counter_direction)
            if not near.size:
                continue
            values, cases = _values(None, suggestion, top, None, weights)
            # Neighbours that left, the resident itself and those clearly out of reach are never guesses;
            # of the rest, only those whose rough total may still be among the best are scored exactly.
            owners, limits = holders.owner[near], holders.limit[near]
            km = places.km(here, owners)
            possible = np.flatnonzero(places.askable[owners] & (owners != here) & in_reach(km, limits))
            if not possible.size:
                continue
            a, b = linear_by_distance(values, component_weights)
            rough = a + b * rough_distance_values(km[possible], limits[possible])
            worth = possible[rough >= lowest_keepable(totals, rough, per_resident)]
            total_at = total_by_distance(values, component_weights)  # the guesses differ in their distance only
            for k in worth.tolist():
                counterpart, owner = holders.streams[near[k]], int(owners[k])
                other = places.residents[owner]
                if owner in distances:
                    km_exact = distances[owner]
                else:
                    km_exact = distances[owner] = resident_distance_km(resident, other)
                limit = reaches[counterpart.category]
                if km_exact is not None and km_exact > limit:  # beyond_reach
                    continue
                total = total_at(distance_value_at(km_exact, limit))
                if len(totals) >= per_resident and total < totals[per_resident - 1]:
                    continue  # below the per_resident-th total already: never kept
                scored.append((total, (side, suggestion, counterpart, other, km_exact, cases, top)))
                insort(totals, total, key=neg)
                del totals[per_resident:]
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


class _Holders:
    """The zone's declared streams by (material class, direction) and grid cell, as positions in one
    list with each stream's resident (its position in ``Places``) and reach; the streams of a class
    and direction near a cell listed once for the cell (a site's residents ask for the same ones).
    ``declared``: the material classes each resident declares on each side."""

    def __init__(
        self,
        streams: Sequence[Stream],
        places: Places,
        grid: Grid,
        classes_of: ClassesOf,
        reaches: Mapping[Category, float],
    ):
        self.grid = grid
        self.streams: list[Stream] = []
        self.declared: dict[tuple[str, Direction], set[str]] = {}
        self._by_cell: dict[tuple[str, Direction], dict[int, list[int]]] = {}
        owner, limit = [], []
        cells = [grid.cell(r) for r in places.residents]
        for s in sorted(streams, key=lambda s: s.id):
            where = places.index.get(s.resident_id)
            if where is None:
                continue
            at = len(self.streams)
            self.streams.append(s)
            owner.append(where)
            limit.append(reaches[s.category])
            cell = cells[where]
            for cls in classes_of(s):
                self.declared.setdefault((s.resident_id, s.direction), set()).add(cls)
                self._by_cell.setdefault((cls, s.direction), {}).setdefault(cell, []).append(at)
        self.owner = np.array(owner, dtype=np.int64)
        self.limit = np.array(limit, dtype=np.float64)
        self._near: dict[tuple[int, str, Direction], np.ndarray] = {}

    def near(self, cell: int, material_class: str, direction: Direction) -> np.ndarray:
        """Positions of the streams declaring the class on that side in or next to ``cell`` (``Grid.near``'s order)."""
        key = (cell, material_class, direction)
        found = self._near.get(key)
        if found is None:
            by_cell = self._by_cell.get((material_class, direction), {})
            found = self._near[key] = np.fromiter(self.grid.near(cell, by_cell), dtype=np.int64)
        return found
