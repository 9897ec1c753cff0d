"""The weighted mean behind every score, for the match kinds beyond declared pairs.

Declared pairs are scored by ``scoring.score_pair``; receiver, company-type,
pooling and chain opportunities have their own component values but are shown
the same way — each component with its value, weight, contribution and note —
so that one details pane and one report section explain them all.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from symdesk.domain.issues import N_
from symdesk.domain.stream import Category
from symdesk.matching.benefits import Benefits
from symdesk.matching.knowledge import Precedent
from symdesk.matching.reach import reach_km
from symdesk.matching.settings import Weights

NEUTRAL = 0.5

Reason = tuple[str, dict[str, Any]]


def weighted_total(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The total of ``weighted_score`` alone: to rank many guesses before explaining the few kept.
    The same sums in the same order (a test holds the two equal)."""
    total_weight = sum([weights[name] for name in values]) or 1.0
    total = 0.0
    for name, value in values.items():
        capped = value if value < 1.0 else 1.0  # max(0.0, min(1.0, value)), NaN and -0.0 included
        total += 100.0 * weights[name] * (capped if capped > 0.0 else 0.0) / total_weight
    return round(total, 2)


def total_by_distance(values: Mapping[str, float], weights: Mapping[str, float]) -> Callable[[float], float]:
    """``weighted_total`` of ``values`` as a function of the distance component alone: a guess's readings
    differ only in their distance, and tens of thousands are ranked before a few are explained.

    The same sums in the same order: the contributions before the distance are added up once, those
    after it are added to each total one by one (a test holds it equal to ``weighted_total``)."""
    names = list(values)
    at = names.index("distance")
    parts, total_weight = _contributions(values, weights)
    head = 0.0
    for part in parts[:at]:
        head += part
    tail = parts[at + 1:]
    scale = 100.0 * weights["distance"]

    def total(distance: float) -> float:
        capped = distance if distance < 1.0 else 1.0
        t = head + scale * (capped if capped > 0.0 else 0.0) / total_weight
        for part in tail:
            t += part
        return round(t, 2)

    return total


def linear_by_distance(values: Mapping[str, float], weights: Mapping[str, float]) -> tuple[float, float]:
    """``total_by_distance`` as ``a + b × distance`` before its rounding, up to a few ulps: rough totals
    to rule out, on arrays, guesses that cannot be kept (``nearby``)."""
    parts, total_weight = _contributions(values, weights)
    a = sum(part for name, part in zip(values, parts, strict=True) if name != "distance")
    return a, 100.0 * weights["distance"] / total_weight


def _contributions(values: Mapping[str, float], weights: Mapping[str, float]) -> tuple[list[float], float]:
    """What each value adds to ``weighted_total`` (100 × weight × clamped value / the weights' sum), in
    order, and the weights' sum."""
    total_weight = sum([weights[name] for name in values]) or 1.0
    parts = []
    for name, value in values.items():
        capped = value if value < 1.0 else 1.0
        parts.append(100.0 * weights[name] * (capped if capped > 0.0 else 0.0) / total_weight)
    return parts, total_weight


_SHARED_ROWS: dict[tuple[Any, ...], dict[str, Any]] = {}


def breakdown_row(name: str, value: float, weight: float, contribution: float, note: Reason | None) -> dict[str, Any]:
    """One row of a score breakdown, as the JSON column stores it (the note as a list: [msgid, params]).

    Rows that say the same are the same dict: most components take one of a
    few values (hazard 1.0, regularity 0.8, «precedent cases: 0»…). A
    national register holds a million opportunities, and these rows were
    half their memory. Every caller reads the rows and none changes them.
    """
    key: tuple[Any, ...] = (name, value, math.copysign(1.0, value), weight, contribution)
    if note is not None:
        key = (*key, note[0], *note[1].items())
    try:
        row = _SHARED_ROWS.get(key)
    except TypeError:  # a note parameter that cannot be a key: the row is not shared
        key, row = (), None
    if row is None:
        row = {"component": name, "value": value, "weight": weight, "contribution": contribution,
               "note": None if note is None else [note[0], dict(note[1])]}
        if key and len(_SHARED_ROWS) < 100_000:
            _SHARED_ROWS[key] = row
    return row


_SHARED_REASONS: dict[tuple[Any, ...], dict[str, Any]] = {}


def shared_reason(message: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A reason as the JSON column stores it (``{"message": msgid, "params": {...}}``).

    Like breakdown rows, reasons that say the same are the same dict: «same
    waste code chapter 02», a precedent, «needs licensed handling» repeat
    across thousands of opportunities, and reasons were a third of a large
    run's memory. Parameter types are part of the key, so 1 and 1.0 (stored
    as different JSON) are never confused. Every caller reads reasons and
    none changes them.
    """
    try:
        key = (message, *params.items(), *map(type, params.values()))
        found = _SHARED_REASONS.get(key)
    except TypeError:  # a parameter that cannot be a key: the reason is not shared
        return {"message": message, "params": dict(params)}
    if found is None:
        found = {"message": message, "params": dict(params)}
        if len(_SHARED_REASONS) < 100_000:
            _SHARED_REASONS[key] = found
    return found


def weighted_score(
    values: Mapping[str, float], weights: Mapping[str, float], notes: Mapping[str, Reason] | None = None
) -> tuple[float, list[dict[str, Any]]]:
    """Total 0..100 and the breakdown rows (same shape as a declared pair's). Each component's value
    is clamped to 0..1 and gives 100 × weight × value / the weights' sum points."""
    notes = notes or {}
    total_weight = sum([weights[name] for name in values]) or 1.0
    rows = []
    total = 0.0
    for name, value in values.items():
        capped = value if value < 1.0 else 1.0  # max(0.0, min(1.0, value)), NaN and -0.0 included
        value = capped if capped > 0.0 else 0.0
        weight = weights[name]
        contribution = 100.0 * weight * value / total_weight
        total += contribution
        rows.append(breakdown_row(name, round(value, 6), weight, round(contribution, 4), notes.get(name)))
    return round(total, 2), rows


def component_row(name: str, value: float, weight: float, total_weight: float, note: Reason | None) -> dict[str, Any]:
    """One row of ``weighted_score``'s breakdown on its own, for guesses whose rows are mostly shared:
    the same clamp, rounding and contribution (a test holds the two equal)."""
    capped = value if value < 1.0 else 1.0
    value = capped if capped > 0.0 else 0.0
    return breakdown_row(name, round(value, 6), weight, round(100.0 * weight * value / total_weight, 4), note)


def clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


BENEFIT_FIELDS = tuple(f.name for f in dataclasses.fields(Benefits) if f.name not in ("factor_keys", "matched_dimension"))


_benefit_values = attrgetter(*BENEFIT_FIELDS)


def benefits_json(b: Benefits) -> dict[str, Any]:
    """Benefits as the JSON column gives them back (lists for tuples, enum values)."""
    data: dict[str, Any] = dict(zip(BENEFIT_FIELDS, _benefit_values(b), strict=True))
    data["matched_dimension"] = b.matched_dimension.value if b.matched_dimension else None
    data["factor_keys"] = shared_factor_keys(b.factor_keys)
    return data  # already what the JSON column gives back: floats, None, str, lists


_FACTOR_KEYS: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[str, list[str]]] = {}


def shared_factor_keys(keys: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Which factors each figure used, as stored; one dict for every opportunity that used the same
    (there are a few dozen combinations, and a national register has a million opportunities)."""
    key = tuple(keys.items())
    found = _FACTOR_KEYS.get(key)
    if found is None:
        found = {k: list(v) for k, v in keys.items()}
        if len(_FACTOR_KEYS) < 10_000:
            _FACTOR_KEYS[key] = found
    return found


def cost_warnings(b: Benefits) -> list[dict[str, Any]]:
    """A reason to show when trucking the material costs more than the exchange saves a year:
    the score weighs distance against each category's reach, not against the money."""
    return cost_warning(b.disposal_cost_avoided_byn + b.purchase_cost_avoided_byn, b.transport_cost_byn)


def cost_warning(saved: float, transport: float) -> list[dict[str, Any]]:
    """``cost_warnings`` from the money saved (disposal and purchase) and the transport cost."""
    if saved > 0 and transport > saved:  # with nothing priced there is nothing to compare
        return [shared_reason(N_("Trucking costs {transport} BYN a year, more than the {saved} BYN the exchange saves"),
                              {"transport": round(transport), "saved": round(saved)})]
    return []


def as_stored(value: Any) -> Any:
    """The value as it comes back from a JSON column, so that comparing a re-run's
    findings with the stored record sees only real changes."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def distance_value(km: float | None, category: Category, weights: Weights) -> float:
    """1 next door, 0 at the category's ``max_distance_km``; neutral when a site has no coordinates."""
    return distance_value_at(km, reach_km(category, weights))


def distance_value_at(km: float | None, limit: float) -> float:
    """``distance_value`` with the category's reach already looked up (guesses ask it for thousands of neighbours)."""
    if km is None:
        return NEUTRAL
    return clamp(1.0 - km / limit) if limit > 0 else 0.0


def guess_notes(unconfirmed: str, cases: int, km: float | None) -> dict[str, Reason]:
    """Notes of a suggestion's breakdown: what is unconfirmed, how many cases back it, missing sites."""
    notes: dict[str, Reason] = {
        "quantity_coverage": (unconfirmed, {}),
        "kb_confidence": (N_("Precedent cases: {count}"), {"count": cases}),
    }
    if km is None:
        notes["distance"] = (N_("Site coordinates missing"), {})
    return notes


def precedent_reasons(precedents: list[Precedent], limit: int = 3, language: str = "en") -> list[dict[str, Any]]:
    """The first documented cases behind a suggestion, as reasons to show (materials named in ``language``,
    as material classes are named in the language of the run)."""
    return [
        shared_reason(
            N_("Precedent: {material} ({reference}, {country} {year})"),
            {"material": p.material_in(language), "reference": p.reference, "country": p.country_in(language),
             "year": p.year},
        )
        for p in precedents[:limit]
    ]
