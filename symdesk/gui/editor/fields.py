"""One widget per field type, turning what is typed into the field's value.

Each ``FieldEditor`` has a ``widget``, ``value()`` (raising ``ValueProblem``
for text that is not well-formed: «12,5 т» in a number field), ``set_value``
and a ``changed`` signal. Numbers take a decimal comma; dates are typed as
dd.mm.yyyy and may be left empty ("not set").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QWidget,
)

from symdesk.gui.widgets.code_picker import CodePicker
from symdesk.i18n import _, current_language
from symdesk.questionnaire.definition import Field
from symdesk.questionnaire.values import (
    parse_code,
    parse_date,
    parse_integer,
    parse_number,
)
from symdesk.storage.db import Database


def number_text(value: Any) -> str:
    """A stored number as it is typed back: «2,5» in Russian, no thousands separators."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    number = float(value)
    text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return text.replace(".", ",") if current_language() == "ru" else text


def date_text(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def codes_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class FieldEditor(QObject):
    changed = Signal()

    def __init__(self, field: Field):
        super().__init__()
        self.field = field
        self.widget: QWidget = QWidget()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self.widget


class TextEditor(FieldEditor):
    def __init__(self, field: Field):
        super().__init__(field)
        self.edit = QLineEdit()
        if field.max_length:
            self.edit.setMaxLength(max(field.max_length * 2, 1000))  # over-long text is refused with a message
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.widget = self.edit

    def value(self) -> Any:
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class NumberEditor(TextEditor):
    def __init__(self, field: Field):
        super().__init__(field)
        self.edit.setPlaceholderText("0,0" if current_language() == "ru" else "0.0")

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None
        return parse_integer(text) if self.field.type == "integer" else parse_number(text)

    def set_value(self, value: Any) -> None:
        self.edit.setText(number_text(value))


class DateEditor(FieldEditor):
    def __init__(self, field: Field):
        super().__init__(field)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("dd.mm.yyyy"))
        self.edit.setMaximumWidth(140)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.today_button = QToolButton()
        self.today_button.setText(_("Today"))
        self.today_button.clicked.connect(lambda: self.set_value(date.today()))
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.today_button)
        row.addStretch(1)

    def value(self) -> Any:
        text = self.edit.text().strip()
        return parse_date(text) if text else None

    def set_value(self, value: Any) -> None:
        self.edit.setText(date_text(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class BooleanEditor(FieldEditor):
    def __init__(self, field: Field):
        super().__init__(field)
        self.box = QCheckBox()
        self.box.toggled.connect(lambda _c: self.changed.emit())
        self.widget = self.box

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class ChoiceEditor(FieldEditor):
    def __init__(self, field: Field):
        super().__init__(field)
        self.combo = QComboBox()
        self.combo.addItem("", None)
        language = current_language()
        for choice in field.choices:
            self.combo.addItem(choice.label.get(language), choice.value)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        row.addStretch(1)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value not in (None, "") else 0
        if index < 0:  # a stored value this version does not offer: keep it visible
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def focus_widget(self) -> QWidget:
        return self.combo


class MultipleChoiceEditor(FieldEditor):
    def __init__(self, field: Field):
        super().__init__(field)
        self.list = QListWidget()
        language = current_language()
        for choice in field.choices:
            item = QListWidgetItem(choice.label.get(language))
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setMaximumHeight(min(6, max(len(field.choices), 2)) * 24 + 6)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.widget = self.list

    def value(self) -> Any:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for i in range(self.list.count()):
            item = self.list.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class CodeEditor(FieldEditor):
    def __init__(self, field: Field, db: Database | None):
        super().__init__(field)
        self.picker = CodePicker(db, field.classifier or "waste", multiple=field.multiple)
        self.picker.setPlaceholderText(_("Type a code or words of its name"))
        self.picker.textChanged.connect(lambda _t: self.changed.emit())
        self.widget = self.picker

    def value(self) -> Any:
        text = self.picker.text().strip()
        if not text:
            return [] if self.field.multiple else None
        return parse_code(self.field, text)

    def set_value(self, value: Any) -> None:
        self.picker.setText(codes_text(value))


def make_editor(field: Field, db: Database | None) -> FieldEditor:
    if field.type in ("integer", "decimal"):
        return NumberEditor(field)
    if field.type == "date":
        return DateEditor(field)
    if field.type == "boolean":
        return BooleanEditor(field)
    if field.type == "select_one":
        return ChoiceEditor(field)
    if field.type == "select_multiple":
        return MultipleChoiceEditor(field)
    if field.type == "code":
        return CodeEditor(field, db)
    return TextEditor(field)
