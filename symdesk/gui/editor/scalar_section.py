"""A section of single answers as a form: label, widget, hint, and issues in red.

Required fields are marked with *; a field whose relevance does not hold
(the unit of production volume while no volume is given) is hidden and
shown again as soon as the field governing it is filled.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from symdesk.gui.editor.fields import FieldEditor, make_editor
from symdesk.i18n import _, current_language
from symdesk.questionnaire.definition import Section
from symdesk.questionnaire.validation import FieldIssue, relevant
from symdesk.questionnaire.values import ValueProblem
from symdesk.storage.db import Database

ERROR_STYLE = "color: #c0392b;"
HINT_STYLE = "color: #6b6b6b;"
LABEL_WIDTH = 300


def small_label(text: str, style: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


class ScalarSectionPage(QScrollArea):
    """See the module docstring; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, section: Section, db: Database | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, QLabel] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._rows: dict[str, int] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(12, 12, 12, 12)
        language = current_language()
        if section.hint:
            outer.addWidget(small_label(section.hint.get(language), HINT_STYLE))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setVerticalSpacing(8)
        outer.addLayout(self.form)
        outer.addStretch(1)
        for f in section.fields:
            editor = make_editor(f, db)
            editor.changed.connect(self._edited)
            text = f.label.get(language) + (" *" if f.required else "")
            label = QLabel(text)
            label.setWordWrap(True)
            label.setMinimumWidth(min(label.fontMetrics().horizontalAdvance(text) + 4, LABEL_WIDTH))
            label.setMaximumWidth(LABEL_WIDTH)
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor.widget)
            if f.hint:
                hint = f.hint.get(language)
                label.setToolTip(hint)
                editor.widget.setToolTip(hint)
                column.addWidget(small_label(hint, HINT_STYLE))
            error = small_label("", ERROR_STYLE)
            error.hide()
            column.addWidget(error)
            self.form.addRow(label, cell)
            self._rows[f.name] = self.form.rowCount() - 1
            self.editors[f.name] = editor
            self.labels[f.name] = label
            self.error_labels[f.name] = error
        self.setWidget(body)

    def _edited(self) -> None:
        self.update_relevance()
        self.changed.emit()

    # ------------------------------------------------------------ values

    def set_values(self, values: dict[str, Any]) -> None:
        for name, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(values.get(name))
            editor.blockSignals(False)
        self.update_relevance()

    def collect(self, into: dict[str, Any]) -> list[FieldIssue]:
        """Put this section's answers into ``into``; the answers that are not well-formed.

        A refused answer keeps its raw text, so a change is still noticed.
        """
        problems: list[FieldIssue] = []
        for name, editor in self.editors.items():
            try:
                into[name] = editor.value()
            except ValueProblem as exc:
                into[name] = getattr(editor.focus_widget(), "text", lambda: "")()
                problems.append(FieldIssue(self.section.name, name, exc.message, exc.params))
        return problems

    def is_shown(self, name: str) -> bool:
        return self.form.isRowVisible(self._rows[name])

    def update_relevance(self) -> None:
        values: dict[str, Any] = {}
        self.collect(values)
        for f in self.section.fields:
            self.form.setRowVisible(self._rows[f.name], relevant(f, values))

    # ------------------------------------------------------------ issues

    def show_issues(self, issues: list[FieldIssue]) -> None:
        """Show each issue under its field; fields without one are cleared."""
        by_field: dict[str, list[str]] = {}
        for issue in issues:
            by_field.setdefault(issue.field, []).append(issue.render(_))
        for name, label in self.error_labels.items():
            texts = by_field.get(name, [])
            label.setText("\n".join(texts))
            label.setVisible(bool(texts))

    def focus_field(self, name: str) -> None:
        editor = self.editors.get(name)
        if editor is not None:
            self.ensureWidgetVisible(editor.widget)
            editor.focus_widget().setFocus()
