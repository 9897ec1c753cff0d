"""The Questionnaires page's file actions: Excel templates and imports, the register, the blank form.

The services behind them (``services.questionnaire_files``,
``services.register``, ``services.forms``) are imported inside each action,
so the page works in a build without them. Imports run twice on the task
runner: a dry run whose report is shown in a preview, then, if the user
says «Import», the real import; the list is then read again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMainWindow, QWidget

from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.gui.dialogs.import_preview import ImportPreviewDialog, outcome_label
from symdesk.i18n import _, current_language, ngettext
from symdesk.services.errors import UserError, describe

if TYPE_CHECKING:
    from symdesk.gui.pages.questionnaires_page import QuestionnairesPage


def _status(widget: QWidget, text: str) -> None:
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 10_000)
    else:
        messages.show_info(widget, text)


def _missing(page: QWidget, what: str) -> None:
    messages.show_error(page, _("{feature} is not available in this version.").format(feature=what))


def _saved(page: QWidget, path: Any) -> None:
    _status(page, _("Saved to {path}").format(path=path))


# ------------------------------------------------------------ Excel


def write_excel_template(page: QuestionnairesPage, *, selected: bool) -> task_runner.Task | None:
    """A blank template, or (``selected``) the selected questionnaire filled in."""
    try:
        from symdesk.services.questionnaire_files import write_template
    except ImportError:
        _missing(page, _("Excel templates"))
        return None
    summary = page.selected_summary() if selected else None
    if selected and summary is None:
        return None
    name = f"{summary.resident_name}.xlsx" if summary else _("questionnaire") + ".xlsx"
    name = "".join(c for c in name if c not in '\\/:*?"<>|')
    path = messages.choose_save_file(
        page, _("Export to Excel") if selected else _("Excel template"), _(messages.EXCEL_FILTER), name, ".xlsx"
    )
    if not path:
        return None
    db, language = page.db, current_language()
    questionnaire_id = summary.id if summary else None
    return task_runner.run_task(
        page,
        _("Writing the Excel file"),
        lambda _progress, _cancelled: write_template(db, Path(path), questionnaire_id=questionnaire_id, language=language),
        lambda written: _saved(page, written),
    )


def import_excel(page: QuestionnairesPage) -> task_runner.Task | None:
    """Choose filled-in workbooks, preview what importing them would do, then import."""
    try:
        from symdesk.services.questionnaire_files import import_questionnaires
    except ImportError:
        _missing(page, _("Excel import"))
        return None
    paths = messages.choose_open_files(page, _("Import questionnaires from Excel"), _(messages.EXCEL_FILTER))
    if not paths:
        return None
    db = page.db

    def run(dry_run: bool) -> Callable[[Any, Any], Any]:
        return lambda progress, cancelled: import_questionnaires(
            db, paths, dry_run=dry_run, progress=progress, cancelled=cancelled
        )

    def imported(report: Any) -> None:
        page.reload()
        _status(page, _("Questionnaires imported: {counts}").format(counts=counts_text(report)))

    def preview(report: Any) -> None:
        files = [
            (Path(str(f.path)).name, f.resident_name or "", outcome_label(f.outcome), len(f.problems))
            for f in report.files
        ]
        problems = [p for f in report.files for p in (*f.problems, *getattr(f, "notes", ()))]
        dialog = ImportPreviewDialog(
            _("Import questionnaires"),
            _("What importing the chosen files would do: {counts}").format(counts=counts_text(report)),
            files,
            problems,
            can_import=any(f.outcome != "failed" for f in report.files),
            parent=page,
        )
        _show_preview(page, dialog, lambda: task_runner.run_task(page, _("Importing questionnaires"), run(False), imported))

    return task_runner.run_task(page, _("Checking the files"), run(True), preview)


def counts_text(report: Any) -> str:
    counts = report.counts()
    if isinstance(counts, dict):
        return ", ".join(f"{outcome_label(str(k))}: {v}" for k, v in counts.items() if v) or "0"
    return str(counts)


def _show_preview(page: QuestionnairesPage, dialog: ImportPreviewDialog, on_import: Callable[[], Any]) -> None:
    page.preview_dialog = dialog

    def accepted() -> None:
        page.import_task = on_import()

    dialog.accepted.connect(accepted)
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    dialog.open()


# ------------------------------------------------------------ register


def import_register(page: QuestionnairesPage) -> task_runner.Task | None:
    try:
        from symdesk.services.register import import_register as import_fn
    except ImportError:
        _missing(page, _("Register import"))
        return None
    path = messages.choose_open_file(page, _("Import register"), _(messages.EXCEL_FILTER))
    if not path:
        return None
    db = page.db

    def summary(report: Any) -> str:
        if report.problems:
            return ngettext(
                "The register cannot be imported: {count} problem, listed below.",
                "The register cannot be imported: {count} problems, listed below.",
                len(report.problems),
            ).format(count=len(report.problems))
        return _(
            "Residents: {created} new, {matched} found. Offers and needs: {s_created} new, "
            "{s_updated} updated, {s_unchanged} unchanged."
        ).format(
            created=report.residents_created,
            matched=report.residents_matched,
            s_created=report.streams_created,
            s_updated=report.streams_updated,
            s_unchanged=report.streams_unchanged,
        )

    def imported(report: Any) -> None:
        page.reload()
        page.residents_changed.emit()
        _status(page, summary(report))

    def preview(report: Any) -> None:
        dialog = ImportPreviewDialog(
            _("Import register"),
            summary(report),
            [],
            list(report.problems),
            can_import=not report.problems,
            parent=page,
        )
        _show_preview(
            page,
            dialog,
            lambda: task_runner.run_task(
                page, _("Importing the register"), lambda _p, _c: import_fn(db, Path(path)), imported
            ),
        )

    return task_runner.run_task(
        page, _("Checking the register"), lambda _p, _c: import_fn(db, Path(path), dry_run=True), preview
    )


def export_register(page: QuestionnairesPage) -> task_runner.Task | None:
    try:
        from symdesk.services.register import export_register as export_fn
    except ImportError:
        _missing(page, _("Register export"))
        return None
    path = messages.choose_save_file(page, _("Export register"), _(messages.EXCEL_FILTER), _("register") + ".xlsx", ".xlsx")
    if not path:
        return None
    db, language = page.db, current_language()
    return task_runner.run_task(
        page,
        _("Writing the register"),
        lambda _p, _c: export_fn(db, Path(path), language=language),
        lambda _result: _saved(page, path),
    )


# ------------------------------------------------------------ blank form


def print_blank_form(page: QuestionnairesPage) -> Path | None:
    """Save the blank form as a PDF and offer to open it (to print from the viewer)."""
    try:
        from symdesk.services.forms import write_blank_form
    except ImportError:
        _missing(page, _("The printed form"))
        return None
    path = messages.choose_save_file(
        page, _("Save the blank form"), _(messages.PDF_FILTER), _("questionnaire") + ".pdf", ".pdf"
    )
    if not path:
        return None
    try:
        written = Path(write_blank_form(Path(path), language=current_language()))
    except UserError as exc:
        messages.show_error(page, describe(exc))
        return None
    except OSError as exc:
        messages.show_error(page, str(exc))
        return None
    if messages.confirm(page, _("The blank form was saved to {path}. Open it now to print?").format(path=written)):
        messages.open_file(written)
    return written
