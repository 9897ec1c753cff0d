"""Units and periods, and their conversion to one canonical yearly amount.

Matching compares a supply with a demand only after both are expressed per
year in the canonical unit of their dimension: tonnes, cubic metres,
megawatt-hours, kilowatts, square metres or pieces. The factors are exact or
standard (1 Gcal = 4.1868 GJ = 1.163 MWh, International Table calorie).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from symdesk.domain.issues import N_


class Dimension(StrEnum):
    MASS = "mass"
    VOLUME = "volume"
    ENERGY = "energy"
    POWER = "power"
    AREA = "area"
    COUNT = "count"
    TIME = "time"


CANONICAL_UNIT: dict[Dimension, str] = {
    Dimension.MASS: "t",
    Dimension.VOLUME: "m3",
    Dimension.ENERGY: "MWh",
    Dimension.POWER: "kW",
    Dimension.AREA: "m2",
    Dimension.COUNT: "pcs",
    Dimension.TIME: "h",
}


@dataclass(frozen=True)
class Unit:
    """A unit of measure: its code, dimension, factor to the canonical unit, labels."""

    code: str
    dimension: Dimension
    factor: float
    label_ru: str
    label_en: str
    # A rate unit (kW, Gcal/h) measures capacity, not an amount; it is not
    # multiplied by a period.
    is_rate: bool = False


GCAL_IN_MWH = 1.163
GJ_IN_MWH = 1 / 3.6

UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("t", Dimension.MASS, 1.0, "т", "t"),
        Unit("kg", Dimension.MASS, 0.001, "кг", "kg"),
        Unit("m3", Dimension.VOLUME, 1.0, "м³", "m³"),
        Unit("thousand_m3", Dimension.VOLUME, 1000.0, "тыс. м³", "thousand m³"),
        Unit("l", Dimension.VOLUME, 0.001, "л", "l"),
        Unit("Gcal", Dimension.ENERGY, GCAL_IN_MWH, "Гкал", "Gcal"),
        Unit("GJ", Dimension.ENERGY, GJ_IN_MWH, "ГДж", "GJ"),
        Unit("MWh", Dimension.ENERGY, 1.0, "МВт·ч", "MWh"),
        Unit("kWh", Dimension.ENERGY, 0.001, "кВт·ч", "kWh"),
        Unit("kW", Dimension.POWER, 1.0, "кВт", "kW", is_rate=True),
        Unit("MW", Dimension.POWER, 1000.0, "МВт", "MW", is_rate=True),
        Unit("Gcal_h", Dimension.POWER, GCAL_IN_MWH * 1000.0, "Гкал/ч", "Gcal/h", is_rate=True),
        Unit("m2", Dimension.AREA, 1.0, "м²", "m²", is_rate=True),
        Unit("ha", Dimension.AREA, 10000.0, "га", "ha", is_rate=True),
        Unit("pcs", Dimension.COUNT, 1.0, "шт", "pcs"),
        Unit("h", Dimension.TIME, 1.0, "ч", "h"),
    )
}


class Period(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    SHIFT = "shift"
    HOUR = "hour"


# How many of each period make a year. A day counts 365 (continuous plants);
# a shift counts 250 (one shift on each working day of a five-day week); an
# hour counts 8760. Surveyors who know better enter a yearly amount.
PERIODS_PER_YEAR: dict[Period, float] = {
    Period.YEAR: 1.0,
    Period.QUARTER: 4.0,
    Period.MONTH: 12.0,
    Period.WEEK: 52.0,
    Period.DAY: 365.0,
    Period.SHIFT: 250.0,
    Period.HOUR: 8760.0,
}

PERIOD_LABELS: dict[Period, tuple[str, str]] = {
    Period.YEAR: ("в год", "per year"),
    Period.QUARTER: ("в квартал", "per quarter"),
    Period.MONTH: ("в месяц", "per month"),
    Period.WEEK: ("в неделю", "per week"),
    Period.DAY: ("в сутки", "per day"),
    Period.SHIFT: ("в смену", "per shift"),
    Period.HOUR: ("в час", "per hour"),
}


class UnitError(ValueError):
    pass


def unit(code: str) -> Unit:
    try:
        return UNITS[code]
    except KeyError:
        raise UnitError(N_("Unknown unit {unit}")) from None


@dataclass(frozen=True)
class YearlyAmount:
    """An amount per year in the canonical unit of its dimension (or a capacity)."""

    value: float
    dimension: Dimension

    @property
    def unit(self) -> str:
        return CANONICAL_UNIT[self.dimension]


def to_canonical(quantity: float, unit_code: str) -> float:
    """Convert a quantity to the canonical unit of its dimension (no period)."""
    return quantity * unit(unit_code).factor


def yearly_amount(quantity: float, unit_code: str, period: Period | str | None) -> YearlyAmount:
    """Normalise ``quantity unit per period`` to a canonical yearly amount.

    Rate units (capacities such as kW or Gcal/h, areas) are not multiplied by
    a period: 2 Gcal/h of boiler capacity is a capacity, whatever the period.
    """
    u = unit(unit_code)
    value = quantity * u.factor
    if not u.is_rate:
        value *= PERIODS_PER_YEAR[Period(period or Period.YEAR)]
    return YearlyAmount(value, u.dimension)


def convert(quantity: float, from_unit: str, to_unit: str) -> float:
    """Convert between two units of the same dimension."""
    a, b = unit(from_unit), unit(to_unit)
    if a.dimension != b.dimension:
        raise UnitError(N_("Cannot convert {from_unit} to {to_unit}"))
    return quantity * a.factor / b.factor
