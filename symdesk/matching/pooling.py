"""Pooling: the same need or offer at three or more residents.

Three bakeries each paying to have their bread waste hauled away, or five
workshops each buying compressed air, are not exchanges between neighbours
but a shared service: one collection contract, one treatment line, one bulk
purchase, one boiler house or PV plant. A pool groups live streams of one
direction by what they are — the material class, else the waste-code
sub-chapter, else the category — and is worth proposing when at least
``MIN_RESIDENTS`` different residents are in it.

The pool's identity is its direction and material, not its members: a
fourth resident joining keeps the same opportunity, its status and notes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from statistics import fmean

from symdesk.domain.geo import haversine_km
from symdesk.domain.issues import N_
from symdesk.domain.opportunity import MatchKind, Opportunity, opportunity_key
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import CODED_CATEGORIES, Category, Direction, Stream
from symdesk.matching.components import clamp, distance_value, weighted_score
from symdesk.matching.settings import Weights
from symdesk.matching.text import tokens

MIN_RESIDENTS = 3

# Pool score weights (rule of thumb): how many take part matters most, then how
# close their sites are (one truck round, one pipe loop), then whether their
# quantities are known well enough to tender.
# A pool also needs several companies to agree, which nobody has yet: "commitment"
# stays at a fixed low value so that a pool ranks below a pair both sides declared.
POOL_WEIGHTS = {
    "participants": 2.0, "compactness": 1.5, "quantity_known": 1.0, "data_completeness": 0.5, "commitment": 1.5,
}
UNCOMMITTED = 0.3

NAMED_CATEGORIES = frozenset(
    {Category.SERVICE, Category.LOGISTICS, Category.EQUIPMENT, Category.INFRASTRUCTURE, Category.MATERIAL,
     Category.WASTE, Category.BY_PRODUCT}
)

ClassesOf = Callable[[Stream], tuple[str, ...]]

_UTILITY_NEEDS = frozenset({Category.HEAT, Category.STEAM, Category.ELECTRICITY, Category.FUEL_GAS})
# Offers worth pooling: wastes and by-products to collect together, effluents to
# treat together, surplus heat or CO2 to gather into one network. Three
# residents offering spare warehouse space are three offers, not a pool.
POOLED_OFFERS = CODED_CATEGORIES | {Category.WATER, Category.HEAT, Category.STEAM, Category.CO2}


def pool_key(stream: Stream, classes: tuple[str, ...]) -> str:
    """What the stream is, coarse enough that neighbours' namings meet.

    Utilities pool by category (one boiler serves every heat need), materials
    by class or waste-code sub-chapter; services and assets are too varied
    for that — "customs clearance" and "truck repair" are both services — so
    they pool only when their names say the same thing.
    """
    if classes:
        return f"class:{classes[0]}"
    digits = "".join(ch for ch in stream.code if ch.isdigit())
    if stream.category in CODED_CATEGORIES and len(digits) == 6:
        return f"ewc:{digits[:4]}"
    if stream.category in NAMED_CATEGORIES:
        return f"{stream.category.value}:{_pool_words(stream.name)}"
    return f"category:{stream.category.value}"


@lru_cache(maxsize=65536)
def _pool_words(name: str) -> str:
    """The first four distinct longer words of a name, stemmed and sorted: what pools a service or an
    asset (remembered by name, as every run asks for every stream)."""
    return " ".join(sorted({t for t in tokens(name) if len(t) > 2})[:4])


def pool_purpose(direction: Direction, category: Category, hazardous: bool) -> str:
    """The shared service a pool suggests, as a msgid with {count} and {material}."""
    if direction is Direction.OFFER:
        if category is Category.WATER:
            return N_("Shared treatment: {count} residents discharge {material}")
        if hazardous:
            return N_("Shared licensed collection and treatment: {count} residents give off {material}")
        if category in CODED_CATEGORIES:
            return N_("Joint collection contract: {count} residents give off {material}")
        return N_("Shared network: {count} residents offer {material}")
    if category in _UTILITY_NEEDS:
        return N_("Shared boiler house or PV plant: {count} residents need {material}")
    if category in (Category.SERVICE, Category.LOGISTICS, Category.INFRASTRUCTURE, Category.EQUIPMENT):
        return N_("Shared service or infrastructure: {count} residents need {material}")
    return N_("Joint purchasing: {count} residents need {material}")


def _compactness(members: Sequence[Resident], category: Category, weights: Weights) -> float | None:
    located = [r for r in members if r.latitude is not None and r.longitude is not None]
    if len(located) < 2:
        return None
    lat = fmean(r.latitude for r in located)  # type: ignore[misc]
    lon = fmean(r.longitude for r in located)  # type: ignore[misc]
    spread = fmean(haversine_km(lat, lon, r.latitude, r.longitude) for r in located)  # type: ignore[arg-type]
    return distance_value(spread, category, weights)


def pooling_opportunities(
    streams: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    weights: Weights,
    classes_of: ClassesOf,
    material_names: Mapping[str, str],
) -> list[Opportunity]:
    """POOLING opportunities for every group of like streams at ``MIN_RESIDENTS`` or more residents."""
    return list(pools_by_group(streams, residents_by_id, weights, classes_of, material_names).values())


PoolGroup = tuple[Direction, str]


def pools_by_group(
    streams: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    weights: Weights,
    classes_of: ClassesOf,
    material_names: Mapping[str, str],
    known: Mapping[PoolGroup, Opportunity] | None = None,
    touched: Collection[PoolGroup] = (),
) -> dict[PoolGroup, Opportunity]:
    """``pooling_opportunities`` by their group (direction, ``pool_key``), in order of group.

    A pool depends on its members and their residents only: with ``known`` (a previous run's) the
    pool of a group not ``touched`` by an edit is taken from it (a re-match)."""
    groups: dict[PoolGroup, list[Stream]] = {}
    for s in sorted(streams, key=lambda s: s.id):
        group = pool_group(s, residents_by_id, classes_of)
        if group is not None:
            groups.setdefault(group, []).append(s)
    found: dict[PoolGroup, Opportunity] = {}
    for (direction, key), members in sorted(groups.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
        if known is not None and (direction, key) not in touched:
            if (direction, key) in known:
                found[(direction, key)] = known[(direction, key)]
            continue
        residents = sorted({s.resident_id for s in members})
        if len(residents) < MIN_RESIDENTS:
            continue
        found[(direction, key)] = _opportunity(
            direction, key, members, [residents_by_id[r] for r in residents], weights, material_names
        )
    return found


def pool_group(stream: Stream, residents_by_id: Mapping[str, Resident], classes_of: ClassesOf) -> PoolGroup | None:
    """The pool a stream belongs to, None if it pools with none (a resident gone, an offer of a kind never pooled)."""
    r = residents_by_id.get(stream.resident_id)
    if r is None or r.status is ResidentStatus.LEFT:
        return None
    if stream.direction is Direction.OFFER and stream.category not in POOLED_OFFERS:
        return None
    return stream.direction, pool_key(stream, classes_of(stream))


def _material_name(key: str, members: Sequence[Stream], material_names: Mapping[str, str]) -> str:
    kind, _, value = key.partition(":")
    if kind == "class" and value in material_names:
        return material_names[value]
    names = sorted({s.name for s in members}, key=lambda n: (len(n), n))
    return names[0] if names else value


def _opportunity(
    direction: Direction,
    key: str,
    members: Sequence[Stream],
    residents: Sequence[Resident],
    weights: Weights,
    material_names: Mapping[str, str],
) -> Opportunity:
    category = members[0].category
    hazardous = any(s.hazard_class is not None and s.hazard_class.needs_licensed_handler for s in members)
    material = _material_name(key, members, material_names)
    amounts = [s.yearly() for s in members]
    dims = {a.dimension for a in amounts if a is not None}
    known = [a for a in amounts if a is not None]
    compact = _compactness(residents, category, weights)
    notes = {"commitment": (N_("Nobody has agreed to share yet: to propose to the residents"), {})}
    if compact is None:
        notes["compactness"] = (N_("Site coordinates missing"), {})
    filled = [bool(s.unit) and s.quantity is not None for s in members] + [s.regularity is not None for s in members]
    values = {
        "participants": clamp((len(residents) - 1) / 6),
        "compactness": 0.5 if compact is None else compact,
        "quantity_known": len(known) / len(members),
        "data_completeness": sum(filled) / len(filled),
        "commitment": UNCOMMITTED,
    }
    total, rows = weighted_score(values, POOL_WEIGHTS, notes)
    benefits: dict = {}
    if len(dims) == 1 and known:
        benefits = {"matched_amount": round(sum(a.value for a in known), 6), "matched_dimension": dims.pop().value}
    reasons: list[dict] = [
        {"message": pool_purpose(direction, category, hazardous), "params": {"count": len(residents), "material": material}}
    ]
    if hazardous:
        reasons.append({"message": N_("Hazard class 1–2 among the streams: needs licensed handling"), "params": {}})
    return Opportunity(
        match_kind=MatchKind.POOLING,
        kind=members[0].kind.value,
        title=material,
        score=total,
        members=[*sorted({r.id for r in residents}), *(s.id for s in members)],
        components=rows,
        benefits=benefits,
        reasons=reasons,
        confidential_parties=sorted({s.resident_id for s in members if s.confidential}),
        meta=RecordMeta(id=opportunity_key(MatchKind.POOLING, direction.value, key)),
    )
