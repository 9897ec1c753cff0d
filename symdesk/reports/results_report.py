"""The implemented projects report: what the zone's symbiosis work has achieved and what is under way.

In the spirit of the zones' "results of testing the approach" pages: the
implemented exchanges first, then those in negotiation and in discussion,
each with its parties, material, amount and estimated yearly results, and
the notes the staff kept. The results are the engine's estimates from the
declared amounts; notes carry what was measured.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from symdesk.domain.figures import money_saved
from symdesk.domain.tasks import CancelledFn, ProgressFn
from symdesk.i18n import _
from symdesk.reports import charts
from symdesk.reports.meeting_data import ResultsReportData
from symdesk.reports.opportunity_pages import (
    benefit_label,
    benefits_table,
    data_table,
    key_value_table,
    lay_out,
    meeting_doc,
    method_appendix,
    number,
    p,
    title_page,
)
from symdesk.reports.pdf_common import make_styles

CHART_KEYS = ("landfill_diverted_t", "disposal_cost_avoided_byn", "purchase_cost_avoided_byn", "net_co2e_avoided_t")


def build_results_report(data: ResultsReportData, out_path: Path | str, progress: ProgressFn | None = None,
                         cancelled: CancelledFn | None = None) -> int:
    h = data.heading
    doc = meeting_doc(out_path, h)
    styles = make_styles()
    width = doc.frame_width()
    facts = [(g.title[:1].upper() + g.title[1:], str(len(g.items))) for g in data.groups]
    story: list[Flowable] = [*title_page(h, styles, facts), PageBreak()]
    story.append(p(_("Summary"), styles.heading))
    if not any(g.items for g in data.groups):
        story.append(p(_("No opportunity is implemented or under way yet. Move opportunities along their status "
                         "workflow (discussing, negotiating, implemented) to report on them here."), styles.body))
    rows = []
    for g in data.groups:
        t = g.totals
        rows.append([g.title, str(len(g.items)), number(t.get("landfill_diverted_t", 0.0)),
                     number(money_saved(t), 0),
                     number(t.get("net_co2e_avoided_t", 0.0)), number(t.get("water_reused_m3", 0.0)),
                     number(t.get("energy_recovered_mwh", 0.0))])
    story.append(data_table(
        [_("Status"), _("Projects"), _("Diverted, t/yr"), _("Net savings, BYN/yr"), _("Net CO2e avoided, t/yr"),
         _("Water reused, m³/yr"), _("Energy recovered, MWh/yr")],
        rows, [width * f for f in (0.19, 0.1, 0.13, 0.16, 0.15, 0.13, 0.14)], styles, numeric=(1, 2, 3, 4, 5, 6)))
    for key in CHART_KEYS:
        label, unit = benefit_label(key)
        items = [(g.title, g.totals.get(key, 0.0)) for g in data.groups]
        if any(v for _l, v in items):
            story += [Spacer(1, 4 * mm), charts.bar_chart(
                items, width=width, height=max(55, 22 + 16 * len(items)),
                title=_("{benefit}, {unit}").format(benefit=label, unit=unit))]

    for g in data.groups:
        if not g.items:
            continue
        story += [PageBreak(), p(g.title[:1].upper() + g.title[1:], styles.heading),
                  KeepTogether([p(_("Estimated results per year"), styles.small),
                                benefits_table(g.totals, styles, width * 0.8, skip_zero=True)])]
        for item in g.items:
            block: list[Flowable] = [
                Spacer(1, 4 * mm),
                p(_("{rank}. {material}").format(rank=item.rank, material=item.material),
                  styles.heading.clone("ResultItem", fontSize=10.5, leading=13, spaceBefore=2, spaceAfter=2)),
            ]
            facts_rows = [(_("Supplier"), item.provider), (_("Receiver"), item.receiver), (_("Kind"), item.kind)]
            if item.matched:
                facts_rows.append((_("Exchanged amount per year"), item.matched))
            if item.status_since:
                facts_rows.append((_("Status since"), item.status_since.strftime("%d.%m.%Y")))
            results = "; ".join(
                f"{benefit_label(k)[0]}: {number(v)} {benefit_label(k)[1]}"
                for k, v in item.benefits.items() if v and k in ("landfill_diverted_t", "disposal_cost_avoided_byn",
                                                                 "purchase_cost_avoided_byn", "net_co2e_avoided_t",
                                                                 "water_reused_m3", "energy_recovered_mwh",
                                                                 "energy_recovered_gcal"))
            facts_rows.append((_("Estimated results"), results or "—"))
            if item.notes:
                facts_rows.append((_("Notes"), item.notes))
            block.append(key_value_table(facts_rows, styles, width))
            story.append(KeepTogether(block))
    story += [PageBreak(), *method_appendix(data.method, styles, width)]
    return lay_out(doc, story, progress, cancelled)
