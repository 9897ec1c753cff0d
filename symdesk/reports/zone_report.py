"""The zone opportunity report: what the zone's residents could exchange, and what it is worth.

Title page; summary figures (survey, opportunities by kind and status, total
potential benefits); charts; the network picture; the ranked list; one page
for each top opportunity; and the method appendix with weights and factors.
The data arrive ready in a ``ZoneReportData`` (``services.report_meeting``).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from symdesk.domain.figures import money_saved
from symdesk.domain.tasks import CancelledFn, ProgressFn
from symdesk.i18n import _
from symdesk.reports import charts
from symdesk.reports.meeting_data import ZoneReportData
from symdesk.reports.network_picture import NetworkPicture, network_drawing
from symdesk.reports.opportunity_pages import (
    benefit_label,
    benefits_table,
    capital,
    data_table,
    key_value_table,
    lay_out,
    meeting_doc,
    method_appendix,
    number,
    opportunity_block,
    p,
    ranked_table,
    section_break,
    title_page,
)
from symdesk.reports.pdf_common import make_styles


def build_zone_report(data: ZoneReportData, out_path: Path | str, progress: ProgressFn | None = None,
                      cancelled: CancelledFn | None = None) -> int:
    """Write the report to ``out_path``; return its number of pages."""
    h = data.heading
    doc = meeting_doc(out_path, h)
    styles = make_styles()
    width = doc.frame_width()
    s = data.survey
    facts = [
        (_("Residents"), str(s.residents)),
        (_("Residents surveyed"), str(s.surveyed)),
        (_("Questionnaires complete"), str(s.complete)),
        (_("Opportunities in this report"), str(len(data.opportunities))),
    ]
    for key in ("landfill_diverted_t", "net_co2e_avoided_t"):
        label, unit = benefit_label(key)
        facts.append((label, f"{number(data.totals.get(key, 0.0))} {unit}"))
    facts.append((_("Net savings"), _("{amount} BYN/yr").format(amount=number(money_saved(data.totals), 0))))
    story: list[Flowable] = [*title_page(h, styles, facts), PageBreak()]

    # Summary.
    story += [p(_("Summary"), styles.heading)]
    story.append(key_value_table([
        (_("Residents in the zone"), str(s.residents)),
        (_("Residents surveyed in the campaign"), str(s.surveyed)),
        (_("Questionnaires complete or verified"), str(s.complete)),
        (_("Declared offers"), str(s.offers)),
        (_("Declared needs"), str(s.needs)),
        (_("Opportunities"), str(len(data.opportunities))),
    ], styles, width * 0.7))
    story += [Spacer(1, 3 * mm), p(_("Opportunities by kind and status"), styles.heading)]
    header = [_("Kind"), *data.status_columns, _("Total")]
    rows = [[capital(r.label), *[str(c) for c in r.counts], str(sum(r.counts))] for r in data.by_kind]
    if rows:
        column_totals = [sum(r.counts[i] for r in data.by_kind) for i in range(len(data.status_columns))]
        rows.append([_("Total"), *[str(c) for c in column_totals], str(sum(column_totals))])
        n = len(data.status_columns) + 1
        story.append(data_table(header, rows, [width * 0.3] + [width * 0.7 / n] * n, styles,
                                numeric=tuple(range(1, n + 1))))
    else:
        story.append(p(_("No opportunities."), styles.hint))
    if data.by_match_kind:
        story += [Spacer(1, 3 * mm), p(_("Opportunities by how they were found and status"), styles.heading)]
        rows = [[capital(r.label), *[str(c) for c in r.counts], str(sum(r.counts))] for r in data.by_match_kind]
        n = len(data.status_columns) + 1
        story.append(data_table([_("Found as"), *data.status_columns, _("Total")], rows,
                                [width * 0.3] + [width * 0.7 / n] * n, styles, numeric=tuple(range(1, n + 1))))
        story.append(p(_("Only declared offers meeting declared needs are exchanges both sides have stated; "
                         "the other ways of finding are proposals to confirm with the residents."), styles.hint))
    story += [KeepTogether([p(_("Total potential benefits per year"), styles.heading),
                            benefits_table(data.totals, styles, width * 0.8)])]
    if data.totals_note:
        story += [Spacer(1, 2 * mm), p(data.totals_note, styles.hint)]

    # Charts.
    story += [section_break(120 * mm), p(_("Charts"), styles.heading)]
    kinds = [(capital(r.label), float(sum(r.counts))) for r in data.by_kind]
    story.append(charts.bar_chart(kinds, width=width, height=max(60, 22 + 16 * len(kinds)),
                                  title=_("Opportunities by kind"), value_format=lambda v: number(v, 0)))
    story.append(Spacer(1, 5 * mm))
    story.append(charts.bar_chart([(capital(k), v) for k, v in data.cost_by_kind], width=width, height=max(60, 22 + 16 * len(kinds)),
                                  title=_("Net savings by kind, BYN per year"), colour=charts.PALETTE[2],
                                  value_format=lambda v: number(v, 0)))
    story.append(Spacer(1, 5 * mm))
    story.append(charts.pie_chart([(capital(k), v) for k, v in data.diverted_by_kind], width=width, height=90,
                                  title=_("Tonnes diverted from landfill by kind")))
    story.append(Spacer(1, 5 * mm))
    groups = s.by_group
    sites, series = charts.fold_categories(
        [g[0] for g in groups],
        [(_("verified"), [g[1] for g in groups]), (_("complete"), [g[2] for g in groups]),
         (_("draft"), [g[3] for g in groups]), (_("not surveyed"), [g[4] for g in groups])],
        rest=lambda count: _("{count} other sites").format(count=count))
    story.append(charts.stacked_bar_chart(sites, series, width=width, height=max(70, 40 + 16 * len(sites)),
                                          title=_("Survey completeness by site")))

    # Network.
    if isinstance(data.network, NetworkPicture):
        story += [PageBreak(), p(_("The zone's network"), styles.heading),
                  p(_("Residents as dots coloured by sector (larger: more opportunities); arrows from supplier to "
                      "receiver, thicker where there are several opportunities."), styles.hint),
                  Spacer(1, 2 * mm),
                  network_drawing(data.network, width=width, height=doc.frame_height() - 30 * mm)]

    # Ranked list.
    story += [PageBreak(), p(_("Opportunities, best first"), styles.heading)]
    if len(data.opportunities) < data.found:
        shown = _("The best {shown} of {count} opportunities.").format(
            shown=number(len(data.opportunities), 0), count=number(data.found, 0))
        counted = _("Every figure of this report counts all of them; the Excel export lists them all.")
        story.append(p(f"{shown} {counted}", styles.hint))
    story.append(ranked_table(data.opportunities, styles, width))
    # One page per top opportunity.
    if data.top:
        story += [PageBreak(), p(_("The top {count} opportunities").format(count=len(data.top)), styles.heading)]
        for i, item in enumerate(data.top):
            if i:
                story.append(PageBreak())
            story += opportunity_block(item, styles, width)
    story += [PageBreak(), *method_appendix(data.method, styles, width)]
    return lay_out(doc, story, progress, cancelled)
