"""Survey status report: who has answered the questionnaire, what is missing, per site and sector.

The zone's staff use it to chase the residents that have not answered and
the answers still missing before the campaign's figures can be trusted.
Residents *expected to answer* are those neither planned (no plant yet) nor
gone from the zone; completeness is the share of them whose questionnaire is
complete or verified.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from symdesk.domain.labels import label
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.resident import ResidentStatus
from symdesk.domain.tasks import CancelledFn
from symdesk.i18n import N_, _
from symdesk.reports.charts import fold_categories, stacked_bar_chart
from symdesk.reports.pdf_common import SymdeskDocTemplate, escape
from symdesk.reports.state_common import (
    DASH,
    ReportHeading,
    build,
    data_table,
    make_doc,
    number,
    percent,
    styles,
    title_block,
)

NOT_SURVEYED = "none"  # status of a resident without a questionnaire in the campaign
NOT_EXPECTED = (ResidentStatus.PLANNED.value, ResidentStatus.LEFT.value)
STATUS_ORDER = (QuestionnaireStatus.VERIFIED.value, QuestionnaireStatus.COMPLETE.value,
                QuestionnaireStatus.DRAFT.value, NOT_SURVEYED)
NOT_SURVEYED_LABEL = N_("not surveyed")
NO_SITE = N_("no site")
NO_SECTOR = N_("sector unknown")


@dataclass(frozen=True)
class SurveyResident:
    resident_id: str
    name: str
    unp: str
    site: str
    sector: str  # NACE section letter
    sector_name: str
    resident_status: str  # ResidentStatus value
    status: str  # QuestionnaireStatus value or NOT_SURVEYED
    surveyor: str = ""
    survey_date: date | None = None
    missing: tuple[str, ...] = ()  # labels of required answers left empty
    resources_answered: int = 0
    offers: int = 0
    needs: int = 0

    @property
    def expected(self) -> bool:
        return self.resident_status not in NOT_EXPECTED

    @property
    def done(self) -> bool:
        return self.status in (QuestionnaireStatus.COMPLETE.value, QuestionnaireStatus.VERIFIED.value)


@dataclass(frozen=True)
class SurveyData:
    heading: ReportHeading
    residents: list[SurveyResident]
    resources_asked: int = 5


@dataclass(frozen=True)
class GroupSummary:
    key: str
    label: str
    residents: int
    expected: int
    counts: dict[str, int]  # status → residents (expected ones only)

    @property
    def answered(self) -> int:
        return self.expected - self.counts.get(NOT_SURVEYED, 0)

    @property
    def done(self) -> int:
        return self.counts.get(QuestionnaireStatus.COMPLETE.value, 0) + self.counts.get(QuestionnaireStatus.VERIFIED.value, 0)

    @property
    def completeness(self) -> float | None:
        return self.done / self.expected if self.expected else None


def summarise(
    rows: Sequence[SurveyResident], key: Callable[[SurveyResident], str], name: Callable[[SurveyResident], str]
) -> list[GroupSummary]:
    """Residents grouped by ``key``, with their questionnaire statuses counted (largest group first)."""
    groups: dict[str, list[SurveyResident]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    result = []
    for k, members in groups.items():
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for r in members:
            if r.expected:
                counts[r.status] = counts.get(r.status, 0) + 1
        result.append(GroupSummary(k, name(members[0]), len(members), sum(1 for r in members if r.expected), counts))
    return sorted(result, key=lambda g: (-g.residents, g.label.casefold()))


def zone_summary(rows: Sequence[SurveyResident]) -> GroupSummary:
    return summarise(rows, lambda _r: "", lambda _r: "")[0] if rows else GroupSummary("", "", 0, 0, {})


def survey_totals(data: SurveyData) -> dict[str, float]:
    """The figures the report prints on its first page (ReportResult.totals)."""
    zone = zone_summary(data.residents)
    return {
        "residents": zone.residents,
        "expected": zone.expected,
        "answered": zone.answered,
        "complete_or_verified": zone.done,
        "verified": zone.counts.get(QuestionnaireStatus.VERIFIED.value, 0),
        "draft": zone.counts.get(QuestionnaireStatus.DRAFT.value, 0),
        "not_surveyed": zone.counts.get(NOT_SURVEYED, 0),
        "missing_answers": sum(len(r.missing) for r in data.residents),
        "completeness_percent": round(100 * (zone.completeness or 0.0), 1),
    }


def status_label(status: str) -> str:
    if status == NOT_SURVEYED:
        return _(NOT_SURVEYED_LABEL)
    return _(label(QuestionnaireStatus(status)))


def _site(r: SurveyResident) -> str:
    return r.site or _(NO_SITE)


def _sector(r: SurveyResident) -> str:
    return f"{r.sector} — {r.sector_name}" if r.sector else _(NO_SECTOR)


# ---------------------------------------------------------------- layout


def build_survey_report(data: SurveyData, path: Path | str, *, cancelled: CancelledFn | None = None) -> int:
    """Write the report to ``path``; returns the number of pages."""
    s = styles()
    doc = make_doc(path, data.heading)
    width = SymdeskDocTemplate.frame_width()
    totals = survey_totals(data)
    zone = zone_summary(data.residents)
    facts = [
        (_("Residents of the zone"), number(totals["residents"], 0)),
        (_("Expected to answer (not planned, not gone)"), number(totals["expected"], 0)),
        (_("Questionnaires received"), number(totals["answered"], 0)),
        (_("Complete or verified"), number(totals["complete_or_verified"], 0)),
        (_("of them verified"), number(totals["verified"], 0)),
        (_("Drafts"), number(totals["draft"], 0)),
        (_("Not surveyed yet"), number(totals["not_surveyed"], 0)),
        (_("Survey completeness"), percent(zone.done, zone.expected)),
        (_("Required answers missing"), number(totals["missing_answers"], 0)),
    ]
    story: list[Flowable] = [*title_block(data.heading, s, facts)]
    story.append(Spacer(1, 1.5 * mm))
    story.append(Paragraph(escape(_(
        "Completeness is the share of the residents expected to answer whose questionnaire is complete "
        "or verified. Planned residents and those that have left the zone are listed but not counted."
    )), s.hint))

    by_site = summarise(data.residents, _site, _site)
    by_sector = summarise(data.residents, lambda r: r.sector, _sector)
    story += _chart(by_site, _("Questionnaires by site"), width)
    story += _group_section(_("By site"), _("Site"), by_site, s, width)
    story += _chart(by_sector, _("Questionnaires by sector (NACE section)"), width)
    story += _group_section(_("By sector"), _("Sector (NACE section)"), by_sector, s, width)
    story += _residents_section(data, s, width)
    missing = [r for r in data.residents if r.expected and not r.done]
    story += _missing_section(missing, s, width)
    return build(doc, story, cancelled)


def _chart(groups: Sequence[GroupSummary], title: str, width: float) -> list[Flowable]:
    series = [(status_label(st), [float(g.counts.get(st, 0)) for g in groups]) for st in STATUS_ORDER]
    labels, series = fold_categories([g.label for g in groups], series,
                                     rest=lambda count: _("{count} others").format(count=count))
    height = 30 + 16 * len(labels) + 30
    drawing = stacked_bar_chart(labels, series, width=width, height=height, title=title)
    return [CondPageBreak(height + 8 * mm), Spacer(1, 4 * mm), drawing]


def _group_section(title: str, first: str, groups: Sequence[GroupSummary], s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    header = [first, _("Residents"), _("Expected"), _("Answered"), status_label("verified"), status_label("complete"),
              status_label("draft"), status_label(NOT_SURVEYED), _("Completeness")]
    rows = []
    for g in groups:
        rows.append([g.label, number(g.residents, 0), number(g.expected, 0), number(g.answered, 0),
                     *(number(g.counts.get(st, 0), 0) for st in STATUS_ORDER), percent(g.done, g.expected)])
    zone = GroupSummary("", _("Zone total"), sum(g.residents for g in groups), sum(g.expected for g in groups),
                        {st: sum(g.counts.get(st, 0) for g in groups) for st in STATUS_ORDER})
    rows.append([zone.label, number(zone.residents, 0), number(zone.expected, 0), number(zone.answered, 0),
                 *(number(zone.counts.get(st, 0), 0) for st in STATUS_ORDER), percent(zone.done, zone.expected)])
    first_width = width * 0.31
    rest = (width - first_width) / 8
    table = data_table(header, rows, [first_width, *[rest] * 8], s, numeric=range(1, 9), total_row=True)
    return [CondPageBreak(30 * mm), Paragraph(escape(title), s.heading), table]


def _residents_section(data: SurveyData, s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    header = [_("Resident"), _("Site"), _("Sector"), _("Questionnaire"), _("Surveyor, date"),
              _("Resource answers"), _("Offers / needs"), _("Required answers missing")]
    rows, flagged = [], []
    for i, r in enumerate(data.residents):
        name = f"{r.name}\n{_('UNP')} {r.unp}" if r.unp else r.name
        if not r.expected:
            name += f" ({_(label(ResidentStatus(r.resident_status)))})"
        who = ", ".join(x for x in (r.surveyor, r.survey_date.strftime("%d.%m.%Y") if r.survey_date else "") if x)
        surveyed = r.status != NOT_SURVEYED
        rows.append([
            name, r.site or DASH, r.sector or DASH, status_label(r.status), who or DASH,
            f"{r.resources_answered} / {data.resources_asked}" if surveyed else DASH,
            f"{r.offers} / {r.needs}" if surveyed else DASH,
            number(len(r.missing), 0) if surveyed else DASH,
        ])
        if r.expected and not r.done:
            flagged.append((3, i))
    widths = [0.24, 0.17, 0.05, 0.1, 0.15, 0.09, 0.09, 0.11]
    table = data_table(header, rows, [width * w for w in widths], s, numeric=(5, 6, 7), flagged=flagged)
    return [CondPageBreak(40 * mm), Paragraph(escape(_("Residents and their questionnaires")), s.heading),
            Paragraph(escape(_("Shaded: expected to answer, but the questionnaire is missing or a draft.")), s.hint),
            Spacer(1, 2 * mm), table]


def _missing_section(residents: Sequence[SurveyResident], s, width: float) -> list[Flowable]:  # type: ignore[no-untyped-def]
    story: list[Flowable] = [CondPageBreak(40 * mm), Paragraph(escape(_("What is missing")), s.heading),
                             Paragraph(escape(_("Residents expected to answer whose questionnaire is missing or "
                                                "still a draft, with the required answers left empty.")), s.hint),
                             Spacer(1, 2 * mm)]
    if not residents:
        story.append(Paragraph(escape(_("Every resident expected to answer has a complete questionnaire.")), s.body))
        return story
    rows = []
    for r in residents:
        if r.status == NOT_SURVEYED:
            what = _("No questionnaire received")
        elif r.missing:
            what = "; ".join(r.missing)
        else:
            what = _("Every required answer is given: the questionnaire can be marked complete")
        rows.append([r.name, status_label(r.status), what])
    story.append(data_table([_("Resident"), _("Questionnaire"), _("Missing")], rows,
                            [width * 0.3, width * 0.14, width * 0.56], s))
    return story
