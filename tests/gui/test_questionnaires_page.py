"""The questionnaires page: listing and filtering, New / Open / Delete / Verify, file actions."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.resident import Resident
from symdesk.gui.dialogs import messages
from symdesk.gui.main_window import QUESTIONNAIRES
from symdesk.gui.models.questionnaire_table import CAMPAIGN
from symdesk.gui.pages import questionnaire_files
from symdesk.services import questionnaires as questionnaire_service
from symdesk.services import residents as resident_service
from symdesk.services.zones import zone_overview


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


@pytest.fixture
def qpage(window):
    window.nav.setCurrentRow(QUESTIONNAIRES)
    return window.questionnaires_page


def make_questionnaire(db, name, unp, status=QuestionnaireStatus.DRAFT, campaign_id=None, surveyor="Жук А. В."):
    resident = resident_service.save_resident(db, Resident("", name, "", unp, ["16100"], contact_person="Кто-то"))
    doc = questionnaire_service.open_document(db, resident_id=resident.id, campaign_id=campaign_id)
    doc.values["surveyor"] = surveyor
    doc.values["survey_date"] = date(2026, 3, 5)
    return questionnaire_service.save_document(db, doc, status)


def test_the_page_replaces_the_placeholder(window, qpage):
    assert window.stack.widget(QUESTIONNAIRES) is qpage
    assert window.nav.item(QUESTIONNAIRES).text() == "Questionnaires"


def test_lists_and_filters_by_status_and_campaign(qpage, demo_db):
    campaigns = zone_overview(demo_db).campaigns
    make_questionnaire(demo_db, "ООО «Проверка один»", "791000001", QuestionnaireStatus.COMPLETE)
    if len(campaigns) > 1:
        make_questionnaire(demo_db, "ООО «Проверка два»", "791000002", campaign_id=campaigns[-1].id)
    qpage.reload()
    if campaigns:  # the latest campaign is chosen at first
        assert qpage.campaign_id() == campaigns[0].id and qpage.table.isColumnHidden(CAMPAIGN)
    qpage.set_campaign(None)
    assert not qpage.table.isColumnHidden(CAMPAIGN)
    everything = questionnaire_service.list_questionnaires(demo_db)
    assert {r.id for r in qpage.rows()} == {r.id for r in everything}
    assert qpage.count_label.text() == f"{len(everything)} of {len(everything)} questionnaires"

    qpage.set_status_filter("complete")
    rows = qpage.rows()
    assert rows and all(r.status == "complete" for r in rows)
    assert "ООО «Проверка один»" in {r.resident_name for r in rows}
    qpage.set_status_filter(None)

    for campaign in campaigns:
        qpage.set_campaign(campaign.id)
        expected = {r.id for r in everything if r.campaign_id == campaign.id}
        assert {r.id for r in qpage.rows()} == expected
    qpage.set_campaign(None)
    assert len(qpage.rows()) == len(everything)

    qpage.filter_edit.setText("проверка ОДИН")
    assert [r.resident_name for r in qpage.rows()] == ["ООО «Проверка один»"]
    assert qpage.count_label.text() == f"1 of {len(everything)} questionnaires"


def test_new_questionnaire_through_the_resident_chooser(qtbot, qpage, demo_db):
    resident = resident_service.save_resident(demo_db, Resident("", "ООО «Новенький»", "", "791000003", ["16100"]))
    chooser = qpage.new_questionnaire()
    chooser.filter_edit.setText("новеньк")
    assert chooser.chosen_id() == resident.id
    chooser.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    editor = qpage.editor
    assert editor is not None and editor.isVisible()
    assert editor.document.resident_id == resident.id and editor.stored_status is None
    editor.pages["survey"].editors["surveyor"].edit.setText("Жук А. В.")
    assert editor.save_draft()
    assert qpage.selected_summary().resident_name == "ООО «Новенький»"
    editor.close_button.click()
    assert not editor.isVisible()


def test_open_verify_and_delete(qtbot, qpage, demo_db, dialogs):
    saved = make_questionnaire(demo_db, "ООО «Проверка три»", "791000004", QuestionnaireStatus.COMPLETE)
    qpage.reload(select_id=saved.id)
    assert qpage.selected_summary().id == saved.id
    assert qpage.verify_button.isEnabled()

    editor = qpage.open_selected()
    assert editor.document.questionnaire_id == saved.id
    assert editor.verify_button.isEnabled()
    editor.reject()

    assert qpage.verify_selected()
    assert qpage.selected_summary().status == "verified"
    assert not qpage.verify_button.isEnabled()

    dialogs.answers = [True]
    assert qpage.delete_selected()
    assert saved.id not in {r.id for r in questionnaire_service.list_questionnaires(demo_db)}


def test_actions_do_nothing_when_the_file_dialog_is_cancelled(qpage, monkeypatch):
    monkeypatch.setattr(messages, "choose_open_files", lambda *_a, **_k: [])
    monkeypatch.setattr(messages, "choose_open_file", lambda *_a, **_k: None)
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: None)
    assert questionnaire_files.import_excel(qpage) is None
    assert questionnaire_files.import_register(qpage) is None
    assert questionnaire_files.export_register(qpage) is None
    assert questionnaire_files.write_excel_template(qpage, selected=False) is None
    assert questionnaire_files.print_blank_form(qpage) is None


@pytest.mark.skipif(
    not has_module("symdesk.services.questionnaire_files"), reason="services.questionnaire_files is not written yet"
)
def test_excel_export_then_import_with_preview(qtbot, qpage, demo_db, tmp_path, monkeypatch):
    saved = make_questionnaire(demo_db, "ООО «Проверка Excel»", "791000005")
    qpage.reload(select_id=saved.id)
    out = tmp_path / "filled.xlsx"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: str(out))
    task = questionnaire_files.write_excel_template(qpage, selected=True)
    assert task is not None and task.wait() and task.state == "done", task.error
    assert out.exists()

    monkeypatch.setattr(messages, "choose_open_files", lambda *_a, **_k: [str(out)])
    task = questionnaire_files.import_excel(qpage)
    assert task.wait() and task.state == "done", task.error
    preview = qpage.preview_dialog
    assert preview is not None and preview.isVisible()
    assert preview.files_table.rowCount() == 1
    assert preview.files_table.item(0, 0).text() == "filled.xlsx"
    outcome = preview.files_table.item(0, 2).text()
    assert outcome in ("new", "updated", "unchanged", "failed")
    if outcome == "failed":
        pytest.skip(f"the import refused the exported file: {preview.problems_table.rowCount()} problems")
    preview.import_button.click()
    assert qpage.import_task is not None and qpage.import_task.wait() and qpage.import_task.state == "done"
    assert saved.id in {r.id for r in qpage.rows()}


@pytest.mark.skipif(not has_module("symdesk.services.register"), reason="services.register is not written yet")
def test_register_export_then_import_preview(qtbot, qpage, demo_db, tmp_path, monkeypatch):
    out = tmp_path / "register.xlsx"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: str(out))
    task = questionnaire_files.export_register(qpage)
    assert task.wait() and task.state == "done", task.error
    assert out.exists()

    monkeypatch.setattr(messages, "choose_open_file", lambda *_a, **_k: str(out))
    task = questionnaire_files.import_register(qpage)
    assert task.wait() and task.state == "done", task.error
    preview = qpage.preview_dialog
    assert preview is not None and preview.isVisible()
    assert preview.import_button.isEnabled() == (preview.problems_table.rowCount() == 0)
    preview.reject()


@pytest.mark.skipif(not has_module("symdesk.services.forms"), reason="services.forms is not written yet")
def test_print_blank_form_saves_a_pdf_and_offers_to_open_it(qpage, tmp_path, monkeypatch, dialogs):
    out = tmp_path / "blank"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a, **_k: str(out) + ".pdf")
    dialogs.answers = [True]
    written = questionnaire_files.print_blank_form(qpage)
    assert written == Path(str(out) + ".pdf") and written.read_bytes().startswith(b"%PDF")
    assert dialogs.infos == [f"open {written}"]
