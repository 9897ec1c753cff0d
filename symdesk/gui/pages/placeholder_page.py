"""A page reserved for a feature of a later version, saying what it will do.

The navigation shows the whole shape of the program from the first version,
so that users (and the people training them) see where things will be.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from symdesk.i18n import N_, _

PLANNED: dict[str, str] = {
    "questionnaires": N_(
        "Coming in a later version: survey campaigns and residents' questionnaires, "
        "entered on screen or imported from filled-in forms."
    ),
    "opportunities": N_(
        "Coming in a later version: symbiosis opportunities found by matching "
        "residents' offers with other residents' needs."
    ),
    "reports": N_(
        "Coming in a later version: printable reports on the zone, its residents "
        "and their exchange opportunities."
    ),
    "exchange": N_(
        "Coming in a later version: exchanging data between offices as bundle files, "
        "merged record by record."
    ),
}


class PlaceholderPage(QWidget):
    def __init__(self, title: str, explanation: str, parent: QWidget | None = None):
        super().__init__(parent)
        heading = QLabel(f"<h2>{escape(title)}</h2>")
        self.label = QLabel(explanation)
        self.label.setWordWrap(True)
        self.label.setMaximumWidth(620)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(heading)
        layout.addWidget(self.label)
        layout.addStretch(1)


def placeholder(key: str, title: str) -> PlaceholderPage:
    """The page for the planned feature ``key`` (see ``PLANNED``)."""
    return PlaceholderPage(title, _(PLANNED[key]))
