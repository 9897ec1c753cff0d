"""The background task runner: progress, results, errors and cancelling."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMainWindow

from symdesk.domain.tasks import check_cancelled
from symdesk.gui import task_runner
from symdesk.services import demo as demo_service
from symdesk.services.errors import UserError


@pytest.fixture
def host(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_task_reports_progress_and_delivers_its_result(qtbot, host):
    reported = threading.Event()
    release = threading.Event()
    seen_thread = []

    def job(progress, cancelled):
        seen_thread.append(threading.current_thread())
        progress(3, 10, "third step")
        reported.set()
        release.wait(10)
        progress(10, 10, "")
        return 42

    results = []
    task = task_runner.run_task(host, "Counting", job, results.append)
    assert task in task_runner.running_tasks()
    qtbot.waitUntil(lambda: task.dialog.value() == 3, timeout=5_000)
    assert task.dialog.maximum() == 10
    assert "third step" in task.dialog.labelText()
    assert task.is_running
    with qtbot.waitSignal(task.finished, timeout=10_000):
        release.set()
    assert results == [42]
    assert task.state == "done" and task.result == 42
    assert seen_thread[0] is not threading.main_thread()
    assert task not in task_runner.running_tasks()


def test_a_failing_task_shows_the_translated_error(qtbot, host, dialogs):
    def job(progress, cancelled):
        raise UserError("No resident with id or UNP «{key}»", key="123")

    done = []
    task = task_runner.run_task(host, "Failing", job, done.append)
    assert task.wait(10_000)
    assert task.state == "failed"
    assert done == []
    assert dialogs.errors == ["No resident with id or UNP «123»"]


def test_on_error_receives_the_exception_instead_of_a_message_box(qtbot, host, dialogs):
    errors = []

    def job(progress, cancelled):
        raise ValueError("boom")

    task = task_runner.run_task(host, "Failing", job, lambda _r: None, errors.append)
    assert task.wait(10_000)
    assert [str(e) for e in errors] == ["boom"]
    assert dialogs.errors == []


def test_cancelling_the_demo_load_writes_nothing(qtbot, empty_db, dialogs):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    done = []
    task = task_runner.run_task(
        window,
        "Loading",
        lambda progress, cancelled: demo_service.load_demo(empty_db, progress, cancelled),
        done.append,
    )
    task.cancel()
    assert task.wait(30_000)
    assert task.state == "cancelled"
    assert done == []
    assert dialogs.errors == []
    assert window.statusBar().currentMessage() == "Cancelled"
    assert demo_service.database_is_empty(empty_db)


def test_the_dialogs_cancel_button_stops_a_running_task(qtbot, host):
    started = threading.Event()

    def job(progress, cancelled):
        started.set()
        while True:
            check_cancelled(cancelled)
            threading.Event().wait(0.01)

    task = task_runner.run_task(host, "Endless", job, lambda _r: None)
    assert started.wait(5)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        task.dialog.canceled.emit()
    assert task.state == "cancelled"


def test_cancel_all_waits_for_every_task(qtbot, host):
    def job(progress, cancelled):
        while not cancelled():
            threading.Event().wait(0.01)
        check_cancelled(cancelled)

    tasks = [task_runner.run_task(host, f"Task {i}", job, lambda _r: None) for i in range(5)]  # more than the pool has threads
    task_runner.cancel_all()
    assert [t.state for t in tasks] == ["cancelled"] * 5
    assert task_runner.running_tasks() == []
