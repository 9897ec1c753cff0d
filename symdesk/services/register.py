"""The consolidated register: one table, one row per stream, in and out of Excel.

``import_register`` reads a CSV or xlsx register and stores its residents and
streams in one unit of work: a file with any bad row is refused whole, each
bad row listed. Importing the same file twice changes nothing: residents are
matched by УНП (else by normalised name) and streams by resident, direction,
category and normalised name. ``export_register`` writes every live resident
and stream back to Excel in the columns the import reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from symdesk.files.tabular import TableError
from symdesk.i18n import _
from symdesk.io.problems import ImportProblem
from symdesk.io.register_export import write_register
from symdesk.io.register_import import plan_register, read_register
from symdesk.services.zones import current_zone_in
from symdesk.storage.db import Database
from symdesk.storage.repository import ResidentRepository, StreamRepository
from symdesk.storage.uow import unit_of_work


@dataclass
class RegisterImportReport:
    path: Path
    problems: list[ImportProblem] = field(default_factory=list)
    residents_created: int = 0
    residents_matched: int = 0
    streams_created: int = 0
    streams_updated: int = 0
    streams_unchanged: int = 0
    imported: bool = False  # False for a refused file and for a dry run

    @property
    def refused(self) -> bool:
        return bool(self.problems)


class _Rollback(Exception):
    """Leave the unit of work without writing (a dry run or a refused file)."""


def import_register(db: Database, path: Path | str, *, dry_run: bool = False) -> RegisterImportReport:
    """Import a register file; refused whole (nothing written) if any row is bad.

    A dry run checks everything and counts what would change, writing nothing.
    """
    path = Path(path)
    report = RegisterImportReport(path)
    try:
        parsed = read_register(path)
    except TableError as exc:
        report.problems.append(ImportProblem(path.name, exc.message, dict(exc.params)))
        return report
    if not parsed.rows:
        report.problems = list(parsed.problems)
        return report
    try:
        with unit_of_work(db) as session:
            plan = plan_register(session, parsed, lambda: current_zone_in(session).id)
            report.problems = plan.problems
            if not plan.problems:
                report.residents_created = plan.residents_created
                report.residents_matched = plan.residents_matched
                report.streams_created = plan.streams_created
                report.streams_updated = plan.streams_updated
                report.streams_unchanged = plan.streams_unchanged
            if plan.problems or dry_run:
                raise _Rollback
            plan.write(session)
    except _Rollback:
        return report
    report.imported = True
    return report


def export_register(db: Database, out_path: Path | str, *, language: str = "ru") -> Path:
    """Write every live resident and stream to ``out_path`` (.xlsx); returns the path."""
    with unit_of_work(db) as session:
        residents = ResidentRepository(session).list()
        streams = StreamRepository(session).list()
    return write_register(out_path, residents, streams, language=language)


def problem_text(problem: ImportProblem) -> str:
    """The problem's message in the current language (parameters that are msgids translated too)."""
    return problem.render(_)
