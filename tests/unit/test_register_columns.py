"""Register headers and words: case, spaces and punctuation ignored, both languages."""

from __future__ import annotations

import pytest

from symdesk.domain.stream import Category, CodeSystem, Direction, HazardClass, Readiness
from symdesk.io.register_columns import COLUMNS, column_for_header, parse_enum, period_words
from symdesk.io.register_import import resident_name_key, stream_name_key


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("  РЕЗИДЕНТ ", "resident"),
        ("Ед. изм.", "unit"),
        ("ед изм", "unit"),
        ("Температура, °C", "temperature"),
        ("Pressure (MPa)", "pressure"),
        ("code_system", "code_system"),
        ("Код отхода", "code"),
        ("Код ОКЭД", "activity"),
        ("NACE", "activity"),
        ("Вторичный ресурс допустим", "secondary"),
        ("№ п/п", None),
    ],
)
def test_headers(header: str, key: str | None) -> None:
    assert column_for_header(header) == key


def test_every_export_header_reads_back_as_its_column() -> None:
    for column in COLUMNS:
        assert column_for_header(column.header("ru")) == column.key
        assert column_for_header(column.header("en")) == column.key


@pytest.mark.parametrize(
    ("enum", "text", "value"),
    [
        (Direction, "Предложение", Direction.OFFER),
        (Direction, "need", Direction.NEED),
        (Category, "Отход", Category.WASTE),
        (Category, "побочный  продукт", Category.BY_PRODUCT),
        (Category, "by-product", Category.BY_PRODUCT),
        (Category, "Сырьё", Category.MATERIAL),
        (Category, "сырье", Category.MATERIAL),
        (Category, "стоки", Category.WATER),
        (Category, "тепловая энергия", Category.HEAT),
        (Category, "газ", Category.FUEL_GAS),
        (Category, "СО2", Category.CO2),
        (Category, "CO2", Category.CO2),
        (Category, "мощности", Category.EQUIPMENT),
        (Category, "услуга", Category.SERVICE),
        (Category, "fuel_gas", Category.FUEL_GAS),
        (HazardClass, "4 класс", HazardClass.CLASS_4),
        (HazardClass, "III", HazardClass.CLASS_3),
        (HazardClass, "Non-hazardous", HazardClass.NON_HAZARDOUS),
        (CodeSystem, "European List of Waste", CodeSystem.EWC),
        (Readiness, "готов на условиях", Readiness.CONDITIONAL),
        (Category, "космос", None),
    ],
)
def test_words(enum: type, text: str, value: object) -> None:
    assert parse_enum(enum, text) == value


def test_period_words() -> None:
    assert period_words()["вгод"] == "year" and period_words()["pershift"] == "shift"


def test_name_keys() -> None:
    assert resident_name_key("ООО «Зелёный берег»") == resident_name_key('зеленый  БЕРЕГ, ооо')
    assert resident_name_key('ЧУП "Зеленый Берег"') == resident_name_key("Зелёный берег")
    assert resident_name_key("Общество с ограниченной ответственностью «Альфа»") == "альфа"
    assert stream_name_key("Опилки «сосна»") == stream_name_key("опилки сосна") != stream_name_key("опилки ель")
