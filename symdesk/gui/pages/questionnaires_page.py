"""The questionnaires page: by campaign and status, with the editor and the file actions.

Rows come from ``services.questionnaires.list_questionnaires`` as plain
summaries. New… asks for the resident, Open (or a double click) opens the
editor generated from the form definition; the Excel, register and
blank-form actions are in ``questionnaire_files``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.issues import ValidationError
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.gui.dialogs import messages
from symdesk.gui.dialogs.import_preview import ImportPreviewDialog
from symdesk.gui.dialogs.questionnaire_editor import QuestionnaireEditor
from symdesk.gui.dialogs.resident_chooser import ResidentChooser, resident_chooser
from symdesk.gui.models.questionnaire_table import (
    CAMPAIGN,
    DATE,
    NEEDS,
    OFFERS,
    RESIDENT,
    STATUS,
    SURVEYOR,
    UNP,
    VERSION,
    QuestionnaireTableModel,
    questionnaire_status_label,
)
from symdesk.gui.pages import questionnaire_files
from symdesk.gui.widgets.record_table import record_table
from symdesk.i18n import _, ngettext
from symdesk.services import questionnaires as questionnaire_service
from symdesk.services import residents as resident_service
from symdesk.services.errors import UserError, describe
from symdesk.services.questionnaires import QuestionnaireSummary
from symdesk.services.zones import zone_overview
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

SERVICE_ERRORS = (UserError, ValidationError, StorageError)


class QuestionnairesPage(QWidget):
    """See the module docstring. ``residents_changed`` fires when an import may have added residents."""

    residents_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.editor: QuestionnaireEditor | None = None
        self.chooser: ResidentChooser | None = None
        self.preview_dialog: ImportPreviewDialog | None = None
        self.import_task: Any = None
        self._current_id: str | None = None
        self._campaigns_loaded = False
        self.model = QuestionnaireTableModel(self)
        self._build()
        self.reload_campaigns()
        self.reload()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.campaign_combo = QComboBox()
        self.campaign_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_combo = QComboBox()
        self.status_combo.addItem(_("All statuses"), None)
        for status in QuestionnaireStatus:
            self.status_combo.addItem(questionnaire_status_label(status.value), status.value)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter by resident, UNP or surveyor…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.campaign_combo.currentIndexChanged.connect(lambda _i: (self._show_campaign_column(), self.reload()))
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.filter_edit.textChanged.connect(self.apply_filter)

        self.new_button = QPushButton(_("New…"))
        self.open_button = QPushButton(_("Open"))
        self.delete_button = QPushButton(_("Delete"))
        self.verify_button = QPushButton(_("Mark verified"))
        self.new_button.clicked.connect(self.new_questionnaire)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.verify_button.clicked.connect(self.verify_selected)

        self.template_action = QAction(_("Excel template…"), self)
        self.template_action.setToolTip(_("Save a blank questionnaire workbook to send to a resident"))
        self.export_action = QAction(_("Export to Excel…"), self)
        self.export_action.setToolTip(_("Save the selected questionnaire as a workbook"))
        self.import_action = QAction(_("Import from Excel…"), self)
        self.import_action.setToolTip(_("Read filled-in questionnaire workbooks, with a preview first"))
        self.import_register_action = QAction(_("Import register…"), self)
        self.export_register_action = QAction(_("Export register…"), self)
        self.print_form_action = QAction(_("Print blank form…"), self)
        self.print_form_action.setToolTip(
            _("Saves the blank form as a PDF and opens it in your PDF viewer, from which it is printed")
        )
        self.template_action.triggered.connect(
            lambda _checked=False: questionnaire_files.write_excel_template(self, selected=False)
        )
        self.export_action.triggered.connect(
            lambda _checked=False: questionnaire_files.write_excel_template(self, selected=True)
        )
        self.import_action.triggered.connect(lambda _checked=False: questionnaire_files.import_excel(self))
        self.import_register_action.triggered.connect(lambda _checked=False: questionnaire_files.import_register(self))
        self.export_register_action.triggered.connect(lambda _checked=False: questionnaire_files.export_register(self))
        self.print_form_action.triggered.connect(lambda _checked=False: questionnaire_files.print_blank_form(self))
        self.files_button = QToolButton()
        self.files_button.setText(_("Excel and forms"))
        self.files_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        files_menu = QMenu(self.files_button)
        files_menu.setToolTipsVisible(True)
        for action in (self.template_action, self.export_action, self.import_action):
            files_menu.addAction(action)
        files_menu.addSeparator()
        files_menu.addAction(self.import_register_action)
        files_menu.addAction(self.export_register_action)
        files_menu.addSeparator()
        files_menu.addAction(self.print_form_action)
        self.files_button.setMenu(files_menu)

        self.table = record_table(self.model)
        header = self.table.horizontalHeader()
        self._fit_columns()
        header.setSectionResizeMode(RESIDENT, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RESIDENT, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selection_changed())
        self.model.modelReset.connect(self._model_reset)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Campaign:")))
        filters.addWidget(self.campaign_combo)
        filters.addSpacing(8)
        filters.addWidget(QLabel(_("Status:")))
        filters.addWidget(self.status_combo)
        filters.addSpacing(8)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.delete_button, self.verify_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.files_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def _fit_columns(self) -> None:
        fm = self.table.horizontalHeader().fontMetrics()

        def fit(column: int, *samples: str) -> int:
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            return max(fm.horizontalAdvance(t) for t in (title, *samples)) + 24

        widths = {
            RESIDENT: 240,
            UNP: fit(UNP, "000000000"),
            CAMPAIGN: min(fit(CAMPAIGN, "Анкетирование резидентов 2026"), 200),
            STATUS: fit(STATUS, *(questionnaire_status_label(s.value) for s in QuestionnaireStatus)),
            SURVEYOR: fit(SURVEYOR, "Мельников Д. И."),
            DATE: fit(DATE, "00.00.0000"),
            OFFERS: fit(OFFERS, "000"),
            NEEDS: fit(NEEDS, "000"),
            VERSION: fit(VERSION, "2026.1"),
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    # ------------------------------------------------------------ data

    def set_database(self, db: Database) -> None:
        self.db = db
        self._campaigns_loaded = False
        self.reload_campaigns()
        self.reload()

    def reload_campaigns(self) -> None:
        chosen = self.campaign_combo.currentData()
        self.campaign_combo.blockSignals(True)
        self.campaign_combo.clear()
        self.campaign_combo.addItem(_("All campaigns"), None)
        try:
            campaigns = zone_overview(self.db).campaigns
        except StorageError:
            campaigns = []
        for campaign in campaigns:
            self.campaign_combo.addItem(campaign.name, campaign.id)
        if not self._campaigns_loaded and campaigns:
            chosen = campaigns[0].id  # the latest campaign first, as the surveyors work on it
        self._campaigns_loaded = True
        index = self.campaign_combo.findData(chosen) if chosen else 0
        self.campaign_combo.setCurrentIndex(max(index, 0))
        self.campaign_combo.blockSignals(False)
        self._show_campaign_column()

    def _show_campaign_column(self) -> None:
        # One campaign chosen: its name in every row would only take the residents' room.
        self.table.setColumnHidden(CAMPAIGN, self.campaign_id() is not None)

    def campaign_id(self) -> str | None:
        return self.campaign_combo.currentData()

    def set_campaign(self, campaign_id: str | None) -> None:
        self.campaign_combo.setCurrentIndex(max(self.campaign_combo.findData(campaign_id), 0) if campaign_id else 0)

    def set_status_filter(self, status: str | None) -> None:
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(status), 0) if status else 0)

    def reload(self, select_id: str | None = None) -> None:
        if select_id:
            self._current_id = select_id
        try:
            rows = questionnaire_service.list_questionnaires(
                self.db, campaign_id=self.campaign_id(), status=self.status_combo.currentData()
            )
        except SERVICE_ERRORS as exc:
            rows = []
            messages.show_error(self, describe(exc))
        self.model.set_rows(rows)
        self._update_count()

    def apply_filter(self, text: str | None = None) -> None:
        self.model.set_filter(self.filter_edit.text() if text is None else text)
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total_count()
        self.count_label.setText(
            ngettext("{shown} of {total} questionnaire", "{shown} of {total} questionnaires", total).format(
                shown=self.model.match_count(), total=total
            )
        )

    def rows(self) -> list[QuestionnaireSummary]:
        return [self.model.summary(r) for r in range(self.model.rowCount())]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload_campaigns()  # residents, campaigns and imports may have changed elsewhere
        self.reload()

    # ------------------------------------------------------------ selection

    def selected_summary(self) -> QuestionnaireSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.summary(rows[0].row()) if rows else None

    def select(self, questionnaire_id: str) -> bool:
        row = self.model.row_of(questionnaire_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _model_reset(self) -> None:
        if not (self._current_id and self.select(self._current_id)):
            self._current_id = None
        self._update_buttons()

    def _selection_changed(self) -> None:
        summary = self.selected_summary()
        self._current_id = summary.id if summary else None
        self._update_buttons()

    def _update_buttons(self) -> None:
        summary = self.selected_summary()
        for widget in (self.open_button, self.delete_button, self.export_action):
            widget.setEnabled(summary is not None)
        self.verify_button.setEnabled(summary is not None and summary.status == QuestionnaireStatus.COMPLETE.value)

    # ------------------------------------------------------------ actions

    def new_questionnaire(self) -> ResidentChooser | None:
        """Ask for the resident (non-blocking); on OK its questionnaire of the campaign opens."""
        try:
            residents = resident_service.list_residents(self.db)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return None
        chooser = resident_chooser(self, residents, self.open_for_resident)
        self.chooser = chooser
        chooser.open()
        return chooser

    def open_for_resident(self, resident_id: str) -> QuestionnaireEditor | None:
        """The resident's questionnaire of the chosen (or current) campaign, new if it has none."""
        try:
            document = questionnaire_service.open_document(
                self.db, resident_id=resident_id, campaign_id=self.campaign_id()
            )
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return None
        return self._open_editor(document)

    def open_selected(self) -> QuestionnaireEditor | None:
        summary = self.selected_summary()
        if summary is None:
            return None
        try:
            document = questionnaire_service.open_document(self.db, questionnaire_id=summary.id)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return None
        return self._open_editor(document)

    def _open_editor(self, document: Any) -> QuestionnaireEditor:
        editor = QuestionnaireEditor(self.db, document, self)
        editor.saved.connect(lambda: self.reload(select_id=editor.document.questionnaire_id))
        editor.finished.connect(lambda _result: editor.deleteLater())
        self.editor = editor
        editor.open()
        return editor

    def delete_selected(self) -> bool:
        summary = self.selected_summary()
        if summary is None:
            return False
        question = _(
            "Delete the questionnaire of «{name}» ({campaign})? Its offers and needs stay with the resident."
        ).format(name=summary.resident_name, campaign=summary.campaign_name)
        if not messages.confirm(self, question, _("Delete questionnaire")):
            return False
        try:
            questionnaire_service.delete_questionnaire(self.db, summary.id)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return False
        self._current_id = None
        self.reload()
        return True

    def verify_selected(self) -> bool:
        summary = self.selected_summary()
        if summary is None or summary.status != QuestionnaireStatus.COMPLETE.value:
            return False
        try:
            questionnaire_service.set_status(self.db, summary.id, QuestionnaireStatus.VERIFIED)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return False
        self.reload(select_id=summary.id)
        return True
