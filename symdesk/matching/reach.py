"""How far apart two residents are, and how far each kind of resource is worth carrying.

Shared by candidate search (a pair beyond reach is not proposed) and scoring
(the distance component falls from 1 at 0 km to 0 at the reach), so the two
can never disagree about where «too far» begins.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from symdesk.domain.geo import EARTH_RADIUS_KM, haversine_km
from symdesk.domain.resident import Resident
from symdesk.domain.stream import CODED_CATEGORIES, Category
from symdesk.matching.settings import Weights

DEFAULT_REACH_KM = 50.0
T = TypeVar("T")


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


UNKNOWN_CELL = -1
KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360


@dataclass(frozen=True)
class Grid:
    """Square cells a little wider than the longest reach, so that two sites in reach of each other
    always lie in the same or neighbouring cells; a zone fits in one cell, a country in a few hundred.

    Longitudes are scaled at the zone's highest latitude, where a degree is shortest, and cells are
    5 % wider than the reach: projected distances never exceed true ones by more than that.
    """

    size_km: float
    x_scale: float
    x0: float
    y0: float
    width: int

    @classmethod
    def around(cls, residents: Sequence[Resident | None], reach_km: float) -> Grid:
        located = [(r.latitude, r.longitude) for r in residents if r and r.latitude is not None and r.longitude is not None]
        if not located:
            return cls(1.0, 1.0, 0.0, 0.0, 3)
        lats = [lat for lat, _ in located]
        lons = [lon for _, lon in located]
        x_scale = KM_PER_DEGREE * math.cos(math.radians(min(89.0, max(abs(min(lats)), abs(max(lats))))))
        size = 1.05 * max(reach_km, 1e-3)
        rows = int((max(lats) - min(lats)) * KM_PER_DEGREE / size) + 1
        return cls(size, x_scale, min(lons) * x_scale, min(lats) * KM_PER_DEGREE, rows + 3)

    def cell(self, resident: Resident | None) -> int:
        if resident is None or resident.latitude is None or resident.longitude is None:
            return UNKNOWN_CELL
        cx = int((resident.longitude * self.x_scale - self.x0) // self.size_km) + 1
        cy = int((resident.latitude * KM_PER_DEGREE - self.y0) // self.size_km) + 1
        return cx * self.width + cy

    def cells_near(self, cell: int) -> tuple[int, ...]:
        """The unknown cell, ``cell`` and its eight neighbours."""
        return _cells_near(self.width, cell)

    def near(self, cell: int, by_cell: Mapping[int, Sequence[T]]) -> Iterator[T]:
        """Everything filed under a cell next to ``cell`` or of unknown place; everything when ``cell`` is unknown."""
        if cell == UNKNOWN_CELL:
            for items in by_cell.values():
                yield from items
            return
        for c in self.cells_near(cell):
            yield from by_cell.get(c, ())


@lru_cache(maxsize=65536)
def _cells_near(width: int, cell: int) -> tuple[int, ...]:
    return (UNKNOWN_CELL, *(c for dx in (-width, 0, width) for c in range(cell + dx - 1, cell + dx + 2)))
