"""The array screen of declared pairs finds what the pair-by-pair definition finds, with the same totals.

``screen.screen_pairs`` re-implements ``pairs._evaluate``, the reach rule and
``scoring.score_pair`` on numpy columns so that a large zone can be ranked in
a second; the pair-by-pair code stays the definition. These tests hold the
two together on zones dealt from the demo zone (real names, codes,
temperatures, qualities, prices, missing data) with every weight variant of
the index tests, and check the selection of the best few per stream and the
incremental screen after an edit.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from symdesk.domain.opportunity import Opportunity
from symdesk.domain.stream import Category, Handling, Regularity
from symdesk.matching import pair_records
from symdesk.matching.benefit_columns import pair_benefits
from symdesk.matching.benefits import estimate_benefits, yearly
from symdesk.matching.columns import sorted_unique
from symdesk.matching.components import benefits_json, cost_warning, cost_warnings
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.pair_records import pair_opportunities, pair_opportunity
from symdesk.matching.pairs import PairEvidence, candidate_pairs
from symdesk.matching.scoring import ScoreBreakdown, score_pair
from symdesk.matching.screen import best_of_each, screen_pairs
from symdesk.matching.settings import default_factors, default_weights
from symdesk.storage.db import json_text
from tests.unit.test_matching_speed_paths import WEIGHT_VARIANTS, shuffled_zone, split


def best_per_stream(
    scored: Sequence[tuple[PairEvidence, ScoreBreakdown]], limit: int
) -> list[tuple[PairEvidence, ScoreBreakdown]]:
    """The rule ``best_of_each`` applies on arrays, written plainly over scored pairs: the pairs
    among the ``limit`` best of their offer or of their need (ties by offer id, then need id)."""
    by_offer: dict[str, list[tuple[float, str, str]]] = {}
    by_need: dict[str, list[tuple[float, str, str]]] = {}
    for e, score in scored:
        key = (-score.total, e.offer_id, e.need_id)
        by_offer.setdefault(e.offer_id, []).append(key)
        by_need.setdefault(e.need_id, []).append(key)
    kept = set()
    for ranked in (*by_offer.values(), *by_need.values()):
        kept.update((o, n) for _, o, n in sorted(ranked)[:limit])
    return [(e, s) for e, s in scored if (e.offer_id, e.need_id) in kept]



def varied_zone(seed: int):
    """The shuffled demo zone with prices, regularities, handling and quantities varied too."""
    residents, streams = shuffled_zone(seed)
    rng = random.Random(seed)
    for s in streams:
        if rng.random() < 0.3:
            s.price_byn = rng.choice([None, 0.0, -5.0, 10.0, 120.0])
        if rng.random() < 0.3:
            s.regularity = rng.choice([None, *Regularity])
        if rng.random() < 0.2:
            s.handling = rng.choice([None, *Handling])
        if rng.random() < 0.2:
            s.quantity = rng.choice([None, 0.0, 3.5, 1200.0])
    for r in residents[::7]:
        r.activity_codes = []
    return residents, streams


def scored_reference(residents, streams, weights):
    offers, needs = split(streams)
    rs = {r.id: r for r in residents}
    by_id = {s.id: s for s in streams}
    kb = knowledge_base()
    pairs = candidate_pairs(offers, needs, rs, kb, weights)
    return [
        (
            p,
            score_pair(
                p, by_id[p.offer_id], by_id[p.need_id], rs.get(p.offer_resident_id), rs.get(p.need_resident_id), weights, kb
            ),
        )
        for p in pairs
    ]


def screened_zone(residents, streams, weights):
    offers, needs = split(streams)
    return screen_pairs(offers, needs, {r.id: r for r in residents}, knowledge_base(), weights)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("variant", list(WEIGHT_VARIANTS))
def test_screen_finds_the_same_pairs_with_the_same_totals(seed: int, variant: str) -> None:
    residents, streams = varied_zone(seed)
    weights = replace(default_weights(), **WEIGHT_VARIANTS[variant])
    reference = scored_reference(residents, streams, weights)
    screened = screened_zone(residents, streams, weights)
    assert len(reference) > 500
    assert screened.pair_keys() == [p.key for p, _ in reference]
    assert screened.total.tolist() == [s.total for _, s in reference]


def reference_opportunities(reference, streams, factors, names) -> list[Opportunity]:
    """``pair_opportunity`` over ``_evaluate`` and ``score_pair``: the definition, one pair at a time."""
    by_id = {s.id: s for s in streams}
    found = []
    for evidence, score in reference:
        offer, need = by_id[evidence.offer_id], by_id[evidence.need_id]
        benefits = estimate_benefits(offer, need, score.distance_km, factors)
        found.append(pair_opportunity(evidence, score, offer, need, benefits, names))
    return found


def plain(o: Opportunity) -> Opportunity:
    """The opportunity with lists and dicts where a run shares tuples and figure rows (they read the same)."""
    return replace(o, components=list(o.components), reasons=list(o.reasons), benefits=dict(o.benefits),
                   confidential_parties=list(o.confidential_parties))


def as_json(o: Opportunity) -> str:
    """Every stored field as the JSON text stored: tells 1 from 1.0 and -0.0 from 0.0, which == does not."""
    return json_text([o.components, o.reasons, o.benefits])


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("variant", ["default", "loose names"])
def test_pair_opportunities_from_columns_equal_the_pair_by_pair_definition(seed: int, variant: str) -> None:
    residents, streams = varied_zone(seed)
    weights = replace(default_weights(), **WEIGHT_VARIANTS[variant])
    factors = default_factors()
    names = {k: m.name_ru for k, m in knowledge_base().materials.items()}
    reference = reference_opportunities(scored_reference(residents, streams, weights), streams, factors, names)
    found = pair_opportunities(screened_zone(residents, streams, weights), factors, names)
    assert len(found) == len(reference) > 500
    assert {o.components[7]["note"][1]["count"] for o in found} != {0}  # precedents are counted
    assert any(o.reasons[0]["params"].get("classes") for o in found)  # material classes are named
    for o, expected in zip(found, reference, strict=True):
        assert plain(o) == expected
        assert as_json(o) == as_json(expected)
    kept = best_of_each(screened_zone(residents, streams, weights), 3)
    assert [(o.offer_id, o.need_id) for o in pair_opportunities(kept, factors)] == kept.pair_keys()


@pytest.mark.parametrize("limit", [1, 3, 12])
def test_best_of_each_keeps_what_best_per_stream_keeps(limit: int) -> None:
    residents, streams = varied_zone(4)
    weights = default_weights()
    reference = scored_reference(residents, streams, weights)
    screened = screened_zone(residents, streams, weights)
    kept = best_of_each(screened, limit)
    expected = sorted(p.key for p, _ in best_per_stream(reference, limit))
    assert kept.pair_keys() == expected
    assert 0 < len(expected) < len(reference)
    # Coarse totals (many ties, broken by the ids), and pairs in any order (a screen gives them in
    # (offer, need) order): still the rule written plainly.
    coarse = replace(screened, total=np.round(screened.total / 10) * 10)
    assert len(set(coarse.total.tolist())) < 12
    by_offer: dict[str, list] = {}
    by_need: dict[str, list] = {}
    for (o, n), t in zip(coarse.pair_keys(), coarse.total.tolist(), strict=True):
        by_offer.setdefault(o, []).append((-t, o, n))
        by_need.setdefault(n, []).append((-t, o, n))
    plain = sorted({(o, n) for ranked in (*by_offer.values(), *by_need.values()) for _, o, n in sorted(ranked)[:limit]})
    shuffled = coarse.subset(np.random.default_rng(limit).permutation(len(coarse)))
    assert best_of_each(shuffled, limit).pair_keys() == plain
    assert best_of_each(coarse, limit).pair_keys() == plain


def test_screen_after_an_edit_returns_exactly_the_pairs_touching_it() -> None:
    residents, streams = varied_zone(5)
    offers, needs = split(streams)
    rs, kb = {r.id: r for r in residents}, knowledge_base()
    full = screen_pairs(offers, needs, rs, kb)
    touched = {offers[3].id, offers[40].id, needs[7].id, needs[55].id}
    part = screen_pairs(offers, needs, rs, kb, touching=touched)
    expected = [(k, t) for k, t in zip(full.pair_keys(), full.total.tolist(), strict=True) if touched & set(k)]
    assert list(zip(part.pair_keys(), part.total.tolist(), strict=True)) == expected
    assert expected
    # Only the streams taking part get columns, yet each pair is explained as in the full screen.
    factors = default_factors()
    expected_opportunities = [o for o in pair_opportunities(full, factors) if touched & {o.offer_id, o.need_id}]
    assert pair_opportunities(part, factors) == expected_opportunities
    assert len(screen_pairs(offers, needs, rs, kb, touching=set())) == 0


def test_screen_of_an_empty_zone_is_empty() -> None:
    screened = screen_pairs([], [], {}, knowledge_base())
    assert len(screened) == 0 and screened.pair_keys() == [] and len(best_of_each(screened, 5)) == 0


@pytest.mark.parametrize("seed", [6, 7])
def test_screen_over_a_whole_country_finds_every_pair_in_reach(seed: int) -> None:
    """Residents spread over Belarus (cells of the spatial grid) and along its borders of cells,
    some without coordinates, with shorter and longer reaches: still the very same pairs and totals."""
    residents, streams = varied_zone(seed)
    rng = random.Random(seed)
    for r in residents:
        if rng.random() < 0.1:
            r.latitude = r.longitude = None
        elif rng.random() < 0.5:  # clustered, as residents of a few zones are
            r.latitude = rng.choice((52.1, 53.9, 55.2)) + rng.gauss(0, 0.2)
            r.longitude = rng.choice((23.8, 27.6, 30.9)) + rng.gauss(0, 0.3)
        else:
            r.latitude, r.longitude = rng.uniform(51.3, 56.1), rng.uniform(23.2, 32.7)
    for reaches in ({}, {"materials": 120.0, "heat": 30.0, "water": 60.0}):
        base = default_weights()
        weights = replace(base, max_distance_km={**base.max_distance_km, **reaches})
        reference = scored_reference(residents, streams, weights)
        offers, needs = split(streams)
        screened = screen_pairs(offers, needs, {r.id: r for r in residents}, knowledge_base(), weights)
        assert len(reference) > 100
        assert screened.pair_keys() == [p.key for p, _ in reference]
        assert screened.total.tolist() == [s.total for _, s in reference]


def test_screen_reports_progress_by_block_and_can_be_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    from symdesk.domain.tasks import TaskCancelled
    from symdesk.matching import screen as screen_module

    residents, streams = varied_zone(8)
    offers, needs = split(streams)
    rs, kb = {r.id: r for r in residents}, knowledge_base()
    whole = screen_pairs(offers, needs, rs, kb)  # one block
    monkeypatch.setattr(screen_module, "OFFERS_PER_BLOCK", 50)
    heard: list[tuple[int, int]] = []
    blocked = screen_pairs(offers, needs, rs, kb, progress=lambda done, work, what: heard.append((done, work)))
    assert len(heard) > 3 and heard == sorted(heard) and heard[-1][0] == heard[-1][1]
    assert blocked.pair_keys() == whole.pair_keys() and blocked.total.tolist() == whole.total.tolist()
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(TaskCancelled):
        screen_pairs(offers, needs, rs, kb, cancelled=cancelled)


@pytest.mark.parametrize("size", [0, 1, 2, 50, 5000])
def test_sorted_unique_gives_what_numpy_unique_gives(size: int) -> None:
    rng = np.random.default_rng(size)
    values = rng.integers(0, max(size // 3, 1) * 1_000_003, size=size, dtype=np.int64)
    values = np.concatenate([values, values[: size // 2]])  # duplicates, as several keys give
    found = sorted_unique(values)
    assert found.dtype == values.dtype
    assert found.tolist() == np.unique(values).tolist()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_benefits_on_columns_equal_estimate_benefits_on_any_pair(seed: int) -> None:
    """Not only the pairs a screen finds: any offer with any need (water offered to a boiler, steam by
    the tonne to a power user, priced and unpriced, in units of every dimension), at any distance."""
    _, streams = varied_zone(seed)
    offers, needs = split(streams)
    for need in needs[::9]:  # gas users, which take energy but save no boiler's CO2 for it
        need.category, need.unit = Category.FUEL_GAS, "MWh"
    rng = np.random.default_rng(seed)
    oi = rng.integers(0, len(offers), 20_000)
    nj = rng.integers(0, len(needs), 20_000)
    km = np.where(rng.random(20_000) < 0.1, np.nan, rng.uniform(0, 300, 20_000))
    factors = default_factors()
    stored, saved, transport, warn = pair_benefits(offers, needs, oi, nj, km, factors)
    # Without the amounts (as receivers are priced): benefits_json's dict exactly, nothing else changed.
    bare, *rest = pair_benefits(offers, needs, oi, nj, km, factors, amounts=False)
    assert [json_text({**b, "supply_amount": s["supply_amount"], "demand_amount": s["demand_amount"]}) for b, s in
            zip(bare, stored, strict=True)] == [json_text(s) for s in stored]
    assert all(np.array_equal(a, b) for a, b in zip(rest, (saved, transport, warn), strict=True))
    seen_keys = set()
    for k, (i, j, d) in enumerate(zip(oi.tolist(), nj.tolist(), km.tolist(), strict=True)):
        offer, need = offers[i], needs[j]
        b = estimate_benefits(offer, need, None if d != d else d, factors)
        expected = benefits_json(b)
        supply, demand = yearly(offer), yearly(need)
        expected["supply_amount"] = supply.value if supply else None
        expected["demand_amount"] = demand.value if demand else None
        assert json_text(stored[k]) == json_text(expected), (offer, need, d)
        assert cost_warning(saved[k], transport[k]) == cost_warnings(b)
        assert bool(warn[k]) == bool(cost_warnings(b))
        seen_keys.update(expected["factor_keys"])
    assert {"co2e_avoided_t", "purchase_cost_avoided_byn", "energy_recovered_mwh", "transport_cost_byn"} <= seen_keys
    assert any(s["water_reused_m3"] for s in stored) and warn.any()


def test_pair_opportunities_made_a_part_at_a_time_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    residents, streams = varied_zone(3)
    factors = default_factors()
    kept = best_of_each(screened_zone(residents, streams, default_weights()), 5)
    whole = pair_opportunities(kept, factors)
    heard: list[int] = []
    monkeypatch.setattr(pair_records, "PAIRS_PER_PART", 97)
    monkeypatch.setattr(pair_records, "CHECK_EVERY", 50)
    parts = pair_opportunities(kept, factors, progress=lambda done, work, what: heard.append(done))
    assert len(whole) > 3 * 97
    assert parts == whole and [as_json(o) for o in parts] == [as_json(o) for o in whole]
    assert heard == [*range(0, len(kept), 50), len(kept)]


def test_crossing_groups_at_once_is_repeating_and_tiling_each() -> None:
    """The screen crosses every (key, cell) group's offers with its needs in one go (``_crossed``):
    the same pairs, in the same order, as ``np.repeat`` and ``np.tile`` group by group."""
    from symdesk.matching.screen import _crossed

    rng = np.random.default_rng(5)
    for _ in range(200):
        groups = [
            (rng.integers(0, 50, rng.integers(1, 6)), rng.integers(0, 80, rng.integers(1, 9)))
            for _ in range(rng.integers(1, 30))
        ]
        offers = np.concatenate([o for o, _ in groups]).astype(np.int64)
        counts = np.array([len(o) for o, _ in groups], dtype=np.int64)
        got_o, got_n = _crossed(offers, counts, [n.astype(np.int64) for _, n in groups])
        want_o = np.concatenate([np.repeat(o, len(n)) for o, n in groups])
        want_n = np.concatenate([np.tile(n, len(o)) for o, n in groups])
        assert np.array_equal(got_o, want_o) and np.array_equal(got_n, want_n)


@pytest.mark.parametrize("digits", [2, 4, 6])
def test_rounded_is_pythons_round(digits: int) -> None:
    """Totals and amounts of millions of pairs are rounded on arrays (``columns.rounded``): each must
    be Python's ``round(x, digits)`` to the bit, ties and near-ties, signs of zero, huge and
    non-finite values included."""
    from symdesk.matching.columns import rounded

    rng = np.random.default_rng(17 + digits)
    scale = 10**digits
    k = rng.integers(-1000, 100 * scale + 1, 300_000)
    ties = (k + 0.5) / scale  # halves of the last decimal: each a double just off or on the tie
    values = np.concatenate([
        rng.uniform(0, 100, 300_000),
        10 ** rng.uniform(-8, 12, 100_000),
        ties,
        np.nextafter(ties, np.inf),
        np.nextafter(ties, -np.inf),
        k / scale,
        (k + 0.5) * (2.0 ** -7),  # exact binary halves: ties in both roundings
        rng.uniform(-1e-3, 1e-3, 10_000),
        [0.0, -0.0, 0.005, 0.015, 0.125, 2.675, 1.005, 99.995, float("nan"), float("inf"), -float("inf"), 1e300,
         2.0**52 / scale + 0.5, 2.0**53 / scale],
    ])
    got = rounded(values, digits)
    want = [round(x, digits) for x in values.tolist()]
    assert [repr(x) for x in got.tolist()] == [repr(x) for x in want]
