"""Create or edit one resident; refused input is explained next to its field.

The dialog only turns text into a ``Resident`` and calls
``services.residents.save_resident``; the rules live in the core. Numbers
typed with a decimal comma (Russian habit) are accepted. When the core
refuses the resident, each issue is shown in red under the field it names
and the dialog stays open: nothing is written unless everything is valid.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from symdesk.classifiers.reference import activity_classes
from symdesk.domain.issues import Issue, ValidationError
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.gui.labels import coordinate_text, status_label
from symdesk.i18n import N_, _
from symdesk.services.errors import UserError, describe, describe_issue
from symdesk.services.residents import save_resident
from symdesk.services.zones import zone_overview
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

ERROR_STYLE = "color: #c0392b;"


def parse_decimal(text: str) -> float | None:
    """``"53,17"`` or ``"53.17"`` → 53.17; empty → ``None``; anything else → ``ValueError``."""
    compact = re.sub(r"\s", "", text).replace(",", ".")
    return float(compact) if compact else None


def parse_count(text: str) -> int | None:
    compact = re.sub(r"\s", "", text)
    return int(compact) if compact else None


def split_codes(text: str) -> list[str]:
    """``"16100, 35.11; 3511"`` → three codes; the core normalises each one."""
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


class ResidentEditor(QDialog):
    """The form; widgets are attributes so tests (and later features) can fill them."""

    def __init__(self, db: Database, resident: Resident | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.original = resident
        self.saved: Resident | None = None
        self.setWindowTitle(_("Edit resident") if resident else _("New resident"))
        self.setMinimumWidth(560)
        self.error_labels: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}
        self._build_widgets()
        self._build_layout()
        if resident is not None:
            self._load(resident)

    # ------------------------------------------------------------ construction

    def _build_widgets(self) -> None:
        self.name_edit = QLineEdit()
        self.short_name_edit = QLineEdit()
        self.unp_edit = QLineEdit()
        self.unp_edit.setPlaceholderText(_("9 characters, e.g. 790233104"))
        self.codes_edit = QLineEdit()
        self.codes_edit.setPlaceholderText(_("comma-separated, e.g. 16100, 35.11"))
        self.site_combo = QComboBox()
        self.site_combo.addItem(_("(no site)"), None)
        for site in zone_overview(self.db).sites:
            label = f"{site.code} — {site.name}" if site.code else site.name
            self.site_combo.addItem(label, site.id)
        self.address_edit = QLineEdit()
        self.latitude_edit = QLineEdit()
        self.latitude_edit.setPlaceholderText(_("e.g. 53,1700"))
        self.longitude_edit = QLineEdit()
        self.longitude_edit.setPlaceholderText(_("e.g. 29,2700"))
        self.contact_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.staff_edit = QLineEdit()
        self.products_edit = QLineEdit()
        self.status_combo = QComboBox()
        for status in ResidentStatus:
            self.status_combo.addItem(status_label(status.value), status.value)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(70)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows: list[tuple[str, str, QWidget]] = [
            ("name", _("Name") + " *", self.name_edit),
            ("short_name", _("Short name"), self.short_name_edit),
            ("unp", _("UNP"), self.unp_edit),
            ("activity_codes", _("OKED codes"), self.codes_edit),
            ("site_id", _("Site"), self.site_combo),
            ("address", _("Address"), self.address_edit),
            ("latitude", _("Latitude"), self.latitude_edit),
            ("longitude", _("Longitude"), self.longitude_edit),
            ("contact_person", _("Contact person"), self.contact_edit),
            ("phone", _("Phone"), self.phone_edit),
            ("email", _("E-mail"), self.email_edit),
            ("staff_count", _("Staff"), self.staff_edit),
            ("main_products", _("Main products"), self.products_edit),
            ("status", _("Status"), self.status_combo),
            ("notes", _("Notes"), self.notes_edit),
        ]
        for field, label, widget in rows:
            form.addRow(label, self._with_error_label(field, widget))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.button_box)

    def _with_error_label(self, field: str, widget: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.error_labels[field] = error
        self.field_widgets[field] = widget
        return box

    def _load(self, r: Resident) -> None:
        self.name_edit.setText(r.name)
        self.short_name_edit.setText(r.short_name)
        self.unp_edit.setText(r.unp)
        self.codes_edit.setText(", ".join(r.activity_codes))
        self.site_combo.setCurrentIndex(max(0, self.site_combo.findData(r.site_id)) if r.site_id else 0)
        self.address_edit.setText(r.address)
        self.latitude_edit.setText("" if r.latitude is None else coordinate_text(r.latitude))
        self.longitude_edit.setText("" if r.longitude is None else coordinate_text(r.longitude))
        self.contact_edit.setText(r.contact_person)
        self.phone_edit.setText(r.phone)
        self.email_edit.setText(r.email)
        self.staff_edit.setText("" if r.staff_count is None else str(r.staff_count))
        self.products_edit.setText(r.main_products)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(r.status.value)))
        self.notes_edit.setPlainText(r.notes)
        for edit in self.findChildren(QLineEdit):
            edit.setCursorPosition(0)  # long addresses show their beginning

    # ------------------------------------------------------------ reading the form

    def resident_from_form(self) -> tuple[Resident, list[Issue]]:
        """The resident as typed, and the numbers that could not be read."""
        issues: list[Issue] = []

        def number(field: str, text: str, parse: Callable[[str], Any]) -> Any:
            try:
                return parse(text)
            except ValueError:
                issues.append(Issue(field, N_("«{value}» is not a number"), {"value": text.strip()}))
                return None

        base = self.original or Resident(zone_id="", name="")
        resident = dataclasses.replace(
            base,
            meta=dataclasses.replace(base.meta),
            name=self.name_edit.text(),
            short_name=self.short_name_edit.text(),
            unp=self.unp_edit.text().strip(),
            activity_codes=split_codes(self.codes_edit.text()),
            site_id=self.site_combo.currentData(),
            address=self.address_edit.text().strip(),
            latitude=number("latitude", self.latitude_edit.text(), parse_decimal),
            longitude=number("longitude", self.longitude_edit.text(), parse_decimal),
            contact_person=self.contact_edit.text().strip(),
            phone=self.phone_edit.text().strip(),
            email=self.email_edit.text().strip(),
            staff_count=number("staff_count", self.staff_edit.text(), parse_count),
            main_products=self.products_edit.text().strip(),
            status=ResidentStatus(self.status_combo.currentData()),
            notes=self.notes_edit.toPlainText().strip(),
        )
        return resident, issues

    # ------------------------------------------------------------ saving

    def accept(self) -> None:
        """Save and close, or show what is wrong and stay open."""
        self.clear_errors()
        resident, issues = self.resident_from_form()
        if issues:
            # Say everything at once: the unreadable numbers and the other problems.
            checked = dataclasses.replace(resident, activity_codes=list(resident.activity_codes))
            checked.normalise()
            unreadable = {i.field for i in issues}
            issues += [i for i in checked.validate(activity_classes()) if i.field not in unreadable]
            self.show_issues(issues)
            return
        try:
            self.saved = save_resident(self.db, resident)
        except ValidationError as exc:
            self.show_issues(exc.issues)
            return
        except (UserError, StorageError) as exc:
            self._show_general(describe(exc))
            return
        super().accept()

    def clear_errors(self) -> None:
        for label in self.error_labels.values():
            label.clear()
            label.hide()
        self.general_error.clear()
        self.general_error.hide()

    def show_issues(self, issues: list[Issue]) -> None:
        """Each issue in red under its field; issues of other fields below the form."""
        per_field: dict[str, list[str]] = {}
        general: list[str] = []
        for issue in issues:
            if issue.field in self.error_labels:
                per_field.setdefault(issue.field, []).append(issue.render(_))
            else:
                general.append(describe_issue(issue))
        for field, texts in per_field.items():
            label = self.error_labels[field]
            label.setText("\n".join(texts))
            label.show()
        if general:
            self._show_general("\n".join(general))
        first = next((f for f in self.error_labels if f in per_field), None)
        if first is not None:
            self.field_widgets[first].setFocus()

    def _show_general(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.show()

    def error_text(self, field: str) -> str:
        """What is shown next to ``field`` (empty when it is fine)."""
        label = self.error_labels.get(field, self.general_error)
        return label.text() if not label.isHidden() else ""
