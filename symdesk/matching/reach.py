"""How far apart two residents are, and how far each kind of resource is worth carrying.

Shared by candidate search (a pair beyond reach is not proposed) and scoring
(the distance component falls from 1 at 0 km to 0 at the reach), so the two
can never disagree about where «too far» begins.
"""

from __future__ import annotations

from symdesk.domain.geo import haversine_km
from symdesk.domain.resident import Resident
from symdesk.domain.stream import CODED_CATEGORIES, Category
from symdesk.matching.settings import Weights

DEFAULT_REACH_KM = 50.0


def distance_group(category: Category) -> str:
    """The key of ``max_distance_km`` in the weights file for a category."""
    return "materials" if category in CODED_CATEGORIES else category.value


def reach_km(category: Category, weights: Weights) -> float:
    """The largest distance at which an exchange of the category is still worth it (weights.yaml)."""
    return weights.max_distance_km.get(distance_group(category), DEFAULT_REACH_KM)


def resident_distance_km(a: Resident | None, b: Resident | None) -> float | None:
    """Great-circle distance between two residents' sites; None when either has no coordinates."""
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def beyond_reach(km: float | None, category: Category, weights: Weights) -> bool:
    """Whether sites ``km`` apart are too far for the category; unknown distances never are."""
    return km is not None and km > reach_km(category, weights)


def longest_reach_km(weights: Weights) -> float:
    """The largest reach of any category: no pair of sites farther apart than this is proposed."""
    return max([DEFAULT_REACH_KM, *weights.max_distance_km.values()])
