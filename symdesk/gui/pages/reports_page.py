"""The Reports page: choose a report and its options, generate it, preview, print, save.

The reports and their options come from ``services.reports`` (a report added
there appears here). Generating runs on the task runner with progress and
Cancel, writes the PDF where the user chose (the documents folder by
default) and then renders its pages for the preview. pip's PySide6 has no
QtPdf, so pages are rendered to PNG with poppler's ``pdftoppm`` when it is
installed; without it the page says so and offers to open the PDF in the
system viewer. *Print…* sends the rendered pages to a printer chosen in the
system print dialog; *Save as PDF…* copies the file elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.labels import label
from symdesk.domain.opportunity import OpportunityStatus
from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.gui.dialogs.resident_chooser import ResidentChooser, resident_chooser
from symdesk.i18n import _, current_language
from symdesk.services import reports as report_service
from symdesk.services import residents as resident_service
from symdesk.services.errors import UserError, describe
from symdesk.services.reports import DEFAULT_LIST_LIMIT, ReportOptions, ReportResult, ReportSpec
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

PREVIEW_DPI = 80
PRINT_DPI = 200
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SERVICE_ERRORS = (UserError, StorageError, OSError)


# ------------------------------------------------------------ rendering (no Qt)


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def render_pages(pdf: Path, folder: Path, dpi: int = PREVIEW_DPI, cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Render every page of ``pdf`` to PNG files in ``folder`` with poppler; [] without pdftoppm."""
    tool = pdftoppm()
    if tool is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / "page"
    subprocess.run([tool, "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, capture_output=True,
                   timeout=600)
    # pdftoppm numbers pages with as many digits as the last page needs: sort by number, not name.
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


@dataclass(frozen=True)
class Generated:
    result: ReportResult
    pages: list[Path]  # rendered page images, [] without poppler


def default_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def choose_printer(parent: QWidget | None) -> QPrinter | None:
    """The system print dialog; the configured printer, or None when cancelled (tests replace this)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def print_images(printer: QPrinter, images: list[Path]) -> int:
    """Paint one image per printer page, scaled to fit the printable area; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be started"))
    printed = 0
    try:
        for n, path in enumerate(images):
            image = QImage(str(path))
            if image.isNull():
                continue
            if n:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            printed += 1
    finally:
        painter.end()
    return printed


# ------------------------------------------------------------ the page


class ReportsPage(QWidget):
    """See the module docstring. ``db`` may be a callable returning the open database (the window's)."""

    def __init__(self, db: Database | Callable[[], Database], parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.resident_id: str | None = None
        self.chooser: ResidentChooser | None = None
        self.task: task_runner.Task | None = None
        self.generated: Generated | None = None
        self._preview_dir: tempfile.TemporaryDirectory[str] | None = None
        self.specs: list[ReportSpec] = report_service.reports()
        self._build()
        if self.specs:
            self.report_list.setCurrentRow(0)
        self._show_result()

    @property
    def db(self) -> Database:
        return self._db() if callable(self._db) else self._db

    def set_database(self, db: Database) -> None:
        self._db = db
        self.resident_id = None
        self.resident_edit.clear()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.report_list = QListWidget()
        self.report_list.setObjectName("reportList")
        for spec in self.specs:
            item = QListWidgetItem(_(spec.title))
            item.setData(KEY_ROLE, spec.key)
            item.setToolTip(_(spec.description))
            self.report_list.addItem(item)
        self.report_list.currentRowChanged.connect(lambda _row: self._spec_changed())
        self.description = QLabel()
        self.description.setWordWrap(True)

        self.resident_edit = QLineEdit()
        self.resident_edit.setReadOnly(True)
        self.resident_edit.setPlaceholderText(_("no resident chosen"))
        self.resident_button = QPushButton(_("Choose…"))
        self.resident_button.clicked.connect(self.choose_resident)
        resident_row = QWidget()
        row = QHBoxLayout(resident_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.resident_edit, 1)
        row.addWidget(self.resident_button)
        self.cluster_spin = QSpinBox()
        self.cluster_spin.setRange(0, 9999)
        self.cluster_spin.setSpecialValueText(_("all clusters"))
        self.status_boxes: dict[str, QCheckBox] = {}
        statuses = QWidget()
        status_layout = QVBoxLayout(statuses)
        status_layout.setContentsMargins(0, 0, 0, 0)
        status_layout.setSpacing(2)
        for status in OpportunityStatus:
            box = QCheckBox(_(label(status)))
            self.status_boxes[status.value] = box
            status_layout.addWidget(box)
        self.min_score = QDoubleSpinBox()
        self.min_score.setRange(0, 100)
        self.min_score.setDecimals(0)
        self.list_limit = QSpinBox()
        self.list_limit.setRange(0, 1_000_000)
        self.list_limit.setSingleStep(100)
        self.list_limit.setSpecialValueText(_("all"))
        self.list_limit.setValue(DEFAULT_LIST_LIMIT)
        self.list_limit.setToolTip(_("The summary, charts and totals count every opportunity; the Excel export lists them all"))
        self.for_residents = QCheckBox(_("hide confidential parties"))
        self.for_residents.setToolTip(_("For copies handed out to residents: parties who marked a stream confidential are not named"))
        self.language_combo = QComboBox()
        self.language_combo.addItem(_("Russian"), "ru")
        self.language_combo.addItem(_("English"), "en")
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(current_language())))
        self.author_edit = QLineEdit()
        self.author_edit.setPlaceholderText(_("organisation named on the title page"))

        self.options = QFormLayout()
        self.options.addRow(_("Resident:"), resident_row)
        self.options.addRow(_("Cluster:"), self.cluster_spin)
        self.options.addRow(_("Statuses (none ticked: all):"), statuses)
        self.options.addRow(_("Minimum score:"), self.min_score)
        self.options.addRow(_("Opportunities listed, at most:"), self.list_limit)
        self.options.addRow("", self.for_residents)
        self.options.addRow(_("Language:"), self.language_combo)
        self.options.addRow(_("Author:"), self.author_edit)
        self._option_rows: dict[str, list[QWidget]] = {
            "resident": [resident_row],
            "cluster": [self.cluster_spin],
            "filters": [statuses, self.min_score],
            "list_limit": [self.list_limit],
            "confidential": [self.for_residents],
        }
        options_box = QGroupBox(_("Options"))
        options_box.setLayout(self.options)
        options_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.options_box = options_box
        self.generate_button = QPushButton(_("Generate…"))
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(f"<b>{_('Reports')}</b>"))
        left_layout.addWidget(self.report_list)
        left_layout.addWidget(self.description)
        left_layout.addWidget(options_box)
        left_layout.addWidget(self.generate_button)
        left_layout.addStretch(1)
        self.report_list.setMaximumHeight(self.report_list.sizeHintForRow(0) * 8 + 8)

        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.open_button = QPushButton(_("Open"))
        self.open_button.clicked.connect(self.open_report)
        self.folder_button = QPushButton(_("Open folder"))
        self.folder_button.clicked.connect(self.open_folder)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.clicked.connect(self.print_report)
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save_copy)
        actions = QHBoxLayout()
        for button in (self.open_button, self.folder_button, self.print_button, self.save_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages_widget)
        self.scroll.setObjectName("reportPreview")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.path_label)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.preview_note)
        right_layout.addWidget(self.scroll, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 860])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # ------------------------------------------------------------ options

    def current_spec(self) -> ReportSpec | None:
        item = self.report_list.currentItem()
        if item is None:
            return None
        key = item.data(KEY_ROLE)
        return next((s for s in self.specs if s.key == key), None)

    def select_report(self, key: str) -> bool:
        for i in range(self.report_list.count()):
            if self.report_list.item(i).data(KEY_ROLE) == key:
                self.report_list.setCurrentRow(i)
                return True
        return False

    def _spec_changed(self) -> None:
        spec = self.current_spec()
        self.description.setText(_(spec.description) if spec else "")
        shown = {
            "resident": bool(spec and spec.needs_resident),
            "cluster": bool(spec and spec.uses_cluster),
            "filters": bool(spec and spec.uses_opportunity_filters),
            "list_limit": bool(spec and spec.uses_list_limit),
            "confidential": bool(spec and spec.offers_for_residents),
        }
        for name, widgets in self._option_rows.items():
            for widget in widgets:
                self.options.setRowVisible(widget, shown[name])
        self.generate_button.setEnabled(spec is not None)
        self.options_box.updateGeometry()

    def option_visible(self, name: str) -> bool:
        """Whether the option row ``resident``, ``cluster`` or ``filters`` is shown (for tests)."""
        return self.options.isRowVisible(self._option_rows[name][0])

    def choose_resident(self) -> ResidentChooser | None:
        """Ask for the resident (non-blocking, like the questionnaires page)."""
        try:
            residents = resident_service.list_residents(self.db)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return None
        chooser = resident_chooser(self, residents, self.set_resident)
        chooser.setWindowTitle(_("Choose a resident"))
        prompt = chooser.findChild(QLabel)
        if prompt is not None:
            prompt.setText(_("Choose the resident the report is for:"))
        if self.resident_id:
            chooser.choose(self.resident_id)
        self.chooser = chooser
        chooser.open()
        return chooser

    def set_resident(self, resident_id: str) -> None:
        try:
            resident = resident_service.find_resident(self.db, resident_id)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return
        self.resident_id = resident.id
        self.resident_edit.setText(resident.display_name)

    def report_options(self) -> ReportOptions:
        spec = self.current_spec()
        filters = bool(spec and spec.uses_opportunity_filters)
        return ReportOptions(
            language=str(self.language_combo.currentData() or current_language()),
            statuses=tuple(k for k, box in self.status_boxes.items() if box.isChecked()) if filters else (),
            min_score=float(self.min_score.value()) if filters else 0.0,
            for_residents=self.for_residents.isChecked() if spec and spec.offers_for_residents else False,
            resident_id=self.resident_id if spec and spec.needs_resident else None,
            cluster=(self.cluster_spin.value() or None) if spec and spec.uses_cluster else None,
            author=self.author_edit.text().strip(),
            list_limit=self.list_limit.value() if spec and spec.uses_list_limit else DEFAULT_LIST_LIMIT,
        )

    # ------------------------------------------------------------ generating

    def suggested_path(self, spec: ReportSpec) -> Path:
        return default_folder() / f"{spec.key}-{date.today():%Y-%m-%d}.pdf"

    def generate(self) -> task_runner.Task | None:
        """Ask where to save, then write the report and render its preview on the task runner."""
        spec = self.current_spec()
        if spec is None or (self.task is not None and self.task.is_running):
            return None
        if spec.needs_resident and not self.resident_id:
            messages.show_error(self, _("Choose the resident the report is for."))
            return None
        path = messages.choose_save_file(self, _("Save the report"), _(messages.PDF_FILTER),
                                         str(self.suggested_path(spec)), ".pdf")
        if not path:
            return None
        options = self.report_options()
        db = self.db
        preview = Path(self._new_preview_dir())
        key = spec.key

        def job(progress: Any, cancelled: Any) -> Generated:
            result = report_service.write_report(db, key, Path(path), options, progress=progress, cancelled=cancelled)
            pages = []
            if pdftoppm():
                progress(0, 0, _("Rendering the preview"))
                pages = render_pages(result.path, preview, PREVIEW_DPI)
            return Generated(result, pages)

        self.generate_button.setEnabled(False)
        self.task = task_runner.run_task(self, _("Writing the report «{title}»").format(title=_(spec.title)), job,
                                         self._generated, self._failed)
        self.task.finished.connect(lambda: self.generate_button.setEnabled(self.current_spec() is not None))
        return self.task

    def _new_preview_dir(self) -> str:
        if self._preview_dir is not None:
            self._preview_dir.cleanup()
        self._preview_dir = tempfile.TemporaryDirectory(prefix="symdesk-preview-")
        return self._preview_dir.name

    def _generated(self, generated: Generated) -> None:
        self.generated = generated
        self._show_result()

    def _failed(self, exc: BaseException) -> None:
        messages.show_error(self, describe(exc), _("The report could not be written"))

    # ------------------------------------------------------------ preview and actions

    def preview_labels(self) -> list[QLabel]:
        return [w for w in self.pages_widget.findChildren(QLabel) if w.objectName() == "previewPage"]

    def _show_result(self) -> None:
        for label_widget in self.preview_labels():
            self.pages_layout.removeWidget(label_widget)
            label_widget.deleteLater()
        generated = self.generated
        has_file = generated is not None and generated.result.path.exists()
        for button in (self.open_button, self.folder_button, self.save_button):
            button.setEnabled(has_file)
        self.print_button.setEnabled(has_file and pdftoppm() is not None)
        if generated is None:
            self.path_label.setText(_("Choose a report and its options, then Generate."))
            self.preview_note.setText("")
            return
        pages = generated.result.pages
        self.path_label.setText(_("Saved to {path} ({pages} pages)").format(path=generated.result.path, pages=pages))
        if not generated.pages:
            self.preview_note.setText(_(
                "The preview needs poppler's pdftoppm (on Debian: apt-get install poppler-utils). "
                "Open the PDF in your viewer instead."
            ))
            return
        self.preview_note.setText("")
        for path in generated.pages:
            page = QLabel()
            page.setObjectName("previewPage")
            pixmap = QPixmap(str(path))
            page.setPixmap(pixmap)
            page.setFixedSize(pixmap.size())  # a whole page; the scroll area scrolls
            page.setFrameShape(QFrame.Shape.Box)
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.pages_layout.addWidget(page)

    def report_path(self) -> Path | None:
        if self.generated is None or not self.generated.result.path.exists():
            return None
        return self.generated.result.path

    def open_report(self) -> None:
        path = self.report_path()
        if path is not None and not messages.open_file(path):
            messages.show_error(self, _("No program to open {path}").format(path=path))

    def open_folder(self) -> None:
        path = self.report_path()
        if path is not None:
            messages.open_file(path.parent)

    def save_copy(self) -> Path | None:
        path = self.report_path()
        if path is None:
            return None
        target = messages.choose_save_file(self, _("Save as PDF"), _(messages.PDF_FILTER),
                                           str(default_folder() / path.name), ".pdf")
        if not target:
            return None
        if Path(target).resolve() == path.resolve():
            return path
        try:
            shutil.copyfile(path, target)
        except OSError as exc:
            messages.show_error(self, _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc))
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("Saved to {path}").format(path=target), 8000)
        return Path(target)

    def print_report(self) -> int:
        """Print the report's pages, rendered at print resolution, on a printer chosen by the user."""
        path = self.report_path()
        if path is None or pdftoppm() is None:
            return 0
        printer = choose_printer(self)
        if printer is None:
            return 0
        with tempfile.TemporaryDirectory(prefix="symdesk-print-") as folder:
            try:
                images = render_pages(path, Path(folder), min(PRINT_DPI, max(printer.resolution(), 96)))
                return print_images(printer, images)
            except (OSError, subprocess.SubprocessError) as exc:
                messages.show_error(self, _("Printing failed: {error}").format(error=exc))
                return 0

    def closeEvent(self, event: Any) -> None:
        if self._preview_dir is not None:
            self._preview_dir.cleanup()
        super().closeEvent(event)
