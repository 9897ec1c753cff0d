"""The main window: navigation on the left, one page at a time on the right.

It owns the open ``Database`` and the ``Settings``; switching databases
closes the old one. A language switch saves the settings and builds a fresh
window (every label is translated at construction), handing the open
database over to it; the old window then closes without closing the database.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from symdesk import __version__
from symdesk.config import Settings, save_settings
from symdesk.domain.tasks import CancelledFn, ProgressFn
from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.gui.menus import build_menus
from symdesk.gui.pages.network_page import NetworkPage
from symdesk.gui.pages.opportunities_page import OpportunitiesPage
from symdesk.gui.pages.placeholder_page import placeholder
from symdesk.gui.pages.questionnaires_page import QuestionnairesPage
from symdesk.gui.pages.reports_page import ReportsPage
from symdesk.gui.pages.residents_page import ResidentsPage
from symdesk.gui.pages.search_pages import CompanyTypeSearchPage, WasteSearchPage
from symdesk.i18n import _, current_language, ngettext, set_language
from symdesk.services import database as database_service
from symdesk.services import demo as demo_service
from symdesk.services import zones as zone_service
from symdesk.services.demo import DemoSummary
from symdesk.services.errors import describe
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

RESIDENTS, QUESTIONNAIRES, OPPORTUNITIES, SEARCH_WASTE, SEARCH_COMPANY, NETWORK, REPORTS, EXCHANGE = range(8)


class MainWindow(QMainWindow):
    """See the module docstring. ``replaced`` carries the window built on a language switch."""

    replaced = Signal(object)

    # Set by symdesk.gui.menus.build_menus.
    new_db_action: QAction
    open_action: QAction
    recent_menu: QMenu
    demo_action: QAction
    match_action: QAction
    quit_action: QAction
    language_actions: dict[str, QAction]
    about_action: QAction

    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        settings.remember_database(db.path)  # saved with the window state
        self.successor: MainWindow | None = None
        self._handing_over = False
        self.setObjectName("symdeskMainWindow")
        self._build_pages()
        build_menus(self)
        self.db_label = QLabel()
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.db_label)
        self.residents_page.residents_changed.connect(self.refresh_status)
        self.residents_page.residents_changed.connect(self.update_title)  # a first save names the zone
        self.residents_page.residents_changed.connect(self.network_page.mark_dirty)
        self._restore_geometry()
        self.refresh_status()
        self.update_title()

    # ------------------------------------------------------------ construction

    def _build_pages(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.residents_page = ResidentsPage(self.db, self.settings.window)
        self.questionnaires_page = QuestionnairesPage(self.db)
        self.questionnaires_page.residents_changed.connect(lambda: self.residents_page.reload())
        self.opportunities_page = OpportunitiesPage(self.db)
        self.waste_search_page = WasteSearchPage(self.db)
        self.company_search_page = CompanyTypeSearchPage(self.db)
        self.network_page = NetworkPage(self.db)
        self.opportunities_page.resident_requested.connect(self.show_resident)
        self.opportunities_page.opportunities_changed.connect(self.network_page.mark_dirty)
        self.waste_search_page.resident_requested.connect(self.show_resident)
        self.network_page.resident_requested.connect(self.show_resident)
        self.network_page.opportunity_requested.connect(self.show_opportunity)
        pages: list[tuple[str, QWidget]] = [
            (_("Residents"), self.residents_page),
            (_("Questionnaires"), self.questionnaires_page),
            (_("Opportunities"), self.opportunities_page),
            (_("Search by waste"), self.waste_search_page),
            (_("Search by company type"), self.company_search_page),
            (_("Network"), self.network_page),
            (_("Reports"), ReportsPage(lambda: self.db)),
            (_("Exchange"), placeholder("exchange", _("Exchange"))),
        ]
        for title, page in pages:
            self.nav.addItem(title)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(RESIDENTS)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 7px 12px; }")
        self.nav.setFixedWidth(max(self.nav.sizeHintForColumn(0) + 36, 160))
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _restore_geometry(self) -> None:
        encoded = self.settings.window.get("geometry")
        if isinstance(encoded, str):
            try:
                if self.restoreGeometry(QByteArray(base64.b64decode(encoded))):
                    return
            except (binascii.Error, ValueError):
                pass
        self.resize(1320, 820)

    # ------------------------------------------------------------ status and title

    def refresh_status(self) -> None:
        count = self.residents_page.model.total_count()
        residents = ngettext("{count} resident", "{count} residents", count).format(count=count)
        self.db_label.setText(_("Database: {path}").format(path=self.db.path) + "  ·  " + residents)

    def update_title(self) -> None:
        name = ""
        try:
            zone = zone_service.zone_overview(self.db).zone
            if zone is not None:
                name = zone.short_name or zone.name
        except StorageError:
            name = ""
        self.setWindowTitle(f"symdesk — {name or Path(self.db.path).name}")

    # ------------------------------------------------------------ databases

    def open_database_path(self, path: str | Path, *, create: bool) -> bool:
        """Open (or create) the database at ``path`` and switch to it; errors are shown."""
        try:
            db = database_service.open_db(path, create=create)
        except StorageError as exc:
            messages.show_error(self, describe(exc))
            return False
        self.switch_database(db)
        if db.backup_path:
            self.statusBar().showMessage(
                _("The previous version was saved to {path}").format(path=db.backup_path), 10_000
            )
        return True

    def switch_database(self, db: Database) -> None:
        """Show ``db`` instead of the current database, which is closed."""
        task_runner.cancel_all()
        old, self.db = self.db, db
        self.residents_page.set_database(db)
        self.questionnaires_page.set_database(db)
        self.opportunities_page.set_database(db)
        self.waste_search_page.set_database(db)
        self.company_search_page.set_database(db)
        self.network_page.set_database(db)
        if old is not db:
            old.close()
        self.settings.remember_database(db.path)
        self._save_settings()
        self.update_title()
        self.refresh_status()

    def new_database(self) -> None:
        path = messages.choose_new_database(self, str(Path(self.db.path).parent))
        if path:
            self.open_database_path(path, create=True)

    def open_database(self) -> None:
        path = messages.choose_database(self, str(Path(self.db.path).parent))
        if path:
            self.open_database_path(path, create=False)

    def load_demo(self, *, ask: bool = True) -> task_runner.Task | None:
        """Load the demo zone in the background; asks first if the database holds data."""
        db = self.db
        try:
            empty = demo_service.database_is_empty(db)
        except StorageError as exc:
            messages.show_error(self, describe(exc))
            return None
        if ask and not empty:
            question = _(
                "This database already holds data. Add the fictitious demo zone to it? "
                "Demo records can be told apart only by their names."
            )
            if not messages.confirm(self, question, _("Load demo zone")):
                return None
        return task_runner.run_task(
            self,
            _("Loading the demo zone"),
            lambda progress, cancelled: _load_demo_in_progress(db, progress, cancelled),
            self._demo_loaded,
        )

    def _demo_loaded(self, summary: DemoSummary) -> None:
        self.residents_page.reload()
        self.opportunities_page.reload()
        self.update_title()
        self.statusBar().showMessage(
            _("Demo zone «{zone}» loaded: {residents} residents, {offers} offers, {needs} needs").format(
                zone=summary.zone, residents=summary.residents, offers=summary.offers, needs=summary.needs
            ),
            10_000,
        )

    # ------------------------------------------------------------ going from page to page

    def show_resident(self, resident_id: str) -> bool:
        """Show a resident on the Residents page (from an opportunity, a search or the network)."""
        page = self.residents_page
        self.nav.setCurrentRow(RESIDENTS)
        if not page.select_resident(resident_id):
            page.filter_edit.clear()  # the filter may hide it
            page.apply_filter_now()
            if not page.select_resident(resident_id):
                return False
        return True

    def show_opportunity(self, opportunity_id: str) -> bool:
        """Show an opportunity on the Opportunities page (from the network)."""
        self.nav.setCurrentRow(OPPORTUNITIES)
        return self.opportunities_page.open_opportunity(opportunity_id)

    def find_opportunities(self) -> task_runner.Task:
        """Run the matching from the menu: on the Opportunities page, which shows the result."""
        self.nav.setCurrentRow(OPPORTUNITIES)
        return self.opportunities_page.run_matching()

    # ------------------------------------------------------------ language and help

    def switch_language(self, language: str) -> MainWindow | None:
        """Persist ``language`` and replace this window by one built in it."""
        if language == current_language():
            return None
        self.settings.language = language
        set_language(language)
        self.save_window_state()
        successor = MainWindow(self.db, self.settings)
        successor.restoreGeometry(self.saveGeometry())
        successor.nav.setCurrentRow(self.nav.currentRow())
        self.successor = successor
        self._handing_over = True
        successor.show()
        self.replaced.emit(successor)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close()
        return successor

    def show_about(self) -> None:
        text = _(
            "<b>symdesk {version}</b><br>Industrial symbiosis desk for the administrations "
            "of special economic zones: residents, their offers and needs of wastes, "
            "by-products, energy and water, and the opportunities between them.<br><br>"
            "Works offline; all data stay in the database file."
        ).format(version=__version__)
        messages.about(self, _("About symdesk"), text)

    # ------------------------------------------------------------ closing

    def save_window_state(self) -> None:
        self.settings.window["geometry"] = base64.b64encode(bytes(self.saveGeometry().data())).decode("ascii")
        self.residents_page.save_state(self.settings.window)
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.statusBar().showMessage(_("Settings could not be saved: {error}").format(error=exc), 10_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._handing_over:  # the successor owns the database now
            event.accept()
            return
        task_runner.cancel_all()
        self.save_window_state()
        self.db.close()
        event.accept()


def _load_demo_in_progress(db: Database, progress: ProgressFn, cancelled: CancelledFn) -> DemoSummary:
    """The demo zone with its opportunities found and a few followed up, as a zone in progress."""
    summary = demo_service.load_demo(db, progress, cancelled)
    demo_service.demo_follow_up(db, progress, cancelled)
    return summary
