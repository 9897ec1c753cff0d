"""Fill in one questionnaire: a tab per section of the form definition.

Nothing here knows the questions: the tabs, fields, tables, choices and
rules all come from the ``FormDefinition``. After every change the draft
check runs (``check_document(complete=False)``) and its issues are shown
where they belong; what a complete form lacks is shown only once «Mark
complete» was tried. Save draft stores whatever is well-formed; Mark
complete and Mark verified need a fully valid form. Closing with unsaved
changes asks first (through ``messages.ask_save_changes``).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.issues import ValidationError
from symdesk.domain.labels import label
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.gui.dialogs import messages
from symdesk.gui.editor.repeat_section import RepeatSectionPage
from symdesk.gui.editor.scalar_section import ERROR_STYLE, ScalarSectionPage
from symdesk.i18n import _, current_language
from symdesk.questionnaire.definition import FormDefinition, default_definition
from symdesk.questionnaire.document import QuestionnaireDocument
from symdesk.questionnaire.validation import FieldIssue
from symdesk.services import questionnaires as questionnaire_service
from symdesk.services.errors import UserError, describe
from symdesk.services.zones import zone_overview
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

ISSUE_TAB_COLOUR = QColor("#c0392b")
Page = ScalarSectionPage | RepeatSectionPage


def status_text(status: QuestionnaireStatus | str | None) -> str:
    if not status:
        return _("not saved yet")
    return _(label(QuestionnaireStatus(status)))


class QuestionnaireEditor(QDialog):
    """See the module docstring. ``saved`` fires after every successful save."""

    saved = Signal()

    def __init__(
        self,
        db: Database,
        document: QuestionnaireDocument,
        parent: QWidget | None = None,
        definition: FormDefinition | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.definition = definition or default_definition()
        self.document = document
        self.stored_status: QuestionnaireStatus | None = None
        self.completion_tried = False
        self.issues: list[FieldIssue] = []
        self._snapshot: Any = None
        self._loading = False
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1180, 760)
        self._build()
        self.load(document)

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        language = current_language()
        self.heading = QLabel()
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, Page] = {}
        for section in self.definition.sections:
            page: Page = (
                RepeatSectionPage(section, self.db) if section.repeat else ScalarSectionPage(section, self.db)
            )
            page.changed.connect(self._changed)
            self.pages[section.name] = page
            self.tabs.addTab(page, section.label.get(language))
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.save_button = QPushButton(_("Save draft"))
        self.save_button.setToolTip(_("Save what is entered so far; required answers may still be missing"))
        self.complete_button = QPushButton(_("Mark complete"))
        self.complete_button.setToolTip(_("Save and mark complete: every required answer must be given"))
        self.verify_button = QPushButton(_("Mark verified"))
        self.verify_button.setToolTip(_("Confirm that a complete questionnaire was checked"))
        self.close_button = QPushButton(_("Close"))
        self.save_button.clicked.connect(self.save_draft)
        self.complete_button.clicked.connect(self.mark_complete)
        self.verify_button.clicked.connect(self.mark_verified)
        self.close_button.clicked.connect(self.reject)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        for button in (self.complete_button, self.verify_button, self.close_button):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)

    # ------------------------------------------------------------ loading and collecting

    def load(self, document: QuestionnaireDocument) -> None:
        """Show ``document``; it becomes the saved state unsaved changes are measured against."""
        self._loading = True
        self.document = document
        for section in self.definition.sections:
            page = self.pages[section.name]
            if isinstance(page, RepeatSectionPage):
                page.set_rows(document.rows.get(section.name, []))
            else:
                page.set_values(document.values)
        self._loading = False
        self.stored_status = document.status if document.questionnaire_id else None
        self._snapshot = self.state()
        self._update_heading()
        self.revalidate()

    def collect(self) -> tuple[QuestionnaireDocument, list[FieldIssue]]:
        """The document as entered, and the answers that are not well-formed."""
        doc = copy.deepcopy(self.document)
        problems: list[FieldIssue] = []
        for name, page in self.pages.items():
            if isinstance(page, RepeatSectionPage):
                rows, found = page.collect()
                doc.rows[name] = rows
            else:
                found = page.collect(doc.values)
            problems += found
        return doc, problems

    def state(self) -> Any:
        doc, _problems = self.collect()
        repeats = [p.state() for p in self.pages.values() if isinstance(p, RepeatSectionPage)]
        return doc.values, repeats

    def is_dirty(self) -> bool:
        return self.state() != self._snapshot

    def _update_heading(self) -> None:
        name = self.document.values.get("short_name") or self.document.values.get("name") or _("New resident")
        campaign = ""
        try:
            campaign = next(
                (c.name for c in zone_overview(self.db).campaigns if c.id == self.document.campaign_id), ""
            )
        except StorageError:
            campaign = ""
        self.setWindowTitle(_("Questionnaire — {resident}").format(resident=name))
        parts = [f"<b>{name}</b>"]
        if campaign:
            parts.append(campaign)
        parts.append(_("Status: {status}").format(status=status_text(self.stored_status)))
        parts.append(_("Form version {version}").format(version=self.document.form_version))
        self.heading.setText("  ·  ".join(parts))
        self.verify_button.setEnabled(self.stored_status is QuestionnaireStatus.COMPLETE)

    # ------------------------------------------------------------ validation

    def _changed(self) -> None:
        if not self._loading:
            self.revalidate()

    def revalidate(self) -> list[FieldIssue]:
        """Check what is entered and show the issues (completeness only after «Mark complete»)."""
        doc, problems = self.collect()
        broken = {(i.section, i.field, i.row) for i in problems}
        checked = questionnaire_service.check_document(doc, complete=self.completion_tried, definition=self.definition)
        self.show_issues(problems + [i for i in checked if (i.section, i.field, i.row) not in broken])
        return self.issues

    def show_issues(self, issues: list[FieldIssue]) -> None:
        self.issues = list(issues)
        sections_with_issues = {i.section for i in issues}
        for index, (name, page) in enumerate(self.pages.items()):
            page.show_issues([i for i in issues if i.section == name])
            colour = ISSUE_TAB_COLOUR if name in sections_with_issues else QColor()
            self.tabs.tabBar().setTabTextColor(index, colour)
        if not issues:
            self.general_error.hide()

    def focus_first_issue(self) -> None:
        if not self.issues:
            return
        order = list(self.pages)
        first = min(self.issues, key=lambda i: (order.index(i.section) if i.section in order else 99, i.row or 0))
        page = self.pages.get(first.section)
        if page is None:
            return
        self.tabs.setCurrentWidget(page)
        if isinstance(page, RepeatSectionPage):
            page.focus_issue(first)
        else:
            page.focus_field(first.field)

    def _show_general(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(bool(text))

    # ------------------------------------------------------------ saving

    def save(self, status: QuestionnaireStatus) -> bool:
        """Store the document with ``status``; problems are shown inline and nothing is written."""
        doc, problems = self.collect()
        if problems:
            self.revalidate()
            self._show_general(_("Some answers are not well-formed; they are marked in red."))
            self.focus_first_issue()
            return False
        try:
            saved = questionnaire_service.save_document(self.db, doc, status, self.definition)
        except questionnaire_service.DocumentInvalid as exc:
            self.show_issues(exc.field_issues)
            self._show_general(_("The questionnaire cannot be saved as {status}: see the answers marked in red.").format(
                status=status_text(status)
            ))
            self.focus_first_issue()
            return False
        except ValidationError as exc:
            self._show_general(describe(exc))
            return False
        except (UserError, StorageError) as exc:
            messages.show_error(self, describe(exc))
            return False
        try:
            reopened = questionnaire_service.open_document(
                self.db, questionnaire_id=saved.id, definition=self.definition
            )
        except (UserError, StorageError) as exc:
            messages.show_error(self, describe(exc))
            return False
        current = self.tabs.currentIndex()
        self.load(reopened)
        self.tabs.setCurrentIndex(current)
        self._show_general("")
        self.saved.emit()
        return True

    def save_draft(self) -> bool:
        return self.save(QuestionnaireStatus.DRAFT)

    def mark_complete(self) -> bool:
        self.completion_tried = True
        if self.save(QuestionnaireStatus.COMPLETE):
            return True
        self.revalidate()
        self.focus_first_issue()
        return False

    def mark_verified(self) -> bool:
        if self.stored_status is not QuestionnaireStatus.COMPLETE:
            return False
        self.completion_tried = True
        return self.save(QuestionnaireStatus.VERIFIED)

    # ------------------------------------------------------------ closing

    def may_close(self) -> bool:
        """Ask about unsaved changes: save them, drop them, or stay."""
        if not self.is_dirty():
            return True
        answer = messages.ask_save_changes(self, _("Save the changes to this questionnaire?"))
        if answer == messages.CANCEL:
            return False
        if answer == messages.DISCARD:
            return True
        status = self.stored_status if self.stored_status is not None else QuestionnaireStatus.DRAFT
        return self.save(status)

    def reject(self) -> None:  # Close, Escape and the window's close button all come here
        if self.may_close():
            super().reject()
