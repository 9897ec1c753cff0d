"""The fast paths of matching find exactly what the slow, obvious ones find.

candidate_pairs indexes the needs so that each offer meets only the needs it
could match; a re-run after an edit evaluates only the pairs that touch the
edited streams; features, yearly amounts and precedent counts are cached by
value. Each of these is checked here against the naive way on zones shuffled
from the demo zone (real names, codes, temperatures and qualities), with the
parameters that switch the index's special cases on and off.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import pytest

from symdesk.demo.zone_file import read_demo_zone
from symdesk.domain.opportunity import MatchKind, Opportunity, opportunity_key
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.matching import company_mode
from symdesk.matching.benefits import estimate_benefits
from symdesk.matching.company_mode import company_type_opportunities
from symdesk.matching.components import weighted_total
from symdesk.matching.knowledge import KnowledgeBase, knowledge_base
from symdesk.matching.pairs import (
    all_pairs_reference,
    candidate_pairs,
    iter_candidate_pairs,
    stream_classes,
)
from symdesk.matching.reach import beyond_reach, resident_distance_km
from symdesk.matching.receiver_mode import activity_class
from symdesk.matching.scoring import score_pair
from symdesk.matching.settings import COMPONENTS, Weights, default_factors, default_weights


def shuffled_zone(seed: int, copies: int = 2) -> tuple[list[Resident], list[Stream]]:
    """The demo streams dealt at random to copies of the demo residents, with varied temperatures,
    pressures, secondary-resource answers, codes and names, some streams deleted and a resident gone."""
    demo = read_demo_zone()
    rng = random.Random(seed)
    residents = [
        replace(r, meta=RecordMeta(id=f"{r.id}#{c}"), latitude=None if r.latitude is None else r.latitude + 0.01 * c)
        for c in range(copies)
        for r in demo.residents
    ]
    residents[0].status = ResidentStatus.LEFT
    codes = sorted({s.code for s in demo.streams if s.code})
    streams = []
    for c in range(copies):
        for i, s in enumerate(demo.streams):
            t = replace(s, resident_id=rng.choice(residents).id, meta=RecordMeta(id=f"s{c}-{i:03d}"))
            if t.category in (Category.HEAT, Category.STEAM, Category.WATER) and rng.random() < 0.5:
                t.temperature_c = float(rng.randrange(30, 250, 10)) if rng.random() < 0.8 else None
                t.pressure_mpa = round(rng.uniform(0.1, 2.0), 1) if t.category is Category.STEAM else None
            if t.category in (Category.WASTE, Category.BY_PRODUCT, Category.MATERIAL) and rng.random() < 0.3:
                t.code = rng.choice(codes)
            if t.direction is Direction.NEED and rng.random() < 0.1:
                t.secondary_acceptable = rng.random() < 0.5
            if rng.random() < 0.1:
                t.name = f"{t.name} {rng.choice(demo.streams).name}"
            t.meta.deleted = rng.random() < 0.03
            streams.append(t)
    return residents, streams


def split(streams: list[Stream]) -> tuple[list[Stream], list[Stream]]:
    return (
        [s for s in streams if s.direction is Direction.OFFER],
        [s for s in streams if s.direction is Direction.NEED],
    )


WEIGHT_VARIANTS = {
    "default": {},
    "strict names": {"text_min_similarity": 0.6, "category_min_similarity": 0.4},
    "loose names": {"text_min_similarity": 0.1, "category_min_similarity": 0.05},
    "no name threshold": {"text_min_similarity": 0.0, "category_min_similarity": 0.0},
}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("variant", list(WEIGHT_VARIANTS))
def test_indexed_pairs_equal_the_naive_all_pairs_search(seed: int, variant: str) -> None:
    residents, streams = shuffled_zone(seed)
    offers, needs = split(streams)
    rs = {r.id: r for r in residents}
    weights = replace(default_weights(), **WEIGHT_VARIANTS[variant])
    kb = knowledge_base()
    indexed = candidate_pairs(offers, needs, rs, kb, weights)
    naive = all_pairs_reference(offers, needs, rs, kb, weights)
    assert len(indexed) > 100
    assert indexed == naive  # same pairs, same evidence, same order
    assert list(iter_candidate_pairs(offers, needs, rs, kb, weights)) == indexed
    assert len({p.level for p in indexed}) >= 4  # every way of matching is exercised
    assert all(p.offer_resident_id != p.need_resident_id for p in indexed)


def test_pairs_do_not_depend_on_input_order() -> None:
    residents, streams = shuffled_zone(3)
    offers, needs = split(streams)
    rs = {r.id: r for r in residents}
    first = candidate_pairs(offers, needs, rs, knowledge_base())
    rng = random.Random(9)
    rng.shuffle(offers)
    rng.shuffle(needs)
    assert candidate_pairs(offers, needs, rs, knowledge_base()) == first


@pytest.mark.parametrize("seed", [4, 5])
def test_incremental_pairs_equal_the_full_run_restricted_to_the_edited_streams(seed: int) -> None:
    residents, streams = shuffled_zone(seed)
    offers, needs = split(streams)
    rs = {r.id: r for r in residents}
    kb = knowledge_base()
    full = candidate_pairs(offers, needs, rs, kb)
    rng = random.Random(seed)
    owners = sorted({s.resident_id for s in streams})
    edited_resident = rng.choice(owners)
    cases = {
        "one resident's questionnaire": {s.id for s in streams if s.resident_id == edited_resident},
        "one offer": {rng.choice(offers).id},
        "one need": {rng.choice(needs).id},
        "offers and needs of several residents": {s.id for s in rng.sample(streams, 25)},
        "unknown ids": {"no-such-stream"},
    }
    for name, touching in cases.items():
        expected = [p for p in full if p.offer_id in touching or p.need_id in touching]
        got = candidate_pairs(offers, needs, rs, kb, touching=touching)
        assert got == expected, name
    assert candidate_pairs(offers, needs, rs, kb, touching=set()) == []
    assert any(p.offer_resident_id == edited_resident or p.need_resident_id == edited_resident for p in full)


def test_edited_streams_are_not_served_from_the_caches() -> None:
    """Streams are mutable records: caches are keyed by values, so an edit in place is seen at once."""
    residents, streams = shuffled_zone(6)
    offers, needs = split(streams)
    rs = {r.id: r for r in residents}
    kb, weights, factors = knowledge_base(), default_weights(), default_factors()
    before = candidate_pairs(offers, needs, rs, kb, weights)
    pair = next(p for p in before if p.levels and p.shared_classes)
    offer = next(s for s in offers if s.id == pair.offer_id)
    need = next(s for s in needs if s.id == pair.need_id)
    score = score_pair(pair, offer, need, rs.get(offer.resident_id), rs.get(need.resident_id), weights, kb)
    benefits = estimate_benefits(offer, need, score.distance_km, factors)

    need.quantity, need.unit, need.period = 3.0, "t", None  # three tonnes a year
    offer.quantity, offer.unit = 1.0, "t"
    rescored = score_pair(pair, offer, need, rs.get(offer.resident_id), rs.get(need.resident_id), weights, kb)
    assert rescored.component("quantity_coverage").value == pytest.approx(1 / 3)
    repriced = estimate_benefits(offer, need, rescored.distance_km, factors)
    assert repriced.matched_amount == pytest.approx(1.0)
    assert (score, benefits) != (rescored, repriced)

    need.category, need.name, need.code = Category.ELECTRICITY, "Электроэнергия", ""
    need.quantity, need.unit = None, ""
    after = candidate_pairs(offers, needs, rs, kb, weights)
    assert pair.key not in {p.key for p in after}
    assert after == all_pairs_reference(offers, needs, rs, kb, weights)


def spread_over_country(residents: list[Resident], seed: int) -> None:
    """Residents moved all over Belarus (many cells of the spatial grid), some clustered as a few
    zones' are, some with no coordinates at all."""
    rng = random.Random(seed)
    for r in residents:
        if rng.random() < 0.1:
            r.latitude = r.longitude = None
        elif rng.random() < 0.5:
            r.latitude = rng.choice((52.1, 53.9)) + rng.gauss(0, 0.3)
            r.longitude = rng.choice((23.8, 27.6)) + rng.gauss(0, 0.4)
        else:
            r.latitude, r.longitude = rng.uniform(51.3, 56.1), rng.uniform(23.2, 32.7)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("per_resident", [1, 3])
@pytest.mark.parametrize("where", ["zone", "country"])
def test_company_type_guesses_passed_over_could_not_have_been_kept(seed: int, per_resident: int, where: str) -> None:
    """Company-type suggestions are scored best first and passed over once even a guess next
    door could not beat what is found, and neighbours whose rough distance puts them clearly
    below what is found are never measured. The same guesses are kept as when every guess is
    scored: a resident's ``per_resident`` best by score (ties by id), at ``min_score`` or above."""
    residents, streams = shuffled_zone(seed, copies=2 if where == "zone" else 6)
    if where == "country":
        spread_over_country(residents, seed)
    rs = {r.id: r for r in residents}
    kb, weights = knowledge_base(), default_weights()

    def classes_of(s: Stream) -> tuple[str, ...]:
        return stream_classes(kb, s.name, s.code)

    live = [s for s in streams if not s.meta.deleted]
    every = every_company_type_guess(residents, live, kb, weights, classes_of)
    by_resident: dict[str, list[tuple[float, str]]] = {}
    for (resident_id, key), total in every.items():
        by_resident.setdefault(resident_id, []).append((-total, key))
    expected = sorted(
        (key, -minus)
        for found in by_resident.values()
        for minus, key in sorted(found)[:per_resident]
        if -minus >= 35.0
    )
    kept = company_type_opportunities(live, rs, kb, weights, classes_of, per_resident=per_resident)
    assert sorted((o.id, o.score) for o in kept) == expected
    assert len(every) > 5 * len(kept) > 0


def every_company_type_guess(
    residents: list[Resident], streams: list[Stream], kb: KnowledgeBase, weights: Weights, classes_of: Callable
) -> dict[tuple[str, str], float]:
    """(resident id, opportunity id) → total of every company-type guess, each scored on its own as the
    mode defines it: an undeclared likely material of a resident's class, against every stream of a
    live neighbour in reach declaring it on the other side (the better total where an id repeats)."""
    rs = {r.id: r for r in residents}
    component_weights = {c: weights.weight(c) for c in COMPONENTS}
    declared: dict[tuple[str, Direction], set[str]] = {}
    for s in streams:
        if s.resident_id in rs:
            for cls in classes_of(s):
                declared.setdefault((s.resident_id, s.direction), set()).add(cls)
    every: dict[tuple[str, str], float] = {}
    for resident in residents:
        if resident.status is ResidentStatus.LEFT or not resident.activity_codes:
            continue
        likely_offers, likely_needs = company_mode._likely(kb, activity_class(resident.activity_codes[0]), 6)
        for side, suggestions, counter in ((Direction.OFFER, likely_offers, Direction.NEED),
                                           (Direction.NEED, likely_needs, Direction.OFFER)):
            for suggestion in suggestions:
                if suggestion.material_class in declared.get((resident.id, side), set()):
                    continue
                for s in streams:
                    other = rs.get(s.resident_id)
                    if (s.direction is not counter or suggestion.material_class not in classes_of(s) or other is None
                            or other.id == resident.id or other.status is ResidentStatus.LEFT):
                        continue
                    km = resident_distance_km(resident, other)
                    if beyond_reach(km, s.category, weights):
                        continue
                    values, _ = company_mode._values(km, suggestion, suggestions[0].score or 1.0, s, weights)
                    total = weighted_total(values, component_weights)
                    key = (resident.id, opportunity_key(MatchKind.COMPANY_TYPE, resident.id, side.value,
                                                        suggestion.material_class, s.id))
                    every[key] = max(total, every.get(key, total))
    return every


def test_an_opportunity_found_twice_is_listed_once_as_first_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guesses, pools and chains may be reached along two paths: an id given twice is listed once, as
    first found, and the list stays best first, ties by id."""
    from symdesk.matching import run
    from symdesk.matching.places import located

    demo = read_demo_zone()
    residents, streams = located(demo.residents, demo.sites), demo.streams
    weights, factors = default_weights(), default_factors()
    plain = run.find_opportunities(residents, streams, knowledge_base(), weights, factors, {})
    assert {MatchKind.COMPANY_TYPE, MatchKind.CHAIN} <= {o.match_kind for o in plain}
    for name in ("company_type_opportunities", "chain_opportunities"):
        real = getattr(run, name)

        def echoing(*a, _real=real, **k):  # each found twice, the second time with another say
            found = _real(*a, **k)
            return [*found, *(replace(o, title="echo", score=o.score + 1.0) for o in found)]

        monkeypatch.setattr(run, name, echoing)
    again = run.find_opportunities(residents, streams, knowledge_base(), weights, factors, {})
    assert [o.id for o in again] == [o.id for o in plain]
    assert not any(o.title == "echo" for o in again)
    assert [(-o.score, o.id) for o in again] == sorted((-o.score, o.id) for o in again)


def test_pairs_and_receivers_are_made_once_each() -> None:
    """Only guesses, pools and chains are looked at for repeats: the run's pairs and receivers (most of
    its opportunities) must come one per id as they are made, and every kind keys its ids apart."""
    from benchmarks.synthetic_zone import synthetic_zone
    from symdesk.matching import run
    from symdesk.matching.places import located

    zone = synthetic_zone(300, 5)
    residents = located(zone.residents, zone.sites)
    found = run.find_opportunities(residents, zone.streams, knowledge_base(), default_weights(), default_factors(), {})
    kinds = {o.match_kind for o in found}
    assert {MatchKind.PAIR, MatchKind.RECEIVER} <= kinds
    assert len({o.id for o in found}) == len(found)
    assert len({(o.offer_id, o.need_id) for o in found if o.match_kind is MatchKind.PAIR}) == sum(
        o.match_kind is MatchKind.PAIR for o in found)
    assert len({(o.offer_id, o.receiver_id) for o in found if o.match_kind is MatchKind.RECEIVER}) == sum(
        o.match_kind is MatchKind.RECEIVER for o in found)


def test_chains_scored_before_they_are_made_equal_every_chain_made() -> None:
    """A middle resident keeps its best few chains: scored first, made only if they can be kept. The
    same graph (each resident pair's best link, of the strongest on both sides) and the same chains as
    when every chain is made, on a 300-resident zone (middles with dozens of chains)."""
    import networkx as nx

    from benchmarks.synthetic_zone import synthetic_zone
    from symdesk.matching import chains
    from symdesk.matching.places import located
    from symdesk.matching.run import find_opportunities

    zone = synthetic_zone(300, 3)
    found = find_opportunities(located(zone.residents, zone.sites), zone.streams, knowledge_base(),
                               default_weights(), default_factors(), {})
    pairs = [o for o in found if o.match_kind is MatchKind.PAIR]

    links = sorted((o for o in pairs if o.provider_id and o.receiver_id and o.provider_id != o.receiver_id
                    and o.score >= chains.MIN_LINK_SCORE), key=lambda o: (-o.score, o.id))
    best: dict[tuple[str, str], Opportunity] = {}
    for o in links:
        best.setdefault((o.provider_id, o.receiver_id), o)  # type: ignore[arg-type]
    outgoing: dict[str, list] = {}
    incoming: dict[str, list] = {}
    for edge in best:
        outgoing.setdefault(edge[0], []).append(edge)
        incoming.setdefault(edge[1], []).append(edge)
    strong = ({e for v in outgoing.values() for e in v[:chains.STRONGEST_LINKS]}
              & {e for v in incoming.values() for e in v[:chains.STRONGEST_LINKS]})
    reference = nx.DiGraph()
    for edge in best:
        if edge in strong:
            reference.add_edge(*edge, opportunity=best[edge])
    graph = chains.flow_graph(pairs)
    assert list(graph.nodes) == list(reference.nodes) and list(graph.edges) == list(reference.edges)
    assert all(graph.edges[e]["opportunity"] is best[e] for e in strong)

    expected: dict[str, Opportunity] = {}
    for cycle in nx.simple_cycles(graph, length_bound=chains.MAX_LOOP_LENGTH):
        start = cycle.index(min(cycle))
        ordered = cycle[start:] + cycle[:start]
        loop = [graph.edges[a, b]["opportunity"] for a, b in zip(ordered, ordered[1:] + ordered[:1], strict=True)]
        if min(link.score for link in loop) >= chains.MIN_LOOP_LINK_SCORE:
            o = chains._opportunity(loop, {}, loop=True)
            expected[o.id] = o
    most = 0
    for middle in sorted(graph.nodes):
        every = [chains._opportunity([graph.edges[a, middle]["opportunity"], graph.edges[middle, c]["opportunity"]],
                                     {}, loop=False)
                 for a in sorted(graph.predecessors(middle)) for c in sorted(graph.successors(middle)) if c != a]
        most = max(most, len(every))
        for o in sorted(every, key=lambda o: (-o.score, o.id))[:chains.MAX_CHAINS_PER_MIDDLE]:
            expected[o.id] = o
    made = chains.chain_opportunities(pairs, {})
    assert most > 2 * chains.MAX_CHAINS_PER_MIDDLE
    assert [(o.id, o.score, o.members) for o in made] == [
        (o.id, o.score, o.members) for o in sorted(expected.values(), key=lambda o: (-o.score, o.id))]
