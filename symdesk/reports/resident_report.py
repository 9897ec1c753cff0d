"""The resident report: what one resident could supply and receive, with whom, and what it is worth.

Handed to the resident at a meeting, so the other parties' confidential
names are already hidden in the data (``services.report_meeting``). It also
shows how complete the resident's questionnaire is and what is missing,
since better answers find better partners.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from symdesk.domain.figures import BENEFIT_KEYS
from symdesk.domain.tasks import CancelledFn, ProgressFn
from symdesk.i18n import _
from symdesk.reports import charts
from symdesk.reports.meeting_data import ResidentReportData
from symdesk.reports.opportunity_pages import (
    benefit_label,
    benefits_table,
    data_table,
    key_value_table,
    lay_out,
    meeting_doc,
    method_appendix,
    number,
    opportunity_block,
    p,
    ranked_table,
    title_page,
)
from symdesk.reports.pdf_common import make_styles

DETAIL_PAGES = 5  # the best opportunities on each side get a page each


def build_resident_report(data: ResidentReportData, out_path: Path | str, progress: ProgressFn | None = None,
                          cancelled: CancelledFn | None = None) -> int:
    h = data.heading
    r = data.resident
    doc = meeting_doc(out_path, h, subject=r.name)
    styles = make_styles()
    width = doc.frame_width()
    q = data.questionnaire
    facts = [
        (_("Opportunities to supply"), str(len(data.supplies))),
        (_("Opportunities to receive"), str(len(data.receives))),
        (_("Partners"), str(len(data.partners))),
    ]
    story: list[Flowable] = [*title_page(h, styles, facts), PageBreak()]

    story.append(p(_("The resident"), styles.heading))
    rows = [(_("Name"), r.full_name), (_("UNP"), r.unp or "—"), (_("Site"), r.site or "—")]
    if r.activities:
        rows.append((_("Activities (OKED)"), "\n".join(r.activities)))
    if r.address:
        rows.append((_("Address"), r.address))
    if r.contact:
        rows.append((_("Contact"), r.contact))
    story.append(key_value_table(rows, styles, width))

    story.append(p(_("Questionnaire"), styles.heading))
    story.append(key_value_table([
        (_("Status"), q.status),
        (_("Survey date"), q.survey_date.strftime("%d.%m.%Y") if q.survey_date else "—"),
        (_("Offers declared"), str(q.offers)),
        (_("Needs declared"), str(q.needs)),
        (_("Key fields filled in"), _("{percent} %").format(percent=number(q.filled_share * 100, 0))),
    ], styles, width * 0.8))
    if q.missing:
        story += [Spacer(1, 2 * mm), p(_("What is missing (filling it in helps find partners):"), styles.small)]
        story += [p("• " + m, styles.small) for m in q.missing]

    story += [KeepTogether([p(_("Potential benefits per year"), styles.heading),
                            benefits_table(data.totals, styles, width * 0.8)])]
    chart_items = []
    for key in ("disposal_cost_avoided_byn", "purchase_cost_avoided_byn"):
        label, _unit = benefit_label(key)
        chart_items.append((label, data.totals.get(key, 0.0)))
    if any(v for _l, v in chart_items):
        story += [Spacer(1, 4 * mm), charts.bar_chart(chart_items, width=width, height=70,
                                                      title=_("Costs avoided, BYN per year"),
                                                      value_format=lambda v: number(v, 0))]

    if data.partners:
        story += [p(_("Partners"), styles.heading),
                  data_table([_("Partner"), _("Opportunities")], [[n, str(c)] for n, c in data.partners],
                             [width * 0.7, width * 0.2], styles, numeric=(1,))]

    story += [PageBreak(), p(_("What the resident could supply"), styles.heading),
              ranked_table(data.supplies, styles, width, partner_only="provider"),
              p(_("What the resident could receive"), styles.heading),
              ranked_table(data.receives, styles, width, partner_only="receiver")]
    best = [*data.supplies[:DETAIL_PAGES], *data.receives[:DETAIL_PAGES]]
    for item in best:
        story += [PageBreak(), *opportunity_block(item, styles, width)]
    story += [PageBreak(), *method_appendix(data.method, styles, width)]
    return lay_out(doc, story, progress, cancelled)


__all__ = ["BENEFIT_KEYS", "build_resident_report"]
