"""The Reports page: choose a report and options, generate on the task runner, preview, print, save."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter

from symdesk.gui.dialogs import messages
from symdesk.gui.pages import reports_page
from symdesk.gui.pages.reports_page import ReportsPage
from symdesk.services import reports as report_service

poppler = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdfinfo")),
                             reason="poppler-utils (pdftoppm, pdfinfo) is not installed")


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def rpage(qtbot, demo_db):  # type: ignore[no-untyped-def]
    page = ReportsPage(lambda: demo_db)
    qtbot.addWidget(page)
    page.show()
    return page


def generate(qtbot, page: ReportsPage, key: str, out: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(messages, "choose_save_file",
                        lambda _p, _t, _f, suggested="", _s="": asked.append(suggested) or str(out))
    assert page.select_report(key)
    task = page.generate()
    assert task is not None
    assert task.wait(120_000)
    return task, asked


def test_the_page_lists_the_registered_reports_with_their_options(rpage: ReportsPage) -> None:
    keys = [rpage.report_list.item(i).data(reports_page.KEY_ROLE) for i in range(rpage.report_list.count())]
    assert keys == [s.key for s in report_service.reports()]
    assert {"survey", "efficiency", "roadmap"} <= set(keys)
    rpage.select_report("roadmap")
    assert rpage.option_visible("cluster") and not rpage.option_visible("resident")
    assert rpage.description.text() == "The network's clusters with their opportunities in stages: quick wins, investment, licences"
    rpage.cluster_spin.setValue(2)
    rpage.author_edit.setText("СЭЗ")
    options = rpage.report_options()
    assert options.cluster == 2 and options.author == "СЭЗ" and options.resident_id is None
    rpage.select_report("survey")
    assert not rpage.option_visible("cluster")
    assert rpage.report_options().cluster is None  # options of other reports are not passed on
    assert not rpage.option_visible("list_limit")
    rpage.select_report("zone")
    assert rpage.option_visible("list_limit") and rpage.list_limit.value() == report_service.DEFAULT_LIST_LIMIT
    rpage.list_limit.setValue(0)
    assert rpage.list_limit.text() == "all" and rpage.report_options().list_limit == 0
    rpage.list_limit.setValue(40)
    assert rpage.report_options().list_limit == 40


def test_resident_reports_ask_for_the_resident(qtbot, rpage: ReportsPage, demo_db, dialogs) -> None:  # type: ignore[no-untyped-def]
    spec = next((s for s in rpage.specs if s.needs_resident), None)
    if spec is None:
        pytest.skip("no report for one resident is registered yet")
    rpage.select_report(spec.key)
    assert rpage.option_visible("resident")
    assert rpage.generate() is None and dialogs.errors  # no resident chosen yet
    chooser = rpage.choose_resident()
    assert chooser is not None and chooser.list.count() > 0
    chooser.list.setCurrentRow(0)
    wanted = chooser.chosen_id()
    chooser.accept()
    assert rpage.resident_id == wanted and rpage.resident_edit.text()
    assert rpage.report_options().resident_id == wanted


@poppler
def test_generate_preview_save_print_and_open_folder(qtbot, rpage: ReportsPage, tmp_path: Path, monkeypatch, dialogs) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "survey.pdf"
    out.parent.mkdir()
    task, asked = generate(qtbot, rpage, "survey", out, monkeypatch)
    assert task.state == "done", dialogs.errors
    assert asked and asked[0].endswith(".pdf") and "survey-" in asked[0]
    assert out.exists()
    pages = pdf_pages(out)
    assert rpage.generated is not None and rpage.generated.result.pages == pages
    # The preview shows every page as an image.
    labels = rpage.preview_labels()
    assert len(labels) == pages
    assert all(not label.pixmap().isNull() and label.pixmap().width() > 300 for label in labels)
    assert str(out) in rpage.path_label.text()

    copy = tmp_path / "copy.pdf"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: str(copy))
    assert rpage.save_copy() == copy
    assert copy.read_bytes() == out.read_bytes()

    rpage.open_folder()
    assert dialogs.infos[-1] == f"open {out.parent}"
    rpage.open_report()
    assert dialogs.infos[-1] == f"open {out}"

    printed = tmp_path / "printed.pdf"

    def printer_to_file(_parent):  # type: ignore[no-untyped-def]
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(reports_page, "choose_printer", printer_to_file)
    assert rpage.print_report() == pages
    assert pdf_pages(printed) == pages


def test_without_poppler_the_page_offers_to_open_the_pdf(qtbot, rpage: ReportsPage, tmp_path: Path, monkeypatch, dialogs) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reports_page, "pdftoppm", lambda: None)
    out = tmp_path / "efficiency.pdf"
    task, _asked = generate(qtbot, rpage, "efficiency", out, monkeypatch)
    assert task.state == "done", dialogs.errors
    assert out.exists() and rpage.preview_labels() == []
    assert "pdftoppm" in rpage.preview_note.text()
    assert rpage.open_button.isEnabled() and not rpage.print_button.isEnabled()


def test_a_cancelled_report_leaves_no_file(qtbot, rpage: ReportsPage, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "survey.pdf"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: str(out))
    rpage.select_report("survey")
    task = rpage.generate()
    assert task is not None
    task.cancel()
    assert task.wait(60_000)
    assert task.state == "cancelled"
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    assert rpage.generate_button.isEnabled()


def test_a_cancelled_save_dialog_writes_nothing(rpage: ReportsPage, monkeypatch) -> None:
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: None)
    rpage.select_report("survey")
    assert rpage.generate() is None


def test_the_main_window_has_the_reports_page(window) -> None:  # type: ignore[no-untyped-def]
    found = [window.stack.widget(i) for i in range(window.stack.count())
             if isinstance(window.stack.widget(i), ReportsPage)]
    assert len(found) == 1 and found[0].db is window.db
