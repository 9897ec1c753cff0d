"""Resource-efficiency report from the demo zone: intensities against the sector, outliers, savings."""

from __future__ import annotations

from pathlib import Path

import pytest

from symdesk.demo.questionnaires import NOT_SURVEYED, OUTLIER_EVERY
from symdesk.demo.zone_file import read_demo_zone
from symdesk.domain.resident import ResidentStatus
from symdesk.i18n import _
from symdesk.reports import efficiency_stats as eff
from symdesk.reports.efficiency_report import resource_label, unit_label
from symdesk.reports.state_common import amount
from symdesk.services import reports
from symdesk.services.matching import run_matching
from symdesk.services.report_zone_state import efficiency_data, tariffs
from symdesk.services.zones import zone_overview
from tests import pdf_helpers
from tests.integration.zone_state_pdf import assert_well_formed, needs_poppler, spaced, squash

pytestmark = needs_poppler
russian = pdf_helpers.russian


def deliberate_outliers() -> list[str]:
    """The demo residents whose electricity the demo generator multiplied by 2.2 (its own rule, re-derived)."""
    demo = read_demo_zone()
    active = [r for r in demo.residents if r.status is not ResidentStatus.PLANNED]
    skipped = {r.id for r in active[7 :: max(1, len(active) // NOT_SURVEYED)][:NOT_SURVEYED]}
    surveyed = [r for r in active if r.id not in skipped]
    return [r.id for n, r in enumerate(surveyed) if n % OUTLIER_EVERY == 5]


def test_the_demo_outliers_are_flagged_where_the_sector_allows_a_comparison(demo_db) -> None:
    analysis = efficiency_data(demo_db, reports.ReportOptions()).analysis
    planted = deliberate_outliers()
    assert len(planted) == 4
    flagged = {i.resident_id for i in analysis.outliers() if i.resource == "electricity"}
    compared = {i.resident_id for i in analysis.intensities.values() if i.resource == "electricity" and i.compared}
    found = [rid for rid in planted if rid in compared]
    assert len(found) >= 2  # the others are alone in their NACE division
    assert set(found) <= flagged
    # Nothing else in the zone is flagged for electricity: the rule does not cry wolf.
    assert flagged <= set(planted)


def test_efficiency_report_from_the_demo_zone(demo_db, tmp_path: Path, russian: None) -> None:
    run_matching(demo_db)
    out = tmp_path / "efficiency.pdf"
    result = reports.write_report(demo_db, "efficiency", out, reports.ReportOptions())
    texts = assert_well_formed(out, result.pages)
    whole = "\n".join(texts)
    flat = squash(whole)
    zone = zone_overview(demo_db).zone
    assert zone is not None and squash(zone.name) in flat

    data = efficiency_data(demo_db, reports.ReportOptions())
    analysis = data.analysis
    # Savings: every figure computed by the pure functions is printed, formatted the Russian way.
    assert result.totals["savings_byn"] == pytest.approx(analysis.total_byn)
    assert analysis.total_byn > 0
    first = spaced(texts[0])
    assert amount(analysis.total_byn) .replace("\xa0", " ") in first
    prices = tariffs()
    for resource in eff.RESOURCES:
        total = analysis.totals[resource]
        assert amount(total.amount).replace("\xa0", " ") in first
        if prices.get(resource) is not None:
            assert total.byn == pytest.approx(total.amount * prices[resource])
            assert amount(total.byn).replace("\xa0", " ") in spaced(whole)
    # Savings add up from the residents above their sector median, each (intensity − median) × denominator.
    for saving in analysis.savings:
        intensity = analysis.intensity(saving.resident_id, saving.resource, saving.basis)
        inputs = next(r for r in analysis.residents if r.resident_id == saving.resident_id)
        assert saving.amount == pytest.approx((intensity.value - intensity.stats.median) * inputs.denominator(saving.basis))

    # The outliers section names the flagged residents; each resident with figures is in the tables.
    electricity = _("{resource}, {unit} per year").format(resource=resource_label("electricity"),
                                                         unit=unit_label("electricity"))
    outliers_part = squash(whole.split(_("Outliers"))[1].split(electricity)[0])
    names = {r.resident_id: r.name for r in analysis.residents}
    for rid in deliberate_outliers():
        if any(i.resident_id == rid for i in analysis.outliers()):
            assert squash(names[rid]) in outliers_part
    for r in analysis.residents:
        assert squash(r.name) in flat
    # The tariffs are cited with their sources.
    assert "Typical Belarusian electricity tariff" in spaced(whole)
