"""Human names of the domain's coded values, as English msgids.

The layers above show them with ``_(label(value))``; keeping them here means
the CLI, the GUI and reports name a category or status the same way.
"""

from __future__ import annotations

from enum import Enum

from symdesk.domain.issues import N_
from symdesk.domain.opportunity import MatchKind, OpportunityStatus
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.resident import ResidentStatus
from symdesk.domain.stream import (
    Category,
    CodeSystem,
    Direction,
    Handling,
    HazardClass,
    OpportunityKind,
    Readiness,
    Regularity,
)
from symdesk.domain.units import Period

LABELS: dict[Enum, str] = {
    Direction.OFFER: N_("offer"),
    Direction.NEED: N_("need"),
    Category.WASTE: N_("waste"),
    Category.BY_PRODUCT: N_("by-product"),
    Category.MATERIAL: N_("raw or secondary material"),
    Category.WATER: N_("water"),
    Category.HEAT: N_("heat"),
    Category.STEAM: N_("steam"),
    Category.ELECTRICITY: N_("electricity"),
    Category.FUEL_GAS: N_("fuel gas"),
    Category.CO2: N_("CO2"),
    Category.EQUIPMENT: N_("equipment or capacity"),
    Category.INFRASTRUCTURE: N_("infrastructure"),
    Category.SERVICE: N_("service"),
    Category.LOGISTICS: N_("logistics"),
    OpportunityKind.BY_PRODUCT: N_("by-products and wastes"),
    OpportunityKind.WATER: N_("water"),
    OpportunityKind.ENERGY: N_("energy"),
    OpportunityKind.GHG: N_("greenhouse gases"),
    OpportunityKind.INFRASTRUCTURE: N_("shared infrastructure"),
    OpportunityKind.SERVICE: N_("shared services"),
    CodeSystem.NATIONAL: N_("national classifier"),
    CodeSystem.EWC: N_("European List of Waste"),
    HazardClass.CLASS_1: N_("class 1"),
    HazardClass.CLASS_2: N_("class 2"),
    HazardClass.CLASS_3: N_("class 3"),
    HazardClass.CLASS_4: N_("class 4"),
    HazardClass.NON_HAZARDOUS: N_("non-hazardous"),
    Regularity.CONTINUOUS: N_("continuous"),
    Regularity.SEASONAL: N_("seasonal"),
    Regularity.BATCH: N_("batch"),
    Regularity.ONE_OFF: N_("one-off"),
    Handling.LANDFILL: N_("landfill"),
    Handling.SOLD: N_("sold"),
    Handling.RECYCLED: N_("recycled"),
    Handling.INCINERATED: N_("incinerated"),
    Handling.STORED: N_("stored"),
    Handling.DISCHARGED: N_("discharged"),
    Handling.PURCHASED: N_("purchased"),
    Handling.OWN_PRODUCTION: N_("own production"),
    Handling.OTHER: N_("other"),
    Readiness.READY: N_("ready"),
    Readiness.CONDITIONAL: N_("ready with conditions"),
    Readiness.NOT_READY: N_("not ready"),
    ResidentStatus.ACTIVE: N_("active"),
    ResidentStatus.PLANNED: N_("planned"),
    ResidentStatus.SUSPENDED: N_("suspended"),
    ResidentStatus.LEFT: N_("left the zone"),
    QuestionnaireStatus.DRAFT: N_("draft"),
    QuestionnaireStatus.COMPLETE: N_("complete"),
    QuestionnaireStatus.VERIFIED: N_("verified"),
    MatchKind.PAIR: N_("offer meets need"),
    MatchKind.RECEIVER: N_("possible user of an offer"),
    MatchKind.COMPANY_TYPE: N_("likely by company type"),
    MatchKind.POOLING: N_("shared service or infrastructure"),
    MatchKind.CHAIN: N_("chain of exchanges"),
    OpportunityStatus.NEW: N_("new"),
    OpportunityStatus.DISCUSSING: N_("discussing"),
    OpportunityStatus.NEGOTIATING: N_("negotiating"),
    OpportunityStatus.IMPLEMENTED: N_("implemented"),
    OpportunityStatus.REJECTED: N_("rejected"),
    Period.YEAR: N_("per year"),
    Period.QUARTER: N_("per quarter"),
    Period.MONTH: N_("per month"),
    Period.WEEK: N_("per week"),
    Period.DAY: N_("per day"),
    Period.SHIFT: N_("per shift"),
    Period.HOUR: N_("per hour"),
}


def label(value: Enum) -> str:
    """The msgid naming ``value``; translate it with ``_()`` where it is shown."""
    return LABELS.get(value, str(value.value))
