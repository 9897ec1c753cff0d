"""Streams as numpy columns: what the array screen (screen.py) reads of each stream.

Strings become small integers (``Vocab``), the words and material classes of
a stream become sets of integers laid end to end (``IntSets``), and every
field a rule or a score component reads becomes one array over the streams
of a side (``stream_columns``). Membership and overlap of those sets for
millions of pairs are then two sorted-array look-ups (``contains``, ``overlap``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

import numpy as np

from symdesk.domain.stream import CODED_CATEGORIES, Category, Regularity
from symdesk.domain.units import UNITS
from symdesk.matching.benefits import yearly
from symdesk.matching.pairs import (
    VARIED_CATEGORIES,
    Prepared,
)
from symdesk.matching.reach import (
    reach_km,
)
from symdesk.matching.scoring import (
    DISPOSAL_HANDLING,
    HAZARD_VALUE,
    fields_present,
)
from symdesk.matching.settings import Weights

REGULARITIES = tuple(Regularity)
REGULARITY_INDEX = {r: i for i, r in enumerate(REGULARITIES)}


class Vocab(dict):
    """Strings to small integers, assigned in order of first use."""

    def id(self, key: object) -> int:
        found = self.get(key)
        if found is None:
            found = self[key] = len(self)
        return found


@dataclass
class IntSets:
    """A set of small integers per stream, flattened: stream k holds ``items[ptr[k]:ptr[k + 1]]``."""

    ptr: np.ndarray
    items: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of(cls, sets: list[Iterable[int]], *, presorted: bool = False) -> IntSets:
        """``presorted``: each set is already a sorted list without repeats (shared lists, sorted once)."""
        lists = sets if presorted else [sorted(set(s)) for s in sets]
        sizes = np.array([len(x) for x in lists], dtype=np.int64)
        ptr = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        items = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(sizes.sum()))
        return cls(ptr, items, sizes)

    def membership(self, width: int) -> np.ndarray:
        """Sorted codes ``item * width + stream`` for fast "is x in the set of stream k"."""
        owners = np.repeat(np.arange(len(self.sizes), dtype=np.int64), self.sizes)
        return np.sort(self.items * width + owners)


def contains(sorted_codes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    if not len(sorted_codes):
        return np.zeros(len(codes), dtype=bool)
    at = np.searchsorted(sorted_codes, codes)
    at[at == len(sorted_codes)] = 0
    return sorted_codes[at] == codes


def overlap(oi: np.ndarray, nj: np.ndarray, offer_sets: IntSets, need_members: np.ndarray, width: int) -> np.ndarray:
    """How many items of each pair's offer set are also in its need's set."""
    sizes = offer_sets.sizes[oi]
    pair = np.repeat(np.arange(len(oi), dtype=np.int64), sizes)
    starts = np.cumsum(sizes) - sizes
    items = offer_sets.items[offer_sets.ptr[oi][pair] + np.arange(int(sizes.sum())) - starts[pair]]
    hit = contains(need_members, items * width + nj[pair])
    return np.bincount(pair, weights=hit, minlength=len(oi)).astype(np.int64)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` by a sort and a comparison of neighbours.

    numpy 2's ``np.unique`` finds distinct integers with a hash table, and on
    the screen's pair codes (millions of large, sparse integers) that took
    0.98 s a block where sorting takes 0.04 s: 28 of the 65 s a national
    register's screen took. Same result, sorted, as before.
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


# Scaled values this close to a half are rounded by Python. Rounding is monotonic and k + ½ is a double
# (below 2**52), so a product x × 10**digits that comes out off the tie lies on the same side of it as
# the exact product: only products landing on the tie are in doubt. The margin is for safety, not need.
_NEAR_A_TIE = 1e-9
_EXACT_HALVES_BELOW = 2.0**52


def rounded(values: np.ndarray, digits: int) -> np.ndarray:
    """``round(x, digits)`` of each value, as Python rounds it, for millions of values.

    Python rounds the exact binary value correctly to ``digits`` decimals;
    ``rint(x × 10**digits)`` rounds a product that is itself rounded, and
    the two can differ only when that product lands on a half. Those few,
    products too large for their halves to be doubles, and anything not
    finite are rounded by Python; the rest by ``rint(x × 10**d) / 10**d``,
    the double nearest the same decimal (IEEE division rounds correctly).
    A test holds it to ``round`` on a million values, ties and their
    neighbours included.
    """
    scale = 10.0**digits
    scaled = values * scale
    out = np.rint(scaled) / scale
    with np.errstate(invalid="ignore"):
        sure = (np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) > _NEAR_A_TIE) & (np.abs(scaled) < _EXACT_HALVES_BELOW)
    doubtful = np.flatnonzero(~sure)  # NaN and infinities included
    if len(doubtful):
        out[doubtful] = [round(x, digits) for x in values[doubtful].tolist()]
    return out


def nan_if_none(x: float | None) -> float:
    return np.nan if x is None else float(x)


def stream_columns(
    side: list[Prepared],
    residents: Vocab,
    words: Vocab,
    classes: Vocab,
    codes: Vocab,
    groups: Vocab,
    dims: Vocab,
    weights: Weights,
) -> dict:
    """What the screen reads of each stream of one side, as arrays (index = position in ``side``)."""
    heat_or_steam, coded_categories = (Category.HEAT, Category.STEAM), CODED_CATEGORIES
    secondary, regularities = (Category.WASTE, Category.BY_PRODUCT), len(REGULARITIES)
    rows = []
    stems, class_sets, name_class_sets = [], [], []
    # What a stream's features and its code give, worked out once for each (features are shared by
    # every stream of the same name, quality, code and category).
    of_features: dict[int, tuple] = {}
    of_code: dict[str, tuple[int, int, int]] = {}
    reach = {category: reach_km(category, weights) for category in Category}
    for p in side:
        s, f = p.stream, p.f
        code, category, price = s.code, s.category, s.price_byn
        six, coded = len(code) == 6, category in coded_categories
        featured = of_features.get(id(f))
        if featured is None or featured[0] is not f:
            featured = of_features[id(f)] = (
                f,
                groups.id(f.group),
                sum(1 << groups.id(g) for g in f.served),
                classes.id(f.classes[0]) if f.classes else -1,
                sorted(set([words.id(t) for t in f.stems])),
                sorted(set([classes.id(c) for c in f.classes])),
            )
        coded_as = of_code.get(code)
        if coded_as is None:
            coded_as = of_code[code] = (
                codes.id(code) if code else -1,
                codes.id(("4", code[:4])) if six else -1,
                codes.id(("2", code[:2])) if six else -1,
            )
        amount = yearly(s)
        unit = UNITS.get(s.unit)
        per_unit = None if price is None or unit is None or unit.factor == 0 else price / unit.factor
        filled, asked = fields_present(s)
        rows.append(
            (
                residents.id(s.resident_id),
                featured[1],
                featured[2],
                nan_if_none(s.temperature_c),
                nan_if_none(s.pressure_mpa),
                category in heat_or_steam,
                category is Category.STEAM,
                category is Category.WATER,
                category in VARIED_CATEGORIES,
                f.wastewater,
                f.wastewater_text,
                f.wastewater_name,
                f.treated,
                f.drinking,
                category in secondary,
                s.secondary_acceptable is False,
                coded_as[0],
                six,
                coded_as[1],
                coded_as[2],
                featured[3],
                np.nan if amount is None else amount.value,
                -1 if amount is None else dims.id(amount.dimension),
                nan_if_none(price),
                nan_if_none(per_unit),
                -1 if unit is None else dims.id(unit.dimension),
                s.handling in DISPOSAL_HANDLING,
                regularities if s.regularity is None else REGULARITY_INDEX[s.regularity],
                HAZARD_VALUE.get(s.hazard_class, 1.0) if s.hazard_class else (0.7 if coded else 1.0),
                filled,
                asked,
                reach[category],
            )
        )
        stems.append(featured[4])
        class_sets.append(featured[5])
        name_class_sets.append(sorted(set([classes.id(c) for c in p.name_classes])) if coded and six else [])
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in COLUMN_TYPES]
    out: dict = {
        name: np.array(values, dtype=dtype)
        for (name, dtype), values in zip(COLUMN_TYPES.items(), columns, strict=True)
    }
    out["stems"] = IntSets.of(stems, presorted=True)
    out["classes"] = IntSets.of(class_sets, presorted=True)
    out["name_classes"] = IntSets.of(name_class_sets, presorted=True)
    return out


COLUMN_TYPES: dict[str, type] = {
    "resident": np.int64,
    "group": np.int64,
    "served": np.int64,
    "temperature": np.float64,
    "pressure": np.float64,
    "heat_or_steam": bool,
    "steam": bool,
    "water": bool,
    "varied": bool,
    "wastewater": bool,
    "wastewater_text": bool,
    "wastewater_name": bool,
    "treated": bool,
    "drinking": bool,
    "secondary": bool,
    "no_secondary": bool,
    "code": np.int64,
    "six": bool,
    "code4": np.int64,
    "code2": np.int64,
    "first_class": np.int64,
    "yearly": np.float64,
    "dimension": np.int64,
    "price": np.float64,
    "price_per_unit": np.float64,
    "unit_dimension": np.int64,
    "disposal": bool,
    "regularity": np.int64,
    "hazard": np.float64,
    "filled": np.int64,
    "asked": np.int64,
    "reach": np.float64,
}

