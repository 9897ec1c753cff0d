"""UNIDO's two searches in the GUI: by by-product or waste, and by company type."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt

from symdesk.classifiers.reference import describe_activity
from symdesk.domain.codes import format_activity_code
from symdesk.gui.main_window import RESIDENTS, SEARCH_COMPANY, SEARCH_WASTE
from symdesk.gui.pages.search_pages import CLASS_NAME, EVIDENCE, SCORE
from symdesk.i18n import format_number
from symdesk.services import knowledge as knowledge_service

DEMO_ZONE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo_zone.yaml"


def demo_waste_code() -> str:
    """The first EWC code an offer of the demo zone carries (sawdust in the shipped file)."""
    data = yaml.safe_load(DEMO_ZONE.read_text(encoding="utf-8"))

    def walk(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            code = node.get("code")
            if isinstance(code, str) and len(code) == 6 and code.isdigit():
                yield code
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return next(walk(data))


@pytest.fixture
def wpage(window):
    window.nav.setCurrentRow(SEARCH_WASTE)
    return window.waste_search_page


@pytest.fixture
def cpage(window):
    window.nav.setCurrentRow(SEARCH_COMPANY)
    return window.company_search_page


def test_pages_are_in_the_navigation(window):
    assert window.nav.item(SEARCH_WASTE).text() == "Search by waste"
    assert window.nav.item(SEARCH_COMPANY).text() == "Search by company type"


def test_search_by_waste_ranks_classes_with_the_zones_residents(qtbot, window, wpage, demo_db):
    code = demo_waste_code()
    wpage.code_edit.setText(code)
    found = wpage.search()
    expected = knowledge_service.find_receivers(demo_db, code=code, limit=wpage.limit_spin.value())
    assert expected, f"the knowledge base knows receivers of {code}"
    assert found is not None
    assert wpage.shown_classes() == [r.suggestion.nace_class for r in expected]
    assert wpage.model.item(0, CLASS_NAME).text() == expected[0].class_name
    assert wpage.model.item(0, SCORE).text() == format_number(expected[0].suggestion.score, 1)
    if expected[0].suggestion.precedents:
        assert str(len(expected[0].suggestion.precedents)) in wpage.model.item(0, EVIDENCE).text()

    # The best class is selected: its precedents and the zone's residents in it.
    assert wpage.selected_result() is found[0]
    text = wpage.detail.toPlainText()
    assert format_activity_code(expected[0].suggestion.nace_class) in text
    for p in expected[0].suggestion.precedents[:3]:
        assert p.material in text

    with_residents = next((i for i, r in enumerate(expected) if r.residents), None)
    if with_residents is None:
        pytest.skip("no resident of the demo zone is in a receiving class")
    wpage.table.selectRow(with_residents)
    assert wpage.shown_residents() == [r.id for r in expected[with_residents].residents]

    # A double click on a resident opens it on the Residents page.
    item = wpage.residents_list.item(0)
    rect = wpage.residents_list.visualItemRect(item)
    with qtbot.waitSignal(wpage.resident_requested, timeout=2000) as signal:
        qtbot.mouseClick(wpage.residents_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(wpage.residents_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [expected[with_residents].residents[0].id]
    assert window.nav.currentRow() == RESIDENTS
    assert window.residents_page.selected_id() == expected[with_residents].residents[0].id


def test_material_words_alone_are_enough(wpage, demo_db):
    wpage.text_edit.setText("опилки")
    assert wpage.search() is not None
    expected = knowledge_service.find_receivers(demo_db, text="опилки", limit=wpage.limit_spin.value())
    assert wpage.shown_classes() == [r.suggestion.nace_class for r in expected] != []


def test_an_invalid_code_shows_an_error(wpage, dialogs):
    wpage.code_edit.setText("03 01")
    assert wpage.search() is None
    assert len(dialogs.errors) == 1 and "is not a waste code" in dialogs.errors[0]
    assert wpage.model.rowCount() == 0
    wpage.code_edit.clear()
    assert wpage.search() is None  # nothing to search for
    assert len(dialogs.errors) == 2


def test_search_by_company_type_lists_likely_offers_and_needs(cpage):
    cpage.activity_edit.setText("16100")
    assert cpage.search()
    expected = knowledge_service.suggest_for_activity("16100", limit=cpage.limit_spin.value())
    assert expected.likely_offers and expected.likely_needs
    assert cpage.names("offers") == [knowledge_service.material_name(m.material_class) for m in expected.likely_offers]
    assert cpage.names("needs") == [knowledge_service.material_name(m.material_class) for m in expected.likely_needs]
    assert describe_activity("16100", "en") in cpage.activity_label.text()
    best = expected.likely_offers[0]
    text = cpage.detail.toPlainText()
    assert knowledge_service.material_name(best.material_class) in text
    for p in best.precedents[:3]:
        assert p.material in text

    cpage.needs_table.selectRow(0)
    assert knowledge_service.material_name(expected.likely_needs[0].material_class) in cpage.detail.toPlainText()
    assert not cpage.offers_table.selectionModel().hasSelection()


def test_company_type_refuses_a_bad_code(cpage, dialogs):
    cpage.activity_edit.setText("abc")
    assert not cpage.search()
    assert len(dialogs.errors) == 1 and "is not an OKED code" in dialogs.errors[0]
