"""Move an opportunity along its workflow: only the statuses it may go to, a reason to reject.

The choices come from ``symdesk.domain.opportunity.TRANSITIONS``, so the
dialog never offers a move the service would refuse; the service still
checks (another window may have moved it meanwhile) and its refusal is shown.
A note alone, without a change of status, is allowed: it is how follow-up
calls get recorded.
"""

from __future__ import annotations

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

from symdesk.domain.issues import ValidationError
from symdesk.domain.labels import label
from symdesk.domain.opportunity import TRANSITIONS, Opportunity, OpportunityStatus
from symdesk.gui.dialogs import messages
from symdesk.gui.opportunity_labels import opportunity_status_label
from symdesk.i18n import _
from symdesk.services import matching as matching_service
from symdesk.services.errors import UserError, describe
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError


def allowed_statuses(opportunity: Opportunity) -> list[OpportunityStatus]:
    """The statuses the opportunity may move to, in workflow order."""
    allowed = TRANSITIONS.get(opportunity.status, frozenset())
    return [s for s in OpportunityStatus if s in allowed]


class OpportunityStatusDialog(QDialog):
    """See the module docstring. ``saved`` holds the stored opportunity after OK."""

    def __init__(self, db: Database, opportunity: Opportunity, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.opportunity = opportunity
        self.saved: Opportunity | None = None
        self.setWindowTitle(_("Change status"))
        self.setMinimumWidth(460)

        title = QLabel(opportunity.title)
        title.setWordWrap(True)
        self.current_label = QLabel(opportunity_status_label(opportunity.status.value))
        self.status_combo = QComboBox()
        keep = _("(keep: {status})").format(status=_(label(opportunity.status)))
        self.status_combo.addItem(keep, opportunity.status.value)
        for status in allowed_statuses(opportunity):
            self.status_combo.addItem(opportunity_status_label(status.value), status.value)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(_("Required when rejecting"))
        self.reason_edit.setText(opportunity.reject_reason)  # a note on a rejected one keeps (or amends) its reason
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(_("Optional; saved with today's date"))
        self.note_edit.setFixedHeight(self.fontMetrics().height() * 5)

        form = QFormLayout()
        form.addRow(_("Current status:"), self.current_label)
        form.addRow(_("New status:"), self.status_combo)
        form.addRow(_("Reason:"), self.reason_edit)
        form.addRow(_("Note:"), self.note_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.status_combo.currentIndexChanged.connect(lambda _i: self._update())
        self.reason_edit.textChanged.connect(lambda _t: self._update())
        self.note_edit.textChanged.connect(self._update)
        self._update()

    # ------------------------------------------------------------ state

    def offered_statuses(self) -> list[str]:
        """The statuses the combo offers to move to (not the current one)."""
        return [str(self.status_combo.itemData(i)) for i in range(1, self.status_combo.count())]

    def chosen_status(self) -> OpportunityStatus:
        return OpportunityStatus(self.status_combo.currentData())

    def set_status(self, status: OpportunityStatus | str) -> bool:
        index = self.status_combo.findData(OpportunityStatus(status).value)
        if index < 0:
            return False
        self.status_combo.setCurrentIndex(index)
        return True

    def _update(self) -> None:
        rejecting = self.chosen_status() is OpportunityStatus.REJECTED
        self.reason_edit.setEnabled(rejecting)
        changes = self.chosen_status() is not self.opportunity.status or bool(self.note_edit.toPlainText().strip())
        ok = changes and (not rejecting or bool(self.reason_edit.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    # ------------------------------------------------------------ saving

    def accept(self) -> None:
        try:
            self.saved = matching_service.set_opportunity_status(
                self.db,
                self.opportunity.id,
                self.chosen_status(),
                reason=self.reason_edit.text(),
                note=self.note_edit.toPlainText(),
            )
        except (UserError, ValidationError, StorageError) as exc:
            messages.show_error(self, describe(exc))
            return
        super().accept()
