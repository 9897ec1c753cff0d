"""Blocks the meeting reports share: title page, figure tables, the ranked list,
one page per opportunity, and the method appendix.

Every table is built from Paragraph cells so long names wrap inside their
column, repeats its header row when it runs onto the next page, and formats
numbers the way the report's language writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    Spacer,
    TableStyle,
)

from symdesk.domain.figures import BENEFIT_KEYS, BENEFIT_LABELS, money_saved
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled
from symdesk.i18n import _, format_number
from symdesk.reports.meeting_data import Heading, Method, OpportunityItem
from symdesk.reports.pdf_common import (
    FONT_CONDENSED_BOLD,
    GREY,
    RULE,
    Styles,
    SymdeskDocTemplate,
    escape,
    soft_hyphenate,
    table,
    text_width,
)

HEADER_FILL = colors.HexColor("#E8EEF4")
ZEBRA = colors.HexColor("#F6F8FA")
LINE = colors.HexColor("#BBBBBB")
LONG_TABLE_ROWS = 40


def number(value: float | None, decimals: int = 1) -> str:
    """A figure for print: Russian grouping and comma; "—" for an unknown one."""
    if value is None:
        return "—"
    if abs(value) >= 1000:
        decimals = 0
    return format_number(round(value, decimals) + 0.0, decimals)


def capital(text: str) -> str:
    """``text`` with a capital first letter (labels are lower case in running text, not in a table)."""
    return text[:1].upper() + text[1:]


def p(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def grid_style(header_rows: int = 1, zebra: bool = True, rows: int = 0) -> list[tuple[Any, ...]]:
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, RULE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_CONDENSED_BOLD),
    ]
    if zebra:
        for r in range(header_rows + 1, rows, 2):
            style.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    return style


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    styles: Styles,
    *,
    numeric: Sequence[int] = (),
    extra_style: Sequence[tuple[Any, ...]] = (),
) -> Flowable:
    """A table with a repeated header, wrapped text cells and right-aligned numeric columns."""
    right = styles.table_cell.clone("TableCellRight", alignment=2)
    head_right = styles.table_header.clone("TableHeaderRight", alignment=2)
    data: list[list[Any]] = [[p(soft_hyphenate(h), head_right if i in numeric else styles.table_header)
                              for i, h in enumerate(header)]]
    cell = styles.table_cell
    # Text that fits its column on one line goes in as a plain string (laid out
    # many times faster than a Paragraph); the rest wraps as a Paragraph.
    room = [w - 6.5 for w in widths]
    for row in rows:
        out: list[Any] = []
        for i, value in enumerate(row):
            if isinstance(value, Flowable):
                out.append(value)
                continue
            text = str(value)
            if "\n" not in text and text_width(text, cell.fontName, cell.fontSize) <= room[i]:
                out.append(text)
            else:
                out.append(p(text, right if i in numeric else cell))
        data.append(out)
    style = [("FONTNAME", (0, 1), (-1, -1), cell.fontName), ("FONTSIZE", (0, 1), (-1, -1), cell.fontSize),
             ("LEADING", (0, 1), (-1, -1), cell.leading), *[("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric],
             *grid_style(rows=len(data)), *extra_style]
    if len(data) > LONG_TABLE_ROWS:  # splits across pages without laying out the rest again at each page
        result = LongTable(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        result.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cell.fontName), *style]))
        return result
    return table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", style=style)


# ---------------------------------------------------------------- title page


def title_page(heading: Heading, styles: Styles, facts: Sequence[tuple[str, str]] = ()) -> list[Flowable]:
    """The first page: report title, zone, campaign, date, author, what was filtered, key facts."""
    big = styles.title.clone("BigTitle", fontSize=20, leading=25, spaceAfter=8)
    zone = styles.heading.clone("ZoneName", fontSize=14, leading=18, spaceBefore=0, spaceAfter=4)
    story: list[Flowable] = [Spacer(1, 30 * mm), p(heading.title, big), p(heading.zone_name, zone)]
    if heading.subtitle:
        story.append(p(heading.subtitle, styles.body))
    lines = []
    if heading.campaign_name:
        lines.append((_("Survey campaign"), heading.campaign_name))
    lines.append((_("Date"), heading.made_on.strftime("%d.%m.%Y")))
    if heading.author:
        lines.append((_("Prepared by"), heading.author))
    story.append(Spacer(1, 6 * mm))
    story.append(key_value_table(lines, styles, 120 * mm))
    if heading.filters:
        story.append(Spacer(1, 4 * mm))
        for line in heading.filters:
            story.append(p(line, styles.hint))
    if facts:
        story.append(Spacer(1, 10 * mm))
        story.append(key_value_table(facts, styles, 120 * mm, bold_values=True))
    return story


def key_value_table(rows: Sequence[tuple[str, str]], styles: Styles, width: float, *,
                    bold_values: bool = False) -> Flowable:
    value_style = styles.body.clone("KVBold", fontName=FONT_CONDENSED_BOLD) if bold_values else styles.body
    data = [[p(k, styles.label), p(v, value_style)] for k, v in rows]
    return table(data, colWidths=[width * 0.45, width * 0.55], hAlign="LEFT",
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1)])


# ---------------------------------------------------------------- benefits


def benefit_label(key: str) -> tuple[str, str]:
    msgid, unit = BENEFIT_LABELS[key]
    return _(msgid), _(unit)


def benefits_table(totals: dict[str, float], styles: Styles, width: float, *, skip_zero: bool = False) -> Flowable:
    """One row per benefit figure: what, how much, unit."""
    rows = []
    for key in BENEFIT_KEYS:
        value = float(totals.get(key, 0.0) or 0.0)
        if skip_zero and value == 0:
            continue
        label, unit = benefit_label(key)
        rows.append([label, number(value), unit])
    if not rows:
        return p(_("No benefits estimated."), styles.hint)
    return data_table([_("Benefit"), _("Per year"), _("Unit")], rows, [width * 0.55, width * 0.25, width * 0.2],
                      styles, numeric=(1,))


# ---------------------------------------------------------------- ranked table


def ranked_table(items: Sequence[OpportunityItem], styles: Styles, width: float, *,
                 partner_only: str | None = None) -> Flowable:
    """The ranked list: rank, score, parties, material, matched amount, money and tonnes, status.

    ``partner_only`` ("provider" or "receiver") prints one partner column
    instead of both (the resident report, where the other party is the reader).
    """
    if not items:
        return p(_("No opportunities."), styles.hint)
    if partner_only:
        header = ["№", _("Score"), _("Partner"), _("Material or resource"), _("Amount per year"),
                  _("Net savings, BYN/yr"), _("Status")]
        fractions = [0.05, 0.07, 0.22, 0.3, 0.13, 0.12, 0.11]
    else:
        header = ["№", _("Score"), _("Supplier"), _("Receiver"), _("Material or resource"), _("Amount per year"),
                  _("Net savings, BYN/yr"), _("Status")]
        fractions = [0.05, 0.065, 0.17, 0.17, 0.245, 0.12, 0.1, 0.08]
    rows = []
    for item in items:
        money = money_saved(item.benefits)
        parties = ([item.receiver] if partner_only == "provider" else [item.provider]) if partner_only \
            else [item.provider, item.receiver]
        rows.append([str(item.rank), number(item.score, 1), *parties, item.material, item.matched or "—",
                     number(money, 0), item.status])
    numeric = (0, 1, len(header) - 2)
    # The status column as wide as its longest word, so «реализована» never breaks.
    cell = styles.table_cell
    status_w = min(max(text_width(w, cell.fontName, cell.fontSize) for i in items for w in i.status.split()) + 8,
                   width * 0.16)
    widths = [width * f for f in fractions]
    # The rank column as wide as the largest rank (four digits in a big zone).
    rank_w = text_width(str(max(i.rank for i in items)), cell.fontName, cell.fontSize) + 8
    spare = widths[-1] - status_w + widths[0] - rank_w
    widths[0] = rank_w
    text_columns = [2, 3] if partner_only else [2, 3, 4]
    weight = sum(widths[i] for i in text_columns)
    for i in text_columns:
        widths[i] += spare * widths[i] / weight
    widths[-1] = status_w
    return data_table(header, rows, widths, styles, numeric=numeric)


# ---------------------------------------------------------------- one opportunity


def _facts_cell(facts: Any, styles: Styles) -> Paragraph:
    if facts is None:
        return p("—", styles.table_cell)
    parts = [f"<b>{escape(facts.name)}</b>"]
    for label, value in ((_("Code"), facts.code), (_("Hazard"), facts.hazard), (_("Amount"), facts.amount),
                         (_("Quality"), facts.quality), (_("Handled now"), facts.handling), (_("Price"), facts.price)):
        if value:
            parts.append(f"{escape(label)}: {escape(value)}")
    return Paragraph("<br/>".join(parts), styles.table_cell)


def opportunity_block(item: OpportunityItem, styles: Styles, width: float) -> list[Flowable]:
    """Everything about one opportunity, meant to fill (about) one page."""
    heading = styles.heading.clone("OppHeading", spaceBefore=0)
    sub = styles.heading.clone("OppSub", fontSize=10, leading=12.5, spaceBefore=6, spaceAfter=3)
    story: list[Flowable] = [
        p(_("{rank}. {material}").format(rank=item.rank, material=item.material), heading),
        p(_("{kind} · {match_kind} · score {score} of 100 · {status}").format(
            kind=item.kind, match_kind=item.match_kind, score=number(item.score, 1), status=item.status),
          styles.subtitle),
    ]
    # Parties side by side.
    half = width / 2
    parties = table(
        [[p(_("Supplier"), styles.table_header), p(_("Receiver"), styles.table_header)],
         [p(item.provider or "—", styles.body.clone("PartyName", fontName=FONT_CONDENSED_BOLD)),
          p(item.receiver or "—", styles.body.clone("PartyName2", fontName=FONT_CONDENSED_BOLD))],
         [_facts_cell(item.offer, styles), _facts_cell(item.need, styles)]],
        colWidths=[half, half], hAlign="LEFT", style=grid_style(zebra=False))
    story += [parties, Spacer(1, 3 * mm)]
    facts = []
    if item.matched:
        facts.append((_("Exchanged amount per year"), item.matched))
    facts.append((_("Distance between the sites"),
                  _("{km} km").format(km=number(item.distance_km, 1)) if item.distance_km is not None
                  else _("unknown (site coordinates missing)")))
    if item.status_since:
        facts.append((_("Status since"), item.status_since.strftime("%d.%m.%Y")))
    if item.reject_reason:
        facts.append((_("Reason for rejection"), item.reject_reason))
    story.append(key_value_table(facts, styles, width))
    # Score breakdown.
    if item.components:
        rows = [[c.label, number(c.value, 2), number(c.weight, 1), number(c.contribution, 1), c.note]
                for c in item.components]
        story += [p(_("Score breakdown"), sub),
                  KeepTogether(data_table([_("Component"), _("Value 0–1"), _("Weight"), _("Points"), _("Note")], rows,
                                          [width * f for f in (0.3, 0.11, 0.1, 0.1, 0.39)], styles,
                                          numeric=(1, 2, 3)))]
    benefit_rows = [(k, float(item.benefits.get(k, 0.0) or 0.0)) for k in BENEFIT_KEYS]
    story += [p(_("Estimated benefits per year"), sub)]
    if any(v for _k, v in benefit_rows):
        story.append(KeepTogether(benefits_table(dict(benefit_rows), styles, width * 0.75, skip_zero=True)))
    else:
        story.append(p(_("No benefits could be estimated from the declared data."), styles.hint))
    if item.reasons:
        story += [p(_("Why it was proposed"), sub)] + [p("• " + r, styles.small) for r in item.reasons]
    if item.precedents:
        story += [p(_("Precedents elsewhere"), sub)] + [p("• " + r, styles.small) for r in item.precedents]
    if item.notes:
        story += [p(_("Notes"), sub), p(item.notes, styles.small)]
    if item.next_steps:
        story += [p(_("Next steps"), sub)] + [p("• " + s, styles.small) for s in item.next_steps]
    return story


# ---------------------------------------------------------------- appendix


def method_appendix(method: Method, styles: Styles, width: float) -> list[Flowable]:
    sub = styles.heading.clone("MethodSub", fontSize=10, leading=12.5, spaceBefore=6, spaceAfter=3)
    story: list[Flowable] = [
        p(_("Appendix. Method, weights and factors"), styles.heading),
        p(_("Opportunities are found by pairing every declared offer with every declared need: by waste code "
            "(exact, sub-chapter, chapter), by material class, by the similarity of their names and, for "
            "utilities, by category (heat and steam only when the source's temperature and pressure meet the "
            "need). Each pair gets a score from 0 to 100: the weighted mean of the components below, each from "
            "0 to 1, times 100. A component that cannot be computed for lack of data counts as 0.5 and lowers "
            "the data completeness component instead."), styles.body),
        p(_("Score weights"), sub),
        KeepTogether(data_table([_("Component"), _("Weight")], [[label, number(w, 1)] for label, w in method.weights],
                                [width * 0.6, width * 0.2], styles, numeric=(1,))),
    ]
    if method.max_distance_km:
        story += [
            p(_("Distance worth carrying"), sub),
            p(_("The distance component falls from 1 at 0 km to 0 at the limit of the category. Transport "
                "costs {cost} BYN per tonne-kilometre.").format(cost=number(method.transport_cost_byn_per_tkm, 2)),
              styles.small),
            KeepTogether(data_table([_("Category"), _("Limit, km")],
                                    [[capital(label), number(km, 1)] for label, km in method.max_distance_km],
                                    [width * 0.6, width * 0.2], styles, numeric=(1,))),
        ]
    story += [
        p(_("Benefit factors"), sub),
        p(_("Benefits are yearly estimates from the declared amounts and the factors below. Values marked ≈ "
            "are approximate: typical figures to be confirmed for the zone."), styles.small),
    ]
    if method.benefits_note:
        story.append(p(method.benefits_note, styles.small))
    rows = [[f.label, ("≈ " if f.approximate else "") + number(f.value, 3), f.unit, f.source] for f in method.factors]
    story.append(Spacer(1, 2 * mm))
    story.append(data_table([_("Factor"), _("Value"), _("Unit"), _("Source")], rows,
                            [width * f for f in (0.24, 0.1, 0.14, 0.52)], styles, numeric=(1,)))
    return story


def watch(doc: Any, story: Sequence[Flowable], progress: ProgressFn | None, cancelled: CancelledFn | None) -> None:
    """Report layout progress flowable by flowable and stop between flowables when asked."""
    total = len(story)
    done = 0

    def after(_flowable: Flowable) -> None:
        nonlocal done
        done += 1
        check_cancelled(cancelled)
        if progress is not None and done % 20 == 0:
            progress(min(done, total), total, _("Laying out the pages"))

    doc.afterFlowable = after


def meeting_doc(out_path: Path | str, heading: Heading, subject: str = "") -> SymdeskDocTemplate:
    """The page template of a meeting report: the report's title in the footer, the date in the running header.

    The running header names the zone, followed by ``subject`` (the resident a
    report is about) when there is one; the document's subject is the same.
    """
    return SymdeskDocTemplate(
        out_path, title=heading.title, subject=subject or heading.zone_name,
        header_left=f"{heading.zone_name} — {subject}" if subject else heading.zone_name,
        header_right=heading.made_on.strftime("%d.%m.%Y"), footer_left=heading.title,
    )


def lay_out(doc: SymdeskDocTemplate, story: list[Flowable], progress: ProgressFn | None,
            cancelled: CancelledFn | None) -> int:
    """Lay out ``story`` (reporting progress and stopping when asked, see ``watch``); the number of pages."""
    watch(doc, story, progress, cancelled)
    doc.build_story(story)
    return doc.page


def section_break(height: float = 60 * mm) -> Flowable:
    """Start a new section on a fresh page only when less than ``height`` is left."""
    return CondPageBreak(height)


def small_grey(text: str, styles: Styles) -> Paragraph:
    return p(text, styles.hint.clone("GreyNote", textColor=GREY))
