"""UNIDO's two search modes over the knowledge base, with the zone's residents.

*By by-product or waste*: who can use this material (ranked receiving
activity classes with their precedents), and which residents of the zone are
in those classes. *By company type*: what a kind of company likely gives off
and needs, to confirm with the resident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symdesk.classifiers.reference import describe_activity
from symdesk.domain.codes import normalise_activity_code, normalise_waste_code
from symdesk.domain.issues import N_
from symdesk.i18n import current_language
from symdesk.matching.knowledge import (
    ActivitySuggestions,
    ReceiverSuggestion,
    knowledge_base,
)
from symdesk.services.errors import UserError
from symdesk.services.residents import list_residents
from symdesk.storage.db import Database
from symdesk.storage.repository import ResidentSummary


@dataclass(frozen=True)
class ReceiverInZone:
    suggestion: ReceiverSuggestion
    class_name: str
    residents: list[ResidentSummary] = field(default_factory=list)


def find_receivers(
    db: Database | None,
    *,
    code: str = "",
    text: str = "",
    provider_activity: str = "",
    limit: int = 10,
) -> list[ReceiverInZone]:
    """Ranked receiving activity classes for a material, each with the zone's residents of that class."""
    waste_code = ""
    if code.strip():
        read = normalise_waste_code(code)
        if read is None:
            raise UserError(N_("«{value}» is not a waste code (6 digits EWC or 7 digits national)"), value=code)
        waste_code = read[1]
    activity = ""
    if provider_activity.strip():
        activity = normalise_activity_code(provider_activity) or ""
        if not activity:
            raise UserError(N_("«{value}» is not an OKED code"), value=provider_activity)
    if not waste_code and not text.strip():
        raise UserError(N_("Give a waste code or a material name"))
    suggestions = knowledge_base().receivers(code=waste_code, text=text, provider_activity=activity, limit=limit)
    residents = list_residents(db) if db is not None else []
    language = current_language()
    return [
        ReceiverInZone(
            s,
            describe_activity(s.nace_class, language),
            [r for r in residents if any(c[:4] == s.nace_class for c in r.activity_codes)],
        )
        for s in suggestions
    ]


def suggest_for_activity(activity: str, limit: int = 10) -> ActivitySuggestions:
    """Likely by-products and inputs of a kind of company ("search by company type")."""
    code = normalise_activity_code(activity)
    if code is None:
        raise UserError(N_("«{value}» is not an OKED code"), value=activity)
    return knowledge_base().suggest_for_activity(code, limit=limit)


def material_name(key: str) -> str:
    """A material class's name in the current language."""
    material = knowledge_base().materials.get(key)
    if material is None:
        return key
    return material.name_en if current_language() == "en" else material.name_ru
