"""UNIDO's two searches over the knowledge base, one page each.

*By by-product or waste*: a waste code and/or the material in words (and,
optionally, the activity of the company giving it off) → the receiving
activity classes, best first, each with the cases that document it and the
zone's residents in that class (a double click opens the resident).
*By company type*: an activity code → what such a company likely gives off
and likely needs, each with its precedents or the rule of thumb behind it.

Both call ``services.knowledge``; its refusals (a malformed code, nothing to
search for) are shown through the messages helper.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.codes import format_activity_code
from symdesk.domain.issues import ValidationError
from symdesk.gui.dialogs import messages
from symdesk.gui.labels import MUTED
from symdesk.gui.pages.opportunity_detail import heading, muted
from symdesk.gui.precedents import rule_texts
from symdesk.gui.widgets.code_picker import CodePicker
from symdesk.gui.widgets.record_table import record_table
from symdesk.i18n import N_, _, current_language, format_number, ngettext
from symdesk.matching.knowledge import MaterialSuggestion, Precedent
from symdesk.services import knowledge as knowledge_service
from symdesk.services.errors import UserError, describe
from symdesk.services.knowledge import ReceiverInZone
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

SERVICE_ERRORS = (UserError, ValidationError, StorageError)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 1
DEFAULT_LIMIT = 10
MAX_PRECEDENTS_SHOWN = 10


def subtitle(text: str) -> str:
    return f"<p style='color:{MUTED}; margin-top:0'>{escape(text)}</p>"


def evidence_text(precedents: Sequence[Precedent], rules: Sequence[str]) -> str:
    """«3 precedents», «rule of thumb», or both."""
    parts = []
    if precedents:
        parts.append(ngettext("{count} precedent", "{count} precedents", len(precedents)).format(count=len(precedents)))
    if rule_texts(list(rules)):
        parts.append(_("rule of thumb"))
    return ", ".join(parts)


def widest_evidence() -> str:
    return ngettext("{count} precedent", "{count} precedents", 10).format(count=10) + ", " + _("rule of thumb")


def evidence_html(precedents: Sequence[Precedent], rules: Sequence[str]) -> str:
    """The cases and rules of thumb behind one suggestion, for a details pane."""
    parts: list[str] = []
    if precedents:
        parts.append(heading(_("Precedents ({count})").format(count=len(precedents))) + "<ul style='margin-left:-20px'>")
        for p in list(precedents)[:MAX_PRECEDENTS_SHOWN]:
            where = ", ".join(x for x in (p.country_in(current_language()), p.year) if x)
            codes = _("activities {provider} → {receiver}").format(provider=p.provider_nace, receiver=p.receiver_nace)
            waste = "; " + escape(_("waste code {code}").format(code=p.ewc_code)) if p.ewc_code else ""
            parts.append(
                f"<li><b>{escape(p.material_in(current_language()))}</b>" + (f" ({escape(where)})" if where else "")
                + f" — {escape(codes)}{waste}"
                + (f"<br><span style='color:{MUTED}'>{escape(p.reference)}</span>" if p.reference else "")
                + "</li>"
            )
        parts.append("</ul>")
    reasons = rule_texts(list(rules))
    if reasons:
        parts.append(heading(_("Rules of thumb")) + "<ul style='margin-left:-20px'>")
        parts.extend(f"<li>{escape(r)}</li>" for r in reasons)
        parts.append("</ul>")
    if not parts:
        parts.append(muted(_("No precedent recorded.")))
    return "".join(parts)


def _item(text: str, sort: Any = None, *, numeric: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(text if sort is None else sort, SORT_ROLE)
    item.setToolTip(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _results_table(model: QStandardItemModel, stretch: int) -> QTableView:
    model.setSortRole(SORT_ROLE)
    table = record_table(model)
    table.setSortingEnabled(True)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fit_columns(table: QTableView, samples: dict[int, str]) -> None:
    """Widths from the translated headers and a sample of the widest value, not from the rows."""
    model = table.model()
    fm = table.horizontalHeader().fontMetrics()
    for column, sample in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        table.setColumnWidth(column, max(fm.horizontalAdvance(title), fm.horizontalAdvance(sample)) + 24)


def first_show_sizes(page: QWidget, splitter: QSplitter) -> None:
    """Two thirds for the ranked table, a third for the details, the first time the page shows."""
    if page.property("sized"):
        return
    page.setProperty("sized", True)
    detail = max(340, page.width() // 3)
    splitter.setSizes([max(page.width() - detail, 300), detail])


def _limit_spin() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1, 50)
    spin.setValue(DEFAULT_LIMIT)
    return spin


# ============================================================ by by-product or waste

RANK, CLASS, CLASS_NAME, SCORE, EVIDENCE, IN_ZONE = range(6)
RECEIVER_HEADERS = (N_("No."), N_("Class"), N_("Receiving activity"), N_("Score"), N_("Evidence"), N_("In the zone"))



def _hint(text: str) -> QLabel:
    """The grey line under a search page's title that says what the search answers."""
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet(f"color: {MUTED}")
    return hint

class WasteSearchPage(QWidget):
    """Who can use this by-product or waste; see the module docstring."""

    resident_requested = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.results: list[ReceiverInZone] = []
        self._build()

    def _build(self) -> None:
        self.code_edit = CodePicker(self.db, "waste")
        self.code_edit.setPlaceholderText(_("EWC or national code, e.g. 03 01 05"))
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(_("the material in words, e.g. опилки"))
        self.activity_edit = CodePicker(self.db, "activity")
        self.activity_edit.setPlaceholderText(_("optional OKED code"))
        for edit in (self.code_edit, self.activity_edit):
            edit.setToolTip(edit.placeholderText())
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("00 00 00*") * 2)
        self.limit_spin = _limit_spin()
        self.search_button = QPushButton(_("Search"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        for edit in (self.code_edit, self.text_edit, self.activity_edit):
            edit.returnPressed.connect(self.search)
        self.summary_label = QLabel()

        self.model = QStandardItemModel(0, len(RECEIVER_HEADERS), self)
        self.model.setHorizontalHeaderLabels([_(h) for h in RECEIVER_HEADERS])
        self.table = _results_table(self.model, CLASS_NAME)
        fit_columns(
            self.table,
            {RANK: "00", CLASS: "00.00", SCORE: "000,0", EVIDENCE: widest_evidence(), IN_ZONE: "00"},
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.residents_list = QListWidget()
        self.residents_list.setWordWrap(True)
        self.residents_list.itemDoubleClicked.connect(self._open_resident)
        self.residents_list.setToolTip(_("Double-click to open the resident"))
        residents_box = QGroupBox(_("The zone's residents in this class"))
        box_layout = QVBoxLayout(residents_box)
        box_layout.addWidget(self.residents_list)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.detail)
        side.addWidget(residents_box)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        inputs = QHBoxLayout()
        for text, widget, stretch in (
            (_("Waste code:"), self.code_edit, 1),
            (_("Material:"), self.text_edit, 3),
            (_("Provider's OKED:"), self.activity_edit, 1),
            (_("Show:"), self.limit_spin, 0),
        ):
            inputs.addWidget(QLabel(text))
            inputs.addWidget(widget, stretch)
            inputs.addSpacing(6)
        inputs.addWidget(self.search_button)
        hint = _hint(
            _(
                "Who can use this by-product or waste: activity classes ranked by documented "
                "exchanges and rules of thumb, with the zone's residents in each class."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(inputs)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        self._show_nothing()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first_show_sizes(self, self.splitter)

    def set_database(self, db: Database) -> None:
        self.db = db
        self.code_edit.db = db
        self.activity_edit.db = db
        self.search_again()

    def search_again(self) -> None:
        """After a database change: the zone's residents differ, the ranking does not."""
        if self.results:
            self.search(quiet=True)

    # ------------------------------------------------------------ searching

    def search(self, quiet: bool = False) -> list[ReceiverInZone] | None:
        """Run the search with what is entered; ``None`` (and a message) if it is refused."""
        try:
            found = knowledge_service.find_receivers(
                self.db,
                code=self.code_edit.text(),
                text=self.text_edit.text(),
                provider_activity=self.activity_edit.text(),
                limit=self.limit_spin.value(),
            )
        except SERVICE_ERRORS as exc:
            if not quiet:
                messages.show_error(self, describe(exc), _("Search by waste"))
            return None
        self.show_results(found)
        return found

    def show_results(self, found: list[ReceiverInZone]) -> None:
        self.results = list(found)
        self.model.removeRows(0, self.model.rowCount())
        self.table.setSortingEnabled(False)
        for rank, r in enumerate(found, start=1):
            s = r.suggestion
            row = [
                _item(str(rank), rank, numeric=True),
                _item(format_activity_code(s.nace_class), s.nace_class),
                _item(r.class_name),
                _item(format_number(s.score, 1), s.score, numeric=True),
                _item(evidence_text(s.precedents, s.rules), len(s.precedents)),
                _item(str(len(r.residents)) if r.residents else "", len(r.residents), numeric=True),
            ]
            row[0].setData(rank - 1, ID_ROLE)
            self.model.appendRow(row)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RANK, Qt.SortOrder.AscendingOrder)
        in_zone = sum(1 for r in found if r.residents)
        self.summary_label.setText(
            ngettext("{count} receiving class", "{count} receiving classes", len(found)).format(count=len(found))
            + " · "
            + _("{count} with residents in the zone").format(count=in_zone)
        )
        if found:
            self.table.selectRow(0)
        else:
            self._show_nothing()

    def _show_nothing(self) -> None:
        self.detail.setHtml(
            f"<p style='color:{MUTED}'>"
            + escape(_("Enter a waste code or the material in words and press Search."))
            + "</p>"
        )
        self.residents_list.clear()

    # ------------------------------------------------------------ selection

    def selected_result(self) -> ReceiverInZone | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        position = self.model.item(rows[0].row(), RANK).data(ID_ROLE)
        return self.results[int(position)] if position is not None else None

    def shown_classes(self) -> list[str]:
        """The class codes in the table's current order."""
        return [str(self.model.item(row, CLASS).data(SORT_ROLE)) for row in range(self.model.rowCount())]

    def _selection_changed(self) -> None:
        r = self.selected_result()
        if r is None:
            self._show_nothing()
            return
        s = r.suggestion
        title = f"{format_activity_code(s.nace_class)} {r.class_name}"
        self.detail.setHtml(
            f"<h3 style='margin-bottom:2px'>{escape(title)}</h3>"
            + subtitle(_("Score {score}").format(score=format_number(s.score, 1)))
            + evidence_html(s.precedents, s.rules)
        )
        self.residents_list.clear()
        for resident in r.residents:
            text = resident.short_name or resident.name
            item = QListWidgetItem(f"{text}   ({resident.unp})" if resident.unp else text)
            item.setData(ID_ROLE, resident.id)
            item.setToolTip(resident.name)
            self.residents_list.addItem(item)
        if not r.residents:
            item = QListWidgetItem(_("No resident of the zone is in this class: a candidate to attract."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.residents_list.addItem(item)

    def shown_residents(self) -> list[str]:
        return [
            str(self.residents_list.item(i).data(ID_ROLE))
            for i in range(self.residents_list.count())
            if self.residents_list.item(i).data(ID_ROLE)
        ]

    def _open_resident(self, item: QListWidgetItem) -> None:
        resident_id = item.data(ID_ROLE)
        if resident_id:
            self.resident_requested.emit(str(resident_id))


# ============================================================ by company type

M_RANK, MATERIAL, M_SCORE, M_EVIDENCE = range(4)
MATERIAL_HEADERS = (N_("No."), N_("Material"), N_("Score"), N_("Evidence"))


class CompanyTypeSearchPage(QWidget):
    """What a kind of company likely gives off and needs; see the module docstring."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.offers: list[MaterialSuggestion] = []
        self.needs: list[MaterialSuggestion] = []
        self._build()

    def _build(self) -> None:
        self.activity_edit = CodePicker(self.db, "activity")
        self.activity_edit.setPlaceholderText(_("OKED code, e.g. 16100 or 16.10"))
        self.activity_edit.returnPressed.connect(self.search)
        self.limit_spin = _limit_spin()
        self.search_button = QPushButton(_("Search"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.activity_label = QLabel()
        self.activity_label.setWordWrap(True)

        self.offers_model = QStandardItemModel(0, len(MATERIAL_HEADERS), self)
        self.needs_model = QStandardItemModel(0, len(MATERIAL_HEADERS), self)
        for model in (self.offers_model, self.needs_model):
            model.setHorizontalHeaderLabels([_(h) for h in MATERIAL_HEADERS])
        self.offers_table = _results_table(self.offers_model, MATERIAL)
        self.needs_table = _results_table(self.needs_model, MATERIAL)
        for table in (self.offers_table, self.needs_table):
            fit_columns(table, {M_RANK: "00", M_SCORE: "000,0", M_EVIDENCE: widest_evidence()})
        self.offers_table.selectionModel().selectionChanged.connect(lambda *_a: self._selected(self.offers_table))
        self.needs_table.selectionModel().selectionChanged.connect(lambda *_a: self._selected(self.needs_table))

        offers_box = QGroupBox(_("Likely by-products and wastes"))
        QVBoxLayout(offers_box).addWidget(self.offers_table)
        needs_box = QGroupBox(_("Likely needs"))
        QVBoxLayout(needs_box).addWidget(self.needs_table)
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(offers_box)
        lists.addWidget(needs_box)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(lists)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        inputs = QHBoxLayout()
        inputs.addWidget(QLabel(_("Activity (OKED):")))
        inputs.addWidget(self.activity_edit, 1)
        inputs.addSpacing(6)
        inputs.addWidget(QLabel(_("Show:")))
        inputs.addWidget(self.limit_spin)
        inputs.addWidget(self.search_button)
        hint = _hint(
            _(
                "What a company of this kind likely gives off and needs, from documented exchanges "
                "and rules of thumb: suggestions to confirm with the resident."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(inputs)
        layout.addWidget(self.activity_label)
        layout.addWidget(self.splitter, 1)
        self._show_nothing()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first_show_sizes(self, self.splitter)

    def set_database(self, db: Database) -> None:
        self.db = db
        self.activity_edit.db = db

    def search(self) -> bool:
        activity = self.activity_edit.text()
        try:
            found = knowledge_service.suggest_for_activity(activity, limit=self.limit_spin.value())
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc), _("Search by company type"))
            return False
        self.offers, self.needs = list(found.likely_offers), list(found.likely_needs)
        self._fill(self.offers_model, self.offers_table, self.offers)
        self._fill(self.needs_model, self.needs_table, self.needs)
        self.activity_label.setText(self._activity_text(activity))
        if self.offers:
            self.offers_table.selectRow(0)
        elif self.needs:
            self.needs_table.selectRow(0)
        else:
            self.detail.setHtml(muted(_("Nothing is known about this activity.")))
        return True

    @staticmethod
    def _activity_text(activity: str) -> str:
        from symdesk.classifiers.reference import describe_activity
        from symdesk.domain.codes import normalise_activity_code

        code = normalise_activity_code(activity) or activity
        return f"<b>{escape(format_activity_code(code))}</b> {escape(describe_activity(code, current_language()))}"

    @staticmethod
    def _fill(model: QStandardItemModel, table: QTableView, items: list[MaterialSuggestion]) -> None:
        model.removeRows(0, model.rowCount())
        table.setSortingEnabled(False)
        for position, m in enumerate(items):
            name = knowledge_service.material_name(m.material_class)
            row = [
                _item(str(position + 1), position, numeric=True),
                _item(name),
                _item(format_number(m.score, 1), m.score, numeric=True),
                _item(evidence_text(m.precedents, m.rules), len(m.precedents)),
            ]
            row[0].setData(position, ID_ROLE)
            model.appendRow(row)
        table.setSortingEnabled(True)
        table.sortByColumn(M_RANK, Qt.SortOrder.AscendingOrder)  # the knowledge base's ranking

    def names(self, side: str) -> list[str]:
        """The material names shown in ``offers`` or ``needs``, in table order."""
        model = self.offers_model if side == "offers" else self.needs_model
        return [model.item(row, MATERIAL).text() for row in range(model.rowCount())]

    def _show_nothing(self) -> None:
        self.detail.setHtml(
            f"<p style='color:{MUTED}'>" + escape(_("Enter an OKED code and press Search.")) + "</p>"
        )

    def _selected(self, table: QTableView) -> None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return
        other = self.needs_table if table is self.offers_table else self.offers_table
        other.selectionModel().blockSignals(True)
        other.clearSelection()
        other.selectionModel().blockSignals(False)
        items = self.offers if table is self.offers_table else self.needs
        model = table.model()
        assert isinstance(model, QStandardItemModel)
        m = items[int(model.item(rows[0].row(), M_RANK).data(ID_ROLE))]
        name = knowledge_service.material_name(m.material_class)
        self.detail.setHtml(
            f"<h3 style='margin-bottom:2px'>{escape(name)}</h3>"
            + subtitle(_("Score {score}").format(score=format_number(m.score, 1)))
            + evidence_html(m.precedents, m.rules)
        )
