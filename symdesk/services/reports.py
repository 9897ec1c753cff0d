"""The reports the application can print, in one registry.

The CLI (`symdesk report KEY`) and the GUI Reports page both list
``REPORTS`` and call a report's ``write`` function; neither knows how any
report is laid out. Every writer has the same shape:

    write(db, out_path, options, progress=None, cancelled=None) -> ReportResult

and writes the PDF atomically (nothing half-written after a failure or a
cancel). Writers register themselves with ``register_report`` from the
modules listed in ``_WRITER_MODULES``, imported lazily so that listing the
reports stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from symdesk.domain.issues import N_
from symdesk.domain.tasks import CancelledFn, ProgressFn
from symdesk.files.atomic import atomic_output
from symdesk.i18n import current_language, set_language
from symdesk.services.errors import UserError
from symdesk.storage.db import Database

DEFAULT_LIST_LIMIT = 500


@dataclass(frozen=True)
class ReportOptions:
    language: str = "ru"
    statuses: tuple[str, ...] = ()  # OpportunityStatus values; empty = all
    min_score: float = 0.0
    for_residents: bool = False  # hide confidential parties
    resident_id: str | None = None  # resident report
    cluster: int | None = None  # roadmap: one cluster (1-based) or all
    author: str = ""  # organisation printed on the title page
    # Zone report: at most this many opportunities in the ranked list (0: all). The summary,
    # charts and totals count every opportunity; a register's hundred thousand would be
    # thousands of pages, and the Excel export is the place for all of them.
    list_limit: int = DEFAULT_LIST_LIMIT


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int
    totals: dict[str, float] = field(default_factory=dict)  # the figures printed, for checking


Writer = Callable[..., ReportResult]


@dataclass(frozen=True)
class ReportSpec:
    key: str  # CLI name: zone, resident, survey, results, efficiency, roadmap
    title: str  # msgid
    description: str  # msgid
    write: Writer
    needs_resident: bool = False
    uses_cluster: bool = False
    uses_opportunity_filters: bool = False
    uses_list_limit: bool = False  # has a ranked list of opportunities (ReportOptions.list_limit)
    hides_confidential: bool = False  # offers --for-residents without the other filters

    @property
    def offers_for_residents(self) -> bool:
        return self.uses_opportunity_filters or self.hides_confidential


_REGISTRY: dict[str, ReportSpec] = {}

# Modules whose import registers report writers (kept in the services layer).
_WRITER_MODULES: tuple[str, ...] = ("symdesk.services.report_meeting", "symdesk.services.report_zone_state")


def register_report(spec: ReportSpec) -> ReportSpec:
    _REGISTRY[spec.key] = spec
    return spec


def _load() -> None:
    for name in _WRITER_MODULES:
        importlib.import_module(name)


def reports() -> list[ReportSpec]:
    """Every report, in the order the GUI shows them."""
    _load()
    order = ("zone", "resident", "survey", "results", "efficiency", "roadmap")
    return sorted(_REGISTRY.values(), key=lambda s: (order.index(s.key) if s.key in order else len(order), s.key))


def report(key: str) -> ReportSpec:
    _load()
    return _REGISTRY[key]


def write_report(
    db: Database,
    key: str,
    out_path: Path | str,
    options: ReportOptions | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ReportResult:
    return report(key).write(db, Path(out_path), options or ReportOptions(), progress=progress, cancelled=cancelled)


# -- what every writer shares ---------------------------------------------------


@contextmanager
def report_language(language: str) -> Iterator[None]:
    """Print in ``language``, then go back to the language of messages."""
    before = current_language()
    if language and language != before:
        set_language(language)
    try:
        yield
    finally:
        if current_language() != before:
            set_language(before)


def write_pdf_file(out_path: Path, build: Callable[[Path], int]) -> int:
    """Run ``build(temp_path) -> pages`` into a temporary file that becomes ``out_path`` on success,
    so a failure or a cancel never leaves a half-written PDF; problems are one-line user errors."""
    if not out_path.parent.is_dir():
        raise UserError(N_("Cannot write {path}: the folder {folder} does not exist"), path=str(out_path),
                        folder=str(out_path.parent))
    try:
        with atomic_output(out_path) as temp:
            return build(temp)
    except OSError as exc:
        raise UserError(N_("Cannot write {path}: {reason}"), path=str(out_path), reason=exc.strerror or str(exc)) from None
