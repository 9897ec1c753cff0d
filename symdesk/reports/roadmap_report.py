"""Cluster roadmap: each cluster's opportunities in stages, with owners and expected benefits.

A draft roadmap for a pilot cluster, as the zones are asked to prepare: the
quick wins first (good score, short distance, nothing to build, no permits),
then what needs investment, then what needs licences. The staging rule is
``symdesk.matching.roadmap.stage_of`` (the services turn its stages into the
plain records below); the report states the rule and gives, for every
opportunity that waits for a later stage, the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from symdesk.domain.figures import money_saved
from symdesk.domain.labels import label
from symdesk.domain.opportunity import OpportunityStatus
from symdesk.domain.stream import Category, OpportunityKind
from symdesk.domain.tasks import CancelledFn
from symdesk.i18n import N_, _, ngettext
from symdesk.reports.charts import stacked_bar_chart
from symdesk.reports.pdf_common import SymdeskDocTemplate, escape
from symdesk.reports.state_common import (
    DASH,
    ReportHeading,
    amount,
    build,
    data_table,
    make_doc,
    number,
    styles,
    title_block,
)

LICENSED_FLAG = "Hazard class {hazard_class}: needs licensed handling"  # a reason the matching run stores
CONFIDENTIAL = N_("confidential party")
QUICK_WINS, INVESTMENT, LICENCES = 1, 2, 3  # the stage numbers of symdesk.matching.roadmap
STAGES = (QUICK_WINS, INVESTMENT, LICENCES)
STAGE_TITLES = {
    QUICK_WINS: N_("Stage 1. Quick wins"),
    INVESTMENT: N_("Stage 2. Needing investment or preparation"),
    LICENCES: N_("Stage 3. Needing licences"),
}
STAGE_SHORT = {
    QUICK_WINS: N_("quick wins"),
    INVESTMENT: N_("investment"),
    LICENCES: N_("licences"),
}
Reason = tuple[str, dict[str, Any]]  # msgid, parameters
# The benefit figures printed, with their labels (BYN: disposal and purchase costs avoided together).
BENEFIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("landfill_diverted_t", N_("Diverted from landfill, t/yr")),
    ("byn", N_("Costs avoided, BYN/yr")),
    ("net_co2e_avoided_t", N_("CO2e avoided, t/yr")),
    ("water_reused_m3", N_("Water reused, m³/yr")),
    ("energy_recovered_mwh", N_("Energy recovered, MWh/yr")),
    ("energy_recovered_gcal", N_("Heat recovered, Gcal/yr")),
)


@dataclass(frozen=True)
class ClusterMember:
    resident_id: str
    name: str
    sector: str
    sector_name: str


# A stage lists at most this many opportunities, best first: a register's cluster can hold
# thousands, and a table of them would be hundreds of pages (the figures count them all).
ROWS_PER_STAGE = 50


@dataclass(frozen=True)
class StageRow:
    """One opportunity of a stage, as printed."""

    opportunity_id: str
    title: str  # "offer → need"
    provider: str  # names as printed (confidential parties hidden where asked)
    receiver: str
    kind: str  # OpportunityKind value
    score: float
    distance_km: float | None
    reasons: tuple[Reason, ...]  # why it waits for this stage
    status: str  # OpportunityStatus value


@dataclass(frozen=True)
class StageView:
    number: int  # QUICK_WINS, INVESTMENT or LICENCES
    rows: list[StageRow]  # best first; the first ROWS_PER_STAGE of the stage's opportunities
    owners: list[str]  # names of the parties, as printed
    benefits: Mapping[str, float]  # summed yearly benefit figures (of every opportunity of the stage)
    count: int | None = None  # the stage's opportunities, when there are more than rows

    @property
    def total(self) -> int:
        return len(self.rows) if self.count is None else self.count


@dataclass(frozen=True)
class ClusterRoadmap:
    number: int
    members: list[ClusterMember]
    stages: list[StageView]  # always three, in stage order

    @property
    def opportunities(self) -> int:
        return sum(s.total for s in self.stages)


@dataclass(frozen=True)
class RoadmapData:
    heading: ReportHeading
    clusters: list[ClusterRoadmap]
    total_clusters: int
    quick_max_km: float  # the staging rule's thresholds, printed with it
    quick_min_score: float


def sum_figures(figures: Iterable[Mapping[str, float]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for f in figures:
        for key, value in f.items():
            totals[key] = totals.get(key, 0.0) + value
    return totals


def benefit_value(benefits: Mapping[str, float], key: str) -> float:
    if key == "byn":
        return money_saved(benefits)
    return benefits.get(key, 0.0)


def roadmap_totals(data: RoadmapData) -> dict[str, float]:
    """The figures the report prints (ReportResult.totals): opportunities and benefits per stage and in all."""
    totals: dict[str, float] = {"clusters": len(data.clusters), "clusters_in_zone": data.total_clusters}
    for stage in STAGES:
        stages = [c.stages[stage - 1] for c in data.clusters]
        totals[f"stage{stage}_opportunities"] = sum(s.total for s in stages)
        summed = sum_figures(s.benefits for s in stages)
        for key, _label in BENEFIT_COLUMNS:
            totals[f"stage{stage}_{key}"] = benefit_value(summed, key)
    totals["opportunities"] = sum(totals[f"stage{n}_opportunities"] for n in STAGES)
    for key, _label in BENEFIT_COLUMNS:
        totals[key] = sum(totals[f"stage{n}_{key}"] for n in STAGES)
    return totals


def reason_text(reason: Reason) -> str:
    message, params = reason
    shown = dict(params)
    for k, v in params.items():
        if isinstance(v, int | float) and not isinstance(v, bool):
            shown[k] = number(v, 1)
    if "categories" in shown:
        shown["categories"] = ", ".join(_(label(Category(c))) for c in str(params["categories"]).split(", "))
    return _(message).format(**shown)


def _kind_label(kind: str) -> str:
    try:
        return _(label(OpportunityKind(kind)))
    except ValueError:
        return kind


def _status_label(status: str) -> str:
    try:
        return _(label(OpportunityStatus(status)))
    except ValueError:
        return status


# ---------------------------------------------------------------- layout


def build_roadmap_report(data: RoadmapData, path: Path | str, *, cancelled: CancelledFn | None = None) -> int:
    """Write the report to ``path``; returns the number of pages."""
    s = styles()
    doc = make_doc(path, data.heading)
    width = SymdeskDocTemplate.frame_width()
    totals = roadmap_totals(data)
    facts = [
        (_("Clusters found by the network analysis"), number(data.total_clusters, 0)),
        (_("Clusters in this roadmap"), number(len(data.clusters), 0)),
        (_("Opportunities"), number(totals["opportunities"], 0)),
    ]
    for stage in STAGES:
        facts.append((_(STAGE_TITLES[stage]), number(totals[f"stage{stage}_opportunities"], 0)))
    for key, text in BENEFIT_COLUMNS:
        facts.append((_(text), amount(totals[key])))
    story: list[Flowable] = [*title_block(data.heading, s, facts)]
    story += _method(data, s)
    if not data.clusters:
        story.append(Paragraph(escape(_("The network analysis found no cluster: run the matching first.")), s.body))
        return build(doc, story, cancelled)
    if len(data.clusters) > 1:
        shown = data.clusters[:20]
        height = 40 + 16 * len(shown) + 20
        series = [(_(STAGE_SHORT[n]), [float(c.stages[n - 1].total) for c in shown]) for n in STAGES]
        story += [CondPageBreak(height + 6 * mm), Spacer(1, 3 * mm), stacked_bar_chart(
            [_("Cluster {number}").format(number=c.number) for c in shown], series, width=width, height=height,
            title=_("Opportunities of each cluster by stage"))]
    for cluster in data.clusters:
        story += _cluster(cluster, s, width)
    return build(doc, story, cancelled)


def _method(data: RoadmapData, s) -> list[Flowable]:  # type: ignore[no-untyped-def]
    text = _(
        "Stages. Stage 3: the material offered is of hazard class 1 or 2 and needs licensed handling. "
        "Stage 2: otherwise, when the exchange needs a pipe, a line or a shared facility (heat, steam, water, "
        "fuel gas, CO2, electricity, shared infrastructure), when the sites are more than {km} km apart or "
        "their distance is unknown, or when the score is below {score}. Stage 1: all the others: quick wins. "
        "Owners are the residents party to the stage's opportunities. Benefits are the sums of the "
        "opportunities' yearly estimates; an offer or a need shared by several opportunities is counted "
        "once, given to them in roadmap order (quick wins first, best score first)."
    ).format(km=number(data.quick_max_km, 0), score=number(data.quick_min_score, 0))
    return [Spacer(1, 1.5 * mm), Paragraph(escape(text), s.hint)]


def _cluster(cluster: ClusterRoadmap, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    residents = ngettext("{count} resident", "{count} residents", len(cluster.members)).format(count=len(cluster.members))
    opportunities = ngettext("{count} opportunity", "{count} opportunities", cluster.opportunities).format(
        count=cluster.opportunities)
    title = _("Cluster {number}: {residents}, {opportunities}").format(
        number=cluster.number, residents=residents, opportunities=opportunities)
    members = "; ".join(f"{m.name} ({m.sector})" if m.sector else m.name for m in cluster.members)
    story: list[Flowable] = [
        CondPageBreak(80 * mm),
        Paragraph(escape(title), s.heading),
        Paragraph(escape(_("Residents: {names}").format(names=members)), s.small),
        Spacer(1, 2 * mm),
    ]
    header = [_("Stage"), _("Opportunities"), *(_(text) for _key, text in BENEFIT_COLUMNS)]
    rows = []
    for stage in cluster.stages:
        rows.append([_(STAGE_SHORT[stage.number]), number(stage.total, 0),
                     *(amount(benefit_value(stage.benefits, key)) for key, _text in BENEFIT_COLUMNS)])
    summed = sum_figures(stage.benefits for stage in cluster.stages)
    rows.append([_("Total"), number(cluster.opportunities, 0), *(amount(benefit_value(summed, key))
                                                                   for key, _text in BENEFIT_COLUMNS)])
    widths = [0.16, 0.12, *[0.72 / len(BENEFIT_COLUMNS)] * len(BENEFIT_COLUMNS)]
    story.append(data_table(header, rows, [width * w for w in widths], s, numeric=range(1, 8), total_row=True))
    for stage in cluster.stages:
        story += _stage(cluster, stage, s, width)
    return story


def _stage(cluster: ClusterRoadmap, stage: StageView, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    heading = Paragraph(escape(_(STAGE_TITLES[stage.number])), s.heading)
    if not stage.rows:
        return [KeepTogether([heading, Paragraph(escape(_("Nothing at this stage.")), s.small)])]
    intro = Paragraph(escape(_("Owners: {names}").format(names="; ".join(stage.owners) or DASH)), s.small)
    explain = stage.number != QUICK_WINS  # a quick win needs no reason
    rows = []
    for n, row in enumerate(stage.rows, 1):
        cells = [
            str(n), row.title, f"{row.provider or DASH} → {row.receiver or DASH}", _kind_label(row.kind),
            number(row.score, 1), number(row.distance_km, 1) if row.distance_km is not None else DASH,
        ]
        if explain:
            cells.append("; ".join(reason_text(r) for r in row.reasons) or DASH)
        rows.append([*cells, _status_label(row.status)])
    header = [_("No."), _("Opportunity"), _("Provider → receiver"), _("Kind"), _("Score"), _("Distance, km")]
    if explain:
        header.append(_("Why at this stage"))
        widths = [0.05, 0.24, 0.2, 0.1, 0.07, 0.08, 0.16, 0.1]
    else:
        widths = [0.05, 0.33, 0.26, 0.11, 0.07, 0.08, 0.1]
    header.append(_("Status"))
    table = data_table(header, rows, [width * w for w in widths], s, numeric=(0, 4, 5))
    story: list[Flowable] = [CondPageBreak(35 * mm), heading, intro, Spacer(1, 1.5 * mm), table]
    if stage.total > len(stage.rows):
        story.append(Paragraph(escape(_("The best {shown} of the stage's {count} opportunities; the figures above "
                                        "count them all, and the Excel export lists them.").format(
            shown=number(len(stage.rows), 0), count=number(stage.total, 0))), s.small))
    return story
