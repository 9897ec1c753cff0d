"""The zone as a network: residents joined by their opportunities.

Contract used by the GUI network view and the reports' network picture (both
draw the same layout, so screen and paper agree). Implementation follows in
``symdesk.matching.network``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NetworkNode:
    resident_id: str
    name: str
    sector: str  # NACE section letter of the main activity ("C"), "" when unknown
    sector_name: str
    x: float  # layout position, both in [0, 1]
    y: float
    cluster: int | None  # 1-based cluster number, None for a resident with no opportunity
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
    benefits: dict[str, float] = field(default_factory=dict)  # summed benefit figures


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
        from dataclasses import asdict

        return asdict(self)
