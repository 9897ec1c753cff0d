"""Every match kind of a full run, on small hand-built zones whose right answer is known."""

from __future__ import annotations

import random

import pytest

from symdesk.domain.opportunity import MatchKind, Opportunity
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, Direction, Handling, Stream
from symdesk.domain.units import Period
from symdesk.matching.knowledge import KnowledgeBase, knowledge_base
from symdesk.matching.network import analyse_network
from symdesk.matching.run import find_opportunities
from symdesk.matching.settings import default_factors, default_weights
from symdesk.matching.totals import benefit_totals

LAT, LON = 53.17, 29.27


def resident(key: str, activity: str, lat: float = LAT, lon: float = LON) -> Resident:
    return Resident(zone_id="z", name=key, activity_codes=[activity], latitude=lat, longitude=lon,
                    meta=RecordMeta(id=f"r-{key}"))


def stream(res: Resident, direction: Direction, category: Category, name: str, key: str, **kw: object) -> Stream:
    kw.setdefault("period", Period.YEAR)
    return Stream(resident_id=res.id, direction=direction, category=category, name=name,
                  meta=RecordMeta(id=f"s-{key}"), **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return knowledge_base()


def run(kb: KnowledgeBase, residents: list[Resident], streams: list[Stream]) -> list[Opportunity]:
    materials = {k: m.name_ru for k, m in kb.materials.items()}
    return find_opportunities(residents, streams, kb, default_weights(), default_factors(), materials)


def of_kind(found: list[Opportunity], kind: MatchKind) -> list[Opportunity]:
    return [o for o in found if o.match_kind is kind]


def test_offer_finds_a_resident_whose_activity_uses_it_without_a_declared_need(kb: KnowledgeBase) -> None:
    sawmill = resident("sawmill", "16100")
    pellets = resident("pellets", "16290", lat=LAT + 0.01)
    bakery = resident("bakery", "10710", lat=LAT + 0.01)
    sawdust = stream(sawmill, Direction.OFFER, Category.WASTE, "Опилки древесные", "dust", code="030105",
                     quantity=1200, unit="t", handling=Handling.LANDFILL)
    found = run(kb, [sawmill, pellets, bakery], [sawdust])
    receivers = of_kind(found, MatchKind.RECEIVER)
    assert any(o.receiver_id == pellets.id and o.offer_id == sawdust.id for o in receivers)
    assert all(o.receiver_id != bakery.id for o in receivers)
    guess = next(o for o in receivers if o.receiver_id == pellets.id)
    assert {c["component"] for c in guess.components} >= {"material_fit", "distance", "kb_confidence"}
    assert guess.benefits["landfill_diverted_t"] == 1200  # if the pellet plant takes it all
    # Once the pellet plant declares the need, it is a pair and no longer a guess.
    need = stream(pellets, Direction.NEED, Category.MATERIAL, "Древесные отходы (опилки, щепа)", "need",
                  code="030105", quantity=2000, unit="t")
    found = run(kb, [sawmill, pellets, bakery], [sawdust, need])
    assert any(o.match_kind is MatchKind.PAIR and o.receiver_id == pellets.id for o in found)
    assert not any(o.match_kind is MatchKind.RECEIVER and o.receiver_id == pellets.id for o in found)
    pair = next(o for o in found if o.match_kind is MatchKind.PAIR)
    assert pair.score > max((o.score for o in of_kind(found, MatchKind.RECEIVER)), default=0)


def test_company_type_asks_a_sawmill_for_the_wood_waste_a_neighbour_needs(kb: KnowledgeBase) -> None:
    sawmill = resident("sawmill", "16100")  # declared nothing
    pellets = resident("pellets", "16290", lat=LAT + 0.02)
    need = stream(pellets, Direction.NEED, Category.MATERIAL, "Древесные отходы: опилки и стружка", "need",
                  code="030105", quantity=2000, unit="t")
    guesses = of_kind(run(kb, [sawmill, pellets], [need]), MatchKind.COMPANY_TYPE)
    assert guesses, "a sawmill is a documented source of wood waste"
    guess = guesses[0]
    assert (guess.provider_id, guess.receiver_id, guess.need_id) == (sawmill.id, pellets.id, need.id)
    assert guess.reasons[0]["message"].startswith("Ask the resident whether it gives off")
    # If the sawmill already declares its wood waste, nothing is left to ask about it.
    dust = stream(sawmill, Direction.OFFER, Category.WASTE, "Опилки", "dust", code="030105", quantity=500, unit="t")
    again = of_kind(run(kb, [sawmill, pellets], [need, dust]), MatchKind.COMPANY_TYPE)
    assert not any(o.provider_id == sawmill.id and o.need_id == need.id for o in again)


def test_three_residents_with_the_same_waste_make_one_pool_that_keeps_its_identity(kb: KnowledgeBase) -> None:
    bakeries = [resident(f"b{i}", "10710", lat=LAT + 0.005 * i) for i in range(4)]
    waste = [stream(b, Direction.OFFER, Category.WASTE, "Отходы хлеба и выпечки", f"w{i}", code="020304",
                    quantity=30 + i, unit="t") for i, b in enumerate(bakeries)]
    assert not of_kind(run(kb, bakeries[:2], waste[:2]), MatchKind.POOLING)
    three = of_kind(run(kb, bakeries[:3], waste[:3]), MatchKind.POOLING)
    assert len(three) == 1
    pool = three[0]
    assert set(pool.members) == {b.id for b in bakeries[:3]} | {w.id for w in waste[:3]}
    assert "{count} residents" in pool.reasons[0]["message"] and pool.reasons[0]["params"]["count"] == 3
    assert pool.benefits["matched_amount"] == 30 + 31 + 32
    four = of_kind(run(kb, bakeries, waste), MatchKind.POOLING)
    assert [o.id for o in four] == [pool.id] and len(four[0].members) == 8  # a fourth joins the same pool


def test_chain_and_loop_on_the_flow_graph(kb: KnowledgeBase) -> None:
    brewery = resident("brewery", "11050")
    farm = resident("farm", "01460", lat=LAT + 0.002)
    biogas = resident("biogas", "35210", lat=LAT + 0.001)  # heat travels a kilometre or two
    streams = [
        stream(brewery, Direction.OFFER, Category.BY_PRODUCT, "Дробина пивная", "grain-o", code="020702",
               quantity=5000, unit="t"),
        stream(farm, Direction.NEED, Category.MATERIAL, "Дробина пивная на корм", "grain-n", code="020702",
               quantity=5000, unit="t"),
        stream(farm, Direction.OFFER, Category.WASTE, "Навоз свиной", "manure-o", code="020106", quantity=20000, unit="t"),
        stream(biogas, Direction.NEED, Category.MATERIAL, "Навоз для биогазовой установки", "manure-n", code="020106",
               quantity=30000, unit="t"),
        stream(biogas, Direction.OFFER, Category.HEAT, "Тепло когенерации (горячая вода)", "heat-o", quantity=5000,
               unit="Gcal", temperature_c=90),
        stream(brewery, Direction.NEED, Category.HEAT, "Тепло (горячая вода) для мойки", "heat-n", quantity=4000,
               unit="Gcal", temperature_c=70),
    ]
    found = run(kb, [brewery, farm, biogas], streams)
    pairs = {(o.provider_id, o.receiver_id): o for o in of_kind(found, MatchKind.PAIR)}
    assert {(brewery.id, farm.id), (farm.id, biogas.id), (biogas.id, brewery.id)} <= set(pairs)
    chains = of_kind(found, MatchKind.CHAIN)
    two_hop = [o for o in chains if len(o.members) == 2 and o.provider_id == brewery.id]
    assert two_hop and two_hop[0].members == [pairs[brewery.id, farm.id].id, pairs[farm.id, biogas.id].id]
    loops = [o for o in chains if len(o.members) == 3]
    assert len(loops) == 1  # brewery → farm → biogas → brewery, found once whatever the start
    assert set(loops[0].members) == {pairs[k].id for k in [(brewery.id, farm.id), (farm.id, biogas.id), (biogas.id, brewery.id)]}


def test_domain_examples_match_as_pairs(kb: KnowledgeBase) -> None:
    demolition = resident("demolition", "43110")
    crusher = resident("crusher", "08120", lat=LAT + 0.01)
    boiler = resident("boiler", "35300")
    greenhouse = resident("greenhouse", "01130", lat=LAT + 0.005)
    streams = [
        stream(demolition, Direction.OFFER, Category.WASTE, "Бетонный лом и кирпичный бой", "cdw", code="170107",
               quantity=3000, unit="t"),
        stream(crusher, Direction.NEED, Category.MATERIAL, "Лом бетона для производства щебня", "gravel",
               code="170107", quantity=5000, unit="t"),
        stream(boiler, Direction.OFFER, Category.CO2, "CO2 дымовых газов", "co2", quantity=2000, unit="t"),
        stream(greenhouse, Direction.NEED, Category.CO2, "Углекислый газ для подкормки растений", "co2-n",
               quantity=800, unit="t"),
    ]
    pairs = {(o.offer_id, o.need_id) for o in of_kind(run(kb, [demolition, crusher, boiler, greenhouse], streams),
                                                       MatchKind.PAIR)}
    assert ("s-cdw", "s-gravel") in pairs and ("s-co2", "s-co2-n") in pairs


def test_same_input_same_ranking_whatever_the_order(kb: KnowledgeBase) -> None:
    residents = [resident(f"r{i}", code, lat=LAT + 0.01 * i) for i, code in enumerate(["16100", "16290", "10710", "10711", "10712"])]
    streams = [
        stream(residents[0], Direction.OFFER, Category.WASTE, "Опилки", "a", code="030105", quantity=100, unit="t"),
        *[stream(r, Direction.OFFER, Category.WASTE, "Отходы хлеба", f"b{i}", code="020304", quantity=10, unit="t")
          for i, r in enumerate(residents[2:])],
        stream(residents[1], Direction.NEED, Category.MATERIAL, "Опилки и стружка", "n", code="030105", quantity=50, unit="t"),
    ]
    first = run(kb, residents, streams)
    shuffled_r, shuffled_s = residents[:], streams[:]
    random.Random(3).shuffle(shuffled_r)
    random.Random(4).shuffle(shuffled_s)
    second = run(kb, shuffled_r, shuffled_s)
    assert [(o.id, o.score) for o in first] == [(o.id, o.score) for o in second]
    assert {o.match_kind for o in first} >= {MatchKind.PAIR, MatchKind.POOLING}


def test_confidential_offer_marks_its_holder_as_a_hidden_party(kb: KnowledgeBase) -> None:
    sawmill = resident("sawmill", "16100")
    pellets = resident("pellets", "16290")
    dust = stream(sawmill, Direction.OFFER, Category.WASTE, "Опилки", "dust", code="030105", quantity=100, unit="t",
                  confidential=True)
    need = stream(pellets, Direction.NEED, Category.MATERIAL, "Опилки", "need", code="030105", quantity=100, unit="t")
    pair = of_kind(run(kb, [sawmill, pellets], [dust, need]), MatchKind.PAIR)[0]
    assert pair.confidential_parties == [sawmill.id]
    assert "sawmill" not in pair.title  # titles name materials, never parties


def test_totals_count_an_offer_once_across_competing_needs(kb: KnowledgeBase) -> None:
    sawmill = resident("sawmill", "16100")
    a, b = resident("a", "16290"), resident("b", "16290", lat=LAT + 0.01)
    dust = stream(sawmill, Direction.OFFER, Category.WASTE, "Опилки", "dust", code="030105", quantity=100, unit="t",
                  handling=Handling.LANDFILL)
    needs = [stream(r, Direction.NEED, Category.MATERIAL, "Опилки", f"n{r.name}", code="030105", quantity=100, unit="t")
             for r in (a, b)]
    pairs = of_kind(run(kb, [sawmill, a, b], [dust, *needs]), MatchKind.PAIR)
    assert len(pairs) == 2 and all(o.benefits["landfill_diverted_t"] == 100 for o in pairs)
    assert benefit_totals(pairs)["landfill_diverted_t"] == 100


def test_network_clusters_hubs_and_missing_link(kb: KnowledgeBase) -> None:
    left = [resident(f"l{i}", "16100", lat=LAT, lon=LON + 0.01 * i) for i in range(3)]
    right = [resident(f"r{i}", "10710", lat=LAT + 0.3, lon=LON + 0.01 * i) for i in range(2)]
    def link(p: Resident, r: Resident, score: float) -> Opportunity:
        from symdesk.domain.opportunity import opportunity_key
        return Opportunity(match_kind=MatchKind.PAIR, kind="by_product", title="x", score=score, provider_id=p.id,
                           receiver_id=r.id, meta=RecordMeta(id=opportunity_key(MatchKind.PAIR, p.id, r.id)))
    links = [link(left[0], left[1], 80), link(left[1], left[2], 70), link(left[0], left[2], 60), link(right[0], right[1], 90)]
    bark = stream(left[0], Direction.OFFER, Category.WASTE, "Опилки древесные", "bark", code="030105",
                  quantity=400, unit="t")
    net = analyse_network([*left, *right], links, [bark], kb)
    assert [sorted(c.resident_ids) for c in net.clusters] == [sorted(r.id for r in left), sorted(r.id for r in right)]
    assert net.hubs[0].degree == 2 and net.hubs[0].resident_id in {r.id for r in left}
    assert all(0 <= n.x <= 1 and 0 <= n.y <= 1 for n in net.nodes) and len(net.edges) == 4
    assert net.missing_links and net.missing_links[0].offer_ids == [bark.id]
    assert all(m.activity_class not in ("1610", "1071") for m in net.missing_links)  # present classes are no missing link
    assert analyse_network([*left, *right], links, [bark], kb) == net  # deterministic


def test_a_pair_whose_trucking_costs_more_than_it_saves_says_so(kb: KnowledgeBase) -> None:
    """Net savings subtract the transport cost per tonne-kilometre; where trucking eats more than the
    costs avoided, the pair still matches but its reasons say so, with both figures."""
    plant = resident("plant", "23610")
    near = resident("near", "23610", lat=LAT + 0.01)  # about 1 km
    far = resident("far", "23610", lat=LAT + 0.3)  # about 33 km, within a truck's reach
    cheap = {"code": "101314", "quantity": 100, "unit": "t", "handling": Handling.LANDFILL, "price_byn": -1.0}
    waste = stream(plant, Direction.OFFER, Category.WASTE, "Бетонный шлам", "slurry", **cheap)
    needs = [stream(r, Direction.NEED, Category.MATERIAL, "Бетонный шлам", f"n-{r.name}", code="101314",
                    quantity=100, unit="t") for r in (near, far)]
    pairs = {o.receiver_id: o for o in of_kind(run(kb, [plant, near, far], [waste, *needs]), MatchKind.PAIR)}
    warning = "Trucking costs {transport} BYN a year, more than the {saved} BYN the exchange saves"
    close, distant = pairs[near.id], pairs[far.id]
    assert close.benefits["net_savings_byn"] > 0
    assert warning not in {r["message"] for r in close.reasons}
    assert distant.benefits["net_savings_byn"] < 0
    (said,) = [r for r in distant.reasons if r["message"] == warning]
    assert said["params"] == {"transport": round(distant.benefits["transport_cost_byn"]), "saved": 100}


def test_a_network_of_hundreds_of_residents_is_laid_out() -> None:
    """From 500 nodes networkx lays out with scipy (a dependency for that reason); without it the
    network view, ``symdesk network`` and the reports failed for a register of that size."""
    import networkx as nx

    from symdesk.matching.network import layout

    graph = nx.relabel_nodes(nx.gnm_random_graph(600, 900, seed=3), lambda i: f"r{i:03d}")
    first = layout(graph)
    assert set(first) == set(graph.nodes)
    assert all(0.04 <= x <= 0.96 and 0.04 <= y <= 0.96 for x, y in first.values())
    assert layout(graph) == first  # seeded: the same picture every time
    assert len({round(x, 2) for x, _y in first.values()}) > 50  # spread out, not piled up


def test_a_missing_link_is_never_an_activity_that_cannot_operate_in_belarus(kb: KnowledgeBase) -> None:
    """Warm waste water is used by marine fish farms in the literature; a Belarusian zone cannot recruit
    one (resources/matching/not_recruitable.yaml), but freshwater fish farming stays a candidate."""
    from symdesk.matching.network import missing_links
    from symdesk.matching.settings import not_recruitable

    plant = resident("plant", "35300")
    warm = stream(plant, Direction.OFFER, Category.WATER, "Сбросная тёплая вода", "warm", quantity=50000, unit="m3")
    unfiltered = {m.activity_class for m in missing_links([warm], [plant], kb, per_offer=10, excluded=())}
    assert "0321" in unfiltered and "0321" in not_recruitable()
    found = {m.activity_class for m in missing_links([warm], [plant], kb, per_offer=10)}
    assert found == unfiltered - not_recruitable()
    assert "0322" in found
