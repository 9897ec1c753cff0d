"""Score weights and benefit factors, read from editable files in resources/matching.

Both are data, not code: a zone administration (or a reviewer of the method)
must be able to see and change the weights and the cited emission factors
without touching Python. Loaded once per process; pass other paths in tests.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from symdesk.files.yaml_file import read_yaml
from symdesk.paths import resources_dir

COMPONENTS = (
    "material_fit",
    "quantity_coverage",
    "distance",
    "regularity_fit",
    "hazard",
    "price_signal",
    "data_completeness",
    "kb_confidence",
)


@dataclass(frozen=True)
class Weights:
    """Component weights and the matching parameters that go with them."""

    weights: dict[str, float]
    material_fit_by_level: dict[str, float]
    text_min_similarity: float = 0.3
    category_min_similarity: float = 0.15
    max_distance_km: dict[str, float] = field(default_factory=dict)
    kb_precedents_for_full_confidence: int = 5

    def weight(self, component: str) -> float:
        return float(self.weights.get(component, 0.0))

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Weights:
        weights = {k: float(v) for k, v in (data.get("weights") or {}).items()}
        unknown = set(weights) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown score components in weights: {sorted(unknown)}")
        return cls(
            weights={c: weights.get(c, 0.0) for c in COMPONENTS},
            material_fit_by_level={k: float(v) for k, v in (data.get("material_fit_by_level") or {}).items()},
            text_min_similarity=float(data.get("text_min_similarity", 0.3)),
            category_min_similarity=float(data.get("category_min_similarity", 0.15)),
            max_distance_km={k: float(v) for k, v in (data.get("max_distance_km") or {}).items()},
            kb_precedents_for_full_confidence=int(data.get("kb_precedents_for_full_confidence", 5)),
        )


@dataclass(frozen=True)
class Factor:
    key: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class Factors:
    """Benefit factors by key, each with its unit and the source reports must cite."""

    items: dict[str, Factor]

    def __getitem__(self, key: str) -> float:
        return self.items[key].value

    def get(self, key: str, default: float | None = None) -> float | None:
        f = self.items.get(key)
        return f.value if f else default


def read_weights(path: Path) -> Weights:
    return Weights.from_mapping(read_yaml(path) or {})


def read_factors(path: Path) -> Factors:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    items = {
        r["key"].strip(): Factor(r["key"].strip(), float(r["value"]), r["unit"].strip(), r["source"].strip())
        for r in rows
        if r.get("key", "").strip()
    }
    return Factors(items)


@cache
def default_weights() -> Weights:
    """The shipped weights (resources/matching/weights.yaml), loaded once."""
    return read_weights(resources_dir() / "matching" / "weights.yaml")


@cache
def default_factors() -> Factors:
    """The shipped benefit factors (resources/matching/factors.csv), loaded once."""
    return read_factors(resources_dir() / "matching" / "factors.csv")


@cache
def not_recruitable() -> frozenset[str]:
    """Activity classes never proposed as a missing link (resources/matching/not_recruitable.yaml):
    they cannot operate in Belarus, whatever the literature says about their inputs."""
    data = read_yaml(resources_dir() / "matching" / "not_recruitable.yaml") or {}
    return frozenset(str(entry["class"]) for entry in data.get("not_recruitable", []))
