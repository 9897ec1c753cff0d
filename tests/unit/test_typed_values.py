"""What people type into cells, read back as values."""

from __future__ import annotations

from datetime import date

import pytest

from symdesk.questionnaire.definition import default_definition
from symdesk.questionnaire.document import QuantityValue
from symdesk.questionnaire.values import (
    ValueProblem,
    parse_boolean,
    parse_date,
    parse_field_value,
    parse_number,
    parse_quantity,
    parse_unit,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1,234.5", 1234.5), ("1.234,5", 1234.5), (" 12 ", 12.0), ("-3,5", -3.5), (7, 7.0)],
)
def test_numbers(text: object, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "unit", "period"),
    [
        ("т/год", "t", "year"),
        ("тонн в год", "t", "year"),
        ("м3", "m3", ""),
        ("куб.м", "m3", ""),
        ("Гкал", "Gcal", ""),
        ("Гкал/ч", "Gcal_h", ""),
        ("м³/сут", "m3", "day"),
        ("тыс. м3 в месяц", "thousand_m3", "month"),
        ("МВт·ч", "MWh", ""),
        ("т в смену", "t", "shift"),
    ],
)
def test_units_as_people_write_them(text: str, unit: str, period: str) -> None:
    assert parse_unit(text) == (unit, period)


def test_quantity_from_three_cells() -> None:
    assert parse_quantity("1 200", "т/год", None) == QuantityValue(1200.0, "t", "year")
    assert parse_quantity(40, "т", "сутки") == QuantityValue(40.0, "t", "day")
    assert parse_quantity(5, "т", "") == QuantityValue(5.0, "t", "year")  # a year unless said
    assert parse_quantity(2, "Гкал/ч", "") == QuantityValue(2.0, "Gcal_h", "")


def test_refusals_name_the_value() -> None:
    for bad, parser in (("много", parse_number), ("может быть", parse_boolean), ("31.02.2026", parse_date)):
        with pytest.raises(ValueProblem) as err:
            parser(bad)
        assert bad in str(err.value)
    with pytest.raises(ValueProblem):
        parse_unit("попугаев")


def test_field_values_by_type() -> None:
    d = default_definition()
    offers = d.section("offers")
    assert parse_field_value(offers.field("category"), "Побочный продукт") == "by_product"
    assert parse_field_value(offers.field("category"), "by-product") == "by_product"
    assert parse_field_value(offers.field("confidential"), "да") is True
    assert parse_field_value(offers.field("code"), "10 01 02*") == "100102"
    assert parse_field_value(offers.field("code"), "1О 01 02") == "100102"  # Cyrillic О for zero
    resident = d.section("resident")
    assert parse_field_value(resident.field("activity_codes"), "16.10; 22220") == ["1610", "22220"]
    assert parse_field_value(d.section("survey").field("survey_date"), "01.05.2026") == date(2026, 5, 1)
    assert parse_field_value(resident.field("name"), "  ООО «Тест»  ") == "ООО «Тест»"
