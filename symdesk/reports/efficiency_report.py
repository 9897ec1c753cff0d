"""Resource-efficiency report: each resident's intensities against its sector, outliers, savings.

"The current level of resource efficiency and the potential for resource
saving" that the zones are asked to establish, from the resource section of
the questionnaires. The computation and its rules are in
``symdesk.reports.efficiency_stats``; this module lays them out: key figures and
the savings potential first, then the outliers, then one table per resource
with every resident, and the method and tariffs (with their sources) last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.tasks import CancelledFn
from symdesk.domain.units import UNITS
from symdesk.i18n import N_, _, current_language
from symdesk.reports import efficiency_stats as eff
from symdesk.reports.charts import bar_chart
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

RESOURCE_LABELS = {
    "electricity": N_("Electricity"),
    "heat": N_("Heat"),
    "gas": N_("Natural gas"),
    "water": N_("Water"),
    "waste": N_("Waste"),
}
WASTE_NOTE = N_("Waste: the yearly tonnes of waste the resident declares as offers.")


@dataclass(frozen=True)
class TariffSource:
    """A tariff as the factor table states it (resources/matching/factors.csv)."""

    resource: str
    key: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class EfficiencyData:
    heading: ReportHeading
    analysis: eff.EfficiencyAnalysis
    tariffs: Mapping[str, float | None]  # resource → BYN per unit
    sources: Sequence[TariffSource]  # the tariffs used, with their sources
    statuses: Mapping[str, str]  # resident id → questionnaire status
    sector_names: Mapping[str, str]  # division or section code → name


def unit_label(resource: str) -> str:
    unit = UNITS[eff.RESOURCE_UNITS[resource]]
    return unit.label_en if current_language() == "en" else unit.label_ru


def resource_label(resource: str) -> str:
    return _(RESOURCE_LABELS[resource])


def efficiency_totals(data: EfficiencyData) -> dict[str, float]:
    """The figures the report prints (ReportResult.totals): savings per resource and in BYN, outliers."""
    a = data.analysis
    totals: dict[str, float] = {
        "residents": len(a.residents),
        "residents_compared": len({i.resident_id for i in a.intensities.values() if i.compared}),
        "outliers": len(a.outliers()),
        "residents_with_outliers": len({i.resident_id for i in a.outliers()}),
        "savings_byn": a.total_byn,
    }
    for resource, t in a.totals.items():
        totals[f"savings_{resource}"] = t.amount
        if t.byn is not None:
            totals[f"savings_{resource}_byn"] = t.byn
    return totals


def _basis_label(basis: str, output_unit: str = "") -> str:
    if basis == eff.STAFF:
        return _("per employee")
    return _("per {unit} of output").format(unit=output_unit) if output_unit else _("per unit of output")


# ---------------------------------------------------------------- layout


def build_efficiency_report(data: EfficiencyData, path: Path | str, *, cancelled: CancelledFn | None = None) -> int:
    """Write the report to ``path``; returns the number of pages."""
    s = styles()
    doc = make_doc(path, data.heading)
    width = SymdeskDocTemplate.frame_width()
    a = data.analysis
    totals = efficiency_totals(data)
    facts = [
        (_("Residents with resource figures"), number(totals["residents"], 0)),
        (_("Compared with at least two others of their sector"), number(totals["residents_compared"], 0)),
        (_("Residents with an outlier"), number(totals["residents_with_outliers"], 0)),
        (_("Savings potential, BYN per year"), amount(totals["savings_byn"])),
    ]
    for resource in eff.RESOURCES:
        t = a.totals[resource]
        facts.append((_("{resource} saved, {unit} per year").format(resource=resource_label(resource),
                                                                     unit=unit_label(resource)), amount(t.amount)))
    story: list[Flowable] = [*title_block(data.heading, s, facts), Spacer(1, 1.5 * mm)]
    story.append(Paragraph(escape(_(
        "Savings potential: what the residents above their sector's median intensity would save by reaching "
        "the median, priced with the tariffs listed at the end."
    )), s.hint))
    story += _savings_section(data, s, width)
    story += _outliers_section(data, s, width)
    for resource in eff.RESOURCES:
        story += _resource_section(data, resource, s, width)
    story += _method_section(data, s, width)
    return build(doc, story, cancelled)


def _savings_section(data: EfficiencyData, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    a = data.analysis
    rows = []
    for resource in eff.RESOURCES:
        t = a.totals[resource]
        tariff = data.tariffs.get(resource)
        rows.append([resource_label(resource), unit_label(resource), number(t.residents, 0), amount(t.amount),
                     number(tariff, 2) if tariff is not None else DASH, amount(t.byn) if t.byn is not None else DASH])
    rows.append([_("Total"), "", "", "", "", amount(a.total_byn)])
    header = [_("Resource"), _("Unit"), _("Residents above the median"), _("Savings per year"),
              _("Tariff, BYN per unit"), _("Savings, BYN per year")]
    widths = [0.22, 0.12, 0.16, 0.16, 0.16, 0.18]
    story: list[Flowable] = [
        Paragraph(escape(_("Savings potential")), s.heading),
        data_table(header, rows, [width * w for w in widths], s, numeric=range(2, 6), total_row=True),
    ]
    if any(data.tariffs.get(r) is None for r in eff.RESOURCES):
        story.append(Spacer(1, 1.5 * mm))
        story.append(Paragraph(escape(_("A dash in the tariff column: no tariff is on file, so the saving is "
                                        "stated in physical units only.")), s.hint))
    chart_items = [(resource_label(r), a.totals[r].byn or 0.0) for r in eff.RESOURCES if a.totals[r].byn]
    if chart_items:
        story += [Spacer(1, 4 * mm), bar_chart(chart_items, width=width, height=30 + 20 * len(chart_items) + 20,
                                               title=_("Savings potential by resource, BYN per year"))]
    by_resident: dict[str, float] = {}
    for saving in a.savings:
        by_resident[saving.resident_id] = by_resident.get(saving.resident_id, 0.0) + (saving.byn or 0.0)
    names = {r.resident_id: r.name for r in a.residents}
    top = sorted(((names[k], v) for k, v in by_resident.items() if v > 0), key=lambda x: -x[1])[:10]
    if top:
        story += [CondPageBreak(40 * mm + 16 * len(top)), Spacer(1, 4 * mm),
                  bar_chart(top, width=width, height=30 + 16 * len(top) + 20,
                            title=_("Largest savings potential by resident, BYN per year"), colour="#E08E2B")]
    return story


def _outliers_section(data: EfficiencyData, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    a = data.analysis
    by_id = {r.resident_id: r for r in a.residents}
    story: list[Flowable] = [CondPageBreak(50 * mm), Paragraph(escape(_("Outliers")), s.heading)]
    story.append(Paragraph(escape(_(
        "An intensity is an outlier when it is more than twice the median of its sector, or more than "
        "1.5 times the median and above the upper quartile by more than 1.5 interquartile ranges "
        "(Q3 + 1.5·IQR)."
    )), s.hint))
    outliers = sorted(a.outliers(), key=lambda i: (by_id[i.resident_id].name.casefold(),
                                                   eff.RESOURCES.index(i.resource), i.basis))
    if not outliers:
        story.append(Paragraph(escape(_("No resident stands out from its sector.")), s.body))
        return story
    rows = []
    for i in outliers:
        r = by_id[i.resident_id]
        stats = i.stats
        assert stats is not None
        unit = unit_label(i.resource)
        basis = _basis_label(i.basis, r.output_unit)
        rows.append([r.name, i.group, resource_label(i.resource), f"{unit} {basis}", amount(i.value),
                     amount(stats.median), amount(stats.q3), number(i.ratio_to_median, 1) + "×" if i.ratio_to_median
                     else DASH, number(i.peers, 0)])
    header = [_("Resident"), _("Sector"), _("Resource"), _("Intensity unit"), _("Intensity"), _("Sector median"),
              _("Upper quartile"), _("Times the median"), _("Residents compared")]
    widths = [0.2, 0.07, 0.11, 0.16, 0.1, 0.1, 0.1, 0.08, 0.08]
    story.append(Spacer(1, 2 * mm))
    story.append(data_table(header, rows, [width * w for w in widths], s, numeric=range(4, 9),
                            flagged=[(4, n) for n in range(len(rows))]))
    return story


def _resource_section(data: EfficiencyData, resource: str, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    a = data.analysis
    unit = unit_label(resource)
    reported = [r for r in a.residents if r.use.get(resource) is not None]
    title = _("{resource}, {unit} per year").format(resource=resource_label(resource), unit=unit)
    story: list[Flowable] = [CondPageBreak(60 * mm), Paragraph(escape(title), s.heading)]
    if resource == "waste":
        story.append(Paragraph(escape(_(WASTE_NOTE)), s.hint))
    if not reported:
        story.append(Paragraph(escape(_("No resident reported this figure.")), s.body))
        return story
    savings = {(x.resident_id, x.resource): x for x in a.savings}
    rows, flagged = [], []
    for n, r in enumerate(reported):
        out = a.intensity(r.resident_id, resource, eff.OUTPUT)
        per_staff = a.intensity(r.resident_id, resource, eff.STAFF)
        saving = savings.get((r.resident_id, resource))
        rows.append([
            r.name,
            r.division or DASH,
            amount(r.use.get(resource)),
            f"{amount(out.value)} / {r.output_unit}" if out else DASH,
            amount(out.stats.median) if out and out.stats else DASH,
            amount(per_staff.value) if per_staff else DASH,
            amount(per_staff.stats.median) if per_staff and per_staff.stats else DASH,
            amount(saving.amount) if saving else DASH,
        ])
        for column, intensity in ((3, out), (5, per_staff)):
            if intensity is not None and intensity.outlier:
                flagged.append((column, n))
    header = [_("Resident"), _("Sector"), _("Used per year"), _("Per unit of output"), _("Median"),
              _("Per employee"), _("Median"), _("Savings at the median")]
    widths = [0.24, 0.07, 0.11, 0.16, 0.1, 0.1, 0.1, 0.12]
    story.append(data_table(header, rows, [width * w for w in widths], s, numeric=range(2, 8), flagged=flagged))
    story.append(Spacer(1, 1.5 * mm))
    not_compared = sum(1 for r in reported
                       if not any((i := a.intensity(r.resident_id, resource, b)) and i.compared
                                  for b in (eff.OUTPUT, eff.STAFF)))
    story.append(Paragraph(escape(_(
        "Shaded: outliers. Sector: NACE division of the main activity. A dash for the median: fewer than three "
        "residents of the sector report the figure ({count} residents not compared)."
    ).format(count=not_compared)), s.hint))
    return story


def _method_section(data: EfficiencyData, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    story: list[Flowable] = [CondPageBreak(60 * mm), Paragraph(escape(_("Method and tariffs")), s.heading)]
    for text in (
        _("Figures come from the resource section of the questionnaires of the campaign (yearly electricity, "
          "heat, natural gas and water, production volume and its unit) and the staff count of each resident; "
          "drafts count too."),
        _("Intensities are the yearly use divided by the production volume (compared only among residents "
          "stating output in the same unit) and by the number of employees."),
        _("Each resident is compared with the residents of the same NACE division (the first two digits of its "
          "main OKED code) that report the same figure, itself included; with fewer than three no comparison "
          "is made. Quartiles are interpolated linearly between the sorted values."),
        _("An intensity is an outlier when it is more than twice the median of its sector, or more than "
          "1.5 times the median and above the upper quartile by more than 1.5 interquartile ranges "
          "(Q3 + 1.5·IQR)."),
        _("Savings potential: for a resident above its sector median, (intensity − median) × production volume, "
          "or × employees where output cannot be compared; each resource counted once per resident."),
        _(WASTE_NOTE),
    ):
        story.append(Paragraph(escape(text), s.body))
        story.append(Spacer(1, 1.5 * mm))
    if data.sources:
        rows = [[f"{resource_label(t.resource)}\n{t.key}", number(t.value, 3), t.unit, t.source] for t in data.sources]
        story.append(Spacer(1, 2 * mm))
        story.append(data_table([_("Tariff"), _("Value"), _("Unit"), _("Source")], rows,
                                [width * w for w in (0.3, 0.09, 0.13, 0.48)], s, numeric=(1,)))
    statuses = [data.statuses.get(r.resident_id, "") for r in data.analysis.residents]
    drafts = sum(1 for x in statuses if x == QuestionnaireStatus.DRAFT.value)
    if drafts:
        story.append(Paragraph(escape(_("{count} of the residents' questionnaires are drafts: their figures are "
                                         "not yet confirmed.").format(count=drafts)), s.hint))
    divisions = sorted({r.division for r in data.analysis.residents if r.division})
    if divisions:
        story.append(Paragraph(escape(_("Sectors (NACE divisions)")), s.heading))
        rows = [[d, data.sector_names.get(d, "") or DASH,
                 number(sum(1 for r in data.analysis.residents if r.division == d), 0)] for d in divisions]
        story.append(data_table([_("Division"), _("Name"), _("Residents")], rows,
                                [width * w for w in (0.12, 0.73, 0.15)], s, numeric=(2,)))
    return story
