"""``export opportunities``: the workbook read back with openpyxl against the engine's records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from symdesk.domain.figures import BENEFIT_KEYS, BENEFIT_LABELS, COMPONENT_LABELS
from symdesk.domain.opportunity import OpportunityStatus
from symdesk.i18n import _
from symdesk.matching.settings import default_factors, default_weights
from symdesk.services import exports, matching
from symdesk.services.confidentiality import CONFIDENTIAL_PARTY
from symdesk.services.residents import find_resident
from symdesk.storage.repository import ResidentRepository, StreamRepository
from symdesk.storage.uow import unit_of_work
from tests import pdf_helpers

russian = pdf_helpers.russian
matched = pdf_helpers.matched
pytestmark = pytest.mark.usefixtures("russian")


def header_index(ws) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {cell.value: cell.column for cell in ws[1]}


def test_workbook_has_every_opportunity_with_the_engines_figures(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    matching.set_opportunity_status(matched, best.id, OpportunityStatus.DISCUSSING, note="Встреча назначена")
    out = tmp_path / "opps.xlsx"
    result = exports.export_opportunities(matched, out)
    opportunities = matching.list_opportunities(matched)
    assert result.rows == len(opportunities) and result.path == out
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{len(opportunities) + 1}"
    assert ws.max_row == len(opportunities) + 1
    col = header_index(ws)
    score_col = col[_("Score")]
    for r, o in enumerate(opportunities, start=2):
        assert ws.cell(r, col[_("ID")]).value == o.id
        assert ws.cell(r, score_col).value == pytest.approx(o.score)
        for key in BENEFIT_KEYS:
            heading = _("{benefit}, {unit}").format(benefit=_(BENEFIT_LABELS[key][0]), unit=_(BENEFIT_LABELS[key][1]))
            assert (ws.cell(r, col[heading]).value or 0.0) == pytest.approx(float(o.benefits.get(key) or 0.0))
        for c in o.components:
            heading = _("{component} (0–1)").format(component=_(COMPONENT_LABELS[c["component"]]))
            assert ws.cell(r, col[heading]).value == pytest.approx(c["value"])
    first = 2
    assert ws.cell(first, col[_("Notes")]).value.endswith("Встреча назначена")
    with unit_of_work(matched) as session:
        residents = {r.id: r for r in ResidentRepository(session).list()}
    assert ws.cell(first, col[_("Supplier")]).value == residents[best.provider_id].display_name
    # Columns sized to their content, wide enough for the longest name.
    supplier_letter = ws.cell(1, col[_("Supplier")]).column_letter
    longest = max(len(residents[o.provider_id].display_name) for o in opportunities if o.provider_id)
    assert ws.column_dimensions[supplier_letter].width >= min(longest, 50)
    # The second sheet: weights and factors with their sources.
    method = wb.worksheets[1]
    values = [c for row in method.iter_rows(values_only=True) for c in row if c is not None]
    for key, weight in default_weights().weights.items():
        assert _(COMPONENT_LABELS[key]) in values and weight in values
    for factor in default_factors().items.values():
        assert factor.key in values and factor.source in values and factor.value in values


def test_filters_and_formula_looking_names(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    with unit_of_work(matched) as session:
        repo = ResidentRepository(session)
        resident = repo.get(best.provider_id)
        resident.short_name = '=HYPERLINK("http://evil","x")'
        repo.add(resident)
    out = tmp_path / "f.xlsx"
    filters = exports.OpportunityFilters(kind=best.kind, statuses=("new",), min_score=best.score - 0.001)
    result = exports.export_opportunities(matched, out, filters)
    expected = [o for o in matching.list_opportunities(matched, kind=best.kind, min_score=best.score - 0.001)
                if o.status is OpportunityStatus.NEW]
    assert result.rows == len(expected) >= 1
    ws = load_workbook(out).worksheets[0]
    col = header_index(ws)
    cell = ws.cell(2, col[_("Supplier")])
    assert cell.value == '=HYPERLINK("http://evil","x")' and cell.data_type == "s"


def test_for_residents_hides_confidential_parties(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    best = matching.list_opportunities(matched)[0]
    with unit_of_work(matched) as session:
        repo = StreamRepository(session)
        stream = repo.get(best.offer_id)
        stream.confidential = True
        repo.add(stream)
    matching.run_matching(matched)
    name = find_resident(matched, best.provider_id).display_name
    staff = load_workbook(exports.export_opportunities(matched, tmp_path / "s.xlsx").path).worksheets[0]
    public = load_workbook(exports.export_opportunities(
        matched, tmp_path / "p.xlsx", exports.OpportunityFilters(for_residents=True)).path).worksheets[0]
    col = header_index(staff)
    row = next(r for r in range(2, staff.max_row + 1) if staff.cell(r, col[_("ID")]).value == best.id)
    assert staff.cell(row, col[_("Supplier")]).value == name
    row = next(r for r in range(2, public.max_row + 1) if public.cell(r, col[_("ID")]).value == best.id)
    assert public.cell(row, col[_("Supplier")]).value == _(CONFIDENTIAL_PARTY)


def test_cli_export_json_and_english(matched, demo_db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from symdesk.cli import main

    out = tmp_path / "cli.xlsx"
    code = main(["--db", str(demo_db_path), "export", "opportunities", "--out", str(out), "--kind", "water",
                 "--min-score", "40", "--status", "new", "--for-residents", "--lang", "en", "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and printed == {"path": str(out), "rows": len(
        matching.list_opportunities(matched, kind="water", min_score=40, status="new"))}
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "Opportunities" and ws.cell(1, 3).value == "Supplier"
    code = main(["--db", str(demo_db_path), "export", "opportunities", "--out", str(tmp_path / "no" / "x.xlsx")])
    assert code == 1


def test_progress_covers_both_halves_and_a_cancel_while_writing_leaves_no_file(matched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Writing a register's rows takes minutes: the progress goes on through them, and a cancel there
    (after every row was prepared) writes nothing."""
    from symdesk.domain.tasks import TaskCancelled

    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "all.xlsx"
    result = exports.export_opportunities(matched, out, progress=lambda d, t, what: seen.append((d, t, what)))
    assert out.exists() and result.rows > 500
    done = [d / t for d, t, _w in seen if t]
    assert done == sorted(done) and done[-1] == 1.0
    assert {_("Preparing the opportunities"), _("Writing the opportunities")} <= {w for _d, _t, w in seen}
    assert any(w == _("Writing the opportunities") and 0.5 < d / t < 1 for d, t, w in seen if t)

    writing = tmp_path / "cancelled.xlsx"
    state = {"writing": False}

    def watch(d: int, t: int, what: str) -> None:
        state["writing"] = what == _("Writing the opportunities") and d / t > 0.5

    with pytest.raises(TaskCancelled):
        exports.export_opportunities(matched, writing, progress=watch, cancelled=lambda: state["writing"])
    assert not writing.exists() and not any("cancelled" in p.name for p in tmp_path.iterdir())
