"""The weighted mean behind every score, for the match kinds beyond declared pairs.

Declared pairs are scored by ``scoring.score_pair``; receiver, company-type,
pooling and chain opportunities have their own component values but are shown
the same way — each component with its value, weight, contribution and note —
so that one details pane and one report section explain them all.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from symdesk.matching.benefits import Benefits

Reason = tuple[str, dict[str, Any]]


def weighted_score(
    values: Mapping[str, float], weights: Mapping[str, float], notes: Mapping[str, Reason] | None = None
) -> tuple[float, list[dict[str, Any]]]:
    """Total 0..100 and the breakdown rows (same shape as ``scoring.explain``)."""
    notes = notes or {}
    total_weight = sum(weights[name] for name in values) or 1.0
    rows = []
    total = 0.0
    for name, value in values.items():
        value = max(0.0, min(1.0, value))
        contribution = 100.0 * weights[name] * value / total_weight
        total += contribution
        rows.append(
            {
                "component": name,
                "value": round(value, 6),
                "weight": weights[name],
                "contribution": round(contribution, 4),
                "note": list(notes[name]) if name in notes else None,
            }
        )
    return round(total, 2), rows


def clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


BENEFIT_FIELDS = tuple(f.name for f in dataclasses.fields(Benefits) if f.name not in ("factor_keys", "matched_dimension"))


def benefits_json(b: Benefits) -> dict[str, Any]:
    """Benefits as the JSON column gives them back (lists for tuples, enum values)."""
    data: dict[str, Any] = {name: getattr(b, name) for name in BENEFIT_FIELDS}
    data["matched_dimension"] = b.matched_dimension.value if b.matched_dimension else None
    data["factor_keys"] = {k: list(v) for k, v in b.factor_keys.items()}
    return data  # already what the JSON column gives back: floats, None, str, lists


def as_stored(value: Any) -> Any:
    """The value as it comes back from a JSON column, so that comparing a re-run's
    findings with the stored record sees only real changes."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))
