"""Questionnaires through the service: adopt streams, draft, complete, keep unknown answers."""

from __future__ import annotations

from datetime import date

import pytest

from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.questionnaire.document import QuantityValue, RepeatRow
from symdesk.services import questionnaires as qs
from symdesk.services.database import check_db
from symdesk.services.residents import list_residents, resident_details
from symdesk.storage.db import Database
from symdesk.storage.repository import QuestionnaireRepository
from symdesk.storage.uow import unit_of_work


def first_resident_without_questionnaire(db: Database) -> str:
    taken = {q.resident_id for q in qs.list_questionnaires(db)}
    return next(r.id for r in list_residents(db) if r.id not in taken)


def test_new_questionnaire_adopts_streams_without_duplicating(demo_db: Database) -> None:
    rid = first_resident_without_questionnaire(demo_db)
    before = check_db(demo_db).counts["streams"]
    details = resident_details(demo_db, rid)
    doc = qs.open_document(demo_db, resident_id=rid)
    assert doc.questionnaire_id is None
    assert len(doc.rows["offers"]) + len(doc.rows["needs"]) == len(details.offers) + len(details.needs) > 0
    saved = qs.save_document(demo_db, doc)
    assert saved.status is QuestionnaireStatus.DRAFT
    assert check_db(demo_db).counts["streams"] == before
    after = resident_details(demo_db, rid)
    assert {s.questionnaire_id for s in after.offers + after.needs} == {saved.id}
    # opening again by resident finds the same questionnaire
    assert qs.open_document(demo_db, resident_id=rid).questionnaire_id == saved.id


def test_complete_needs_every_required_answer(demo_db: Database) -> None:
    rid = first_resident_without_questionnaire(demo_db)
    doc = qs.open_document(demo_db, resident_id=rid)
    with pytest.raises(qs.DocumentInvalid) as err:
        qs.save_document(demo_db, doc, QuestionnaireStatus.COMPLETE)
    assert {(i.section, i.field) for i in err.value.field_issues} >= {("survey", "surveyor"), ("survey", "survey_date")}
    assert not [q for q in qs.list_questionnaires(demo_db) if q.resident_id == rid]  # nothing written
    doc.values.update(surveyor="Петрова А.А.", survey_date=date(2026, 4, 2))
    assert qs.save_document(demo_db, doc, QuestionnaireStatus.COMPLETE).status is QuestionnaireStatus.COMPLETE
    assert qs.set_status(demo_db, doc.questionnaire_id or "", QuestionnaireStatus.VERIFIED).status is QuestionnaireStatus.VERIFIED


def test_rows_added_and_removed_update_streams(demo_db: Database) -> None:
    rid = first_resident_without_questionnaire(demo_db)
    doc = qs.open_document(demo_db, resident_id=rid)
    n_offers = len(doc.rows["offers"])
    doc.rows["offers"].append(
        RepeatRow({"category": "waste", "name": "Стеклобой", "code": "101112", "quantity": QuantityValue(12, "t", "month")})
    )
    removed = doc.rows["needs"].pop(0) if doc.rows["needs"] else None
    qs.save_document(demo_db, doc)
    details = resident_details(demo_db, rid)
    assert len(details.offers) == n_offers + 1
    glass = next(s for s in details.offers if s.name == "Стеклобой")
    assert glass.yearly() is not None and glass.yearly().value == 144  # type: ignore[union-attr]
    if removed is not None:
        assert removed.stream_id not in {s.id for s in details.needs}
        assert check_db(demo_db).deleted["streams"] == 1


def test_bad_values_are_refused_even_in_a_draft(demo_db: Database) -> None:
    rid = first_resident_without_questionnaire(demo_db)
    doc = qs.open_document(demo_db, resident_id=rid)
    doc.values["unp"] = "12345"
    doc.rows["offers"][0].values["quantity"] = QuantityValue(-5, "Gcal", "year")
    with pytest.raises(qs.DocumentInvalid) as err:
        qs.save_document(demo_db, doc)
    located = {(i.section, i.row, i.field) for i in err.value.field_issues}
    assert ("resident", None, "unp") in located and ("offers", 0, "quantity") in located


def test_answers_of_dropped_fields_are_kept(demo_db: Database) -> None:
    rid = first_resident_without_questionnaire(demo_db)
    doc = qs.open_document(demo_db, resident_id=rid)
    doc.values["water_m3"] = 5000.0
    saved = qs.save_document(demo_db, doc)
    with unit_of_work(demo_db) as session:  # an older form version asked something we no longer ask
        repo = QuestionnaireRepository(session)
        q = repo.get(saved.id)
        q.answers["boiler_count"] = 3
        repo.add(q)
    doc = qs.open_document(demo_db, questionnaire_id=saved.id)
    assert doc.extra_answers == {"boiler_count": 3}
    doc.values["water_m3"] = 6000.0
    qs.save_document(demo_db, doc)
    with unit_of_work(demo_db) as session:
        answers = QuestionnaireRepository(session).get(saved.id).answers
    assert answers == {"boiler_count": 3, "water_m3": 6000.0}
