"""The opportunities page: the ranked list, its filters, the details pane, status changes, matching.

Rows come from ``services.matching.list_opportunities`` with the filters the
user set (match kind, category, status, resident, minimum score, inactive
ones too); the parties are named with ``services.confidentiality.party_name``
in its staff form, which shows every name. «Find opportunities» runs the
matching on the task runner with progress and Cancel, then reloads; a status
change goes through ``OpportunityStatusDialog``, which offers only the moves
the workflow allows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from symdesk.classifiers.search import fold
from symdesk.domain.collector import collector_paused
from symdesk.domain.issues import ValidationError
from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus
from symdesk.domain.stream import OpportunityKind
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.gui.dialogs.opportunity_status import OpportunityStatusDialog
from symdesk.gui.models.opportunity_table import (
    BENEFIT,
    CATEGORY,
    MATCH_KIND,
    PROVIDER,
    RECEIVER,
    SCORE,
    STATUS,
    TITLE,
    OpportunityRow,
    OpportunityTableModel,
    make_row,
)
from symdesk.gui.opportunity_labels import (
    category_label,
    match_kind_label,
    opportunity_status_label,
)
from symdesk.gui.pages.opportunity_detail import DetailContext, OpportunityDetailView
from symdesk.gui.precedents import precedents_for
from symdesk.gui.widgets.record_table import record_table
from symdesk.i18n import _, ngettext
from symdesk.services import matching as matching_service
from symdesk.services import residents as resident_service
from symdesk.services import streams as stream_service
from symdesk.services.confidentiality import party_name
from symdesk.services.errors import UserError, describe
from symdesk.services.matching import MatchRunSummary
from symdesk.services.residents import ResidentDetails
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

SERVICE_ERRORS = (UserError, ValidationError, StorageError)
DETAIL_MIN_WIDTH = 360
TITLE_WIDTH = 300



# Up to this many stored opportunities the table is read at once (a zone's: a fraction of a
# second); above, on the task runner with a progress dialog (a register's 165,000: seconds).
READ_AT_ONCE_UP_TO = 20_000


def read_rows(
    db: Database, filters: dict[str, Any], names: dict[str, str],
    progress: ProgressFn | None = None, cancelled: CancelledFn | None = None,
) -> list[OpportunityRow]:
    """The table's rows: the opportunities without their breakdowns, the parties named.
    Plain Python, so it may run on the task runner's thread."""
    progress = progress or no_progress
    progress(0, 2, _("Reading the opportunities"))
    found = matching_service.list_opportunities(db, explanations=False, **filters)
    check_cancelled(cancelled)
    progress(1, 2, _("Preparing the table"))
    with collector_paused():  # a register's table is a few hundred thousand objects, none in a cycle
        return [
            make_row(o, party_name(o, o.provider_id, names, for_residents=False),
                     party_name(o, o.receiver_id, names, for_residents=False))
            for o in found
        ]


class OpportunitiesPage(QWidget):
    """See the module docstring.

    ``opportunities_changed`` fires after a matching run or a status change
    (the network view redraws); ``resident_requested`` asks the window to show
    a resident.
    """

    opportunities_changed = Signal()
    resident_requested = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.dialog: OpportunityStatusDialog | None = None
        self.match_task: task_runner.Task | None = None
        self.load_task: task_runner.Task | None = None  # reading a register's table
        self.last_summary: MatchRunSummary | None = None
        self._current_id: str | None = None
        self._names: dict[str, str] = {}  # resident id → short name (table)
        self._full_names: dict[str, str] = {}  # resident id → full name (details)
        self._stream_index: tuple[dict[str, str], dict[str, str]] | None = None
        self._titles: dict[str, str] | None = None
        self._opened: Opportunity | None = None  # the selected one, read whole (rows leave out the breakdown)
        self._sized = False
        self.model = OpportunityTableModel(self)
        self._build()
        # Filled when first shown (showEvent): a register's table takes seconds, and the window
        # builds every page at start.

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.match_kind_combo = QComboBox()
        self.match_kind_combo.addItem(_("All matches"), None)
        for kind in MatchKind:
            self.match_kind_combo.addItem(match_kind_label(kind.value), kind.value)
        self.category_combo = QComboBox()
        self.category_combo.addItem(_("All categories"), None)
        for category in OpportunityKind:
            self.category_combo.addItem(category_label(category.value), category.value)
        self.status_combo = QComboBox()
        self.status_combo.addItem(_("All statuses"), None)
        for status in OpportunityStatus:
            self.status_combo.addItem(opportunity_status_label(status.value), status.value)
        self.resident_combo = QComboBox()
        # Long Russian labels would push the window wider than a laptop screen; the popups show them whole.
        for combo, chars in ((self.match_kind_combo, 11), (self.category_combo, 11), (self.status_combo, 8),
                             (self.resident_combo, 12)):
            combo.setMinimumContentsLength(chars)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        self.min_score_spin = QDoubleSpinBox()
        self.min_score_spin.setRange(0.0, 100.0)
        self.min_score_spin.setDecimals(0)
        self.min_score_spin.setSingleStep(5.0)
        self.inactive_check = QCheckBox(_("Show no longer found"))
        self.inactive_check.setToolTip(_("Also list opportunities whose offer or need is gone"))
        self.count_label = QLabel()
        for combo in (self.match_kind_combo, self.category_combo, self.status_combo, self.resident_combo):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
            # Long Russian item texts must not widen the window beyond a laptop screen.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.min_score_spin.valueChanged.connect(lambda _v: self.reload())
        self.inactive_check.toggled.connect(lambda _c: self.reload())

        self.match_button = QPushButton(_("Find opportunities"))
        self.match_button.setToolTip(_("Match every offer of the zone with every need, score and store the results"))
        self.match_button.clicked.connect(self.run_matching)
        self.status_button = QPushButton(_("Change status…"))
        self.status_button.clicked.connect(self.change_status)
        self.resident_button = QPushButton(_("Show provider"))
        self.resident_button.setToolTip(_("Open the providing resident on the Residents page"))
        self.resident_button.clicked.connect(self._show_provider)

        self.table = record_table(self.model)
        header = self.table.horizontalHeader()
        self._fit_columns()
        header.setStretchLastSection(True)  # the benefit column takes what is left over
        # What the opportunity is comes right after its score; the rest tells about it.
        header.moveSection(header.visualIndex(TITLE), 1)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SCORE, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.table.doubleClicked.connect(lambda _index: self.change_status())
        self.model.modelReset.connect(self._model_reset)

        self.detail = OpportunityDetailView()
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        filters = QHBoxLayout()
        for text, widget in (
            (_("Match:"), self.match_kind_combo),
            (_("Category:"), self.category_combo),
            (_("Status:"), self.status_combo),
            (_("Resident:"), self.resident_combo),
            (_("Score at least:"), self.min_score_spin),
        ):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget, 0 if widget is self.min_score_spin else 1)
            filters.addSpacing(6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.match_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.resident_button)
        buttons.addStretch(1)
        buttons.addWidget(self.inactive_check)
        buttons.addSpacing(12)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()

    def _fit_columns(self) -> None:
        fm = self.table.horizontalHeader().fontMetrics()

        def fit(column: int, *samples: str) -> int:
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            return max(fm.horizontalAdvance(t) for t in (title, *samples)) + 24

        widths = {
            SCORE: fit(SCORE, "100,0"),
            MATCH_KIND: min(fit(MATCH_KIND, *(match_kind_label(k.value) for k in MatchKind)), 130),
            CATEGORY: min(fit(CATEGORY, *(category_label(k.value) for k in OpportunityKind)), 130),
            PROVIDER: 140,
            RECEIVER: 140,
            TITLE: TITLE_WIDTH,
            STATUS: fit(STATUS, *(opportunity_status_label(s.value) for s in OpportunityStatus)),
            BENEFIT: fit(BENEFIT, "12 345,6 МВт·ч/год"),
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    # ------------------------------------------------------------ data

    def set_database(self, db: Database) -> None:
        self.db = db
        self._current_id = None
        self.reload_residents()
        self.reload()

    def reload_residents(self) -> None:
        """The resident filter's list and the names of the parties."""
        chosen = self.resident_combo.currentData()
        try:
            residents = list(resident_service.list_residents(self.db))
        except SERVICE_ERRORS as exc:
            residents = []
            messages.show_error(self, describe(exc))
        self._names = {r.id: r.short_name or r.name for r in residents}
        self._full_names = {r.id: r.name for r in residents}
        self.resident_combo.blockSignals(True)
        self.resident_combo.clear()
        self.resident_combo.addItem(_("All residents"), None)
        for r in sorted(residents, key=lambda r: fold(r.short_name or r.name)):
            self.resident_combo.addItem(r.short_name or r.name, r.id)
            self.resident_combo.setItemData(self.resident_combo.count() - 1, r.name, Qt.ItemDataRole.ToolTipRole)
        index = self.resident_combo.findData(chosen) if chosen else 0
        self.resident_combo.setCurrentIndex(max(index, 0))
        self.resident_combo.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``list_opportunities`` the widgets stand for."""
        return {
            "match_kind": self.match_kind_combo.currentData(),
            "kind": self.category_combo.currentData(),
            "status": self.status_combo.currentData(),
            "resident_id": self.resident_combo.currentData(),
            "min_score": float(self.min_score_spin.value()),
            "include_inactive": self.inactive_check.isChecked(),
        }

    def reload(self, select_id: str | None = None) -> task_runner.Task | None:
        """Ask the service again with the current filters, keeping the sort and the selection.

        A zone's table is read at once; a register's (more than ``READ_AT_ONCE_UP_TO``
        opportunities stored: seconds) on the task runner, with progress and Cancel, and the
        task is returned. A reload asked for meanwhile supersedes it.
        """
        if select_id:
            self._current_id = select_id
        self._stream_index = None
        self._titles = None
        self._opened = None
        if self.load_task is not None and self.load_task.is_running:
            self.load_task.cancel()
        self.load_task = None
        filters, db, names = self.filters(), self.db, dict(self._names)
        try:
            stored = matching_service.count_opportunities(db)
            if stored <= READ_AT_ONCE_UP_TO:
                self._show_rows(read_rows(db, filters, names))
                return None
        except SERVICE_ERRORS as exc:
            self._show_rows([])
            messages.show_error(self, describe(exc))
            return None
        task = task_runner.run_task(
            self,
            _("Reading the opportunities"),
            lambda progress, cancelled: read_rows(db, filters, names, progress, cancelled),
            lambda rows: self._loaded(task, rows),
            lambda exc: self._load_failed(task, exc),
        )
        self.load_task = task
        self.count_label.setText(_("Reading the opportunities…"))
        return task

    def _loaded(self, task: task_runner.Task, rows: list[OpportunityRow]) -> None:
        if task is self.load_task:  # a superseded read is dropped
            self._show_rows(rows)

    def _load_failed(self, task: task_runner.Task, exc: BaseException) -> None:
        if task is self.load_task:
            messages.show_error(self, describe(exc))

    def _show_rows(self, rows: list[OpportunityRow]) -> None:
        self.model.set_rows(rows)
        self._update_count()

    def _update_count(self) -> None:
        count = self.model.total_count()
        self.count_label.setText(ngettext("{count} opportunity", "{count} opportunities", count).format(count=count))

    def rows(self) -> list[OpportunityRow]:
        return self.model.all_rows()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the details pane about a third of the width, at most what it needs
            self._sized = True
            detail = max(DETAIL_MIN_WIDTH, min(520, self.width() * 3 // 8))
            self.splitter.setSizes([max(self.width() - detail, 200), detail])
        self.reload_residents()  # residents and their streams may have changed elsewhere
        self.reload()

    # ------------------------------------------------------------ filter setters (tests, other pages)

    def _set_combo(self, combo: QComboBox, value: str | None) -> None:
        combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)

    def set_match_kind_filter(self, value: str | None) -> None:
        self._set_combo(self.match_kind_combo, value)

    def set_category_filter(self, value: str | None) -> None:
        self._set_combo(self.category_combo, value)

    def set_status_filter(self, value: str | None) -> None:
        self._set_combo(self.status_combo, value)

    def set_resident_filter(self, resident_id: str | None) -> None:
        self._set_combo(self.resident_combo, resident_id)

    def clear_filters(self) -> None:
        for widget in (self.match_kind_combo, self.category_combo, self.status_combo, self.resident_combo,
                       self.min_score_spin, self.inactive_check):
            widget.blockSignals(True)
        for combo in (self.match_kind_combo, self.category_combo, self.status_combo, self.resident_combo):
            combo.setCurrentIndex(0)
        self.min_score_spin.setValue(0.0)
        self.inactive_check.setChecked(True)
        for widget in (self.match_kind_combo, self.category_combo, self.status_combo, self.resident_combo,
                       self.min_score_spin, self.inactive_check):
            widget.blockSignals(False)
        self.reload()

    # ------------------------------------------------------------ selection

    def selected_row(self) -> OpportunityRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_data(rows[0].row()) if rows else None

    def selected(self) -> Opportunity | None:
        """The selected opportunity, whole: the table's rows are read without the score breakdown
        and the reasons (a national register has 165,000), so the one opened is read by its id."""
        row = self.selected_row()
        if row is None:
            return None
        if self._opened is None or self._opened.id != row.id:
            try:
                self._opened = matching_service.get_opportunity(self.db, row.id)
            except SERVICE_ERRORS:
                return row.opportunity  # gone meanwhile: what the table knows of it
        return self._opened

    def select(self, opportunity_id: str) -> bool:
        row = self.model.row_of(opportunity_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def open_opportunity(self, opportunity_id: str) -> bool:
        """Select an opportunity, clearing the filters if they hide it (the network view's click)."""
        if self.select(opportunity_id):
            return True
        self.clear_filters()
        return self.select(opportunity_id)

    def _model_reset(self) -> None:
        if not (self._current_id and self.select(self._current_id)):
            self._current_id = None
            self.detail.show_nothing()
        self._update_buttons()

    def _selection_changed(self) -> None:
        o = self.selected()
        self._current_id = o.id if o else None
        self._update_buttons()
        if o is None:
            self.detail.show_nothing()
            return
        try:
            self.detail.show_opportunity(o, self.detail_context(o))
        except SERVICE_ERRORS as exc:
            self.detail.show_message(describe(exc))

    def _update_buttons(self) -> None:
        o = self.selected()
        self.status_button.setEnabled(o is not None)
        self.resident_button.setEnabled(o is not None and bool(o.provider_id))

    def _show_provider(self) -> None:
        o = self.selected()
        if o is not None and o.provider_id:
            self.resident_requested.emit(o.provider_id)

    # ------------------------------------------------------------ details

    def detail_context(self, o: Opportunity) -> DetailContext:
        """Names, streams, member titles and precedents for the details pane."""
        details: dict[str, ResidentDetails] = {}
        for resident_id in {o.provider_id, o.receiver_id} - {None}:
            try:
                details[str(resident_id)] = resident_service.resident_details(self.db, str(resident_id))
            except SERVICE_ERRORS:
                continue  # a resident deleted since the run: shown as «—»
        streams: dict[str, str] = {}
        owners: dict[str, str] = {}
        for resident_id, d in details.items():
            for s in (*d.offers, *d.needs):
                streams[s.id] = s.name
                owners[s.id] = resident_id
        unknown = [m for m in o.members if m not in streams and m not in self._full_names]
        titles: dict[str, str] = {}
        if unknown:
            all_streams, all_owners = self._all_streams()
            streams.update(all_streams)
            owners.update(all_owners)
            titles = self._all_titles()
        context = DetailContext(self._full_names, streams, owners, titles)
        provider, receiver = details.get(o.provider_id or ""), details.get(o.receiver_id or "")
        if provider is not None and receiver is not None and o.offer_id:
            offer = next((s for s in provider.offers if s.id == o.offer_id), None)
            if offer is not None:
                context.precedents, context.rules = precedents_for(offer.code, offer.name, receiver.resident.activity_codes)
        return context

    def _all_streams(self) -> tuple[dict[str, str], dict[str, str]]:
        """Every stream's name and owner, read once per reload and only when a member needs it."""
        if self._stream_index is None:
            try:
                index = stream_service.stream_index(self.db)
            except SERVICE_ERRORS:
                index = {}
            names = {sid: name for sid, (name, _owner) in index.items()}
            owners = {sid: owner for sid, (_name, owner) in index.items()}
            self._stream_index = (names, owners)
        return self._stream_index

    def _all_titles(self) -> dict[str, str]:
        if self._titles is None:
            try:
                self._titles = matching_service.opportunity_titles(self.db)
            except SERVICE_ERRORS:
                self._titles = {}
        return self._titles

    # ------------------------------------------------------------ actions

    def change_status(self) -> OpportunityStatusDialog | None:
        """Open the status dialog for the selected opportunity (non-blocking)."""
        o = self.selected()
        if o is None:
            return None
        dialog = OpportunityStatusDialog(self.db, o, self)
        dialog.accepted.connect(lambda: self._status_saved(dialog))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _status_saved(self, dialog: OpportunityStatusDialog) -> None:
        saved = dialog.saved
        self.reload(select_id=saved.id if saved else None)
        self.opportunities_changed.emit()

    def run_matching(self) -> task_runner.Task:
        """Find opportunities in the background; the table reloads and the counts are reported."""
        db = self.db

        def work(progress: Any, cancelled: Any) -> MatchRunSummary:
            return matching_service.run_matching(db, progress, cancelled)

        self.match_button.setEnabled(False)
        task = task_runner.run_task(self, _("Finding opportunities"), work, self._matched, self._match_failed)
        task.finished.connect(lambda: self.match_button.setEnabled(True))
        self.match_task = task
        return task

    def _matched(self, summary: MatchRunSummary) -> None:
        self.last_summary = summary
        self.reload_residents()
        self.reload()
        self.opportunities_changed.emit()
        messages.show_info(
            self,
            _(
                "Opportunities found: {found} ({new} new, {updated} updated, {unchanged} unchanged); "
                "no longer found: {deactivated}"
            ).format(
                found=summary.found,
                new=summary.new,
                updated=summary.updated,
                unchanged=summary.unchanged,
                deactivated=summary.deactivated,
            ),
            _("Find opportunities"),
        )

    def _match_failed(self, exc: BaseException) -> None:
        messages.show_error(self, describe(exc), _("Find opportunities"))

