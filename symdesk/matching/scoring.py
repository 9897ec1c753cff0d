"""Scoring a candidate pair: every component with its value, weight and contribution.

An administration will act on a ranking only if it can see why one pair
ranks above another, so the score is a transparent weighted mean of a few
components (0..1 each) rather than one opaque number. Components that cannot
be computed for lack of data take a neutral 0.5 and lower the data
completeness component instead of silently favouring or punishing the pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from symdesk.domain.issues import N_
from symdesk.domain.resident import Resident
from symdesk.domain.stream import (
    CODED_CATEGORIES,
    Category,
    Handling,
    HazardClass,
    Regularity,
    Stream,
)
from symdesk.domain.units import UNITS
from symdesk.matching.benefits import yearly
from symdesk.matching.components import distance_value
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pairs import MatchLevel, PairEvidence, Reason
from symdesk.matching.reach import resident_distance_km
from symdesk.matching.settings import COMPONENTS, Weights

NEUTRAL = 0.5

# Regularity of supply (row) against regularity of demand (column): a
# continuous supply covers any demand; a seasonal or batch supply covers a
# continuous demand only in part.
REGULARITY_FIT: dict[tuple[Regularity, Regularity], float] = {
    (Regularity.CONTINUOUS, Regularity.CONTINUOUS): 1.0,
    (Regularity.CONTINUOUS, Regularity.SEASONAL): 0.8,
    (Regularity.CONTINUOUS, Regularity.BATCH): 0.8,
    (Regularity.CONTINUOUS, Regularity.ONE_OFF): 0.7,
    (Regularity.SEASONAL, Regularity.CONTINUOUS): 0.4,
    (Regularity.SEASONAL, Regularity.SEASONAL): 0.7,
    (Regularity.SEASONAL, Regularity.BATCH): 0.6,
    (Regularity.SEASONAL, Regularity.ONE_OFF): 0.5,
    (Regularity.BATCH, Regularity.CONTINUOUS): 0.5,
    (Regularity.BATCH, Regularity.SEASONAL): 0.6,
    (Regularity.BATCH, Regularity.BATCH): 0.7,
    (Regularity.BATCH, Regularity.ONE_OFF): 0.6,
    (Regularity.ONE_OFF, Regularity.CONTINUOUS): 0.2,
    (Regularity.ONE_OFF, Regularity.SEASONAL): 0.3,
    (Regularity.ONE_OFF, Regularity.BATCH): 0.4,
    (Regularity.ONE_OFF, Regularity.ONE_OFF): 0.6,
}

HAZARD_VALUE: dict[HazardClass, float] = {
    HazardClass.CLASS_1: 0.1,
    HazardClass.CLASS_2: 0.3,
    HazardClass.CLASS_3: 0.7,
    HazardClass.CLASS_4: 0.9,
    HazardClass.NON_HAZARDOUS: 1.0,
}

# Where the holder pays today to be rid of the stream: giving it away is a gain.
DISPOSAL_HANDLING = frozenset({Handling.LANDFILL, Handling.STORED, Handling.INCINERATED, Handling.DISCHARGED})


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float
    weight: float
    contribution: float  # points of the 0..100 total
    note: Reason | None = None


@dataclass(slots=True)
class ScoreBreakdown:
    offer_id: str
    need_id: str
    total: float
    components: tuple[Component, ...]
    distance_km: float | None
    flags: list[Reason] = field(default_factory=list)

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    @property
    def sort_key(self) -> tuple[float, str, str]:
        """Best first, ties broken by ids so the ranking never depends on input order."""
        return (-self.total, self.offer_id, self.need_id)


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def quantity_coverage(offer: Stream, need: Stream) -> tuple[float, bool]:
    """min(supply, demand)/demand on yearly canonical amounts; (neutral, False) if not comparable."""
    s, d = yearly(offer), yearly(need)
    if s is None or d is None or s.dimension != d.dimension or d.value <= 0:
        return NEUTRAL, False
    return _clamp(min(s.value, d.value) / d.value), True


def _regularity_value(offer: Stream, need: Stream) -> float:
    if offer.regularity is None or need.regularity is None:
        return NEUTRAL
    return REGULARITY_FIT[(offer.regularity, need.regularity)]


def _price_per_canonical(stream: Stream) -> float | None:
    u = UNITS.get(stream.unit)
    if stream.price_byn is None or u is None or u.factor == 0:
        return None
    return stream.price_byn / u.factor


def price_signal(offer: Stream, need: Stream) -> float:
    """1 when the offer costs no more than the need pays now, or its holder pays to dispose of it."""
    if offer.price_byn is not None and offer.price_byn <= 0:
        return 1.0
    if offer.handling in DISPOSAL_HANDLING and offer.price_byn is None:
        return 0.9
    po, pn = _price_per_canonical(offer), _price_per_canonical(need)
    uo, un = UNITS.get(offer.unit), UNITS.get(need.unit)
    if po is None or pn is None or uo is None or un is None or uo.dimension != un.dimension:
        return NEUTRAL
    if pn <= 0:
        return 0.2  # the need charges for taking it in, yet the offer asks a price
    return 1.0 if po <= pn else _clamp(pn / po)


def fields_present(stream: Stream) -> tuple[int, int]:
    """How many of the stream's key fields are filled in, out of how many apply to its category."""
    filled = (yearly(stream) is not None) + (stream.regularity is not None) + (stream.price_byn is not None)
    asked = 3
    if stream.category in CODED_CATEGORIES:
        filled += bool(stream.code) + (stream.hazard_class is not None)
        asked += 2
    if stream.category in (Category.HEAT, Category.STEAM):
        filled += stream.temperature_c is not None
        asked += 1
    if stream.category is Category.STEAM:
        filled += stream.pressure_mpa is not None
        asked += 1
    return filled, asked


def data_completeness(offer: Stream, need: Stream, km: float | None) -> float:
    (fo, ao), (fn, an) = fields_present(offer), fields_present(need)
    return (fo + fn + (km is not None)) / (ao + an + 1)


@lru_cache(maxsize=65536)
def precedents_by_class(kb: KnowledgeBase, code: str, text: str) -> dict[str, int]:
    return kb.receiver_precedent_counts(code=code, text=text, limit=50)


@lru_cache(maxsize=65536)
def activity_classes(codes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c[:4] for c in codes if len(c) >= 4)


@lru_cache(maxsize=262_144)
def _precedent_count(kb: KnowledgeBase, code: str, text: str, classes: frozenset[str]) -> int:
    counts = precedents_by_class(kb, code, text)
    return max((counts.get(c, 0) for c in classes), default=0)


def kb_confidence(offer: Stream, need_resident: Resident | None, kb: KnowledgeBase, saturation: int) -> tuple[float, int]:
    """Precedents for the receiver's activity classes using this material, saturating at ``saturation``.

    Remembered per (material, receiver's classes) for the process: a zone has
    far fewer of those than pairs. The knowledge base is part of the key, so a
    rebuilt one (benchmarks/eval_kb.py) is asked afresh.
    """
    if need_resident is None or not need_resident.activity_codes:
        return 0.0, 0
    code = offer.code if len(offer.code) == 6 else ""
    n = _precedent_count(kb, code, offer.name, activity_classes(tuple(need_resident.activity_codes)))
    return _clamp(n / max(saturation, 1)), n


def score_pair(
    evidence: PairEvidence,
    offer: Stream,
    need: Stream,
    offer_resident: Resident | None,
    need_resident: Resident | None,
    weights: Weights,
    kb: KnowledgeBase,
) -> ScoreBreakdown:
    """Score one candidate pair 0..100 with its breakdown; pure and deterministic."""
    flags: list[Reason] = []
    notes: dict[str, Reason] = {}
    table = weight_table(weights)
    fit = max(table.fit[lv] for lv in evidence.levels)
    if evidence.level is MatchLevel.CATEGORY:
        base = table.category_base
        fit = max(fit, base + (1 - base) * evidence.similarity)
    coverage, known = quantity_coverage(offer, need)
    if not known:
        notes["quantity_coverage"] = (N_("Quantities cannot be compared"), {})
    km = resident_distance_km(offer_resident, need_resident)
    if km is None:
        notes["distance"] = (N_("Site coordinates missing"), {})
    hazard = HAZARD_VALUE.get(offer.hazard_class, 1.0) if offer.hazard_class else (
        0.7 if offer.category in CODED_CATEGORIES else 1.0
    )
    flags += hazard_flags(offer)
    kb_value, precedents = kb_confidence(offer, need_resident, kb, weights.kb_precedents_for_full_confidence)
    notes["kb_confidence"] = (N_("Precedent cases: {count}"), {"count": precedents})
    values: dict[str, float] = {
        "material_fit": fit,
        "quantity_coverage": coverage,
        "distance": distance_value(km, offer.category, weights),
        "regularity_fit": _regularity_value(offer, need),
        "hazard": hazard,
        "price_signal": price_signal(offer, need),
        "data_completeness": data_completeness(offer, need, km),
        "kb_confidence": kb_value,
    }
    total_weight = table.total
    points = [100.0 * w * values[c] for c, w in table.weights]  # the same sums in the same order as ever
    components = tuple(
        shared_component(table, c, values[c], w, p, notes.get(c)) for (c, w), p in zip(table.weights, points, strict=True)
    )
    summed = 0.0
    for p in points:  # left to right, as screen.py adds its columns: never sum()'s compensated sum
        summed += p
    total = round(summed / total_weight, 2)
    return ScoreBreakdown(evidence.offer_id, evidence.need_id, total, components, km, flags)


def hazard_flags(offer: Stream) -> list[Reason]:
    """The flag every opportunity for an offer of hazard class 1 or 2 carries (none for the others)."""
    if offer.hazard_class is not None and offer.hazard_class.needs_licensed_handler:
        return [(N_("Hazard class {hazard_class}: needs licensed handling"), {"hazard_class": offer.hazard_class.value})]
    return []


@dataclass(frozen=True)
class WeightTable:
    """What every pair needs from the weights, worked out once per set of weights."""

    source: Weights
    weights: tuple[tuple[str, float], ...]  # (component, weight) in COMPONENTS order
    total: float
    fit: dict[MatchLevel, float]
    category_base: float
    components: dict[tuple[str, float, float], Component] = field(default_factory=dict)


def shared_component(table: WeightTable, name: str, value: float, weight: float, points: float, note: Reason | None) -> Component:
    """A component of the breakdown; those without a note are shared, being frozen and few.

    Most components take one of a handful of values (hazard 1.0, regularity
    0.8, no precedent…), so most pairs reuse the same objects instead of
    rounding and building eight new ones. ``points`` follows from the value
    and the weight; the sign is in the key so that -0.0 never stands for 0.0.
    """
    if note is not None:
        return Component(name, round(value, 6), weight, round(points / table.total, 4), note)
    key = (name, value, math.copysign(1.0, value))
    found = table.components.get(key)
    if found is None:
        found = Component(name, round(value, 6), weight, round(points / table.total, 4), None)
        if len(table.components) < 100_000:
            table.components[key] = found
    return found


_TABLES: dict[int, WeightTable] = {}


def weight_table(weights: Weights) -> WeightTable:
    table = _TABLES.get(id(weights))
    if table is None or table.source is not weights:
        w = tuple((c, weights.weight(c)) for c in COMPONENTS)
        fit_table = weights.material_fit_by_level
        table = WeightTable(
            weights,
            w,
            sum(x for _, x in w) or 1.0,
            {lv: fit_table.get(lv.value, 0.0) for lv in MatchLevel},
            fit_table.get(MatchLevel.CATEGORY.value, 0.6),
        )
        _TABLES.clear()  # the last weights only: the cache never grows
        _TABLES[id(weights)] = table
    return table


def score_all(
    pairs: list[PairEvidence],
    streams_by_id: dict[str, Stream],
    residents_by_id: dict[str, Resident],
    weights: Weights,
    kb: KnowledgeBase,
) -> list[ScoreBreakdown]:
    """Score every pair and rank best first (ties by ids)."""
    scored = [
        score_pair(
            p,
            streams_by_id[p.offer_id],
            streams_by_id[p.need_id],
            residents_by_id.get(p.offer_resident_id),
            residents_by_id.get(p.need_resident_id),
            weights,
            kb,
        )
        for p in pairs
    ]
    return sorted(scored, key=lambda s: s.sort_key)
