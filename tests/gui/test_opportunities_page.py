"""The opportunities page: filters, details, status changes and matching from the page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from symdesk.domain.opportunity import TRANSITIONS, MatchKind, Opportunity, OpportunityStatus
from symdesk.domain.records import RecordMeta
from symdesk.gui.main_window import OPPORTUNITIES
from symdesk.gui.models.opportunity_table import NO_PARTY, PROVIDER, RECEIVER, SCORE
from symdesk.gui.opportunity_labels import COMPONENT_LABELS, component_label
from symdesk.i18n import format_number
from symdesk.services import database as database_service
from symdesk.services import matching as matching_service
from symdesk.services import residents as resident_service
from symdesk.storage.repository import OpportunityRepository
from symdesk.storage.uow import unit_of_work


@pytest.fixture
def matched(demo_db):
    summary = matching_service.run_matching(demo_db)
    if summary.found == 0:
        pytest.skip("the demo zone yields no opportunities")
    return summary


@pytest.fixture
def opage(window, matched):
    window.nav.setCurrentRow(OPPORTUNITIES)
    return window.opportunities_page


def first_pair(opportunities) -> Opportunity:
    return next(o for o in opportunities if o.match_kind is MatchKind.PAIR)


def ids(page) -> list[str]:
    return [r.id for r in page.rows()]


def test_the_page_replaces_the_placeholder(window):
    assert window.stack.widget(OPPORTUNITIES) is window.opportunities_page
    assert window.nav.item(OPPORTUNITIES).text() == "Opportunities"


def test_lists_best_first_and_filters_change_the_rows(opage, demo_db, matched):
    everything = matching_service.list_opportunities(demo_db)
    assert ids(opage) == [o.id for o in everything]
    assert opage.count_label.text() == f"{len(everything)} opportunities"
    scores = [r.opportunity.score for r in opage.rows()]
    assert scores == sorted(scores, reverse=True)

    # Category: the page shows exactly what the service gives for that kind.
    kinds = sorted({o.kind for o in everything})
    for kind in kinds:
        opage.set_category_filter(kind)
        assert ids(opage) == [o.id for o in matching_service.list_opportunities(demo_db, kind=kind)]
        assert all(r.opportunity.kind == kind for r in opage.rows())
    opage.set_category_filter(None)

    opage.set_match_kind_filter(MatchKind.PAIR.value)
    assert all(r.opportunity.match_kind is MatchKind.PAIR for r in opage.rows())
    opage.set_match_kind_filter(None)

    # Minimum score: the median score keeps roughly half.
    median = scores[len(scores) // 2]
    opage.min_score_spin.setValue(round(median))
    kept = opage.rows()
    assert kept and len(kept) < len(everything)
    assert all(r.opportunity.score >= round(median) for r in kept)
    opage.min_score_spin.setValue(0)

    # Resident: the provider of the best pair; every row has it as a party.
    best = first_pair(everything)
    opage.set_resident_filter(best.provider_id)
    rows = opage.rows()
    assert best.id in {r.id for r in rows}
    assert all(
        best.provider_id in (r.opportunity.provider_id, r.opportunity.receiver_id, *r.opportunity.members) for r in rows
    )
    assert len(rows) == len(matching_service.list_opportunities(demo_db, resident_id=best.provider_id))
    opage.set_resident_filter(None)

    # Status: one moved to discussing is the only one listed as such.
    matching_service.set_opportunity_status(demo_db, best.id, OpportunityStatus.DISCUSSING)
    opage.set_status_filter(OpportunityStatus.DISCUSSING.value)
    assert ids(opage) == [best.id]
    opage.set_status_filter(None)
    assert len(ids(opage)) == len(everything)


def test_inactive_opportunities_only_when_asked(opage, demo_db, matched):
    best = first_pair(matching_service.list_opportunities(demo_db))
    resident_service.delete_resident(demo_db, best.provider_id)
    summary = matching_service.run_matching(demo_db)
    assert summary.deactivated > 0
    opage.reload()
    assert best.id not in ids(opage)
    opage.inactive_check.setChecked(True)
    assert best.id in ids(opage)
    assert len(ids(opage)) == len(matching_service.list_opportunities(demo_db, include_inactive=True))
    row = opage.model.row_of(best.id)
    assert "no longer found" in opage.model.index(row, 6).data()


def test_sorting_by_a_column(opage):
    opage.table.sortByColumn(SCORE, Qt.SortOrder.AscendingOrder)
    scores = [r.opportunity.score for r in opage.rows()]
    assert scores == sorted(scores)
    opage.table.sortByColumn(PROVIDER, Qt.SortOrder.AscendingOrder)
    providers = [r.provider.casefold().replace("ё", "е") for r in opage.rows()]
    assert providers == sorted(providers)


def test_details_pane_shows_the_score_breakdown_and_benefits(opage, demo_db):
    first = next(r for r in opage.rows() if r.opportunity.match_kind is MatchKind.PAIR)
    assert opage.select(first.id)
    o = matching_service.find_opportunity(demo_db, first.id)
    text = opage.detail.toPlainText()
    assert o.title in text
    names = {r.id: r.name for r in resident_service.list_residents(demo_db)}
    assert names[o.provider_id] in text and names[o.receiver_id] in text
    assert o.components, "the engine stores the breakdown"
    for c in o.components:
        assert component_label(c["component"]) in text
        assert format_number(c["contribution"], 1) in text
    assert {c["component"] for c in o.components} <= set(COMPONENT_LABELS)
    for reason in o.reasons:
        from symdesk.gui.pages.opportunity_detail import message_text

        assert message_text(reason["message"], reason["params"]) in text
    if o.benefits.get("landfill_diverted_t"):
        assert "Diverted from landfill" in text
        assert format_number(o.benefits["landfill_diverted_t"], 1) in text
    # The table names the parties by their short names.
    row = opage.model.row_of(first.id)
    assert opage.model.index(row, PROVIDER).data() == first.provider != NO_PARTY
    assert opage.model.index(row, RECEIVER).data() == first.receiver != NO_PARTY


def test_status_change_through_the_dialog_persists(qtbot, opage, demo_db, db_path):
    target = opage.rows()[0].opportunity
    assert target.status is OpportunityStatus.NEW
    opage.select(target.id)
    dialog = opage.change_status()
    assert dialog is not None and dialog.isVisible()
    allowed = {s.value for s in TRANSITIONS[OpportunityStatus.NEW]}
    assert set(dialog.offered_statuses()) == allowed
    assert OpportunityStatus.IMPLEMENTED.value not in dialog.offered_statuses()  # not from «new»
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing changed yet
    assert dialog.set_status(OpportunityStatus.REJECTED)
    assert not ok.isEnabled()  # a rejection needs a reason
    dialog.reason_edit.setText("Покупатель берёт шлак у другого поставщика")
    dialog.note_edit.setPlainText("Звонок 12.03")
    assert ok.isEnabled()
    ok.click()
    assert not dialog.isVisible()

    # Read back through a second connection to the SQLite file.
    other = database_service.open_db(db_path)
    try:
        stored = matching_service.find_opportunity(other, target.id)
    finally:
        other.close()
    assert stored.status is OpportunityStatus.REJECTED
    assert stored.reject_reason == "Покупатель берёт шлак у другого поставщика"
    assert stored.notes.endswith("Звонок 12.03") and stored.status_changed_at is not None
    assert opage.selected().id == target.id
    assert "Покупатель берёт шлак" in opage.detail.toPlainText()

    # From «rejected» only «discussing» is offered.
    again = opage.change_status()
    assert again.offered_statuses() == [s.value for s in OpportunityStatus if s in TRANSITIONS[OpportunityStatus.REJECTED]]
    assert not again.set_status(OpportunityStatus.IMPLEMENTED)
    # A note alone on a rejected one keeps its reason.
    assert again.reason_edit.text() == "Покупатель берёт шлак у другого поставщика"
    again.note_edit.setPlainText("Повторный звонок")
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    stored = matching_service.find_opportunity(demo_db, target.id)
    assert stored.status is OpportunityStatus.REJECTED and stored.notes.endswith("Повторный звонок")
    assert stored.reject_reason == "Покупатель берёт шлак у другого поставщика"


def test_running_matching_from_the_page_fills_the_table(qtbot, window, demo_db, dialogs):
    window.nav.setCurrentRow(OPPORTUNITIES)
    page = window.opportunities_page
    assert page.model.total_count() == 0
    task = page.run_matching()
    assert task.wait(60_000) and task.state == "done", task.error
    summary = page.last_summary
    assert summary is not None and summary.found > 0 and summary.new == summary.found
    assert page.model.total_count() == len(matching_service.list_opportunities(demo_db)) == summary.found
    assert dialogs.infos and dialogs.infos[-1].startswith(f"Opportunities found: {summary.found} ({summary.found} new")
    assert page.match_button.isEnabled()


def test_matching_from_the_page_shares_a_large_run_with_a_helper_process(qtbot, window, demo_db, monkeypatch):
    """The task runner's thread starts the helper processes as a register's run would (here for the demo
    zone, by lowering the threshold); a one-process run afterwards finds every opportunity unchanged."""
    from symdesk.matching import helper

    started = []

    class CountedHelper(helper.Helper):
        def __init__(self, *args, **kwargs):
            started.append(self)
            super().__init__(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(helper, "SHARED_FROM_STREAMS", 0)
        patched.setattr(helper, "Helper", CountedHelper)
        page = window.opportunities_page
        task = page.run_matching()
        assert task.wait(60_000) and task.state == "done", task.error
    assert len(started) == 2  # the screening helper, then the receivers' helper
    assert not any(h._process.is_alive() for h in started)
    shared = page.last_summary
    assert shared is not None and shared.found > 0 and shared.new == shared.found
    alone = matching_service.run_matching(demo_db)
    assert len(started) == 2  # this one ran in one process
    assert (alone.found, alone.unchanged, alone.new, alone.updated, alone.deactivated) == (shared.found, shared.found, 0, 0, 0)


def test_cancelled_matching_stores_nothing(qtbot, window, demo_db):
    page = window.opportunities_page
    task = page.run_matching()
    task.cancel()
    assert task.wait(60_000)
    if task.state == "cancelled":
        assert matching_service.list_opportunities(demo_db, include_inactive=True) == []
    else:  # finished before the cancel was seen
        assert task.state == "done"


def test_any_kind_of_opportunity_renders_without_parties(opage, demo_db):
    """Pooling and chains may have no provider or receiver: «—» in the table, members in the pane."""
    residents = list(resident_service.list_residents(demo_db))[:3]
    pooled = Opportunity(
        match_kind=MatchKind.POOLING,
        kind="service",
        title="Совместный вывоз отходов",
        score=55.0,
        members=[r.id for r in residents],
        components=[{"component": "quantity_coverage", "value": 0.5, "weight": 2.0, "contribution": 12.5,
                     "note": ["Quantities cannot be compared", {}]}],
        benefits={"landfill_diverted_t": 1234.5},
        reasons=[{"message": "Precedent cases: {count}", "params": {"count": 3}}],
        meta=RecordMeta(),
    )
    with unit_of_work(demo_db) as session:
        saved_id = OpportunityRepository(session).add(pooled).id
    opage.set_match_kind_filter(MatchKind.POOLING.value)
    assert saved_id in ids(opage)
    assert all(r.opportunity.match_kind is MatchKind.POOLING for r in opage.rows())
    row = opage.model.row_of(saved_id)
    assert opage.model.index(row, PROVIDER).data() == NO_PARTY
    assert opage.model.index(row, RECEIVER).data() == NO_PARTY
    assert opage.model.index(row, 7).data() == "1,234.5 t/yr"
    opage.select(saved_id)
    text = opage.detail.toPlainText()
    assert "Members (3)" in text
    for r in residents:
        assert r.name in text
    assert "Quantities cannot be compared" in text and "Precedent cases: 3" in text
    assert not opage.resident_button.isEnabled()


def test_network_click_opens_a_hidden_opportunity(window, matched, demo_db):
    target = matching_service.list_opportunities(demo_db)[-1]
    page = window.opportunities_page
    window.nav.setCurrentRow(OPPORTUNITIES)
    page.set_status_filter(OpportunityStatus.IMPLEMENTED.value)  # hides it
    window.network_page.opportunity_requested.emit(target.id)
    assert window.stack.currentWidget() is page
    assert page.selected().id == target.id


def test_show_provider_opens_the_resident(window, opage, demo_db):
    first = first_pair(o.opportunity for o in opage.rows())
    opage.select(first.id)
    opage.resident_button.click()
    assert window.stack.currentWidget() is window.residents_page
    assert window.residents_page.selected_id() == first.provider_id


def test_a_move_made_impossible_meanwhile_is_refused_and_the_dialog_stays(opage, demo_db, dialogs):
    target = opage.rows()[0].opportunity
    opage.select(target.id)
    dialog = opage.change_status()
    # Someone else moves it on (another window, the CLI) while the dialog is open.
    matching_service.set_opportunity_status(demo_db, target.id, OpportunityStatus.DISCUSSING)
    matching_service.set_opportunity_status(demo_db, target.id, OpportunityStatus.IMPLEMENTED)
    dialog.set_status(OpportunityStatus.REJECTED)
    dialog.reason_edit.setText("Не актуально")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert len(dialogs.errors) == 1 and "cannot go from implemented to rejected" in dialogs.errors[0]
    assert dialog.isVisible() and dialog.saved is None
    assert matching_service.find_opportunity(demo_db, target.id).status is OpportunityStatus.IMPLEMENTED
    dialog.reject()


def test_switching_database_empties_the_page(window, opage, tmp_path):
    assert opage.model.total_count() > 0
    assert window.open_database_path(tmp_path / "other.sqlite3", create=True)
    assert opage.model.total_count() == 0
    assert opage.resident_combo.count() == 1  # «All residents» only
    assert opage.detail.toPlainText().startswith("Select an opportunity")


def test_a_real_pool_names_its_member_streams(opage, matched, demo_db):
    from symdesk.services.streams import stream_index

    pool = matching_service.list_opportunities(demo_db, match_kind=MatchKind.POOLING.value)[0]
    opage.reload()
    opage.select(pool.id)
    text = opage.detail.toPlainText()
    names = stream_index(demo_db)
    member_streams = [m for m in pool.members if m in names]
    assert member_streams and all(names[m][0] in text for m in member_streams)


def test_the_table_is_filled_when_the_page_is_first_shown(matched, window, demo_db):
    """The window builds every page at start; a register's table takes seconds, so it waits to be seen."""
    page = window.opportunities_page
    assert page.model.total_count() == 0
    window.nav.setCurrentRow(OPPORTUNITIES)
    assert page.model.total_count() == len(matching_service.list_opportunities(demo_db)) == matched.found


def test_a_register_table_is_read_on_the_task_runner(qtbot, opage, demo_db, monkeypatch):
    """Above READ_AT_ONCE_UP_TO stored opportunities the table is read in the background (seconds for a
    register), with the same rows; a reload asked for meanwhile supersedes the first."""
    from symdesk.gui.pages import opportunities_page

    at_once = ids(opage)
    monkeypatch.setattr(opportunities_page, "READ_AT_ONCE_UP_TO", 0)
    opage.set_match_kind_filter("pair")  # a filter change reloads: now in the background
    first = opage.load_task
    assert first is not None
    second = opage.reload()
    assert second is not None and second is opage.load_task and second is not first
    assert second.wait()
    qtbot.waitUntil(lambda: opage.model.total_count() > 0 and all(
        r.opportunity.match_kind is MatchKind.PAIR for r in opage.rows()))
    pairs = [o.id for o in matching_service.list_opportunities(demo_db, match_kind="pair")]
    assert ids(opage) == pairs and set(pairs) < set(at_once)
    assert opage.count_label.text() == f"{len(pairs)} opportunities"
