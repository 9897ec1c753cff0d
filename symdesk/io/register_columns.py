"""The consolidated register's columns and the words its cells may hold.

Shared by the register import and export: each column has a key, the
resident or stream field it fills, and its headers in Russian and English
(the first of each is what the export writes; the others are accepted on
import). Headers are compared with case, spaces and punctuation ignored;
coded values (direction, category, hazard class…) are accepted as their raw
code, their label in either language, or a common synonym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache

from symdesk.domain.labels import label
from symdesk.domain.stream import (
    Category,
    CodeSystem,
    Direction,
    Handling,
    HazardClass,
    Readiness,
    Regularity,
)
from symdesk.domain.units import PERIOD_LABELS, UNITS, Period
from symdesk.i18n import load_catalogue

RESIDENT, STREAM = "resident", "stream"


@dataclass(frozen=True)
class Column:
    key: str
    target: str  # RESIDENT or STREAM
    field: str  # the domain field whose value (and issues) the column carries
    ru: tuple[str, ...]  # Russian headers; the first is the one the export writes
    en: tuple[str, ...]  # English headers; likewise
    kind: str = "text"  # text | number | enum | boolean | codes | unit | period
    required: bool = False

    def header(self, language: str) -> str:
        return (self.en if language == "en" else self.ru)[0]


COLUMNS: tuple[Column, ...] = (
    Column("resident", RESIDENT, "name", ("Резидент", "Наименование резидента", "Организация", "Предприятие",
                                          "Наименование организации", "Наименование предприятия"),
           ("Resident", "Resident name", "Company", "Organisation", "Organization"), required=True),
    Column("unp", RESIDENT, "unp", ("УНП",), ("UNP", "Taxpayer number")),
    Column("activity", RESIDENT, "activity_codes", ("ОКЭД", "Код ОКЭД", "Вид деятельности"),
           ("Activity", "OKED", "NACE", "Activity code", "Activity codes"), kind="codes"),
    Column("lat", RESIDENT, "latitude", ("Широта",), ("Latitude", "Lat"), kind="number"),
    Column("lon", RESIDENT, "longitude", ("Долгота",), ("Longitude", "Lon", "Lng"), kind="number"),
    Column("direction", STREAM, "direction", ("Направление", "Предложение или потребность"),
           ("Direction", "Offer or need"), kind="enum", required=True),
    Column("category", STREAM, "category", ("Категория",), ("Category",), kind="enum", required=True),
    Column("name", STREAM, "name", ("Наименование", "Наименование ресурса", "Ресурс", "Наименование потока"),
           ("Name", "Stream", "Stream name", "Resource"), required=True),
    Column("code", STREAM, "code", ("Код отхода", "Код"), ("Code", "Waste code"), kind="code"),
    Column("code_system", STREAM, "code_system", ("Система кодов", "Классификатор"), ("Code system", "code_system"),
           kind="enum"),
    Column("hazard_class", STREAM, "hazard_class", ("Класс опасности",), ("Hazard class", "hazard_class", "Hazard"),
           kind="enum"),
    Column("quantity", STREAM, "quantity", ("Количество", "Объём", "Объем"), ("Quantity", "Amount"), kind="number"),
    Column("unit", STREAM, "unit", ("Ед. изм.", "Единица измерения", "Единица", "Ед."), ("Unit", "Units"),
           kind="unit"),
    Column("period", STREAM, "period", ("Период",), ("Period",), kind="period"),
    Column("regularity", STREAM, "regularity", ("Регулярность", "Периодичность"), ("Regularity",), kind="enum"),
    Column("quality", STREAM, "quality", ("Качество", "Состав", "Состав и качество"), ("Quality", "Composition")),
    Column("temperature", STREAM, "temperature_c", ("Температура, °C", "Температура"),
           ("Temperature, °C", "Temperature", "temperature_c"), kind="number"),
    Column("pressure", STREAM, "pressure_mpa", ("Давление, МПа", "Давление"), ("Pressure, MPa", "Pressure",
           "pressure_mpa"), kind="number"),
    Column("handling", STREAM, "handling", ("Обращение", "Обращение сейчас"), ("Handling",), kind="enum"),
    Column("price", STREAM, "price_byn", ("Цена, BYN", "Цена", "Цена, руб.", "Стоимость"),
           ("Price, BYN", "Price", "price_byn"), kind="number"),
    Column("readiness", STREAM, "readiness", ("Готовность",), ("Readiness",), kind="enum"),
    Column("secondary", STREAM, "secondary_acceptable", ("Вторичный ресурс допустим", "Вторичный ресурс"),
           ("Secondary acceptable", "Secondary", "secondary_acceptable"), kind="boolean"),
    Column("confidential", STREAM, "confidential", ("Конфиденциально", "Конфиденциальность"),
           ("Confidential",), kind="boolean"),
    Column("notes", STREAM, "notes", ("Примечание", "Примечания"), ("Notes", "Note", "Comment")),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
BY_FIELD: dict[tuple[str, str], Column] = {(c.target, c.field): c for c in COLUMNS}
# Columns a row needs only when it describes a stream (a row with just a
# resident registers or matches the resident).
STREAM_REQUIRED = ("direction", "category", "name")

ENUM_OF_COLUMN: dict[str, type[Enum]] = {
    "direction": Direction,
    "category": Category,
    "code_system": CodeSystem,
    "hazard_class": HazardClass,
    "regularity": Regularity,
    "handling": Handling,
    "readiness": Readiness,
}

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: object) -> str:
    """Case, ё/е, spaces and punctuation ignored."""
    return _NON_WORD.sub("", str(text).strip().lower().replace("ё", "е"))


@cache
def header_aliases() -> dict[str, str]:
    """Folded header → column key."""
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        for header in (column.key, *column.ru, *column.en):
            aliases.setdefault(fold(header), column.key)
    return aliases


def column_for_header(header: str) -> str | None:
    """The key of the column a header names, or None; «Температура, °C» and «Цена (BYN)» work."""
    aliases = header_aliases()
    key = aliases.get(fold(header))
    if key is None:
        head = re.split(r"[,(\[]", str(header), maxsplit=1)[0]
        key = aliases.get(fold(head)) if fold(head) else None
    return key


# Synonyms people write for coded values, beyond the code and the app's labels.
SYNONYMS: dict[Enum, tuple[str, ...]] = {
    Direction.OFFER: ("предложение", "предложения", "предлагает", "отдаёт", "offers", "supply", "предл"),
    Direction.NEED: ("потребность", "потребности", "нужда", "спрос", "needs", "demand", "потр"),
    Category.WASTE: ("отходы", "отход", "wastes"),
    Category.BY_PRODUCT: ("побочный продукт", "побочные продукты", "побочная продукция", "by-products", "byproduct"),
    Category.MATERIAL: ("сырьё", "сырье", "материалы", "материал", "вторичное сырьё", "вторичные материальные ресурсы",
                        "ВМР", "materials", "raw material", "raw materials", "secondary material"),
    Category.WATER: ("вода", "стоки", "сточные воды", "техническая вода", "wastewater", "effluent"),
    Category.HEAT: ("тепло", "тепловая энергия", "теплоэнергия", "теплота", "сбросное тепло", "thermal energy",
                    "waste heat"),
    Category.STEAM: ("пар", "водяной пар", "steam"),
    Category.ELECTRICITY: ("электроэнергия", "электрическая энергия", "электричество", "power", "electric power"),
    Category.FUEL_GAS: ("топливный газ", "газ", "природный газ", "горючий газ", "gas", "natural gas"),
    Category.CO2: ("co2", "со2", "углекислый газ", "диоксид углерода", "углекислота", "carbon dioxide"),
    Category.EQUIPMENT: ("оборудование", "мощности", "мощность", "простаивающее оборудование", "equipment",
                         "capacity", "capacities"),
    Category.INFRASTRUCTURE: ("инфраструктура", "объект инфраструктуры"),
    Category.SERVICE: ("услуги", "услуга", "сервис", "services"),
    Category.LOGISTICS: ("логистика", "перевозки", "транспорт", "transport"),
    CodeSystem.EWC: ("ewc", "low", "lw", "еко", "европейский", "европейский классификатор", "EWC code",
                     "List of Waste"),
    CodeSystem.NATIONAL: ("национальный", "нац", "рб", "классификатор рб", "классификатор отходов", "national code",
                          "belarusian"),
    HazardClass.CLASS_1: ("1", "i", "1 класс", "класс 1", "1 класс опасности", "первый"),
    HazardClass.CLASS_2: ("2", "ii", "2 класс", "класс 2", "2 класс опасности", "второй"),
    HazardClass.CLASS_3: ("3", "iii", "3 класс", "класс 3", "3 класс опасности", "третий"),
    HazardClass.CLASS_4: ("4", "iv", "4 класс", "класс 4", "4 класс опасности", "четвёртый"),
    HazardClass.NON_HAZARDOUS: ("неопасные", "неопасный", "неопасное", "неопасен", "не опасно", "non hazardous",
                                "nonhazardous", "not hazardous"),
    Regularity.CONTINUOUS: ("постоянно", "постоянный", "постоянная", "непрерывно", "непрерывный", "regular"),
    Regularity.SEASONAL: ("сезонно", "сезонный", "сезонная", "по сезону"),
    Regularity.BATCH: ("партиями", "партия", "периодически", "периодический", "batches"),
    Regularity.ONE_OFF: ("разово", "разовый", "разовая", "единовременно", "once", "one off", "oneoff"),
    Handling.LANDFILL: ("захоронение", "полигон", "вывоз на полигон", "landfilled"),
    Handling.SOLD: ("реализация", "продажа", "продаётся", "продается", "sale", "sell"),
    Handling.RECYCLED: ("переработка", "вторичная переработка", "перерабатывается", "recycling"),
    Handling.INCINERATED: ("сжигание", "сжигается", "incineration"),
    Handling.STORED: ("хранение", "хранится", "накопление", "storage"),
    Handling.DISCHARGED: ("сброс", "сбрасывается", "выброс", "discharge"),
    Handling.PURCHASED: ("закупка", "покупка", "покупается", "purchase", "bought"),
    Handling.OWN_PRODUCTION: ("собственное производство", "своё производство", "own"),
    Handling.OTHER: ("иное", "другое", "прочее"),
    Readiness.READY: ("готов", "готова", "готово", "готовы", "да"),
    Readiness.CONDITIONAL: ("готов на условиях", "на условиях", "с условиями", "условно", "conditional",
                            "with conditions"),
    Readiness.NOT_READY: ("не готов", "не готова", "не готовы", "нет", "no", "not ready"),
}


@cache
def value_aliases(enum_type: type[Enum]) -> dict[str, Enum]:
    """Folded word → value: the code, the app's labels in both languages, the synonyms."""
    ru = load_catalogue("ru")
    aliases: dict[str, Enum] = {}
    for value in enum_type:  # type: ignore[var-annotated]
        msgid = label(value)
        words = (str(value.value), msgid, ru.gettext(msgid), *SYNONYMS.get(value, ()))
        for word in words:
            if fold(word):
                aliases.setdefault(fold(word), value)
    return aliases


def parse_enum(enum_type: type[Enum], text: str) -> Enum | None:
    """The value ``text`` names, or None if it names none."""
    return value_aliases(enum_type).get(fold(text))


@cache
def period_words() -> dict[str, str]:
    """Folded period word → period: the labels the export writes, the codes."""
    words: dict[str, str] = {}
    for period, (ru, en) in PERIOD_LABELS.items():
        for word in (period.value, ru, en, ru.removeprefix("в "), en.removeprefix("per ")):
            words.setdefault(fold(word), period.value)
    return words


def value_label(value: Enum, language: str) -> str:
    """How the export writes a coded value: the app's label in ``language``."""
    return load_catalogue(language).gettext(label(value))


def period_label(period: Period, language: str) -> str:
    ru, en = PERIOD_LABELS[period]
    return en if language == "en" else ru


def unit_label(code: str, language: str) -> str:
    unit = UNITS.get(code)
    if unit is None:
        return code
    return unit.label_en if language == "en" else unit.label_ru


BOOLEAN_WORDS = {"ru": ("да", "нет"), "en": ("yes", "no")}


def boolean_label(value: bool, language: str) -> str:
    yes, no = BOOLEAN_WORDS["en" if language == "en" else "ru"]
    return yes if value else no
