"""Questionnaires: list, open, fill, save as draft, complete, verify.

A questionnaire belongs to one resident and one campaign. Its offers and
needs are the resident's streams that point to it; a new questionnaire
adopts the resident's streams that belong to no questionnaire yet, so that
filling it in updates them instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from symdesk.classifiers.reference import activity_classes
from symdesk.domain.issues import N_, Issue, ValidationError
from symdesk.domain.questionnaire import Questionnaire, QuestionnaireStatus
from symdesk.domain.resident import Resident
from symdesk.domain.zone import Campaign
from symdesk.i18n import _, current_language
from symdesk.questionnaire.binding import document_from_records, records_from_document
from symdesk.questionnaire.definition import FormDefinition, default_definition
from symdesk.questionnaire.document import QuestionnaireDocument
from symdesk.questionnaire.validation import FieldIssue, validate_document
from symdesk.services.errors import UserError
from symdesk.services.lookup import one_by_id_prefix
from symdesk.services.zones import current_zone_in
from symdesk.storage.db import Database
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.repository import (
    CampaignRepository,
    QuestionnaireRepository,
    ResidentRepository,
    StreamRepository,
)
from symdesk.storage.uow import unit_of_work


class DocumentInvalid(ValidationError):
    """A document refused on saving; ``field_issues`` locate each problem in the form.

    As a plain ``ValidationError`` each issue names the field by its label in
    the form («Анкетирование / Дата заполнения», «Предложения, строка 2 / Код
    отхода»), so the one-line CLI message says where to look.
    """

    def __init__(self, field_issues: list[FieldIssue], definition: FormDefinition | None = None):
        self.field_issues = field_issues
        definition = definition or default_definition()
        super().__init__([Issue(where_in_form(definition, i), i.message, i.params) for i in field_issues])


def where_in_form(definition: FormDefinition, issue: FieldIssue) -> str:
    language = current_language()
    try:
        section = definition.section(issue.section)
        field_label = section.field(issue.field).label.get(language)
        section_label = section.label.get(language)
    except KeyError:
        return f"{issue.section}.{issue.field}"
    if issue.row is not None:
        section_label = _("{section}, row {row}").format(section=section_label, row=issue.row + 1)
    return f"{section_label} / {field_label}"


@dataclass(frozen=True)
class QuestionnaireSummary:
    id: str
    resident_id: str
    resident_name: str
    unp: str
    campaign_id: str
    campaign_name: str
    status: str
    surveyor: str
    survey_date: date | None
    offers: int
    needs: int
    form_version: str


def current_campaign_in(session: Session) -> Campaign:
    """The latest campaign of the zone; a database without one gets «Survey <year>»."""
    repo = CampaignRepository(session)
    campaigns = sorted(repo.list(), key=lambda c: (c.year, c.start_date or date.min, c.name))
    if campaigns:
        return campaigns[-1]
    year = date.today().year
    zone = current_zone_in(session)
    return repo.add(Campaign(zone.id, _("Survey {year}").format(year=year), year))


def list_questionnaires(
    db: Database, *, campaign_id: str | None = None, status: str | None = None
) -> Sequence[QuestionnaireSummary]:
    with unit_of_work(db) as session:
        residents = {r.id: r for r in ResidentRepository(session).list()}
        campaigns = {c.id: c for c in CampaignRepository(session).list()}
        counts: dict[tuple[str | None, str], int] = {}
        for s in StreamRepository(session).list():
            key = (s.questionnaire_id, s.direction.value)
            counts[key] = counts.get(key, 0) + 1
        rows = []
        for q in QuestionnaireRepository(session).list():
            if (campaign_id and q.campaign_id != campaign_id) or (status and q.status.value != status):
                continue
            resident = residents.get(q.resident_id)
            if resident is None:
                continue  # its resident was deleted
            campaign = campaigns.get(q.campaign_id)
            rows.append(
                QuestionnaireSummary(
                    q.id, resident.id, resident.display_name, resident.unp, q.campaign_id,
                    campaign.name if campaign else "", q.status.value, q.surveyor, q.survey_date,
                    counts.get((q.id, "offer"), 0), counts.get((q.id, "need"), 0), q.form_version,
                )
            )
    rows.sort(key=lambda r: (r.campaign_name, r.resident_name.casefold()))
    return rows


def find_questionnaire(db: Database, key: str) -> QuestionnaireSummary:
    """A questionnaire by its id or the start of it (4+ characters)."""
    return one_by_id_prefix(
        list_questionnaires(db),
        key,
        lambda q: q.id,
        N_("No questionnaire with id «{key}»"),
        N_("«{key}» matches {count} questionnaires; give more of the id"),
    )


def _find_questionnaire(session: Session, resident_id: str, campaign_id: str) -> Questionnaire | None:
    found = QuestionnaireRepository(session).list(resident_id=resident_id, campaign_id=campaign_id)
    return found[0] if found else None


def open_document(
    db: Database,
    *,
    questionnaire_id: str | None = None,
    resident_id: str | None = None,
    campaign_id: str | None = None,
    definition: FormDefinition | None = None,
) -> QuestionnaireDocument:
    """The document of a questionnaire, or a new one for a resident (prefilled with what is known).

    With only ``resident_id`` the resident's questionnaire of the given (or
    current) campaign is opened if it exists.
    """
    with unit_of_work(db) as session:
        return open_document_in(
            session, questionnaire_id=questionnaire_id, resident_id=resident_id, campaign_id=campaign_id,
            definition=definition,
        )


def open_document_in(
    session: Session,
    *,
    questionnaire_id: str | None = None,
    resident_id: str | None = None,
    campaign_id: str | None = None,
    definition: FormDefinition | None = None,
) -> QuestionnaireDocument:
    """``open_document`` inside the caller's unit of work (the Excel import compares and saves in one)."""
    definition = definition or default_definition()
    q: Questionnaire | None = None
    if questionnaire_id:
        try:
            q = QuestionnaireRepository(session).get(questionnaire_id)
        except RecordNotFound:
            raise UserError(N_("No questionnaire with id «{key}»"), key=questionnaire_id) from None
        resident_id = q.resident_id
    if resident_id is None:
        raise UserError(N_("Choose a resident for the questionnaire"))
    try:
        resident = ResidentRepository(session).get(resident_id)
    except RecordNotFound:
        raise UserError(N_("No resident with id or UNP «{key}»"), key=resident_id) from None
    if q is None:
        campaign_id = campaign_id or current_campaign_in(session).id
        q = _find_questionnaire(session, resident.id, campaign_id)
    return document_from_records(definition, resident, q, _streams_of(session, resident.id, q), campaign_id)


def _streams_of(session: Session, resident_id: str, q: Questionnaire | None) -> list[Any]:
    """The streams a questionnaire shows: its own, or for a new one those it will adopt."""
    streams = StreamRepository(session).list(resident_id=resident_id)
    if q is not None and q.meta.created_at is not None:
        return [s for s in streams if s.questionnaire_id == q.id]
    return [s for s in streams if s.questionnaire_id is None]


def blank_document(definition: FormDefinition | None = None) -> QuestionnaireDocument:
    """A document for a resident not yet in the database (filled from a returned template)."""
    definition = definition or default_definition()
    doc = document_from_records(definition, Resident(zone_id="", name=""), None, [])
    doc.resident_id = None
    return doc


def check_document(
    document: QuestionnaireDocument, *, complete: bool, definition: FormDefinition | None = None
) -> list[FieldIssue]:
    return validate_document(
        definition or default_definition(), document, complete=complete, known_activity_classes=activity_classes()
    )


def save_document_in(
    session: Session,
    document: QuestionnaireDocument,
    status: QuestionnaireStatus | None = None,
    definition: FormDefinition | None = None,
) -> Questionnaire:
    """Validate and store a document inside the caller's unit of work.

    A draft may lack required answers; ``complete`` and ``verified`` need a
    fully valid form. Whatever is refused, nothing of it is written.
    """
    definition = definition or default_definition()
    target = status or document.status
    issues = check_document(document, complete=target is not QuestionnaireStatus.DRAFT, definition=definition)
    if issues:
        raise DocumentInvalid(issues, definition)
    residents = ResidentRepository(session)
    if document.resident_id:
        try:
            resident = residents.get(document.resident_id)
        except RecordNotFound:
            resident = Resident(zone_id=current_zone_in(session).id, name="")
            resident.meta.id = document.resident_id
    else:
        resident = Resident(zone_id=current_zone_in(session).id, name="")
    campaign_id = document.campaign_id or current_campaign_in(session).id
    questionnaires = QuestionnaireRepository(session)
    q: Questionnaire | None = None
    if document.questionnaire_id:
        try:
            q = questionnaires.get(document.questionnaire_id, include_deleted=True)
        except RecordNotFound:
            q = None
    if q is None and document.resident_id:
        q = _find_questionnaire(session, resident.id, campaign_id)
    if q is None:
        q = Questionnaire(resident_id=resident.id, campaign_id=campaign_id)
        if document.questionnaire_id:
            q.meta.id = document.questionnaire_id
    q.meta.deleted = False
    streams = _streams_of(session, resident.id, q)
    document.status = target
    applied = records_from_document(definition, document, resident, q, streams)
    _check_records(applied.resident, applied.streams_to_save, session)
    saved_resident = residents.add(applied.resident)
    applied.questionnaire.resident_id = saved_resident.id
    saved = questionnaires.add(applied.questionnaire)
    stream_repo = StreamRepository(session)
    for stream in applied.streams_to_save:
        stream_repo.add(stream)
    for stream_id in applied.stream_ids_to_delete:
        stream_repo.delete(stream_id)
    document.questionnaire_id, document.resident_id, document.campaign_id = saved.id, saved_resident.id, saved.campaign_id
    return saved


def _check_records(resident: Resident, streams: list[Any], session: Session) -> None:
    """The domain's own rules, as the last gate before writing."""
    resident.normalise()
    issues = [Issue(f"resident.{i.field}", i.message, i.params) for i in resident.validate(activity_classes())]
    if resident.unp and ResidentRepository(session).by_unp(resident.unp, exclude_id=resident.id):
        issues.append(Issue("resident.unp", N_("Another resident already has UNP {value}"), {"value": resident.unp}))
    for stream in streams:
        stream.normalise()
        issues += [Issue(f"{stream.direction.value}s.{i.field}", i.message, i.params) for i in stream.validate()]
    if issues:
        raise ValidationError(issues)


def save_document(
    db: Database,
    document: QuestionnaireDocument,
    status: QuestionnaireStatus | None = None,
    definition: FormDefinition | None = None,
) -> Questionnaire:
    with unit_of_work(db) as session:
        return save_document_in(session, document, status, definition)


def set_status(db: Database, questionnaire_id: str, status: QuestionnaireStatus) -> Questionnaire:
    """Mark complete or verified (only a valid form), or back to draft."""
    document = open_document(db, questionnaire_id=questionnaire_id)
    return save_document(db, document, status)


def delete_questionnaire(db: Database, questionnaire_id: str) -> None:
    """Soft-delete a questionnaire; its streams stay with the resident, unattached."""
    with unit_of_work(db) as session:
        repo = QuestionnaireRepository(session)
        try:
            repo.delete(questionnaire_id)
        except RecordNotFound:
            raise UserError(N_("No questionnaire with id «{key}»"), key=questionnaire_id) from None
        streams = StreamRepository(session)
        for stream in streams.list(questionnaire_id=questionnaire_id):
            stream.questionnaire_id = None
            streams.add(stream)
