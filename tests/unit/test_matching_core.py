"""Matching core: candidate pairs, scores and benefits on hand-built zones and the demo zone."""

from __future__ import annotations

import csv
import json
import random

import pytest

from symdesk.demo.zone_file import demo_id, read_demo_zone
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident
from symdesk.domain.stream import (
    Category,
    Direction,
    Handling,
    HazardClass,
    OpportunityKind,
    Regularity,
    Stream,
)
from symdesk.domain.units import Period
from symdesk.matching.benefits import Benefits, estimate_benefits, sum_benefits
from symdesk.matching.components import (
    component_row,
    cost_warnings,
    linear_by_distance,
    shared_reason,
    total_by_distance,
    weighted_score,
    weighted_total,
)
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.pairs import MatchLevel, candidate_pairs
from symdesk.matching.scoring import quantity_coverage, score_all, score_pair
from symdesk.matching.settings import default_factors, default_weights
from symdesk.paths import resources_dir

LAT, LON = 53.17, 29.27


def resident(key: str, activity: str = "", lat: float | None = LAT, lon: float | None = LON) -> Resident:
    return Resident(
        zone_id="z",
        name=key,
        activity_codes=[activity] if activity else [],
        latitude=lat,
        longitude=lon,
        meta=RecordMeta(id=f"r-{key}"),
    )


def stream(res: Resident, direction: Direction, category: Category, name: str, key: str, **kw: object) -> Stream:
    return Stream(
        resident_id=res.id,
        direction=direction,
        category=category,
        name=name,
        meta=RecordMeta(id=f"s-{key}"),
        **kw,  # type: ignore[arg-type]
    )


def offer(res: Resident, category: Category, name: str, key: str, **kw: object) -> Stream:
    return stream(res, Direction.OFFER, category, name, key, **kw)


def need(res: Resident, category: Category, name: str, key: str, **kw: object) -> Stream:
    return stream(res, Direction.NEED, category, name, key, **kw)


def match(offers: list[Stream], needs: list[Stream], residents: list[Resident]):
    return candidate_pairs(offers, needs, {r.id: r for r in residents}, knowledge_base())


def score(offers: list[Stream], needs: list[Stream], residents: list[Resident]):
    by_id = {s.id: s for s in (*offers, *needs)}
    rs = {r.id: r for r in residents}
    return score_all(match(offers, needs, residents), by_id, rs, default_weights(), knowledge_base())


@pytest.fixture(scope="module")
def demo():
    return read_demo_zone()


def demo_pairs(demo):
    offers = [s for s in demo.streams if s.direction is Direction.OFFER]
    needs = [s for s in demo.streams if s.direction is Direction.NEED]
    return candidate_pairs(offers, needs, {r.id: r for r in demo.residents}, knowledge_base())


def factors_from_file() -> dict[str, float]:
    with (resources_dir() / "matching" / "factors.csv").open(encoding="utf-8") as f:
        return {r["key"]: float(r["value"]) for r in csv.DictReader(f)}


# -- candidate pairs -------------------------------------------------------------


def test_sawdust_meets_pellet_plant_with_high_score() -> None:
    saw, pellet = resident("saw", "16100"), resident("pellet", "16290", LAT + 0.01, LON)
    o = offer(saw, Category.WASTE, "Опилки и стружка древесные", "o", code="030105", quantity=1200,
              unit="t", regularity=Regularity.CONTINUOUS, hazard_class=HazardClass.NON_HAZARDOUS,
              handling=Handling.LANDFILL, price_byn=-5)
    n = need(pellet, Category.MATERIAL, "Опилки древесные для пеллет", "n", code="030105", quantity=1000,
             unit="t", regularity=Regularity.CONTINUOUS, hazard_class=HazardClass.NON_HAZARDOUS, price_byn=20)
    (pair,) = match([o], [n], [saw, pellet])
    assert pair.level in (MatchLevel.CODE_EXACT, MatchLevel.MATERIAL_CLASS)
    assert MatchLevel.MATERIAL_CLASS in pair.levels
    assert pair.reasons and all(isinstance(msg, str) and isinstance(p, dict) for msg, p in pair.reasons)
    (s,) = score([o], [n], [saw, pellet])
    assert s.total >= 80
    assert s.component("quantity_coverage").value == 1.0


def demo_stream(demo, resident_key: str, direction: Direction, name_starts: str, code: str = "") -> str:
    """The id of a demo stream found by its resident, name and code, not by its place in the file."""
    rid = demo_id("resident", resident_key)
    (found,) = [
        s.id
        for s in demo.streams
        if s.resident_id == rid and s.direction is direction and s.name.startswith(name_starts)
        and (not code or s.code == code)
    ]
    return found


def test_demo_sawdust_meets_demo_pellet_plant(demo) -> None:
    pairs = demo_pairs(demo)
    sawdust = demo_stream(demo, "drevprom", Direction.OFFER, "Опилки и стружка древесные", "030105")
    pellet_need = demo_stream(demo, "pelletbel", Direction.NEED, "Опилки и стружка древесные")
    found = [p for p in pairs if p.offer_id == sawdust and p.need_id == pellet_need]
    assert found and found[0].level in (MatchLevel.CODE_EXACT, MatchLevel.MATERIAL_CLASS)
    by_id = {s.id: s for s in demo.streams}
    rs = {r.id: r for r in demo.residents}
    s = score_pair(found[0], by_id[sawdust], by_id[pellet_need], rs[found[0].offer_resident_id],
                   rs[found[0].need_resident_id], default_weights(), knowledge_base())
    assert s.total >= 75


def test_heat_temperature_rule() -> None:
    a, b, c, d = resident("a"), resident("b"), resident("c"), resident("d")
    o = offer(a, Category.HEAT, "Сбросное тепло (горячая вода)", "o", temperature_c=90)
    n70 = need(b, Category.HEAT, "Тепло на отопление", "n70", temperature_c=70)
    n120 = need(c, Category.HEAT, "Тепло на сушку", "n120", temperature_c=120)
    n550 = need(d, Category.HEAT, "Тепло для печей термообработки", "n550", temperature_c=550)
    pairs = match([o], [n70, n120, n550], [a, b, c, d])
    assert [p.need_id for p in pairs] == ["s-n70"]
    assert pairs[0].level is MatchLevel.CATEGORY


def test_steam_pressure_rule() -> None:
    a, b, c = resident("a"), resident("b"), resident("c")
    o = offer(a, Category.STEAM, "Пар насыщенный", "o", temperature_c=190, pressure_mpa=1.3)
    low = need(b, Category.STEAM, "Пар технологический", "low", temperature_c=180, pressure_mpa=1.0)
    high = need(c, Category.STEAM, "Пар для реакторов", "high", temperature_c=180, pressure_mpa=2.5)
    assert [p.need_id for p in match([o], [low, high], [a, b, c])] == ["s-low"]


def test_water_quality_and_secondary_rules() -> None:
    a, b, c, d = resident("a"), resident("b"), resident("c"), resident("d")
    waste_water = offer(a, Category.WATER, "Очищенные сточные воды", "ww")
    drinking = need(b, Category.WATER, "Вода питьевая", "drink")
    technical = need(c, Category.WATER, "Вода техническая", "tech")
    assert [p.need_id for p in match([waste_water], [drinking, technical], [a, b, c])] == ["s-tech"]
    chips = offer(a, Category.WASTE, "Щепа древесная", "chips", code="030105")
    no_secondary = need(d, Category.MATERIAL, "Щепа древесная", "virgin", code="030105",
                        secondary_acceptable=False)
    assert match([chips], [no_secondary], [a, d]) == []


def test_resident_never_matches_itself(demo) -> None:
    a = resident("a")
    o = offer(a, Category.WASTE, "Опилки древесные", "o", code="030105")
    n = need(a, Category.MATERIAL, "Опилки древесные", "n", code="030105")
    assert match([o], [n], [a]) == []
    assert all(p.offer_resident_id != p.need_resident_id for p in demo_pairs(demo))


def test_quantity_coverage_on_yearly_amounts_across_units() -> None:
    a, b = resident("a"), resident("b")
    o = offer(a, Category.WASTE, "Опилки", "o", quantity=2, unit="t", period=Period.DAY)
    n = need(b, Category.MATERIAL, "Опилки", "n", quantity=1000, unit="t", period=Period.YEAR)
    value, known = quantity_coverage(o, n)
    assert known and value == pytest.approx(730 / 1000)
    n_kg = need(b, Category.MATERIAL, "Опилки", "n2", quantity=50_000, unit="kg", period=Period.MONTH)
    assert quantity_coverage(o, n_kg) == (1.0, True)  # 600 t/year needed, 730 t/year offered
    (s,) = score([o], [n], [a, b])
    assert s.component("quantity_coverage").value == pytest.approx(0.73)
    n_unknown = need(b, Category.MATERIAL, "Опилки", "n3")
    assert quantity_coverage(o, n_unknown) == (0.5, False)


def test_hazard_class_two_is_flagged() -> None:
    a, b = resident("a"), resident("b")
    o = offer(a, Category.WASTE, "Масла отработанные моторные", "o", code="130205",
              hazard_class=HazardClass.CLASS_2)
    n = need(b, Category.MATERIAL, "Масла отработанные моторные", "n", code="130205")
    (s,) = score([o], [n], [a, b])
    assert any("licensed" in msg for msg, _ in s.flags)
    assert s.component("hazard").value < 0.5


def test_distance_component_falls_with_distance() -> None:
    a = resident("a")
    values = []
    for i, dlat in enumerate((0.0, 0.05, 0.2, 0.4)):
        b = resident(f"b{i}", lat=LAT + dlat)
        o = offer(a, Category.WASTE, "Опилки древесные", f"o{i}", code="030105")
        n = need(b, Category.MATERIAL, "Опилки древесные", f"n{i}", code="030105")
        (s,) = score([o], [n], [a, b])
        values.append(s.component("distance").value)
    assert values[0] == 1.0
    assert values == sorted(values, reverse=True) and values[-1] < values[1]


def test_pairs_beyond_the_categorys_reach_are_not_proposed() -> None:
    """Sawdust is worth trucking 50 km, heat piping 3 km (weights.yaml max_distance_km)."""
    a = resident("a")
    others = {
        "near": resident("near", lat=LAT + 0.02),  # 2.2 km
        "mid": resident("mid", lat=LAT + 0.05),  # 5.6 km
        "far": resident("far", lat=LAT + 0.6),  # 67 km
        "x": resident("x", lat=None, lon=None),  # no coordinates
    }
    offers, needs = [], []
    for key, b in others.items():
        offers += [
            offer(a, Category.WASTE, "Опилки древесные", f"wood-{key}", code="030105"),
            offer(a, Category.HEAT, "Горячая вода 90 °C", f"heat-{key}"),
        ]
        needs += [
            need(b, Category.MATERIAL, "Опилки древесные", f"wood-need-{key}", code="030105"),
            need(b, Category.HEAT, "Тепло на отопление", f"heat-need-{key}"),
        ]
    found = {(p.offer_id[2:], p.need_id[2:]) for p in match(offers, needs, [a, *others.values()])}
    reached = {need for o, need in found if o == "wood-near"} | {need for o, need in found if o == "heat-near"}
    assert reached == {"wood-need-near", "wood-need-mid", "wood-need-x", "heat-need-near", "heat-need-x"}


def test_score_is_deterministic_and_independent_of_input_order(demo) -> None:
    offers = [s for s in demo.streams if s.direction is Direction.OFFER]
    needs = [s for s in demo.streams if s.direction is Direction.NEED]
    rs = list(demo.residents)
    first = score(offers, needs, rs)
    rng = random.Random(7)
    rng.shuffle(offers)
    rng.shuffle(needs)
    rng.shuffle(rs)
    second = score(offers, needs, rs)
    assert first == second
    assert all(0 <= s.total <= 100 for s in first)
    for s in first[:20]:
        assert sum(c.contribution for c in s.components) == pytest.approx(s.total, abs=0.01)


def test_demo_zone_pairs_cover_all_opportunity_kinds(demo) -> None:
    pairs = demo_pairs(demo)
    by_id = {s.id: s for s in demo.streams}
    assert len(pairs) >= 50
    assert {by_id[p.offer_id].kind for p in pairs} == set(OpportunityKind)


# -- benefits ------------------------------------------------------------------------


def test_landfill_diversion_and_net_co2_from_factors() -> None:
    f = factors_from_file()
    a, b = resident("a"), resident("b")
    o = offer(a, Category.WASTE, "Кора древесная", "o", code="030101", quantity=800, unit="t",
              handling=Handling.LANDFILL)
    n = need(b, Category.MATERIAL, "Кора на топливо", "n", quantity=500, unit="t", price_byn=12)
    got = estimate_benefits(o, n, 7.5, default_factors())
    assert got.landfill_diverted_t == pytest.approx(500)
    assert got.disposal_cost_avoided_byn == pytest.approx(500 * f["disposal_cost_byn_per_t"])
    assert got.purchase_cost_avoided_byn == pytest.approx(500 * 12)
    transport = 500 * 7.5 * f["truck_co2_kg_per_tkm"] / 1000
    assert got.transport_co2e_t == pytest.approx(transport)
    assert got.net_co2e_avoided_t == pytest.approx(500 * f["landfill_organic_co2e_t_per_t"] - transport)
    assert "landfill_organic_co2e_t_per_t" in got.factor_keys["co2e_avoided_t"]
    assert "truck_co2_kg_per_tkm" in got.factor_keys["net_co2e_avoided_t"]
    # The configured transport cost per tonne-kilometre comes off the money saved.
    trucking = 500 * 7.5 * f["transport_cost_byn_per_tkm"]
    assert got.transport_cost_byn == pytest.approx(trucking) and trucking > 0
    assert got.net_savings_byn == pytest.approx(500 * f["disposal_cost_byn_per_t"] + 500 * 12 - trucking)
    assert got.factor_keys["net_savings_byn"] == ("disposal_cost_byn_per_t", "transport_cost_byn_per_tkm")
    farther = estimate_benefits(o, n, 75.0, default_factors())
    assert farther.net_savings_byn == pytest.approx(got.net_savings_byn - 9 * trucking)
    # Where trucking eats more than the costs avoided, the opportunity says so among its reasons.
    assert cost_warnings(got) == cost_warnings(farther) == []
    too_far = estimate_benefits(o, n, 250.0, default_factors())
    assert too_far.net_savings_byn < 0
    (warning,) = cost_warnings(too_far)
    assert warning["params"] == {"transport": round(500 * 250 * f["transport_cost_byn_per_tkm"]),
                                 "saved": round(500 * f["disposal_cost_byn_per_t"] + 500 * 12)}
    unpriced = need(b, Category.MATERIAL, "Кора на топливо", "n2", quantity=500, unit="t")
    kept = offer(a, Category.WASTE, "Кора древесная", "o2", code="030101", quantity=800, unit="t")
    assert cost_warnings(estimate_benefits(kept, unpriced, 250.0, default_factors())) == []  # nothing priced
    # Piped heat and water are not trucked.
    pipe = estimate_benefits(offer(a, Category.HEAT, "Тепло", "h", quantity=100, unit="Gcal"),
                             need(b, Category.HEAT, "Отопление", "hn", quantity=100, unit="Gcal"), 2.0, default_factors())
    assert pipe.transport_cost_byn == 0 and pipe.purchase_cost_avoided_byn > 0
    assert pipe.net_savings_byn == pytest.approx(pipe.purchase_cost_avoided_byn)


def test_heat_water_benefits_and_sum() -> None:
    f = factors_from_file()
    a, b = resident("a"), resident("b")
    heat = estimate_benefits(
        offer(a, Category.HEAT, "Сбросное тепло", "h", quantity=1000, unit="Gcal"),
        need(b, Category.HEAT, "Отопление", "hn", quantity=400, unit="Gcal"),
        1.0,
        default_factors(),
    )
    assert heat.energy_recovered_gcal == pytest.approx(400)
    assert heat.co2e_avoided_t == pytest.approx(400 * f["heat_gas_boiler_co2_t_per_gcal"])
    assert heat.purchase_cost_avoided_byn == pytest.approx(400 * f["heat_price_byn_per_gcal"])
    assert heat.transport_co2e_t == 0
    water = estimate_benefits(
        offer(a, Category.WATER, "Конденсат", "w", quantity=20, unit="m3", period=Period.DAY),
        need(b, Category.WATER, "Вода подпиточная", "wn", quantity=10_000, unit="m3"),
        1.0,
        default_factors(),
    )
    assert water.water_reused_m3 == pytest.approx(7300)
    total = sum_benefits([heat, water])
    assert isinstance(total, Benefits)
    assert total.water_reused_m3 == pytest.approx(7300)
    assert total.co2e_avoided_t == pytest.approx(heat.co2e_avoided_t)
    assert set(total.factor_keys) >= {"co2e_avoided_t", "purchase_cost_avoided_byn"}


def test_every_factor_has_a_source() -> None:
    for item in default_factors().items.values():
        assert item.source and item.unit


def test_a_run_pauses_the_garbage_collector_and_always_restores_it() -> None:
    import gc

    from symdesk.domain.tasks import TaskCancelled
    from symdesk.matching.run import collector_paused, find_opportunities
    from symdesk.matching.settings import default_factors

    seen = []
    demo_zone = read_demo_zone()
    with pytest.raises(TaskCancelled):
        find_opportunities(
            demo_zone.residents, demo_zone.streams, knowledge_base(), default_weights(), default_factors(), {},
            cancelled=lambda: seen.append(gc.isenabled()) or True,
        )
    assert seen and not any(seen)  # paused while running
    assert gc.isenabled()  # and back on after a cancel
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_reasons_that_say_the_same_are_one_dict_but_types_are_kept_apart() -> None:
    """Shared reasons save memory in a large run; they must never turn a stored 1.0 into 1 (or back),
    or a re-run would see a change that is not there."""
    count = shared_reason("Precedent cases: {count}", {"count": 3})
    assert shared_reason("Precedent cases: {count}", {"count": 3}) is count
    as_float = shared_reason("Precedent cases: {count}", {"count": 3.0})
    assert as_float is not count and type(as_float["params"]["count"]) is float
    assert type(count["params"]["count"]) is int
    assert shared_reason("Other {count}", {"count": 3}) is not count
    params = {"count": 4}
    reason = shared_reason("Precedent cases: {count}", params)
    params["count"] = 5  # the caller's dict is copied, not kept
    assert reason == {"message": "Precedent cases: {count}", "params": {"count": 4}}
    unhashable = shared_reason("Classes: {classes}", {"classes": ["wood"]})
    assert unhashable == {"message": "Classes: {classes}", "params": {"classes": ["wood"]}}
    assert shared_reason("Classes: {classes}", {"classes": ["wood"]}) is not unhashable


def test_weighted_total_is_the_total_of_weighted_score() -> None:
    """Guesses are ranked by ``weighted_total`` and shown with ``weighted_score``: the two must agree to
    the last bit, sign of zero included, on any value a component may take (out of range, NaN, -0.0)."""
    rng = random.Random(11)
    names = ("material_fit", "quantity_coverage", "distance", "regularity_fit", "hazard", "price_signal")
    odd = [float("nan"), -0.0, 0.0, 1.0, -1e-300, 1.0000001, float("inf"), -float("inf")]
    for _ in range(20_000):
        weights = {n: rng.choice([0.0, 0.5, 1.0, rng.random() * 3]) for n in names}
        values = {n: rng.choice(odd) if rng.random() < 0.2 else rng.uniform(-0.5, 1.5) for n in names}
        fast, (total, _) = weighted_total(values, weights), weighted_score(values, weights)
        assert repr(fast) == repr(total), (values, weights)


def test_total_by_distance_is_weighted_total_with_that_distance() -> None:
    """Guesses are ranked by ``total_by_distance``: for every distance it must give ``weighted_total``
    of the values with that distance, to the last bit, wherever the distance stands among them."""
    rng = random.Random(12)
    odd = [float("nan"), -0.0, 0.0, 1.0, -1e-300, 1.0000001, float("inf")]
    for _ in range(20_000):
        names = ["material_fit", "quantity_coverage", "regularity_fit", "hazard", "price_signal", "data_completeness",
                 "kb_confidence"]
        names.insert(rng.randrange(len(names) + 1), "distance")
        if rng.random() < 0.5:
            weights = {n: rng.choice([0.0, 0.5, 1.0, rng.random() * 3]) for n in names}
            values = {n: rng.choice(odd) if rng.random() < 0.2 else rng.uniform(-0.5, 1.5) for n in names}
        else:  # totals on halves of a hundredth, where the order of the sums decides the rounding
            weights = {n: rng.choice([0.5, 1.0, 1.5, 2.0]) for n in names}
            values = {n: rng.randrange(101) / 100 for n in names}
        total = total_by_distance(values, weights)
        for distance in (*odd, rng.random(), rng.uniform(-1, 2), rng.randrange(101) / 100):
            expected = weighted_total({**values, "distance": distance}, weights)
            assert repr(total(distance)) == repr(expected), (values, weights, distance)


def test_linear_by_distance_is_total_by_distance_within_its_rounding() -> None:
    """Company-type guesses are ruled out on ``a + b × distance`` (``nearby``), with a margin of 0.02
    points: it must stay within half a hundredth (the rounding) and a few ulps of the exact total."""
    rng = random.Random(14)
    names = ["material_fit", "quantity_coverage", "distance", "regularity_fit", "hazard", "price_signal",
             "data_completeness", "kb_confidence"]
    worst = 0.0
    for _ in range(20_000):
        weights = {n: rng.choice([0.0, 0.5, 1.0, 2.0, rng.random() * 3]) for n in names}
        values = {n: rng.uniform(-0.5, 1.5) for n in names}
        a, b = linear_by_distance(values, weights)
        total = total_by_distance(values, weights)
        for distance in (0.0, 1.0, rng.random(), rng.randrange(101) / 100):
            worst = max(worst, abs(a + b * distance - total(distance)))
    assert 0.001 < worst <= 0.005 + 1e-9  # the rounding to hundredths, nothing more


def test_component_row_is_weighted_scores_row() -> None:
    """Receivers make their rows one at a time (``component_row``), most of them once per offer or
    suggestion: each must be the row ``weighted_score`` makes, value, contribution and note alike."""
    rng = random.Random(13)
    names = ("material_fit", "quantity_coverage", "distance", "regularity_fit", "hazard", "price_signal")
    odd = [float("nan"), -0.0, 0.0, 1.0, -1e-300, 1.0000001, float("inf")]
    for _ in range(5_000):
        weights = {n: rng.choice([0.0, 0.5, 1.0, rng.random() * 3]) for n in names}
        values = {n: rng.choice(odd) if rng.random() < 0.2 else rng.uniform(-0.5, 1.5) for n in names}
        notes = {n: ("Precedent cases: {count}", {"count": rng.randrange(4)}) for n in names if rng.random() < 0.3}
        _, rows = weighted_score(values, weights, notes)
        total_weight = sum([weights[n] for n in values]) or 1.0
        alone = [component_row(n, values[n], weights[n], total_weight, notes.get(n)) for n in names]
        assert json.dumps(alone) == json.dumps(rows), (values, weights)
