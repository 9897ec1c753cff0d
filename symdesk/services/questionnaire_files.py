"""Questionnaires as Excel files: write the template, import filled ones.

``write_template`` writes a blank template, one prefilled for a resident, or
a stored questionnaire (the per-questionnaire export). ``import_questionnaires``
reads any number of filled workbooks; each file is one unit of work, all or
nothing, and the report says for each file what happened (imported, updated,
unchanged, failed) with every problem located by sheet, row and column.

How a file finds its questionnaire: the ids on its hidden sheet first; a
blank template filled by hand finds its resident by УНП (or creates one) and
the resident's questionnaire in the current campaign (or creates one). Rows
find their streams by the hidden stream id, or else by category and name, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from symdesk.domain.codes import normalise_unp
from symdesk.domain.issues import N_, ValidationError
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.tasks import CancelledFn, ProgressFn
from symdesk.io.problems import ImportProblem
from symdesk.io.questionnaire_xlsx import ReadWorkbook, read_questionnaire_workbook
from symdesk.io.template_xlsx import write_questionnaire_workbook
from symdesk.io.xlsx_layout import fold_header
from symdesk.questionnaire.definition import Field, FormDefinition, Section, default_definition
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument, RepeatRow
from symdesk.questionnaire.validation import FieldIssue, relevant
from symdesk.services import questionnaires as qs
from symdesk.services.errors import UserError
from symdesk.storage.db import Database
from symdesk.storage.errors import RecordNotFound, StorageError
from symdesk.storage.repository import (
    CampaignRepository,
    QuestionnaireRepository,
    ResidentRepository,
)
from symdesk.storage.uow import unit_of_work

log = logging.getLogger(__name__)

OUTCOMES = ("imported", "updated", "unchanged", "failed")


@dataclass
class FileOutcome:
    path: Path
    outcome: str = "failed"  # one of OUTCOMES
    questionnaire_id: str | None = None
    resident_name: str = ""
    problems: list[ImportProblem] = field(default_factory=list)  # why a file failed
    # Remarks on a file that was stored: saved as a draft (what is missing), a verified
    # questionnaire changed back to complete.
    notes: list[ImportProblem] = field(default_factory=list)
    status: str = ""  # the status stored (or that would be, in a dry run)


@dataclass
class QuestionnaireImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    cancelled: bool = False
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for f in self.files:
            counts[f.outcome] += 1
        return counts

    @property
    def failed(self) -> bool:
        return any(f.outcome == "failed" for f in self.files)


# ---------------------------------------------------------------- writing


def write_template(
    db: Database | None,
    out_path: Path | str,
    *,
    resident_id: str | None = None,
    questionnaire_id: str | None = None,
    language: str = "ru",
) -> Path:
    """A blank template, one prefilled for a resident, or a stored questionnaire, as .xlsx."""
    document = None
    if questionnaire_id or resident_id:
        if db is None:
            raise UserError(N_("A database is needed to fill the template"))
        document = qs.open_document(db, questionnaire_id=questionnaire_id, resident_id=resident_id)
    return write_questionnaire_workbook(default_definition(), Path(out_path), document, language)


# ---------------------------------------------------------------- importing


class _DryRun(Exception):
    """Raised at the end of a dry run's unit of work so that it rolls back."""


def import_questionnaires(
    db: Database,
    paths: Iterable[Path | str],
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> QuestionnaireImportReport:
    """Import filled questionnaires, each file all or nothing; cancelling stops between files."""
    definition = default_definition()
    files = [Path(p) for p in paths]
    report = QuestionnaireImportReport(dry_run=dry_run)
    for done, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, len(files), path.name)
        report.files.append(import_file(db, path, definition, dry_run=dry_run))
    if progress is not None and not report.cancelled:
        progress(len(files), len(files), "")
    return report


def import_file(db: Database, path: Path, definition: FormDefinition | None = None, *, dry_run: bool = False) -> FileOutcome:
    definition = definition or default_definition()
    outcome = FileOutcome(path)
    read = read_questionnaire_workbook(path, definition)
    if read.problems or read.document is None:
        outcome.problems = read.problems
        return outcome
    result: FileOutcome | None = None
    try:
        with unit_of_work(db) as session:
            result = _store(session, read, definition)
            if dry_run and result.outcome != "unchanged":
                raise _DryRun()
    except _DryRun:
        pass
    except qs.DocumentInvalid as exc:
        outcome.problems = [_located(read, i) for i in exc.field_issues]
        return outcome
    except ValidationError as exc:
        outcome.problems = [_located_issue(read, definition, i.field, i.message, i.params) for i in exc.issues]
        return outcome
    except (UserError, StorageError) as exc:
        outcome.problems = [ImportProblem(str(path), exc.message, dict(exc.params))]
        return outcome
    except Exception as exc:  # one broken file must not stop a batch of hundreds
        log.exception("importing %s", path)
        outcome.problems = [ImportProblem(str(path), N_("The file could not be imported: {reason}"),
                                          {"reason": str(exc) or type(exc).__name__})]
        return outcome
    assert result is not None
    return result


def _store(session: Session, read: ReadWorkbook, definition: FormDefinition) -> FileOutcome:
    doc = read.document
    assert doc is not None
    outcome = FileOutcome(read.path)
    stored = _stored_document(session, doc, definition)
    _merge_with_stored(doc, stored, read, definition)
    outcome.resident_name = str(doc.values.get("short_name") or doc.values.get("name") or "")
    if stored.questionnaire_id and _canonical(definition, doc) == _canonical(definition, stored):
        outcome.outcome, outcome.questionnaire_id, outcome.status = "unchanged", stored.questionnaire_id, stored.status.value
        return outcome
    missing = qs.check_document(doc, complete=True, definition=definition)
    status = QuestionnaireStatus.DRAFT if missing else QuestionnaireStatus.COMPLETE
    if stored.status is QuestionnaireStatus.VERIFIED and stored.questionnaire_id:
        outcome.notes.append(ImportProblem(str(read.path), N_(
            "The questionnaire was verified; the file changes it, so it is stored as complete and needs verifying again"
        ) if status is QuestionnaireStatus.COMPLETE else N_(
            "The questionnaire was verified; the file changes it and leaves required answers empty, so it is stored as a draft"
        )))
    if missing:
        outcome.notes += [_located(read, i) for i in missing]
    saved = qs.save_document_in(session, doc, status, definition)
    outcome.outcome = "updated" if stored.questionnaire_id else "imported"
    outcome.questionnaire_id, outcome.status = saved.id, saved.status.value
    return outcome


def _field_bound(definition: FormDefinition, bind: str) -> Field | None:
    return next((f for s in definition.scalar_sections for f in s.fields if f.bind == bind), None)


def _stored_document(session: Session, doc: QuestionnaireDocument, definition: FormDefinition) -> QuestionnaireDocument:
    """What the database holds for the questionnaire this file fills (a blank one if none)."""
    residents = ResidentRepository(session)
    resident_id: str | None = None
    if doc.resident_id:
        try:
            resident_id = residents.get(doc.resident_id).id
        except RecordNotFound:
            try:  # a deleted resident's id is not reused: the file makes a new one
                residents.get(doc.resident_id, include_deleted=True)
                doc.resident_id = None
            except RecordNotFound:
                pass  # made on another computer: created with the same id
    unp_field = _field_bound(definition, "resident.unp")
    unp = str(doc.values.get(unp_field.name) or "") if unp_field else ""
    if resident_id is None and unp:
        found = residents.by_unp(normalise_unp(unp) or unp)
        if found:
            resident_id = doc.resident_id = found[0].id
    questionnaire_id: str | None = None
    if doc.questionnaire_id:
        try:
            q = QuestionnaireRepository(session).get(doc.questionnaire_id, include_deleted=True)
            if q.resident_id == resident_id and not q.meta.deleted:
                questionnaire_id = q.id
            elif q.resident_id != resident_id:
                doc.questionnaire_id = None  # another resident's questionnaire: never overwrite it
        except RecordNotFound:
            pass
    if doc.campaign_id:
        try:
            CampaignRepository(session).get(doc.campaign_id)
        except RecordNotFound:
            doc.campaign_id = None
    if resident_id is None:
        stored = qs.blank_document(definition)
        stored.campaign_id = doc.campaign_id
        return stored
    return qs.open_document_in(session, questionnaire_id=questionnaire_id, resident_id=resident_id,
                               campaign_id=doc.campaign_id, definition=definition)


def _merge_with_stored(doc: QuestionnaireDocument, stored: QuestionnaireDocument, read: ReadWorkbook,
                       definition: FormDefinition) -> None:
    """Point the read document at the stored records; keep what the file does not carry."""
    doc.resident_id = stored.resident_id or doc.resident_id
    doc.questionnaire_id = stored.questionnaire_id or doc.questionnaire_id
    doc.campaign_id = stored.campaign_id or doc.campaign_id
    doc.status = stored.status
    doc.extra_answers = dict(stored.extra_answers)
    doc.form_version = definition.version
    for name in read.missing_fields:
        doc.values[name] = stored.values.get(name)
    for section in definition.repeat_sections:
        _match_rows(section, doc.rows.get(section.name, []), stored.rows.get(section.name, []),
                    read.missing_columns.get(section.name, set()))


def _row_key(row: RepeatRow) -> tuple[str, str]:
    return (str(row.values.get("category") or ""), fold_header(row.values.get("name") or ""))


def _match_rows(section: Section, rows: list[RepeatRow], stored_rows: list[RepeatRow], missing: set[str]) -> None:
    """Rows keep a stream id only if it is one of this questionnaire's (the file is untrusted);
    rows without one find an unclaimed stored row of the same category and name."""
    by_id = {r.stream_id: r for r in stored_rows if r.stream_id}
    claimed: set[str] = set()
    for row in rows:
        if row.stream_id in by_id and row.stream_id not in claimed:
            claimed.add(row.stream_id)
        else:
            row.stream_id = None
    for row in rows:
        if row.stream_id is None:
            match = next((r for r in stored_rows if r.stream_id and r.stream_id not in claimed
                          and _row_key(r) == _row_key(row)), None)
            if match is not None:
                row.stream_id = match.stream_id
                claimed.add(row.stream_id or "")
        if row.stream_id and missing:  # a column deleted from the sheet keeps the stored values
            for name in missing:
                row.values[name] = by_id[row.stream_id].values.get(name)


# ---------------------------------------------------------------- comparing


def _norm(f: Field, value: Any) -> Any:
    if f.type == "quantity":
        q = value if isinstance(value, QuantityValue) else QuantityValue()
        if q.is_empty():
            return None
        amount = float(q.amount) if q.amount is not None else None
        return (amount, q.unit, q.period or ("year" if amount is not None else ""))
    if f.type == "boolean":
        return None if value is None else bool(value)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return str(value).strip()


def _canonical(definition: FormDefinition, doc: QuestionnaireDocument) -> dict[str, Any]:
    """The document as comparable values: blanks alike, irrelevant answers dropped, rows by stream."""
    out: dict[str, Any] = {}
    for section in definition.scalar_sections:
        for f in section.fields:
            out[f.name] = _norm(f, doc.values.get(f.name)) if relevant(f, doc.values) else None
    for section in definition.repeat_sections:
        rows = [
            (row.stream_id or "", tuple(_norm(f, row.values.get(f.name)) if relevant(f, row.values) else None
                                        for f in section.fields))
            for row in doc.rows.get(section.name, [])
            if not row.is_empty()
        ]
        out[section.name] = sorted(rows, key=repr)
    return out


# ---------------------------------------------------------------- locating problems


def _located(read: ReadWorkbook, issue: FieldIssue) -> ImportProblem:
    where = read.location_of(issue.section, issue.row, issue.field)
    return ImportProblem(str(read.path), issue.message, dict(issue.params), where.sheet, where.row, where.column)


def _located_issue(read: ReadWorkbook, definition: FormDefinition, name: str, message: str,
                   params: dict[str, Any]) -> ImportProblem:
    """A record rule's issue («resident.unp», «offers.unit») placed as well as it can be."""
    kind, _, attribute = name.partition(".")
    if kind == "resident":
        f = _field_bound(definition, f"resident.{attribute}")
        if f is not None:
            where = read.location_of(f.section, None, f.name)
            return ImportProblem(str(read.path), message, dict(params), where.sheet, where.row, where.column)
    section = {"offers": "offers", "needs": "needs"}.get(kind, "")
    return ImportProblem(str(read.path), message, dict(params), read.sheets.get(section, ""))
