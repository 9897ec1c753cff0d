"""How far a resident's neighbours are, roughly and all at once, to rule out guesses that cannot be kept.

A company-type suggestion's guesses differ only in their distance: a
resident's likely material against every neighbour that declares it. In a
national register a resident has hundreds of such neighbours and keeps three
guesses; measuring each with ``resident_distance_km`` and scoring it in
Python took most of the mode's time (1.85 million distances at 10,000
residents). Here the distances come from haversine's formula on numpy arrays
and the totals from their linear form (``components.linear_by_distance``).

numpy's sine and cosine may differ from the math module's in the last bit,
so these figures only *rule out*: a guess whose rough total is clearly below
what is already kept (by ``MARGIN`` points, far more than such a bit and
the rounding to hundredths together) is never looked at again, and the few
that may be kept are measured and scored exactly as before. The results are
the same as scoring every guess (a test holds the mode to it). Suggested
receivers do not use this: an offer reads about one receiver per suggested
class, so there is little to rule out, and measured, it did not pay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from symdesk.domain.geo import EARTH_RADIUS_KM
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.matching.components import NEUTRAL

# How far a rough total may lie from the exact one (its rounding to hundredths and a few ulps of distance).
MARGIN = 0.02
# How far a rough distance may lie from the exact one, in km.
SLACK_KM = 1e-6


class SiteArrays:
    """Residents' coordinates as arrays (NaN where unknown) and ``haversine_km``'s formula on them: the
    screen's distances between the two residents of each pair, and a resident's to its neighbours here.
    Each latitude's radians and cosine are worked out once per resident, not once per pair."""

    def __init__(self, residents: Sequence[Resident | None]):
        self.longitude = np.array([math.nan if r is None or r.longitude is None else r.longitude for r in residents],
                                  dtype=np.float64)
        latitude = np.array([math.nan if r is None or r.latitude is None else r.latitude for r in residents],
                            dtype=np.float64)
        self.latitude_rad = np.radians(latitude)
        self.cos_latitude = np.cos(self.latitude_rad)

    def km(self, a: np.ndarray | int, b: np.ndarray) -> np.ndarray:
        """Distances from the residents at ``a`` to those at ``b`` (NaN where either is unplaced)."""
        dp = self.latitude_rad[b] - self.latitude_rad[a]
        dl = np.radians(self.longitude[b] - self.longitude[a])
        h = np.sin(dp / 2) ** 2 + self.cos_latitude[a] * self.cos_latitude[b] * np.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


class Places(SiteArrays):
    """The residents by position, with their coordinates as arrays and who may be asked."""

    def __init__(self, residents: Sequence[Resident]):
        super().__init__(residents)
        self.residents = list(residents)
        self.index = {r.id: i for i, r in enumerate(self.residents)}
        # Who may be asked: a resident that left is nobody's neighbour.
        self.askable = np.array([r.status is not ResidentStatus.LEFT for r in self.residents], dtype=bool)


def in_reach(km: np.ndarray, limits: np.ndarray | float) -> np.ndarray:
    """Where a rough distance may be within reach (an unknown distance always is)."""
    return np.isnan(km) | (km <= limits + SLACK_KM)


def rough_distance_values(km: np.ndarray, limits: np.ndarray | float) -> np.ndarray:
    """``components.distance_value_at`` on arrays, roughly: 1 next door, 0 at the reach, neutral if unknown."""
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.clip(1.0 - km / limits, 0.0, 1.0)
    values = np.where(np.asarray(limits) > 0, values, 0.0)
    return np.where(np.isnan(km), NEUTRAL, values)


def lowest_keepable(exact: Sequence[float], rough: np.ndarray, k: int) -> float:
    """The lowest rough total that may still be among the best ``k``, given the exact totals already
    found and the rough totals of the guesses at hand: below the k-th best of them all, less the margin."""
    count = len(exact) + rough.size
    if count < k:
        return -math.inf
    every = np.concatenate([np.asarray(exact, dtype=np.float64), rough]) if exact else rough
    return float(np.partition(every, count - k)[count - k]) - MARGIN
