"""A deterministic synthetic zone for the matching benchmarks: N residents, ~20 streams each.

The demo zone has 52 residents; the speed targets are about 200 residents (a
large zone) and 10,000 (a national register). Replicating the demo would give
thousands of identical streams, which match each other far more than real
ones do, so this generator draws residents and streams from the shipped
classifiers instead: ОКЭД classes mostly from manufacturing, EWC codes chosen
by the chapters a resident's division gives off or takes in (with a long tail),
names taken from the EWC entry (Russian, as typed into a questionnaire),
utilities with temperatures and pressures, all the units and periods a
questionnaire allows, and a share of missing data (no code, no quantity, no
coordinates, no price). The same seed always gives the same zone. Up to 300 residents they share one
zone of 30 × 30 km; a larger register is national, its sites (40 residents
each) spread over Belarus, as the residents of all the zones and industrial
parks of the country are.

    from synthetic_zone import synthetic_zone
    zone = synthetic_zone(200, seed=1)   # zone.residents, zone.streams, zone.sites
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from functools import cache

from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident
from symdesk.domain.stream import (
    CODED_CATEGORIES,
    Category,
    CodeSystem,
    Direction,
    Handling,
    HazardClass,
    Readiness,
    Regularity,
    Stream,
)
from symdesk.domain.units import Period
from symdesk.domain.zone import Site, Zone
from symdesk.paths import resources_dir

CENTRE = (53.17, 29.27)
HALF_SIDE_KM = 15.0  # a 30 × 30 km area
# Above this many residents the register is national: its sites lie all over Belarus.
ONE_ZONE_UP_TO = 300
BELARUS = ((51.4, 55.9), (23.6, 31.9))  # latitude and longitude ranges
KM_PER_DEG_LAT = 111.2
STREAMS_PER_RESIDENT = 20
OFFER_SHARE = 0.6

# Which EWC chapters an activity division gives off (and, for its inputs, takes in).
DIVISION_CHAPTERS: dict[str, tuple[str, ...]] = {
    "01": ("02",), "02": ("02", "03"), "10": ("02",), "11": ("02",), "13": ("04",), "14": ("04",),
    "15": ("04",), "16": ("03",), "17": ("03",), "18": ("08", "09"), "19": ("05", "13"),
    "20": ("07", "06"), "21": ("07",), "22": ("07", "12"), "23": ("10", "17", "01"), "24": ("10", "11"),
    "25": ("12", "11"), "26": ("16",), "27": ("16", "12"), "28": ("12",), "29": ("12", "16"),
    "30": ("12",), "31": ("03", "08"), "32": ("12",), "33": ("16", "13"), "35": ("10", "19"),
    "36": ("19",), "37": ("19",), "38": ("19", "20"), "41": ("17",), "42": ("17",), "43": ("17",),
    "45": ("16", "13"), "46": ("15",), "47": ("15", "20"), "49": ("13", "16"), "52": ("15",),
}
# Everyone gives off some of these (packaging, office, oils, worn equipment).
COMMON_CHAPTERS = ("15", "20", "13", "16", "08")
# Receivers everywhere take these in (recyclers of packaging, treatment, ashes, wood).
NEED_CHAPTERS = ("15", "19", "20", "10", "03")
# Divisions of the residents: mostly manufacturing, plus energy, waste, logistics, farming.
DIVISION_WEIGHTS = {d: 3.0 for d in DIVISION_CHAPTERS} | {
    "10": 6.0, "16": 5.0, "22": 5.0, "23": 4.0, "25": 5.0, "20": 3.0, "35": 1.5, "38": 2.0, "46": 2.0, "52": 2.0,
}

OFFER_CATEGORIES = {
    Category.WASTE: 50, Category.BY_PRODUCT: 12, Category.MATERIAL: 4, Category.WATER: 6, Category.HEAT: 5,
    Category.STEAM: 1.5, Category.ELECTRICITY: 1, Category.FUEL_GAS: 1, Category.CO2: 1,
    Category.EQUIPMENT: 5, Category.INFRASTRUCTURE: 4, Category.SERVICE: 6, Category.LOGISTICS: 3,
}
NEED_CATEGORIES = {
    Category.MATERIAL: 30, Category.WASTE: 8, Category.BY_PRODUCT: 8, Category.WATER: 8, Category.HEAT: 7,
    Category.STEAM: 3, Category.ELECTRICITY: 4, Category.FUEL_GAS: 3, Category.CO2: 1,
    Category.EQUIPMENT: 3, Category.INFRASTRUCTURE: 6, Category.SERVICE: 14, Category.LOGISTICS: 5,
}

# Names for the uncoded categories, (offer names, need names), as written in questionnaires.
UTILITY_NAMES: dict[Category, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Category.WATER: (
        ("Очищенные сточные воды", "Вода охлаждающая оборотная", "Конденсат пара", "Сточные воды производственные",
         "Вода после промывки оборудования", "Теплая вода после охлаждения"),
        ("Вода техническая", "Вода питьевая", "Вода для приготовления бетона", "Вода подпиточная",
         "Сточные воды на очистку", "Вода для полива"),
    ),
    Category.HEAT: (
        ("Сбросное тепло охлаждающей воды", "Тепло дымовых газов котельной", "Горячая вода от компрессоров",
         "Тепло отходящих газов печей", "Избыток тепла когенерационной установки"),
        ("Тепло на отопление", "Тепло для сушки", "Горячее водоснабжение", "Тепло для теплиц",
         "Тепло для пропарки изделий"),
    ),
    Category.STEAM: (
        ("Пар насыщенный", "Пар вторичный", "Пар от утилизационного котла"),
        ("Пар технологический", "Пар на пропарку", "Пар для автоклавов"),
    ),
    Category.ELECTRICITY: (
        ("Избыток электроэнергии газопоршневой установки", "Электроэнергия от солнечной электростанции"),
        ("Электроэнергия", "Электроэнергия для новых цехов"),
    ),
    Category.FUEL_GAS: (("Биогаз", "Попутный горючий газ", "Синтез-газ"), ("Газ природный", "Газ для котельной")),
    Category.CO2: (("Диоксид углерода дымовых газов", "CO2 от брожения"), ("Диоксид углерода для теплиц",
                                                                            "CO2 для сухого льда")),
    Category.EQUIPMENT: (
        ("Простаивающий пресс", "Свободная сушильная камера", "Погрузчик вилочный", "Свободные мощности ЧПУ станков",
         "Дробилка для пластика"),
        ("Аренда сушильной камеры", "Погрузчик вилочный на время", "Станок ЧПУ на аутсорсинг", "Пресс для брикетов"),
    ),
    Category.INFRASTRUCTURE: (
        ("Свободные складские площади", "Железнодорожный подъездной путь", "Очистные сооружения",
         "Солнечная электростанция на кровле", "Свободная площадка для хранения"),
        ("Складские площади в аренду", "Доступ к железнодорожному пути", "Очистка сточных вод",
         "Площадка для хранения отходов", "Совместная санитарно-защитная зона"),
    ),
    Category.SERVICE: (
        ("Ремонт грузовых автомобилей", "Лабораторные анализы", "Обучение персонала охране труда",
         "Таможенное оформление грузов", "Сбор и вывоз отходов", "Мониторинг качества воздуха"),
        ("Ремонт грузовых автомобилей", "Лабораторные анализы воды", "Обучение персонала",
         "Таможенное оформление", "Вывоз отходов", "Мониторинг выбросов в атмосферу", "Охрана территории"),
    ),
    Category.LOGISTICS: (
        ("Попутная загрузка автомобилей", "Свободные места на складе временного хранения"),
        ("Доставка грузов попутным транспортом", "Склад временного хранения"),
    ),
}
TEMPERATURES = {Category.HEAT: ((40, 220), (40, 150)), Category.STEAM: ((140, 260), (120, 220))}
UNITS_BY_CATEGORY: dict[Category, tuple[str, ...]] = {
    Category.WASTE: ("t", "t", "t", "kg", "m3", "pcs"),
    Category.BY_PRODUCT: ("t", "t", "kg", "m3"),
    Category.MATERIAL: ("t", "t", "kg", "m3"),
    Category.WATER: ("m3", "m3", "thousand_m3"),
    Category.HEAT: ("Gcal", "Gcal", "MWh", "GJ", "Gcal_h"),
    Category.STEAM: ("t", "Gcal", "Gcal_h"),
    Category.ELECTRICITY: ("MWh", "kWh", "kW"),
    Category.FUEL_GAS: ("thousand_m3", "m3"),
    Category.CO2: ("t",),
    Category.EQUIPMENT: ("pcs", "h"),
    Category.INFRASTRUCTURE: ("m2", "pcs"),
    Category.SERVICE: ("h", "pcs"),
    Category.LOGISTICS: ("t", "pcs"),
}
RATE_UNITS = frozenset({"kW", "MW", "Gcal_h", "m2", "ha"})
PERIODS = (Period.YEAR, Period.YEAR, Period.YEAR, Period.MONTH, Period.MONTH, Period.DAY, Period.SHIFT, Period.QUARTER)


@dataclass
class SyntheticZone:
    zone: Zone
    sites: list[Site] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    streams: list[Stream] = field(default_factory=list)

    @property
    def offers(self) -> list[Stream]:
        return [s for s in self.streams if s.direction is Direction.OFFER]

    @property
    def needs(self) -> list[Stream]:
        return [s for s in self.streams if s.direction is Direction.NEED]


@cache
def _activity_classes() -> dict[str, list[str]]:
    """Four-digit ОКЭД/NACE classes of the classifier, by division."""
    by_division: dict[str, list[str]] = {}
    with (resources_dir() / "classifiers" / "activities.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "class" and row["code"][:2] in DIVISION_WEIGHTS:
                by_division.setdefault(row["code"][:2], []).append(row["code"])
    return by_division


@cache
def _ewc_entries() -> dict[str, list[tuple[str, str, bool]]]:
    """EWC entries (code, Russian name, hazardous) by chapter."""
    by_chapter: dict[str, list[tuple[str, str, bool]]] = {}
    with (resources_dir() / "classifiers" / "ewc.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_chapter.setdefault(row["code"][:2], []).append((row["code"], row["name_ru"], row["hazardous"] == "1"))
    return by_chapter


def _pick(rng: random.Random, weights: dict, ) -> object:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ewc_entry(rng: random.Random, chapters: tuple[str, ...]) -> tuple[str, str, bool]:
    """An entry of one of ``chapters`` (or, one time in five, of any chapter); early entries more often.

    Real registers are dominated by a few common wastes, so entries are drawn
    with Zipf weights (1/rank) by their position in the chapter.
    """
    entries = _ewc_entries()
    if rng.random() < 0.2 or not chapters:
        chapters = tuple(entries)
    chapter = [c for c in (rng.choice(chapters),) if c in entries] or [rng.choice(list(entries))]
    items = entries[chapter[0]]
    return rng.choices(items, cum_weights=_zipf(len(items)))[0]


@cache
def _zipf(n: int) -> list[float]:
    """Cumulative weights 1/rank: the first entry of a chapter is the most common."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        out.append(total)
    return out


def _quantity(rng: random.Random, category: Category, unit: str) -> float:
    scale = {"kg": 1000.0, "m3": 200.0, "thousand_m3": 5.0, "pcs": 50.0, "h": 300.0, "m2": 500.0, "kW": 200.0,
             "Gcal_h": 2.0, "kWh": 50_000.0, "MWh": 300.0, "Gcal": 500.0, "GJ": 2000.0}.get(unit, 100.0)
    return round(scale * math.exp(rng.gauss(0.0, 1.2)), 2)


def _stream(rng: random.Random, resident: Resident, direction: Direction, i: int, division: str) -> Stream:
    weights = OFFER_CATEGORIES if direction is Direction.OFFER else NEED_CATEGORIES
    category: Category = _pick(rng, weights)  # type: ignore[assignment]
    s = Stream(
        resident_id=resident.id,
        direction=direction,
        category=category,
        name="",
        meta=RecordMeta(id=f"{resident.id}-{direction.value[0]}{i:02d}"),
    )
    if category in CODED_CATEGORIES:
        own = DIVISION_CHAPTERS.get(division, ())
        chapters = own + COMMON_CHAPTERS if direction is Direction.OFFER else own + NEED_CHAPTERS
        code, name, hazardous = _ewc_entry(rng, chapters)
        # People shorten the official wording: «Шламы от очистки сточных вод на месте, содержащие …».
        s.name = name.split(",")[0].split(" (")[0]
        if rng.random() < 0.85:  # some rows come without a code
            s.code, s.code_system = code, CodeSystem.EWC
        if rng.random() < 0.8:
            s.hazard_class = (
                rng.choice((HazardClass.CLASS_1, HazardClass.CLASS_2, HazardClass.CLASS_3))
                if hazardous
                else rng.choice((HazardClass.CLASS_4, HazardClass.NON_HAZARDOUS, HazardClass.NON_HAZARDOUS))
            )
        if direction is Direction.OFFER:
            s.handling = rng.choice((Handling.LANDFILL, Handling.LANDFILL, Handling.SOLD, Handling.STORED,
                                     Handling.RECYCLED, Handling.INCINERATED, None))
        elif rng.random() < 0.3:
            s.secondary_acceptable = rng.random() < 0.85
    else:
        names = UTILITY_NAMES[category][0 if direction is Direction.OFFER else 1]
        s.name = rng.choice(names)
        if category in TEMPERATURES and rng.random() < 0.85:
            lo, hi = TEMPERATURES[category][0 if direction is Direction.OFFER else 1]
            s.temperature_c = float(rng.randrange(lo, hi, 5))
            if category is Category.STEAM:
                s.pressure_mpa = round(rng.uniform(0.2, 2.5 if direction is Direction.OFFER else 1.6), 1)
        if category is Category.WATER and direction is Direction.OFFER:
            s.handling = rng.choice((Handling.DISCHARGED, Handling.DISCHARGED, Handling.RECYCLED, None))
    if rng.random() < 0.85:  # quantity missing on some rows
        s.unit = rng.choice(UNITS_BY_CATEGORY[category])
        s.quantity = _quantity(rng, category, s.unit)
        s.period = None if s.unit in RATE_UNITS else rng.choice(PERIODS)
    if rng.random() < 0.75:
        s.regularity = rng.choice((Regularity.CONTINUOUS, Regularity.CONTINUOUS, Regularity.BATCH,
                                   Regularity.SEASONAL, Regularity.ONE_OFF))
    if rng.random() < 0.5:
        base = round(math.exp(rng.gauss(3.0, 1.0)), 2)
        s.price_byn = -base if direction is Direction.OFFER and rng.random() < 0.3 else base
    s.readiness = rng.choice((Readiness.READY, Readiness.CONDITIONAL, Readiness.NOT_READY, None))
    s.confidential = rng.random() < 0.05
    return s


def synthetic_zone(n_residents: int, seed: int = 1, streams_per_resident: int = STREAMS_PER_RESIDENT) -> SyntheticZone:
    """``n_residents`` residents with about ``streams_per_resident`` streams each, the same for the same seed."""
    rng = random.Random(seed)
    zone = SyntheticZone(Zone(name=f"Синтетическая зона ({n_residents})", latitude=CENTRE[0], longitude=CENTRE[1],
                              meta=RecordMeta(id=f"zone-{seed}")))
    km_per_deg_lon = KM_PER_DEG_LAT * math.cos(math.radians(CENTRE[0]))
    n_sites = max(1, n_residents // 40)
    for k in range(n_sites):
        if n_residents <= ONE_ZONE_UP_TO:
            lat = CENTRE[0] + rng.uniform(-HALF_SIDE_KM, HALF_SIDE_KM) / KM_PER_DEG_LAT
            lon = CENTRE[1] + rng.uniform(-HALF_SIDE_KM, HALF_SIDE_KM) / km_per_deg_lon
        else:  # a national register: industrial sites in every region, 40 residents each
            lat, lon = rng.uniform(*BELARUS[0]), rng.uniform(*BELARUS[1])
        zone.sites.append(Site(zone.zone.id, f"Участок {k + 1}", f"У-{k + 1}", round(lat, 6), round(lon, 6),
                               RecordMeta(id=f"site-{seed}-{k:04d}")))
    classes = _activity_classes()
    for i in range(n_residents):
        division: str = _pick(rng, DIVISION_WEIGHTS)  # type: ignore[assignment]
        codes = [rng.choice(classes[division]) + "0"]
        if rng.random() < 0.25:
            other: str = _pick(rng, DIVISION_WEIGHTS)  # type: ignore[assignment]
            codes.append(rng.choice(classes[other]) + "0")
        site = rng.choice(zone.sites)
        # Residents sit around their site (a few kilometres), some without coordinates.
        lat = lon = None
        if rng.random() < 0.9 and site.latitude is not None and site.longitude is not None:
            lat = round(site.latitude + rng.gauss(0, 1.5) / KM_PER_DEG_LAT, 6)
            lon = round(site.longitude + rng.gauss(0, 1.5) / km_per_deg_lon, 6)
        resident = Resident(
            zone_id=zone.zone.id,
            name=f"ООО «Резидент {i + 1:05d}»",
            unp=f"{790000000 + i:09d}",
            activity_codes=list(dict.fromkeys(codes)),
            site_id=site.id,
            latitude=lat,
            longitude=lon,
            meta=RecordMeta(id=f"r{seed}-{i:05d}"),
        )
        zone.residents.append(resident)
        n_streams = max(2, round(rng.gauss(streams_per_resident, streams_per_resident / 4)))
        n_offers = sum(rng.random() < OFFER_SHARE for _ in range(n_streams))
        for j in range(n_streams):
            direction = Direction.OFFER if j < n_offers else Direction.NEED
            zone.streams.append(_stream(rng, resident, direction, j, division))
    return zone


def edit_one_resident(zone: SyntheticZone, seed: int = 2) -> tuple[Resident, list[Stream]]:
    """Simulate one questionnaire edit: a resident's streams replaced by new ones (same ids where kept).

    Returns the resident and its new streams; ``zone.streams`` is updated in place.
    """
    rng = random.Random(seed)
    resident = zone.residents[rng.randrange(len(zone.residents))]
    division = resident.activity_codes[0][:2]
    old = [s for s in zone.streams if s.resident_id == resident.id]
    new = [_stream(rng, resident, s.direction, j, division) for j, s in enumerate(old)]
    for s, n in zip(old, new, strict=True):
        n.meta = RecordMeta(id=s.id)
    keep = [s for s in zone.streams if s.resident_id != resident.id]
    zone.streams = keep + new
    return resident, new
