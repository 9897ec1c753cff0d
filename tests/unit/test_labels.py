from __future__ import annotations

from symdesk.domain import labels
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


def test_every_coded_value_has_a_label() -> None:
    enums = (Direction, Category, OpportunityKind, CodeSystem, HazardClass, Regularity, Handling,
             Readiness, ResidentStatus, QuestionnaireStatus, Period, MatchKind, OpportunityStatus)
    missing = [v for e in enums for v in e if v not in labels.LABELS]
    assert missing == []
