"""Run a long core job off the GUI thread, with a progress dialog and Cancel.

In the manner of Anki's operations and Orange's ``run(data, state)``: the job
is a plain core function ``fn(progress, cancelled)``; it never sees Qt. The
worker thread only emits signals; every widget is touched on the GUI thread.
Cancelling sets a flag the job polls; the job then raises ``TaskCancelled``
and its unit of work rolls back, so a cancelled task leaves nothing behind
and is reported quietly in the status bar.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QWidget

from symdesk.domain.tasks import CancelledFn, ProgressFn, TaskCancelled
from symdesk.gui.dialogs import messages
from symdesk.i18n import _
from symdesk.services.errors import describe

log = logging.getLogger(__name__)

TaskFn = Callable[[ProgressFn, CancelledFn], Any]
DoneFn = Callable[[Any], None]
ErrorFn = Callable[[BaseException], None]

# Tasks still running, so that neither they nor their signals are collected.
_running: set[Task] = set()


class _Signals(QObject):
    """Created on the GUI thread; emitting from the worker queues the calls there."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


def _work(fn: TaskFn, signals: _Signals, stop: threading.Event) -> None:
    """The worker thread's whole job: run ``fn`` and report how it ended, by signal only."""
    if stop.is_set():
        signals.cancelled.emit()
        return
    try:
        result = fn(signals.progressed.emit, stop.is_set)
    except TaskCancelled:
        signals.cancelled.emit()
    except BaseException as exc:  # reported on the GUI thread, never lost
        signals.failed.emit(exc)
    else:
        signals.succeeded.emit(result)


class Task(QObject):
    """One running job: its progress dialog, its outcome, and a way to wait for it.

    ``state`` is ``running``, then ``done``, ``failed`` or ``cancelled``;
    ``finished`` is emitted after ``on_done``/``on_error`` have run.
    """

    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fn: TaskFn,
        on_done: DoneFn | None,
        on_error: ErrorFn | None,
    ):
        super().__init__()  # no Qt parent: _running keeps it alive until it ends
        self.title = title
        self.state = "running"
        self.result: Any = None
        self.error: BaseException | None = None
        self._parent_widget = parent
        self._on_done, self._on_error = on_done, on_error
        self._stop = threading.Event()
        self._signals = _Signals()
        self._signals.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self._signals.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._signals.cancelled.connect(self._cancelled, Qt.ConnectionType.QueuedConnection)
        self.dialog = self._make_dialog(parent, title)
        self._fn = fn

    @staticmethod
    def _make_dialog(parent: QWidget | None, title: str) -> QProgressDialog:
        dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick tasks finish without a flash
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(380)
        return dialog

    def start(self) -> None:
        self.dialog.canceled.connect(self.cancel)
        _running.add(self)
        # A plain callable, not a QRunnable subclass: PySide wraps it and owns the wrapper.
        QThreadPool.globalInstance().start(partial(_work, self._fn, self._signals, self._stop))

    # ------------------------------------------------------------ control

    @Slot()
    def cancel(self) -> None:
        """Ask the job to stop; it rolls back and the task ends as ``cancelled``."""
        if self.state != "running" or self._stop.is_set():
            return
        self._stop.set()
        self.dialog.setLabelText(_("Cancelling…"))

    @property
    def is_running(self) -> bool:
        return self.state == "running"

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Process events until the task has finished; ``False`` on timeout."""
        if not self.is_running:
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.finished.connect(loop.quit)
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        return not self.is_running

    # ------------------------------------------------------------ outcomes (GUI thread)

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, what: str) -> None:
        if self.state != "running" or self._stop.is_set():
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if what:
            self.dialog.setLabelText(f"{self.title}\n{what}")

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self.result = result
        self._finish("done")
        if self._on_done is not None:
            self._call(self._on_done, result)
        self.finished.emit()

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self._finish("failed")
        if self._on_error is not None:
            self._call(self._on_error, exc)
        else:
            log.error("Task %r failed", self.title, exc_info=exc)
            messages.show_error(self._parent_widget, describe(exc), self.title)
        self.finished.emit()

    @Slot()
    def _cancelled(self) -> None:
        self._finish("cancelled")
        window = self._parent_widget.window() if self._parent_widget is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_("Cancelled"), 5000)
        self.finished.emit()

    def _finish(self, state: str) -> None:
        self.state = state  # from now on a late "canceled" from the dialog is ignored
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        _running.discard(self)

    def _call(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        except Exception as exc:  # a failing callback must not leave the task hanging
            log.exception("Callback of task %r failed", self.title)
            messages.show_error(self._parent_widget, describe(exc), self.title)


def run_task(
    parent: QWidget | None,
    title: str,
    fn: TaskFn,
    on_done: DoneFn | None,
    on_error: ErrorFn | None = None,
) -> Task:
    """Start ``fn(progress, cancelled)`` on the thread pool and return its ``Task``.

    ``on_done(result)`` runs on the GUI thread; errors go to ``on_error(exc)``
    or, without it, to a message box with the translated description.
    """
    task = Task(parent, title, fn, on_done, on_error)
    task.start()
    return task


def running_tasks() -> list[Task]:
    return list(_running)


def cancel_all(timeout_ms: int = 10_000) -> None:
    """Cancel every running task and wait for each to roll back (used on close)."""
    tasks = running_tasks()
    for task in tasks:  # all first: a queued task starts only when a running one has stopped
        task.cancel()
    for task in tasks:
        task.wait(timeout_ms)
