"""Streams: what a resident offers to others and what it needs from them.

One dataclass serves both directions; the questionnaire asks the same things
from the supplier's and the consumer's side. Categories group into UNIDO's six
kinds of symbiosis opportunity (see ``OPPORTUNITY_KIND``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from symdesk.domain.codes import normalise_waste_code
from symdesk.domain.issues import N_, Issue, Msg
from symdesk.domain.records import RecordMeta
from symdesk.domain.units import UNITS, Dimension, Period, YearlyAmount, yearly_amount


class Direction(StrEnum):
    OFFER = "offer"
    NEED = "need"


class Category(StrEnum):
    WASTE = "waste"
    BY_PRODUCT = "by_product"
    MATERIAL = "material"  # raw or secondary material, sold or bought
    WATER = "water"
    HEAT = "heat"
    STEAM = "steam"
    ELECTRICITY = "electricity"
    FUEL_GAS = "fuel_gas"
    CO2 = "co2"
    EQUIPMENT = "equipment"  # idle equipment or spare capacity
    INFRASTRUCTURE = "infrastructure"
    SERVICE = "service"
    LOGISTICS = "logistics"


class OpportunityKind(StrEnum):
    """The six kinds of industrial-symbiosis opportunity (DOMAIN.md)."""

    BY_PRODUCT = "by_product"
    WATER = "water"
    ENERGY = "energy"
    GHG = "ghg"
    INFRASTRUCTURE = "infrastructure"
    SERVICE = "service"


OPPORTUNITY_KIND: dict[Category, OpportunityKind] = {
    Category.WASTE: OpportunityKind.BY_PRODUCT,
    Category.BY_PRODUCT: OpportunityKind.BY_PRODUCT,
    Category.MATERIAL: OpportunityKind.BY_PRODUCT,
    Category.WATER: OpportunityKind.WATER,
    Category.HEAT: OpportunityKind.ENERGY,
    Category.STEAM: OpportunityKind.ENERGY,
    Category.ELECTRICITY: OpportunityKind.ENERGY,
    Category.FUEL_GAS: OpportunityKind.ENERGY,
    Category.CO2: OpportunityKind.GHG,
    Category.EQUIPMENT: OpportunityKind.INFRASTRUCTURE,
    Category.INFRASTRUCTURE: OpportunityKind.INFRASTRUCTURE,
    Category.SERVICE: OpportunityKind.SERVICE,
    Category.LOGISTICS: OpportunityKind.SERVICE,
}

# Which dimensions of quantity make sense for each category: Gcal of a solid
# waste is a typing error, tonnes of steam are not.
ALLOWED_DIMENSIONS: dict[Category, frozenset[Dimension]] = {
    Category.WASTE: frozenset({Dimension.MASS, Dimension.VOLUME, Dimension.COUNT}),
    Category.BY_PRODUCT: frozenset({Dimension.MASS, Dimension.VOLUME, Dimension.COUNT}),
    Category.MATERIAL: frozenset({Dimension.MASS, Dimension.VOLUME, Dimension.COUNT}),
    Category.WATER: frozenset({Dimension.VOLUME, Dimension.MASS}),
    Category.HEAT: frozenset({Dimension.ENERGY, Dimension.POWER}),
    Category.STEAM: frozenset({Dimension.ENERGY, Dimension.POWER, Dimension.MASS}),
    Category.ELECTRICITY: frozenset({Dimension.ENERGY, Dimension.POWER}),
    Category.FUEL_GAS: frozenset({Dimension.VOLUME, Dimension.ENERGY}),
    Category.CO2: frozenset({Dimension.MASS, Dimension.VOLUME}),
    Category.EQUIPMENT: frozenset(
        {Dimension.COUNT, Dimension.POWER, Dimension.AREA, Dimension.MASS, Dimension.VOLUME, Dimension.TIME}
    ),
    Category.INFRASTRUCTURE: frozenset(
        {Dimension.COUNT, Dimension.POWER, Dimension.AREA, Dimension.VOLUME, Dimension.MASS}
    ),
    Category.SERVICE: frozenset({Dimension.COUNT, Dimension.TIME, Dimension.MASS, Dimension.VOLUME}),
    Category.LOGISTICS: frozenset({Dimension.MASS, Dimension.VOLUME, Dimension.COUNT, Dimension.TIME}),
}

# Categories whose streams can carry a waste code and a hazard class.
CODED_CATEGORIES = frozenset({Category.WASTE, Category.BY_PRODUCT, Category.MATERIAL})
THERMAL_CATEGORIES = frozenset({Category.HEAT, Category.STEAM, Category.WATER})


class CodeSystem(StrEnum):
    NATIONAL = "national"  # Классификатор отходов РБ, 7 digits
    EWC = "ewc"  # European List of Waste, 6 digits


class HazardClass(StrEnum):
    CLASS_1 = "1"
    CLASS_2 = "2"
    CLASS_3 = "3"
    CLASS_4 = "4"
    NON_HAZARDOUS = "non_hazardous"

    @property
    def needs_licensed_handler(self) -> bool:
        return self in (HazardClass.CLASS_1, HazardClass.CLASS_2)


class Regularity(StrEnum):
    CONTINUOUS = "continuous"
    SEASONAL = "seasonal"
    BATCH = "batch"
    ONE_OFF = "one_off"


class Handling(StrEnum):
    """How an offered stream is dealt with today, or where a need is met from."""

    LANDFILL = "landfill"
    SOLD = "sold"
    RECYCLED = "recycled"
    INCINERATED = "incinerated"
    STORED = "stored"
    DISCHARGED = "discharged"  # to sewer, air or a water body
    PURCHASED = "purchased"  # a need met by buying primary resource
    OWN_PRODUCTION = "own_production"
    OTHER = "other"


class Readiness(StrEnum):
    READY = "ready"
    CONDITIONAL = "conditional"  # ready with conditions or investment
    NOT_READY = "not_ready"


def _label(value: StrEnum) -> Msg:
    from symdesk.domain.labels import label  # labels imports this module

    return Msg(label(value))


@dataclass
class Stream:
    resident_id: str
    direction: Direction
    category: Category
    name: str
    questionnaire_id: str | None = None
    code: str = ""
    code_system: CodeSystem | None = None
    hazard_class: HazardClass | None = None
    quantity: float | None = None
    unit: str = ""
    period: Period | None = Period.YEAR
    regularity: Regularity | None = None
    quality: str = ""
    temperature_c: float | None = None
    pressure_mpa: float | None = None
    handling: Handling | None = None
    # BYN per unit of ``unit``, paid by the consumer to the supplier. Negative on
    # an offer: the holder pays to be rid of it; negative on a need: the
    # resident charges for taking it in (a treatment plant, a recycler).
    price_byn: float | None = None
    secondary_acceptable: bool | None = None  # needs only
    readiness: Readiness | None = None
    confidential: bool = False
    notes: str = ""
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def kind(self) -> OpportunityKind:
        return OPPORTUNITY_KIND[self.category]

    def yearly(self) -> YearlyAmount | None:
        """The stream's amount per year in the canonical unit, if it can be computed."""
        if self.quantity is None or self.unit not in UNITS:
            return None
        return yearly_amount(self.quantity, self.unit, self.period)

    def normalise(self) -> None:
        self.name = self.name.strip()
        if self.code.strip():
            read = normalise_waste_code(self.code)
            if read:
                system, digits = read
                self.code = digits
                if self.code_system is None:
                    self.code_system = CodeSystem(system)
        else:
            self.code = ""

    def validate(self) -> list[Issue]:
        issues: list[Issue] = []
        if not self.name.strip():
            issues.append(Issue("name", N_("The stream needs a name")))
        if self.quantity is not None and self.quantity < 0:
            issues.append(Issue("quantity", N_("Quantity cannot be negative")))
        if self.unit:
            u = UNITS.get(self.unit)
            if u is None:
                issues.append(Issue("unit", N_("Unknown unit «{value}»"), {"value": self.unit}))
            elif u.dimension not in ALLOWED_DIMENSIONS[self.category]:
                issues.append(
                    Issue(
                        "unit",
                        N_("Unit {unit} does not fit the category {category}"),
                        {"unit": u.label_en, "category": _label(self.category)},
                    )
                )
        elif self.quantity is not None:
            issues.append(Issue("unit", N_("A quantity needs a unit")))
        if self.code:
            read = normalise_waste_code(self.code)
            if read is None:
                issues.append(
                    Issue(
                        "code",
                        N_("«{value}» is not a waste code (6 digits EWC or 7 digits national)"),
                        {"value": self.code},
                    )
                )
            elif self.code_system is not None and read[0] != self.code_system.value:
                issues.append(
                    Issue(
                        "code_system",
                        N_("Code {value} does not have the length of a {system} code"),
                        {"value": self.code, "system": _label(self.code_system)},
                    )
                )
            if self.category not in CODED_CATEGORIES:
                issues.append(Issue("code", N_("Only wastes, by-products and materials carry a waste code")))
        if self.hazard_class is not None and self.category not in CODED_CATEGORIES:
            issues.append(Issue("hazard_class", N_("Only wastes, by-products and materials carry a hazard class")))
        if self.temperature_c is not None and not -60 <= self.temperature_c <= 1500:
            issues.append(Issue("temperature_c", N_("Temperature must be between -60 and 1500 °C")))
        if self.pressure_mpa is not None and not 0 <= self.pressure_mpa <= 40:
            issues.append(Issue("pressure_mpa", N_("Pressure must be between 0 and 40 MPa")))
        if (self.temperature_c is not None or self.pressure_mpa is not None) and (
            self.category not in THERMAL_CATEGORIES and self.category not in CODED_CATEGORIES
        ):
            issues.append(
                Issue("temperature_c", N_("Temperature and pressure apply to heat, steam, water and materials"))
            )
        if self.secondary_acceptable is not None and self.direction is Direction.OFFER:
            issues.append(Issue("secondary_acceptable", N_("Only a need says whether a secondary resource is acceptable")))
        return issues
