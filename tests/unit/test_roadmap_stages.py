"""The roadmap's staging rule and the benefits summed per stage, on hand-built opportunities."""

from __future__ import annotations

import pytest

from symdesk.matching.roadmap import (
    INVESTMENT,
    LICENCES,
    QUICK_WINS,
    OpportunityFacts,
    allocate,
    build_stages,
    stage_of,
    sum_benefits,
)


def facts(oid: str = "o1", *, score: float = 80.0, kind: str = "by_product", categories: tuple[str, ...] = ("waste",),
          hazards: tuple[str, ...] = ("4",), km: float | None = 3.0, owners: tuple[str, ...] = ("p", "r"),
          **benefits: float) -> OpportunityFacts:
    return OpportunityFacts(oid, score, kind, categories, hazards, km, owners, benefits)


def test_a_close_harmless_well_scored_exchange_is_a_quick_win() -> None:
    decision = stage_of(facts())
    assert decision.stage == QUICK_WINS and decision.reasons == ()


@pytest.mark.parametrize("hazard", ["1", "2"])
def test_hazard_class_one_or_two_needs_licences_whatever_else(hazard: str) -> None:
    decision = stage_of(facts(hazards=(hazard,), categories=("heat",), km=50.0, score=10.0))
    assert decision.stage == LICENCES
    assert decision.reasons == (("Hazard class {hazard_class}: needs licensed handling", {"hazard_class": hazard}),)


def test_pipes_distance_and_low_scores_need_investment() -> None:
    heat = stage_of(facts(categories=("heat", "heat"), hazards=()))
    assert heat.stage == INVESTMENT
    assert heat.reasons == (("Needs a connection for {categories}", {"categories": "heat"}),)
    far = stage_of(facts(km=12.34))
    assert far.stage == INVESTMENT and far.reasons == (("Sites {km} km apart", {"km": 12.3}),)
    assert stage_of(facts(km=10.0)).stage == QUICK_WINS  # the limit itself is still a short run
    assert stage_of(facts(km=None)).reasons == (("Distance between the sites unknown", {}),)
    low = stage_of(facts(score=59.94))
    assert low.reasons == (("Score {score} below {threshold}", {"score": 59.9, "threshold": 60.0}),)
    assert stage_of(facts(score=60.0)).stage == QUICK_WINS
    shared = stage_of(facts(kind="infrastructure", categories=("infrastructure",)))
    assert shared.stage == INVESTMENT and shared.reasons == (("Shared infrastructure to build", {}),)


def test_the_thresholds_can_be_changed() -> None:
    assert stage_of(facts(score=50.0), min_score=40.0).stage == QUICK_WINS
    assert stage_of(facts(km=3.0), max_km=2.0).stage == INVESTMENT


def test_benefits_are_summed_ignoring_missing_and_non_numbers() -> None:
    totals = sum_benefits([{"landfill_diverted_t": 10, "water_reused_m3": 5.5}, {"landfill_diverted_t": 2.5,
                           "matched_dimension": "mass", "water_reused_m3": None, "net_co2e_avoided_t": True}])
    assert totals["landfill_diverted_t"] == 12.5
    assert totals["water_reused_m3"] == 5.5
    assert totals["net_co2e_avoided_t"] == 0.0
    assert "matched_dimension" not in totals


def test_stages_hold_their_opportunities_best_first_with_owners_and_benefits() -> None:
    stages = build_stages([
        facts("a", score=70, owners=("p1", "r1"), landfill_diverted_t=100, disposal_cost_avoided_byn=4000),
        facts("b", score=90, owners=("p2", "r1"), landfill_diverted_t=50),
        facts("c", categories=("steam",), hazards=(), owners=("p1", "r2"), energy_recovered_mwh=1200),
        facts("d", hazards=("1",), owners=("p3", "r3"), landfill_diverted_t=7),
    ])
    assert [s.number for s in stages] == [QUICK_WINS, INVESTMENT, LICENCES]
    quick, investment, licences = stages
    assert [o.facts.opportunity_id for o in quick.opportunities] == ["b", "a"]
    assert quick.owners == ["p2", "r1", "p1"]
    assert quick.benefits["landfill_diverted_t"] == 150
    assert quick.benefits["disposal_cost_avoided_byn"] == 4000
    assert investment.benefits["energy_recovered_mwh"] == 1200 and investment.owners == ["p1", "r2"]
    assert licences.benefits["landfill_diverted_t"] == 7


def test_empty_stages_are_kept() -> None:
    stages = build_stages([])
    assert [len(s.opportunities) for s in stages] == [0, 0, 0]
    assert all(v == 0 for s in stages for v in s.benefits.values())


def test_an_offer_is_not_promised_twice() -> None:
    # 100 t of sawdust matched to two needs of 80 t: the better one takes 80 t, the other the 20 t left.
    first = OpportunityFacts("a", 90, "by_product", ("waste",), (), 2.0, ("p", "r1"),
                             {"matched_amount": 80.0, "landfill_diverted_t": 80.0}, "offer", "need1", 100.0, 80.0)
    second = OpportunityFacts("b", 70, "by_product", ("waste",), (), 2.0, ("p", "r2"),
                              {"matched_amount": 80.0, "landfill_diverted_t": 80.0}, "offer", "need2", 100.0, 80.0)
    assert allocate([first, second]) == {"a": 1.0, "b": pytest.approx(0.25)}
    quick = build_stages([second, first])[0]
    assert [o.facts.opportunity_id for o in quick.opportunities] == ["a", "b"]
    assert quick.benefits["landfill_diverted_t"] == pytest.approx(100.0)
    # Stage 1 comes first even when a later stage scores higher: the roadmap pursues quick wins first.
    steam = OpportunityFacts("c", 99, "energy", ("waste", "steam"), (), 2.0, ("p", "r3"),
                             {"matched_amount": 80.0, "landfill_diverted_t": 80.0}, "offer", "need3", 100.0, 80.0)
    stages = build_stages([steam, first, second])
    assert stages[0].benefits["landfill_diverted_t"] == pytest.approx(100.0)
    assert stages[1].benefits["landfill_diverted_t"] == 0.0
    assert stages[1].opportunities[0].share == 0.0


def test_without_a_matched_amount_the_figures_count_whole() -> None:
    assert allocate([facts("x", landfill_diverted_t=5), facts("y", landfill_diverted_t=5)]) == {"x": 1.0, "y": 1.0}
