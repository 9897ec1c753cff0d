"""Resource efficiency of the zone's residents, compared within their sector (pure functions).

The zones are asked to establish "the current level of resource efficiency
and the potential for resource saving". From each resident's yearly use of
electricity, heat, natural gas and water (questionnaire, section
*resources*), the waste it declares as offers, its staff and its production
volume, this module works out intensities per unit of output and per
employee, compares each with its peers and prices what the residents above
the peer median would save by reaching it.

The method, stated in every report:

* **Peers.** A resident is compared with the residents of the same NACE
  division (first two digits of its main ОКЭД code) that report the same
  figure; when fewer than ``MIN_PEERS`` do (itself included), it is not
  compared. A whole NACE section is not a fair comparison (a foundry and a
  garment maker are both section C) and is used only when asked for
  (``levels``). Intensities per unit of output are compared only among
  residents that state output in the same unit (tonnes with tonnes, m³ with m³).
* **Quartiles** are computed by linear interpolation between the sorted
  values (Excel's QUARTILE.INC, numpy's default).
* **Outlier**: an intensity more than twice the peer median, or more than
  1.5 times the median *and* above the upper Tukey fence Q3 + 1.5·IQR. The
  fence alone misses outliers in groups of three or four (one extreme value
  widens the IQR itself) and flags ordinary scatter among tightly grouped
  peers; twice the median alone misses a clear outlier of a tight group.
* **Savings potential**: for every resident above its peer median, the
  amount it would save at the median intensity, (intensity − median) ×
  output (or × staff where output cannot be compared), summed per resource
  and priced with the tariff of that resource where one is known.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Resources in report order, with the unit of the yearly amount.
RESOURCES: tuple[str, ...] = ("electricity", "heat", "gas", "water", "waste")
RESOURCE_UNITS: dict[str, str] = {
    "electricity": "MWh",
    "heat": "Gcal",
    "gas": "thousand_m3",
    "water": "m3",
    "waste": "t",
}
OUTPUT, STAFF = "output", "staff"  # the two bases of an intensity
MIN_PEERS = 3  # residents (the one compared included) needed for a comparison
FENCE_IQR = 1.5  # Tukey's upper fence: Q3 + 1.5·IQR
MEDIAN_MULTIPLE = 2.0  # always an outlier above twice the peer median
FENCED_MEDIAN_MULTIPLE = 1.5  # above the fence, an outlier only beyond 1.5 times the median
DIVISION, SECTION = "division", "section"  # peer-group levels


@dataclass(frozen=True)
class ResidentInputs:
    """What one resident reported, yearly. ``use`` maps a resource to its amount (None: not reported)."""

    resident_id: str
    name: str
    division: str  # NACE division of the main activity, "10"; "" when unknown
    section: str  # NACE section letter, "C"; "" when unknown
    staff: int | None = None
    output: float | None = None
    output_unit: str = ""
    use: Mapping[str, float | None] = field(default_factory=dict)

    def denominator(self, basis: str) -> float | None:
        value = self.output if basis == OUTPUT else self.staff
        return float(value) if value is not None and value > 0 else None


@dataclass(frozen=True)
class Quartiles:
    q1: float
    median: float
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @property
    def threshold(self) -> float:
        """Above this an intensity is an outlier: min(max(Q3 + 1.5·IQR, 1.5 × median), 2 × median)."""
        fence = max(self.q3 + FENCE_IQR * self.iqr, FENCED_MEDIAN_MULTIPLE * self.median)
        return min(fence, MEDIAN_MULTIPLE * self.median)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The ``p``-th quantile (0…1) of already sorted values, by linear interpolation."""
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * p
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * weight


def quartiles(values: Iterable[float]) -> Quartiles:
    ordered = sorted(values)
    return Quartiles(percentile(ordered, 0.25), percentile(ordered, 0.5), percentile(ordered, 0.75))


def is_outlier(value: float, stats: Quartiles) -> bool:
    return value > stats.threshold


def normalise_unit(unit: str) -> str:
    """A production unit for comparing: case, spaces and ``m3``/``м3`` spellings ignored."""
    text = " ".join(unit.casefold().split())
    for plain, pretty in (("м3", "м³"), ("m3", "м³"), ("м2", "м²"), ("m2", "м²"), ("t", "т")):
        text = " ".join(pretty if word == plain else word for word in text.split(" "))
    return text


@dataclass(frozen=True)
class Intensity:
    """One resident's use of one resource per unit of output or per employee, against its peers."""

    resident_id: str
    resource: str
    basis: str  # OUTPUT or STAFF
    value: float
    group: str  # the peer group: a division "10" or a section "C"; "" when not compared
    peers: int  # residents in the peer group (this one included); 0 when not compared
    stats: Quartiles | None
    outlier: bool

    @property
    def compared(self) -> bool:
        return self.stats is not None

    @property
    def ratio_to_median(self) -> float | None:
        if self.stats is None or self.stats.median <= 0:
            return None
        return self.value / self.stats.median


@dataclass(frozen=True)
class Saving:
    """What one resident would save of one resource at its peers' median intensity."""

    resident_id: str
    resource: str
    basis: str
    amount: float  # yearly, in RESOURCE_UNITS[resource]
    byn: float | None  # None when the resource has no tariff


@dataclass(frozen=True)
class SavingsTotal:
    resource: str
    amount: float
    byn: float | None
    residents: int  # residents above their median for this resource


@dataclass
class EfficiencyAnalysis:
    residents: list[ResidentInputs]
    intensities: dict[tuple[str, str, str], Intensity]  # (resident_id, resource, basis)
    groups: dict[tuple[str, str, str], Quartiles]  # (resource, basis, group key) → quartiles
    savings: list[Saving]
    totals: dict[str, SavingsTotal]

    def intensity(self, resident_id: str, resource: str, basis: str) -> Intensity | None:
        return self.intensities.get((resident_id, resource, basis))

    def outliers(self) -> list[Intensity]:
        return [i for i in self.intensities.values() if i.outlier]

    @property
    def total_byn(self) -> float:
        return sum(t.byn or 0.0 for t in self.totals.values())


def _value(inputs: ResidentInputs, resource: str, basis: str) -> float | None:
    use = inputs.use.get(resource)
    denominator = inputs.denominator(basis)
    if use is None or use < 0 or denominator is None:
        return None
    return use / denominator


def _group_keys(inputs: ResidentInputs, basis: str, levels: Sequence[str]) -> list[tuple[str, str]]:
    """Peer-group keys to try in turn: (label printed, key), in the order of ``levels``."""
    unit = normalise_unit(inputs.output_unit) if basis == OUTPUT else ""
    if basis == OUTPUT and not unit:
        return []
    keys = []
    for level in levels:
        code = inputs.division if level == DIVISION else inputs.section
        if code:
            keys.append((code, f"{level}:{code}:{unit}"))
    return keys


def analyse(
    residents: Sequence[ResidentInputs],
    tariffs: Mapping[str, float | None] | None = None,
    *,
    min_peers: int = MIN_PEERS,
    levels: Sequence[str] = (DIVISION,),
) -> EfficiencyAnalysis:
    """Intensities, peer quartiles, outliers and savings for ``residents`` (see the module docstring).

    ``tariffs`` maps a resource to its price in BYN per unit of ``RESOURCE_UNITS``;
    ``levels`` are the peer groups tried in turn (``(DIVISION, SECTION)`` falls
    back to the section where a division has too few residents).
    """
    tariffs = tariffs or {}
    values: dict[tuple[str, str, str], float] = {}
    members: dict[tuple[str, str, str], list[float]] = {}
    for r in residents:
        for resource in RESOURCES:
            for basis in (OUTPUT, STAFF):
                value = _value(r, resource, basis)
                if value is None:
                    continue
                values[(r.resident_id, resource, basis)] = value
                for _label, key in _group_keys(r, basis, levels):
                    members.setdefault((resource, basis, key), []).append(value)
    groups: dict[tuple[str, str, str], Quartiles] = {}
    intensities: dict[tuple[str, str, str], Intensity] = {}
    by_id = {r.resident_id: r for r in residents}
    for (resident_id, resource, basis), value in values.items():
        chosen: tuple[str, str] | None = None
        for label, key in _group_keys(by_id[resident_id], basis, levels):
            if len(members.get((resource, basis, key), [])) >= min_peers:
                chosen = (label, key)
                break
        if chosen is None:
            intensities[(resident_id, resource, basis)] = Intensity(resident_id, resource, basis, value, "", 0, None, False)
            continue
        label, key = chosen
        group_key = (resource, basis, key)
        if group_key not in groups:
            groups[group_key] = quartiles(members[group_key])
        stats = groups[group_key]
        intensities[(resident_id, resource, basis)] = Intensity(
            resident_id, resource, basis, value, label, len(members[group_key]), stats, is_outlier(value, stats)
        )
    savings = _savings(residents, intensities, tariffs)
    return EfficiencyAnalysis(list(residents), intensities, groups, savings, _totals(savings, tariffs))


def _savings(
    residents: Sequence[ResidentInputs], intensities: Mapping[tuple[str, str, str], Intensity],
    tariffs: Mapping[str, float | None],
) -> list[Saving]:
    """One saving per resident and resource above its median, on output where compared, else on staff."""
    result = []
    for r in residents:
        for resource in RESOURCES:
            for basis in (OUTPUT, STAFF):
                intensity = intensities.get((r.resident_id, resource, basis))
                if intensity is None or intensity.stats is None:
                    continue
                excess = intensity.value - intensity.stats.median
                if excess > 0:
                    amount = excess * (r.denominator(basis) or 0.0)
                    tariff = tariffs.get(resource)
                    result.append(Saving(r.resident_id, resource, basis, amount,
                                         amount * tariff if tariff is not None else None))
                break  # the first compared basis counts, so nothing is saved twice
    return result


def _totals(savings: Sequence[Saving], tariffs: Mapping[str, float | None]) -> dict[str, SavingsTotal]:
    totals = {}
    for resource in RESOURCES:
        mine = [s for s in savings if s.resource == resource]
        amount = sum(s.amount for s in mine)
        byn = amount * tariffs[resource] if tariffs.get(resource) is not None else None  # type: ignore[operator]
        totals[resource] = SavingsTotal(resource, amount, byn, len(mine))
    return totals
