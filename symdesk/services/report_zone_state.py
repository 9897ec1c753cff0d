"""The state-of-the-zone reports: survey status, resource efficiency and the cluster roadmap.

This module gathers what each report needs from the database into the plain
records the layouts in ``symdesk.reports`` take, runs the pure computations
of ``symdesk.reports.efficiency_stats`` and ``symdesk.matching.roadmap``, and
registers the three writers with the report registry. Every writer writes
its PDF atomically (nothing half-written after a failure or a cancel),
reports progress and stops when asked, between steps and between the
flowables of the layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from symdesk.classifiers.reference import activity_by_code
from symdesk.domain.questionnaire import Questionnaire
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.domain.units import Dimension
from symdesk.i18n import N_, _, current_language
from symdesk.matching import roadmap
from symdesk.matching.reach import resident_distance_km
from symdesk.matching.settings import default_factors
from symdesk.questionnaire.definition import default_definition
from symdesk.reports import efficiency_report, roadmap_report, survey_report
from symdesk.reports import efficiency_stats as efficiency
from symdesk.reports.state_common import ReportHeading
from symdesk.services import network as network_service
from symdesk.services.confidentiality import party_name
from symdesk.services.errors import UserError
from symdesk.services.matching import list_opportunities
from symdesk.services.places import located_residents
from symdesk.services.questionnaires import check_document, open_document_in
from symdesk.services.reports import (
    ReportOptions,
    ReportResult,
    ReportSpec,
    register_report,
    report_language,
    write_pdf_file,
)
from symdesk.storage.db import Database
from symdesk.storage.repository import (
    CampaignRepository,
    QuestionnaireRepository,
    ResidentRepository,
    SiteRepository,
    StreamRepository,
    ZoneRepository,
)
from symdesk.storage.uow import unit_of_work

REQUIRED = "This field is required"  # the validation message of an empty required answer

# Questionnaire answers (section "resources") behind each resource of the efficiency report.
RESOURCE_ANSWERS = {
    "electricity": "electricity_mwh",
    "heat": "heat_gcal",
    "gas": "gas_thousand_m3",
    "water": "water_m3",
}
# Tariff (factor key of resources/matching/factors.csv) of each resource, BYN per its unit.
TARIFF_FACTORS = {
    "electricity": "electricity_price_byn_per_mwh",
    "heat": "heat_price_byn_per_gcal",
    "gas": "gas_price_byn_per_thousand_m3",  # not shipped yet: savings of gas are stated in m³ only
    "water": "water_price_byn_per_m3",
    "waste": "disposal_cost_byn_per_t",
}
# The answers the survey report counts as the resource section being answered.
RESOURCE_FIELDS = ("electricity_mwh", "heat_gcal", "gas_thousand_m3", "water_m3", "production_volume")

D = TypeVar("D")  # the data record of one report


# ---------------------------------------------------------------- shared


def sector_of(activity_codes: Sequence[str], language: str) -> tuple[str, str, str]:
    """(NACE section letter, its name, NACE division) of the main activity; empty when unknown."""
    if not activity_codes:
        return "", "", ""
    division = activity_codes[0][:2]
    entries = activity_by_code()
    entry = entries.get(division)
    if entry is None:
        return "", "", division
    letter = entry.parent
    section = entries.get(letter)
    name = section.name(language) if section else ""
    if name.isupper():  # the Russian classifier writes section names in capitals
        name = name[:1] + name[1:].lower()
    return letter, name, division


def _heading(session: Any, title: str, options: ReportOptions, campaign: str = "") -> ReportHeading:
    """The title block's facts, read without writing (a report never adds a zone or campaign)."""
    zones = sorted(ZoneRepository(session).list(), key=lambda z: (z.meta.created_at is None, z.meta.created_at, z.id))
    name = zones[0].name if zones else _("New zone")
    short = (zones[0].short_name or name) if zones else name
    return ReportHeading(zone=name, zone_short=short, title=title, campaign=campaign, today=date.today(),
                         author=options.author)


def _laid_out(out_path: Path, options: ReportOptions, progress: ProgressFn, cancelled: CancelledFn | None,
              first_step: str, gather: Callable[[], D], build: Callable[[D, Path], int]) -> tuple[D, int]:
    """Gather a report's data and lay out its PDF, both in the report's language; the data and the pages.

    The three state-of-the-zone reports differ only in what they gather (announced
    as ``first_step``, a msgid translated here, in the report's language) and how
    they lay it out; the three progress steps and the stop between them are the same.
    """
    with report_language(options.language):
        progress(0, 3, _(first_step))
        data = gather()
        check_cancelled(cancelled)
        progress(1, 3, _("Laying out the pages"))
        pages = write_pdf_file(out_path, lambda temp: build(data, temp))
        progress(3, 3, "")
    return data, pages


def _latest_questionnaires(session: Any) -> tuple[str, dict[str, Questionnaire]]:
    """The latest campaign's name and its questionnaires by resident (none without a campaign)."""
    campaigns = sorted(CampaignRepository(session).list(), key=lambda c: (c.year, c.start_date or date.min, c.name))
    if not campaigns:
        return "", {}
    campaign = campaigns[-1]
    found = QuestionnaireRepository(session).list(campaign_id=campaign.id)
    return campaign.name, {q.resident_id: q for q in found}


# ---------------------------------------------------------------- survey


def survey_data(db: Database, options: ReportOptions, cancelled: CancelledFn | None = None) -> survey_report.SurveyData:
    """Every resident of the zone with its questionnaire of the current campaign and what it lacks."""
    definition = default_definition()
    language = current_language()
    with unit_of_work(db) as session:
        campaign, questionnaires = _latest_questionnaires(session)
        heading = _heading(session, _("Survey status"), options, campaign)
        sites = {s.id: s.name for s in SiteRepository(session).list()}
        residents = ResidentRepository(session).list()
        counts: dict[tuple[str, str], int] = {}
        for s in StreamRepository(session).list():
            if s.questionnaire_id:
                counts[(s.questionnaire_id, s.direction.value)] = counts.get((s.questionnaire_id, s.direction.value), 0) + 1
        rows = []
        for resident in residents:
            check_cancelled(cancelled)
            q = questionnaires.get(resident.id)
            missing: tuple[str, ...] = ()
            answered = 0
            if q is not None:
                document = open_document_in(session, questionnaire_id=q.id, definition=definition)
                issues = check_document(document, complete=True, definition=definition)
                missing = tuple(dict.fromkeys(
                    _field_label(definition, i.section, i.field, i.row, language) for i in issues if i.message == REQUIRED
                ))
                answered = sum(1 for name in RESOURCE_FIELDS if q.answers.get(name) not in (None, ""))
            letter, sector_name, _division = sector_of(resident.activity_codes, language)
            rows.append(survey_report.SurveyResident(
                resident_id=resident.id,
                name=resident.display_name,
                unp=resident.unp,
                site=sites.get(resident.site_id or "", ""),
                sector=letter,
                sector_name=sector_name,
                resident_status=resident.status.value,
                status=q.status.value if q else survey_report.NOT_SURVEYED,
                surveyor=q.surveyor if q else "",
                survey_date=q.survey_date if q else None,
                missing=missing,
                resources_answered=answered,
                offers=counts.get((q.id, "offer"), 0) if q else 0,
                needs=counts.get((q.id, "need"), 0) if q else 0,
            ))
    rows.sort(key=lambda r: r.name.casefold())
    return survey_report.SurveyData(heading, rows, resources_asked=len(RESOURCE_FIELDS))


def _field_label(definition: Any, section: str, field_name: str, row: int | None, language: str) -> str:
    try:
        s = definition.section(section)
        label = s.field(field_name).label.get(language)
    except KeyError:
        return field_name
    if row is not None:
        return _("{label} (row {row})").format(label=label, row=row + 1)
    return str(label)


def write_survey(
    db: Database, out_path: Path, options: ReportOptions,
    progress: ProgressFn | None = None, cancelled: CancelledFn | None = None,
) -> ReportResult:
    data, pages = _laid_out(out_path, options, progress or no_progress, cancelled, N_("Reading the questionnaires"),
                            lambda: survey_data(db, options, cancelled),
                            lambda data, temp: survey_report.build_survey_report(data, temp, cancelled=cancelled))
    return ReportResult(out_path, pages, survey_report.survey_totals(data))


# ---------------------------------------------------------------- efficiency


def _waste_tonnes(streams: Sequence[Stream]) -> float | None:
    """Yearly tonnes of waste a resident declares as offers; None when it declares none."""
    tonnes = [y.value for s in streams
              if s.direction is Direction.OFFER and s.category is Category.WASTE
              and (y := s.yearly()) is not None and y.dimension is Dimension.MASS]
    return sum(tonnes) if tonnes else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def efficiency_inputs(
    residents: Sequence[Resident], questionnaires: dict[str, Questionnaire], streams: Sequence[Stream], language: str
) -> list[efficiency.ResidentInputs]:
    """One input record per resident that answered the resource section of its questionnaire."""
    by_resident: dict[str, list[Stream]] = {}
    for s in streams:
        by_resident.setdefault(s.resident_id, []).append(s)
    result = []
    for r in residents:
        q = questionnaires.get(r.id)
        if q is None:
            continue
        use: dict[str, float | None] = {k: _number(q.answers.get(v)) for k, v in RESOURCE_ANSWERS.items()}
        use["waste"] = _waste_tonnes(by_resident.get(r.id, []))
        if all(v is None for k, v in use.items() if k != "waste"):
            continue
        letter, _name, division = sector_of(r.activity_codes, language)
        result.append(efficiency.ResidentInputs(
            resident_id=r.id, name=r.display_name, division=division, section=letter,
            staff=r.staff_count, output=_number(q.answers.get("production_volume")),
            output_unit=str(q.answers.get("production_unit") or ""), use=use,
        ))
    result.sort(key=lambda i: (i.division, i.name.casefold()))
    return result


def tariffs() -> dict[str, float | None]:
    factors = default_factors()
    return {resource: factors.get(key) for resource, key in TARIFF_FACTORS.items()}


def efficiency_data(db: Database, options: ReportOptions) -> efficiency_report.EfficiencyData:
    language = current_language()
    with unit_of_work(db) as session:
        campaign, questionnaires = _latest_questionnaires(session)
        heading = _heading(session, _("Resource efficiency"), options, campaign)
        residents = ResidentRepository(session).list()
        streams = StreamRepository(session).list()
    inputs = efficiency_inputs(residents, questionnaires, streams, language)
    prices = tariffs()
    analysis = efficiency.analyse(inputs, prices)
    factors = default_factors()
    sources = [
        efficiency_report.TariffSource(resource, key, f.value, f.unit, f.source)
        for resource, key in TARIFF_FACTORS.items() if (f := factors.items.get(key)) is not None
    ]
    statuses = {r.resident_id: questionnaires[r.resident_id].status.value for r in inputs}
    sector_names = {}
    for r in residents:
        letter, name, division = sector_of(r.activity_codes, language)
        if letter:
            sector_names[letter] = name
        if division and (entry := activity_by_code().get(division)):
            sector_names[division] = entry.name(language)
    return efficiency_report.EfficiencyData(heading, analysis, prices, sources, statuses, sector_names)


def write_efficiency(
    db: Database, out_path: Path, options: ReportOptions,
    progress: ProgressFn | None = None, cancelled: CancelledFn | None = None,
) -> ReportResult:
    data, pages = _laid_out(out_path, options, progress or no_progress, cancelled, N_("Reading the questionnaires"),
                            lambda: efficiency_data(db, options),
                            lambda data, temp: efficiency_report.build_efficiency_report(data, temp, cancelled=cancelled))
    return ReportResult(out_path, pages, efficiency_report.efficiency_totals(data))


# ---------------------------------------------------------------- roadmap


def opportunity_facts(opportunity: Any, streams: dict[str, Stream], residents: dict[str, Resident]) -> roadmap.OpportunityFacts:
    """What the staging rule needs of one stored opportunity."""
    parts = [streams[i] for i in (opportunity.offer_id, opportunity.need_id) if i and i in streams]
    hazards = {s.hazard_class.value for s in parts if s.hazard_class is not None}
    for reason in opportunity.reasons or []:  # a flag kept by the matching run counts too
        if isinstance(reason, dict) and reason.get("message") == roadmap_report.LICENSED_FLAG:
            hazards.add(str((reason.get("params") or {}).get("hazard_class", "")))
    owners = [x for x in (opportunity.provider_id, opportunity.receiver_id) if x]
    owners += [m for m in opportunity.members if m in residents and m not in owners]
    distance = None
    if opportunity.provider_id and opportunity.receiver_id:
        distance = resident_distance_km(residents.get(opportunity.provider_id), residents.get(opportunity.receiver_id))
    return roadmap.OpportunityFacts(
        opportunity_id=opportunity.id, score=opportunity.score, kind=opportunity.kind,
        categories=tuple(dict.fromkeys(s.category.value for s in parts)),
        hazard_classes=tuple(sorted(h for h in hazards if h)), distance_km=distance, owners=tuple(owners),
        benefits=opportunity.benefits or {}, offer_id=opportunity.offer_id, need_id=opportunity.need_id,
        supply=_yearly(streams.get(opportunity.offer_id or "")), demand=_yearly(streams.get(opportunity.need_id or "")),
    )


def _yearly(stream: Stream | None) -> float | None:
    amount = stream.yearly() if stream is not None else None
    return amount.value if amount is not None else None


def roadmap_data(db: Database, options: ReportOptions, cancelled: CancelledFn | None = None) -> roadmap_report.RoadmapData:
    network = network_service.zone_network(db, min_score=0.0, statuses=(), match_kinds=())
    check_cancelled(cancelled)
    clusters = list(network.clusters)
    if options.cluster is not None:
        clusters = [c for c in clusters if c.number == options.cluster]
        if not clusters:
            raise UserError(N_("No cluster {number}: the network has {count}"), number=options.cluster,
                            count=len(network.clusters))
    opportunities = {o.id: o for o in list_opportunities(db, include_inactive=True)}
    with unit_of_work(db) as session:
        heading = _heading(session, _("Cluster roadmap"), options)
        residents = {r.id: r for r in located_residents(session)}
        streams = {s.id: s for s in StreamRepository(session).list()}
    language = current_language()
    names = {rid: r.display_name for rid, r in residents.items()}
    result = []
    for cluster in clusters:
        check_cancelled(cancelled)
        found = {i: opportunities[i] for i in cluster.opportunity_ids if i in opportunities}
        stages = roadmap.build_stages([opportunity_facts(o, streams, residents) for o in found.values()])
        members = []
        for rid in cluster.resident_ids:
            r = residents.get(rid)
            if r is None:
                continue
            letter, sector_name, _division = sector_of(r.activity_codes, language)
            hidden = options.for_residents and any(rid in o.confidential_parties for o in found.values())
            members.append(roadmap_report.ClusterMember(
                rid, _(roadmap_report.CONFIDENTIAL) if hidden else r.display_name, letter, sector_name
            ))
        result.append(roadmap_report.ClusterRoadmap(
            cluster.number, members, [_stage_view(stage, found, streams, names, options) for stage in stages]
        ))
    return roadmap_report.RoadmapData(heading, result, len(network.clusters), roadmap.QUICK_MAX_KM,
                                      roadmap.QUICK_MIN_SCORE)


def _stage_view(
    stage: roadmap.Stage, found: dict[str, Any], streams: dict[str, Stream], names: dict[str, str],
    options: ReportOptions,
) -> roadmap_report.StageView:
    """A stage of the pure roadmap as the report prints it: names resolved, confidential parties hidden."""
    rows = []
    owners: dict[str, str] = {}
    for item in stage.opportunities:
        o = found[item.facts.opportunity_id]
        for owner in item.facts.owners:
            owners.setdefault(owner, party_name(o, owner, names, for_residents=options.for_residents))
    for item in stage.opportunities[: roadmap_report.ROWS_PER_STAGE]:
        o = found[item.facts.opportunity_id]
        provider = party_name(o, o.provider_id, names, for_residents=options.for_residents)
        receiver = party_name(o, o.receiver_id, names, for_residents=options.for_residents)
        offer, need = streams.get(o.offer_id or ""), streams.get(o.need_id or "")
        title = " → ".join(x.name for x in (offer, need) if x is not None) or o.title
        rows.append(roadmap_report.StageRow(
            o.id, title, provider, receiver, o.kind, o.score, item.facts.distance_km, item.decision.reasons,
            o.status.value,
        ))
    shown = list(dict.fromkeys(owners[rid] for rid in stage.owners if owners.get(rid)))
    return roadmap_report.StageView(stage.number, rows, shown, stage.benefits, count=len(stage.opportunities))


def write_roadmap(
    db: Database, out_path: Path, options: ReportOptions,
    progress: ProgressFn | None = None, cancelled: CancelledFn | None = None,
) -> ReportResult:
    data, pages = _laid_out(out_path, options, progress or no_progress, cancelled, N_("Analysing the network"),
                            lambda: roadmap_data(db, options, cancelled),
                            lambda data, temp: roadmap_report.build_roadmap_report(data, temp, cancelled=cancelled))
    return ReportResult(out_path, pages, roadmap_report.roadmap_totals(data))


@dataclass(frozen=True)
class _Specs:
    survey: ReportSpec
    efficiency: ReportSpec
    roadmap: ReportSpec


SPECS = _Specs(
    register_report(ReportSpec(
        "survey", N_("Survey status"),
        N_("Who has answered the questionnaire, what is missing, per site and sector"), write_survey,
    )),
    register_report(ReportSpec(
        "efficiency", N_("Resource efficiency"),
        N_("Residents' energy, water and waste intensities against their sector; outliers and savings potential"),
        write_efficiency,
    )),
    register_report(ReportSpec(
        "roadmap", N_("Cluster roadmap"),
        N_("The network's clusters with their opportunities in stages: quick wins, investment, licences"),
        write_roadmap, uses_cluster=True, hides_confidential=True,
    )),
)
