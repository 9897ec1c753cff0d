"""The implemented projects report: implemented and in-progress opportunities with their results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdesk.domain.opportunity import OpportunityStatus
from symdesk.services import matching, reports
from symdesk.services.residents import list_residents
from tests import pdf_helpers
from tests.pdf_helpers import (
    assert_well_formed,
    engine_totals,
    flat,
    needs_poppler,
    number_text,
)

pytestmark = [needs_poppler, pytest.mark.usefixtures("russian")]
russian = pdf_helpers.russian
matched = pdf_helpers.matched


@pytest.fixture
def under_way(matched):  # type: ignore[no-untyped-def]
    first, second, third = matching.list_opportunities(matched)[:3]
    matching.set_opportunity_status(matched, first.id, OpportunityStatus.DISCUSSING)
    matching.set_opportunity_status(matched, first.id, OpportunityStatus.IMPLEMENTED,
                                    note="Поставлено 800 т в 2025 году")
    matching.set_opportunity_status(matched, second.id, OpportunityStatus.NEGOTIATING)
    matching.set_opportunity_status(matched, third.id, OpportunityStatus.REJECTED, reason="Далеко")
    return matched


def test_results_report_groups_by_status_with_the_engines_totals(under_way, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "results.pdf"
    result = reports.write_report(under_way, "results", out, reports.ReportOptions())
    texts = assert_well_formed(out, result.pages)
    text = flat("\n".join(texts))
    names = {r.id: r.short_name or r.name for r in list_residents(under_way)}
    for status in (OpportunityStatus.IMPLEMENTED, OpportunityStatus.NEGOTIATING):
        chosen = matching.list_opportunities(under_way, status=status.value)
        assert result.totals[status.value] == len(chosen) == 1
        expected = engine_totals(chosen)
        for key, value in expected.items():
            assert result.totals[f"{status.value}.{key}"] == pytest.approx(value)
        assert number_text(expected["net_savings_byn"]) in text  # costs avoided less the transport
        for o in chosen:
            assert names[o.provider_id] in text and names[o.receiver_id] in text
    assert result.totals["discussing"] == 0
    assert "Поставлено 800 т в 2025 году" in text
    rejected = matching.list_opportunities(under_way, status="rejected")[0]
    assert "rejected" not in result.totals and "Далеко" not in text
    assert rejected.id not in text


def test_results_report_of_a_zone_with_nothing_under_way(demo_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from symdesk.cli import main

    matching.run_matching(demo_db)
    demo_db.close()
    out = tmp_path / "none.pdf"
    code = main(["--db", str(demo_db.path), "report", "results", "--out", str(out), "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and printed["totals"]["implemented"] == 0
    assert_well_formed(out, printed["pages"])
