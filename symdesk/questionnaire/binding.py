"""Between documents and records: residents, questionnaires, streams.

``document_from_records`` fills a document from what the database holds;
``records_from_document`` applies a document to copies of those records and
says which streams to save and which to delete. Fields a definition does
not ask keep their stored values; answers it does not know are carried in
``extra_answers`` and written back untouched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from symdesk.domain.questionnaire import Questionnaire
from symdesk.domain.records import RecordMeta, enum_fields
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.domain.units import Period
from symdesk.questionnaire.definition import Field, FormDefinition, Section
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument, RepeatRow
from symdesk.questionnaire.validation import relevant

DIRECTION_OF_SECTION = {"offers": Direction.OFFER, "needs": Direction.NEED}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return list(value)
    return value


def _empty(f: Field) -> Any:
    if f.type == "quantity":
        return QuantityValue()
    if f.type == "select_multiple" or (f.type == "code" and f.multiple):
        return []
    if f.type == "boolean":
        return False
    return None


def _read_attribute(record: Any, f: Field) -> Any:
    if f.type == "quantity":
        return QuantityValue(record.quantity, record.unit or "", _plain(record.period) or "")
    value = _plain(getattr(record, f.target[1]))
    if value == "" and f.type not in ("text",):
        return None
    return value


def document_from_records(
    definition: FormDefinition,
    resident: Resident,
    questionnaire: Questionnaire | None,
    streams: list[Stream],
    campaign_id: str | None = None,
) -> QuestionnaireDocument:
    q = questionnaire
    doc = QuestionnaireDocument(
        form_id=definition.form_id,
        form_version=q.form_version if q and q.form_version else definition.version,
        questionnaire_id=q.id if q else None,
        resident_id=resident.id,
        campaign_id=q.campaign_id if q else campaign_id,
        status=q.status if q else QuestionnaireDocument.__dataclass_fields__["status"].default,
    )
    answers = dict(q.answers) if q else {}
    asked = definition.answer_names()
    doc.extra_answers = {k: v for k, v in answers.items() if k not in asked}
    for section in definition.scalar_sections:
        for f in section.fields:
            kind, attribute = f.target
            if kind == "resident":
                value = _read_attribute(resident, f)
            elif kind == "questionnaire":
                value = _read_attribute(q, f) if q else _empty(f)
            else:
                value = answers.get(attribute, _empty(f))
            doc.values[f.name] = value if value is not None or f.type != "boolean" else False
    for section in definition.repeat_sections:
        direction = DIRECTION_OF_SECTION[section.name]
        rows = []
        for stream in sorted(streams, key=lambda s: (s.meta.created_at is None, s.meta.created_at, s.id)):
            if stream.direction is direction:
                values = {f.name: _read_attribute(stream, f) for f in section.fields}
                rows.append(RepeatRow(values, stream.id))
        doc.rows[section.name] = rows
    return doc


@dataclass
class AppliedDocument:
    resident: Resident
    questionnaire: Questionnaire
    streams_to_save: list[Stream] = field(default_factory=list)
    stream_ids_to_delete: list[str] = field(default_factory=list)


def _coerce(record: Any, attribute: str, value: Any) -> Any:
    """Turn a plain value into what the record's field holds (enums, '' for empty text)."""
    enum_type = enum_fields(type(record)).get(attribute)
    if value is None or value == "":
        return "" if isinstance(getattr(record, attribute), str) and enum_type is None else None
    return enum_type(value) if enum_type else value


def _apply_field(record: Any, f: Field, value: Any, asked: bool) -> None:
    """Write one answer into a record; an unasked (irrelevant) field is cleared."""
    if f.type == "quantity":
        q = value if isinstance(value, QuantityValue) and asked else QuantityValue()
        record.quantity = q.amount
        record.unit = q.unit
        record.period = Period(q.period) if q.period else (Period.YEAR if q.amount is not None else None)
        return
    attribute = f.target[1]
    if not asked:
        value = None
    if f.type == "code" and f.multiple and value is None:
        value = []
    setattr(record, attribute, _coerce(record, attribute, value))


def records_from_document(
    definition: FormDefinition,
    document: QuestionnaireDocument,
    resident: Resident,
    questionnaire: Questionnaire,
    existing_streams: list[Stream],
) -> AppliedDocument:
    """Copies of the records with the document's answers applied (the originals are untouched).

    ``existing_streams`` are the streams the document was opened with; those
    whose rows were removed are listed for deletion.
    """
    resident = copy.deepcopy(resident)
    questionnaire = copy.deepcopy(questionnaire)
    answers = dict(document.extra_answers)
    for section in definition.scalar_sections:
        for f in section.fields:
            kind, attribute = f.target
            value = document.values.get(f.name)
            asked = relevant(f, document.values)
            if kind == "resident":
                _apply_field(resident, f, value, asked)
            elif kind == "questionnaire":
                _apply_field(questionnaire, f, value, asked)
            elif asked and value not in (None, "", []):
                answers[attribute] = value.isoformat() if hasattr(value, "isoformat") else value
    questionnaire.answers = answers
    questionnaire.form_id = definition.form_id
    questionnaire.form_version = document.form_version or definition.version
    questionnaire.status = document.status

    by_id = {s.id: s for s in existing_streams}
    applied = AppliedDocument(resident, questionnaire)
    kept: set[str] = set()
    for section in definition.repeat_sections:
        for row in document.rows.get(section.name, []):
            if row.is_empty():
                continue
            applied.streams_to_save.append(
                _stream_from_row(section, row, by_id.get(row.stream_id or ""), resident.id, questionnaire.id)
            )
            kept.add(applied.streams_to_save[-1].id)
    applied.stream_ids_to_delete = [s.id for s in existing_streams if s.id not in kept]
    return applied


def _stream_from_row(
    section: Section, row: RepeatRow, existing: Stream | None, resident_id: str, questionnaire_id: str
) -> Stream:
    direction = DIRECTION_OF_SECTION[section.name]
    if existing is not None and existing.direction is direction:
        stream = copy.deepcopy(existing)
    else:
        meta = RecordMeta(id=row.stream_id) if row.stream_id and existing is None else RecordMeta()
        stream = Stream(resident_id, direction, Category(row.values.get("category") or "waste"), "", meta=meta)
    stream.resident_id = resident_id
    stream.questionnaire_id = questionnaire_id
    for f in section.fields:
        _apply_field(stream, f, row.values.get(f.name), relevant(f, row.values))
    if stream.code:
        stream.code_system = None  # guessed again from the code by normalise()
    return stream
