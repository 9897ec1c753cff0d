"""Resource-efficiency comparison: quartiles, outliers and savings on small inputs worked out by hand."""

from __future__ import annotations

import pytest

from symdesk.reports.efficiency_stats import (
    DIVISION,
    OUTPUT,
    SECTION,
    STAFF,
    ResidentInputs,
    analyse,
    normalise_unit,
    percentile,
    quartiles,
)


def resident(rid: str, electricity: float | None, *, staff: int | None = 10, output: float | None = None,
             unit: str = "", division: str = "10", section: str = "C", **use: float | None) -> ResidentInputs:
    return ResidentInputs(rid, rid.upper(), division, section, staff, output, unit, {"electricity": electricity, **use})


def test_quartiles_interpolate_linearly() -> None:
    assert percentile([1, 2, 3, 4], 0.25) == pytest.approx(1.75)
    q = quartiles([50, 10, 20])
    assert (q.q1, q.median, q.q3) == (15, 20, 35)
    assert q.iqr == 20


def test_twice_the_median_is_an_outlier_even_inside_the_fence() -> None:
    # per employee 10, 20, 50: fence Q3 + 1.5·IQR = 35 + 30 = 65, but 2 × median = 40 < 50
    analysis = analyse([resident("a", 100), resident("b", 200), resident("c", 500)], {"electricity": 300.0})
    c = analysis.intensity("c", "electricity", STAFF)
    assert c is not None and c.compared and c.outlier
    assert c.group == "10" and c.peers == 3
    assert c.ratio_to_median == pytest.approx(2.5)
    assert not analysis.intensity("b", "electricity", STAFF).outlier
    # only c is above the median: (50 - 20) per employee × 10 employees = 300 MWh at 300 BYN
    assert [(s.resident_id, s.amount) for s in analysis.savings] == [("c", pytest.approx(300))]
    assert analysis.totals["electricity"].amount == pytest.approx(300)
    assert analysis.totals["electricity"].byn == pytest.approx(90_000)
    assert analysis.totals["electricity"].residents == 1


def test_a_tight_group_flags_beyond_the_fence_and_one_and_a_half_medians() -> None:
    # per employee 10, 10.5, 11, 11.5, x: median 11, Q1 10.5, Q3 11.5, fence 13, 1.5 × median 16.5
    base = [resident("a", 100), resident("b", 105), resident("c", 110), resident("d", 115)]
    flagged = analyse([*base, resident("e", 170)]).intensity("e", "electricity", STAFF)
    spared = analyse([*base, resident("e", 160)]).intensity("e", "electricity", STAFF)
    assert flagged is not None and flagged.outlier
    assert spared is not None and not spared.outlier


def test_fewer_than_three_peers_are_not_compared() -> None:
    analysis = analyse([resident("a", 100), resident("b", 900), resident("c", 100, division="22")])
    a = analysis.intensity("a", "electricity", STAFF)
    assert a is not None and not a.compared and not a.outlier and a.stats is None
    assert analysis.savings == []
    assert analysis.totals["electricity"].amount == 0


def test_the_section_is_a_peer_group_only_when_asked() -> None:
    inputs = [resident("a", 100, division="10"), resident("b", 120, division="11"), resident("c", 400, division="13")]
    assert not analyse(inputs).intensity("c", "electricity", STAFF).compared
    c = analyse(inputs, levels=(DIVISION, SECTION)).intensity("c", "electricity", STAFF)
    assert c.compared and c.group == "C" and c.outlier  # 40 per employee against a median of 12


def test_output_intensities_compare_only_the_same_unit() -> None:
    assert normalise_unit(" Т ") == normalise_unit("t") == "т"
    assert normalise_unit("м3") == normalise_unit("M3") == "м³"
    inputs = [
        resident("a", 100, output=100, unit="т"),
        resident("b", 200, output=100, unit="t"),
        resident("c", 300, output=100, unit="Т"),
        resident("d", 900, output=100, unit="м3"),
    ]
    analysis = analyse(inputs)
    assert analysis.intensity("c", "electricity", OUTPUT).peers == 3
    assert not analysis.intensity("d", "electricity", OUTPUT).compared
    # staff intensities compare all four: 10, 20, 30, 90 → median 25
    assert analysis.intensity("d", "electricity", STAFF).stats.median == pytest.approx(25)


def test_savings_count_each_resource_once_on_output_first() -> None:
    # per tonne 1, 2, 3 (median 2); per employee 10, 20, 30 too, but c saves only on output: (3 - 2) × 100 t
    inputs = [resident(x, e, output=100, unit="т") for x, e in (("a", 100), ("b", 200), ("c", 300))]
    analysis = analyse(inputs, {"electricity": 300.0})
    assert [(s.resident_id, s.basis, s.amount) for s in analysis.savings] == [("c", OUTPUT, pytest.approx(100))]


def test_resources_without_tariff_are_saved_in_units_only() -> None:
    inputs = [resident(x, None, gas=g) for x, g in (("a", 1.0), ("b", 2.0), ("c", 6.0))]
    analysis = analyse(inputs, {"electricity": 300.0})
    gas = analysis.totals["gas"]
    assert gas.amount == pytest.approx(4.0)  # (0.6 - 0.2) per employee × 10
    assert gas.byn is None
    assert analysis.total_byn == 0


def test_unreported_figures_and_zero_denominators_are_skipped() -> None:
    inputs = [resident("a", None), resident("b", 100, staff=0), resident("c", 100, staff=None)]
    assert analyse(inputs).intensities == {}
