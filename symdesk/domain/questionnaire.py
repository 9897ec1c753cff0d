"""A resident's answers for one survey campaign."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from symdesk.domain.issues import N_, Issue
from symdesk.domain.records import RecordMeta


class QuestionnaireStatus(StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"
    VERIFIED = "verified"


@dataclass
class Questionnaire:
    """Per resident per campaign. Offers and needs live as ``Stream`` records
    pointing here; the other answers (resource use, measures, interest in a
    cleaner-production assessment…) are kept in ``answers`` keyed by the field
    names of the form definition, so that answers to fields a later form
    version dropped are kept, not lost."""

    resident_id: str
    campaign_id: str
    status: QuestionnaireStatus = QuestionnaireStatus.DRAFT
    surveyor: str = ""
    survey_date: date | None = None
    consent_to_share: bool = False
    form_id: str = "sez-resident"
    form_version: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def id(self) -> str:
        return self.meta.id

    def validate(self) -> list[Issue]:
        issues: list[Issue] = []
        if self.status is not QuestionnaireStatus.DRAFT:
            if not self.surveyor.strip():
                issues.append(Issue("surveyor", N_("A complete questionnaire names its surveyor")))
            if self.survey_date is None:
                issues.append(Issue("survey_date", N_("A complete questionnaire has a survey date")))
        return issues
