from __future__ import annotations

import pytest

from symdesk.domain.units import (
    PERIODS_PER_YEAR,
    Dimension,
    Period,
    UnitError,
    convert,
    to_canonical,
    yearly_amount,
)


def test_gcal_to_mwh_uses_the_international_table_calorie() -> None:
    assert convert(1, "Gcal", "MWh") == pytest.approx(1.163)
    assert convert(1, "Gcal", "GJ") == pytest.approx(4.1868)
    assert convert(3.6, "GJ", "MWh") == pytest.approx(1.0)


def test_mass_and_volume_conversions() -> None:
    assert to_canonical(2500, "kg") == pytest.approx(2.5)
    assert to_canonical(3, "thousand_m3") == pytest.approx(3000)
    assert to_canonical(750, "l") == pytest.approx(0.75)
    assert convert(1500, "kWh", "MWh") == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("quantity", "unit", "period", "expected", "dimension"),
    [
        (40, "t", "day", 40 * 365, Dimension.MASS),
        (100, "kg", "month", 1.2, Dimension.MASS),
        (2, "t", "shift", 500, Dimension.MASS),
        (1200, "t", "year", 1200, Dimension.MASS),
        (10, "m3", "hour", 87600, Dimension.VOLUME),
        (1000, "Gcal", "quarter", 4000 * 1.163, Dimension.ENERGY),
        (5, "t", None, 5, Dimension.MASS),
        (3, "pcs", "week", 156, Dimension.COUNT),
    ],
)
def test_yearly_amount(quantity: float, unit: str, period: str | None, expected: float, dimension: Dimension) -> None:
    amount = yearly_amount(quantity, unit, period)
    assert amount.value == pytest.approx(expected)
    assert amount.dimension is dimension


def test_rate_units_are_not_multiplied_by_period() -> None:
    amount = yearly_amount(2, "Gcal_h", "day")
    assert amount.dimension is Dimension.POWER
    assert amount.value == pytest.approx(2326.0)  # kW
    assert amount.unit == "kW"


def test_every_period_has_a_factor() -> None:
    assert set(PERIODS_PER_YEAR) == set(Period)


def test_mismatched_dimensions_and_unknown_units_are_refused() -> None:
    with pytest.raises(UnitError):
        convert(1, "t", "m3")
    with pytest.raises(UnitError):
        yearly_amount(1, "furlong", "year")
