"""The zone as a network of residents joined by opportunities, and what it tells.

Three questions an administration asks of its zone (and the GUI's network
view and the reports' network picture answer from the same analysis, so the
screen and the paper agree):

* **Clusters** — groups of residents more linked to each other than to the
  rest (Louvain communities on the undirected graph, weighted by score, fixed
  seed): candidates for a pilot cluster.
* **Hubs** — residents many flows pass through (degree and betweenness):
  whose participation the network depends on.
* **Missing link** — the kind of resident the zone lacks: the activity class
  the knowledge base says would use the most offers nobody in the zone takes
  yet, to guide investor recruitment.

Everything is deterministic: the same opportunities give the same clusters,
ranking and layout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from symdesk.classifiers.reference import activity_by_code, describe_activity
from symdesk.domain.opportunity import MatchKind, Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Stream
from symdesk.domain.units import Dimension
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.receiver_mode import RECEIVABLE, activity_class
from symdesk.matching.settings import not_recruitable

LAYOUT_SEED = 42
SPREAD = 3.0
CLUSTER_SEED = 7
EXACT_BETWEENNESS_LIMIT = 1500  # above this many nodes betweenness is sampled
SUMMED = (
    "landfill_diverted_t", "disposal_cost_avoided_byn", "purchase_cost_avoided_byn", "net_savings_byn",
    "net_co2e_avoided_t",
    "water_reused_m3", "energy_recovered_mwh", "energy_recovered_gcal",
)


@dataclass(frozen=True)
class NetworkNode:
    resident_id: str
    name: str
    sector: str  # NACE section letter of the main activity ("C"), "" when unknown
    sector_name: str
    x: float  # layout position, both in [0, 1]
    y: float
    cluster: int | None  # 1-based cluster number, None for a resident outside every cluster
    degree: int


@dataclass(frozen=True)
class NetworkEdge:
    opportunity_id: str
    source: str  # provider resident id
    target: str  # receiver resident id
    kind: str  # OpportunityKind value
    match_kind: str  # MatchKind value
    score: float
    status: str


@dataclass(frozen=True)
class Cluster:
    number: int  # 1 = the largest
    resident_ids: list[str]
    opportunity_ids: list[str]
    benefits: dict[str, float] = field(default_factory=dict)  # summed benefit figures of its opportunities


@dataclass(frozen=True)
class Hub:
    resident_id: str
    name: str
    degree: int
    betweenness: float


@dataclass(frozen=True)
class MissingLink:
    """A kind of resident the zone lacks: the activity class that would use most unmatched offers."""

    activity_class: str  # 4-digit NACE class "2016"
    class_name: str
    score: float
    offer_ids: list[str]
    offer_names: list[str]
    tonnes_per_year: float
    precedents: int


@dataclass(frozen=True)
class ZoneNetwork:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    clusters: list[Cluster]
    hubs: list[Hub]
    missing_links: list[MissingLink]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def cluster(self, number: int) -> Cluster | None:
        return next((c for c in self.clusters if c.number == number), None)


def sector_of(resident: Resident, language: str = "ru") -> tuple[str, str]:
    """NACE section letter and name of the resident's main activity."""
    if not resident.activity_codes:
        return "", ""
    digits = "".join(ch for ch in resident.activity_codes[0] if ch.isdigit())
    entries = activity_by_code()
    division = entries.get(digits[:2])
    if division is None or not division.parent:
        return "", ""
    section = entries.get(division.parent)
    return division.parent, section.name(language) if section else ""


def linked(opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    """The opportunities that are a flow between two residents (chains and pools are not one flow)."""
    return [
        o
        for o in opportunities
        if o.match_kind not in (MatchKind.CHAIN, MatchKind.POOLING)
        and o.provider_id
        and o.receiver_id
        and o.provider_id != o.receiver_id
    ]


def undirected_graph(resident_ids: Iterable[str], opportunities: Sequence[Opportunity]) -> nx.Graph:
    """Residents joined by their opportunities; the weight is the best score between two residents."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(resident_ids))
    for o in sorted(linked(opportunities), key=lambda o: o.id):
        a, b = o.provider_id, o.receiver_id
        weight = o.score / 100.0
        if graph.has_edge(a, b):
            graph.edges[a, b]["weight"] = max(graph.edges[a, b]["weight"], weight)
        else:
            graph.add_edge(a, b, weight=weight)
    return graph


def find_clusters(graph: nx.Graph) -> list[list[str]]:
    """Communities of two or more residents, largest first (ties by their first id)."""
    connected = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    if connected.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(connected, weight="weight", seed=CLUSTER_SEED)
    groups = [sorted(c) for c in communities if len(c) >= 2]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def find_hubs(graph: nx.Graph, names: Mapping[str, str], limit: int = 10) -> list[Hub]:
    """Residents with the most links, then the most flows passing through them."""
    if graph.number_of_edges() == 0:
        return []
    k = None if graph.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT else 300
    betweenness = nx.betweenness_centrality(graph, k=k, seed=CLUSTER_SEED, normalized=True)
    ranked = sorted(
        (n for n in graph.nodes if graph.degree(n) > 0),
        key=lambda n: (-graph.degree(n), -betweenness[n], n),
    )
    return [Hub(n, names.get(n, ""), graph.degree(n), round(betweenness[n], 4)) for n in ranked[:limit]]


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions in [0.04, 0.96]² from a seeded spring layout (isolated residents drift to the rim)."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (0.5, 0.5)}
    iterations = 50 if graph.number_of_nodes() <= 2000 else 15
    # A longer ideal edge than networkx's default 1/sqrt(n) spreads the dense
    # core of a zone where many residents trade with many.
    k = SPREAD / graph.number_of_nodes() ** 0.5
    pos = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=iterations, k=k)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        n: (round(0.04 + 0.92 * (p[0] - min(xs)) / span_x, 5), round(0.04 + 0.92 * (p[1] - min(ys)) / span_y, 5))
        for n, p in pos.items()
    }


def sum_figures(opportunities: Iterable[Opportunity]) -> dict[str, float]:
    totals = dict.fromkeys(SUMMED, 0.0)
    for o in opportunities:
        for key in SUMMED:
            totals[key] += float(o.benefits.get(key, 0.0) or 0.0)
    return {k: round(v, 6) for k, v in totals.items()}


def missing_links(
    unmatched_offers: Sequence[Stream],
    residents: Sequence[Resident],
    kb: KnowledgeBase,
    *,
    limit: int = 10,
    per_offer: int = 5,
    excluded: Collection[str] | None = None,
) -> list[MissingLink]:
    """Activity classes absent from the zone that would take the most offers nobody takes now.

    Each unmatched offer votes for its top receiving classes (knowledge base,
    weighted by rank and score); classes a resident of the zone already has
    are left out — they are receiver opportunities, not a missing link — and
    so are the ``excluded`` (by default those that cannot operate in Belarus,
    ``settings.not_recruitable``).
    """
    present = {activity_class(c) for r in residents for c in r.activity_codes}
    present |= set(not_recruitable() if excluded is None else excluded)
    providers = {r.id: r for r in residents}
    score: dict[str, float] = defaultdict(float)
    offers: dict[str, list[Stream]] = defaultdict(list)
    cases: dict[str, set[str]] = defaultdict(set)
    cache: dict[tuple[str, str, str], list] = {}
    for offer in sorted(unmatched_offers, key=lambda s: s.id):
        if offer.category not in RECEIVABLE:
            continue
        provider = providers.get(offer.resident_id)
        provider_class = activity_class(provider.activity_codes[0]) if provider and provider.activity_codes else ""
        code = "".join(ch for ch in offer.code if ch.isdigit())
        key = (code if len(code) == 6 else "", offer.name, provider_class)
        if key not in cache:
            cache[key] = kb.receivers(code=key[0], text=offer.name, provider_activity=provider_class, limit=per_offer * 2)
        # Only classes with evidence (a precedent case or a written rule), not mere text neighbours.
        ranked = [s for s in cache[key] if s.nace_class not in present and (s.precedents or s.rules)][:per_offer]
        if not ranked or ranked[0].score <= 0:
            continue
        top = ranked[0].score
        for rank, suggestion in enumerate(ranked):
            score[suggestion.nace_class] += (suggestion.score / top) / (1 + 0.5 * rank)
            offers[suggestion.nace_class].append(offer)
            cases[suggestion.nace_class].update(p.case_id for p in suggestion.precedents)
    result = []
    for cls, value in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        used = offers[cls]
        tonnes = 0.0
        for s in used:
            amount = s.yearly()
            if amount is not None and amount.dimension is Dimension.MASS:
                tonnes += amount.value
        result.append(
            MissingLink(
                activity_class=cls,
                class_name=describe_activity(cls),
                score=round(value, 4),
                offer_ids=[s.id for s in used],
                offer_names=[s.name for s in used],
                tonnes_per_year=round(tonnes, 3),
                precedents=len(cases[cls]),
            )
        )
    return result


def analyse_network(
    residents: Sequence[Resident],
    opportunities: Sequence[Opportunity],
    unmatched_offers: Sequence[Stream],
    kb: KnowledgeBase,
    *,
    language: str = "ru",
    cluster_filter: Callable[[Opportunity], bool] | None = None,
) -> ZoneNetwork:
    """The zone's network: nodes with layout and cluster, edges, clusters, hubs, missing links."""
    names = {r.id: r.display_name for r in residents}
    edges_of = linked(opportunities)
    graph = undirected_graph(names, edges_of)
    groups = find_clusters(graph)
    cluster_of = {rid: i for i, group in enumerate(groups, start=1) for rid in group}
    pos = layout(graph)
    clusters = []
    for number, group in enumerate(groups, start=1):
        members = set(group)
        inside = [o for o in edges_of if o.provider_id in members and o.receiver_id in members]
        if cluster_filter is not None:
            inside = [o for o in inside if cluster_filter(o)]
        ordered = sorted(inside, key=lambda o: (-o.score, o.id))
        clusters.append(Cluster(number, group, [o.id for o in ordered], sum_figures(ordered)))
    nodes = []
    for r in sorted(residents, key=lambda r: (r.display_name, r.id)):
        sector, sector_name = sector_of(r, language)
        x, y = pos.get(r.id, (0.5, 0.5))
        nodes.append(NetworkNode(r.id, r.display_name, sector, sector_name, x, y, cluster_of.get(r.id), graph.degree(r.id)))
    edges = [
        NetworkEdge(o.id, o.provider_id or "", o.receiver_id or "", o.kind, o.match_kind.value, o.score, o.status.value)
        for o in sorted(edges_of, key=lambda o: (-o.score, o.id))
    ]
    return ZoneNetwork(nodes, edges, clusters, find_hubs(graph, names), missing_links(unmatched_offers, residents, kb))
