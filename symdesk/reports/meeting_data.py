"""What the meeting reports print, gathered by ``services.report_meeting``.

The layout modules (``zone_report``, ``resident_report``, ``results_report``)
receive these plain records and never touch the database; the service decides
what is shown (filters, confidential names) and the layout only how. Texts
that depend on data (party names, materials, reasons) arrive translated;
numbers arrive as numbers and are formatted at layout time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Heading:
    """The title page and running header of one report."""

    title: str
    zone_name: str
    campaign_name: str
    made_on: date
    author: str = ""
    subtitle: str = ""
    filters: tuple[str, ...] = ()  # translated lines saying what was left out


@dataclass(frozen=True)
class StreamFacts:
    """One side of an exchange as the resident declared it."""

    name: str
    code: str = ""
    hazard: str = ""
    amount: str = ""  # formatted with unit and period
    quality: str = ""
    handling: str = ""
    price: str = ""


@dataclass(frozen=True)
class ScoreRow:
    label: str
    value: float  # 0..1
    weight: float
    contribution: float  # points of the 0..100 score
    note: str = ""


@dataclass(frozen=True)
class OpportunityItem:
    rank: int
    id: str
    kind: str  # translated label
    kind_key: str  # OpportunityKind value
    match_kind: str  # translated label
    status: str  # translated label
    status_key: str  # OpportunityStatus value
    score: float
    provider: str  # name as it may be printed ("confidential party" when hidden)
    receiver: str
    material: str
    offer: StreamFacts | None = None
    need: StreamFacts | None = None
    matched: str = ""  # matched yearly amount, formatted
    distance_km: float | None = None
    components: tuple[ScoreRow, ...] = ()
    benefits: dict[str, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    precedents: tuple[str, ...] = ()
    notes: str = ""
    reject_reason: str = ""
    status_since: date | None = None
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorRow:
    key: str
    label: str
    value: float
    unit: str
    source: str
    approximate: bool


@dataclass(frozen=True)
class Method:
    """The appendix: how scores and benefits are computed, with the weights and factors used."""

    weights: tuple[tuple[str, float], ...]  # (translated component label, weight)
    factors: tuple[FactorRow, ...]
    transport_cost_byn_per_tkm: float
    max_distance_km: tuple[tuple[str, float], ...]  # (translated group, km)
    benefits_note: str = ""  # how totals avoid counting one offer twice


@dataclass(frozen=True)
class SurveyFigures:
    residents: int
    surveyed: int  # residents with a questionnaire in the campaign
    complete: int  # complete or verified
    offers: int
    needs: int
    # (site or sector label, verified, complete, draft, not surveyed)
    by_group: tuple[tuple[str, int, int, int, int], ...] = ()


@dataclass(frozen=True)
class CountRow:
    label: str
    counts: tuple[int, ...]  # one per column of the table it belongs to


@dataclass(frozen=True)
class ZoneReportData:
    heading: Heading
    survey: SurveyFigures
    opportunities: tuple[OpportunityItem, ...]  # ranked, as filtered; the best ReportOptions.list_limit
    status_columns: tuple[str, ...]  # translated status labels, columns of by_kind
    by_kind: tuple[CountRow, ...]  # one row per kind with counts per status
    totals: dict[str, float]  # potential benefits, each offer counted once
    cost_by_kind: tuple[tuple[str, float], ...]  # net savings, BYN/yr, per kind
    diverted_by_kind: tuple[tuple[str, float], ...]  # t/yr per kind
    top: tuple[OpportunityItem, ...]  # those given a page each
    method: Method
    network: object | None = None  # a reports.network_picture.NetworkPicture
    totals_note: str = ""
    # one row per way of finding (declared pair, likely user, …) with counts per status
    by_match_kind: tuple[CountRow, ...] = ()
    found: int = 0  # opportunities the filters select (the list may show fewer)


@dataclass(frozen=True)
class ResidentFacts:
    name: str
    full_name: str
    unp: str
    site: str
    activities: tuple[str, ...]  # "code name"
    address: str = ""
    contact: str = ""


@dataclass(frozen=True)
class QuestionnaireFacts:
    status: str  # translated; "not surveyed" when there is none
    survey_date: date | None
    offers: int
    needs: int
    filled_share: float  # 0..1 of the key fields of the streams
    missing: tuple[str, ...]  # translated "stream: what is missing"


@dataclass(frozen=True)
class ResidentReportData:
    heading: Heading
    resident: ResidentFacts
    questionnaire: QuestionnaireFacts
    supplies: tuple[OpportunityItem, ...]  # the resident gives
    receives: tuple[OpportunityItem, ...]  # the resident takes
    partners: tuple[tuple[str, int], ...]  # partner name, number of opportunities
    totals: dict[str, float]
    method: Method


@dataclass(frozen=True)
class ResultsGroup:
    title: str  # translated status label
    status_key: str
    items: tuple[OpportunityItem, ...]
    totals: dict[str, float]


@dataclass(frozen=True)
class ResultsReportData:
    heading: Heading
    groups: tuple[ResultsGroup, ...]  # implemented, negotiating, discussing
    method: Method
