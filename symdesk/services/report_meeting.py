"""The reports for meetings: the zone's opportunities, one resident's, and the projects under way.

This module gathers what each report prints into the plain records of
``symdesk.reports.meeting_data`` — deciding which opportunities are shown
(filters), whose names may be printed (confidentiality) and which totals
are stated (``matching.benefit_totals``, each offer counted once) — and
registers the writers with the report registry. Every writer writes its PDF
atomically, reports progress, stops when asked, and returns the figures it
printed so tests and callers can check them against the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from symdesk.classifiers.reference import describe_activity
from symdesk.domain.figures import BENEFIT_KEYS, COMPONENT_LABELS, money_saved
from symdesk.domain.labels import label
from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus
from symdesk.domain.questionnaire import Questionnaire, QuestionnaireStatus
from symdesk.domain.resident import Resident
from symdesk.domain.stream import (
    CODED_CATEGORIES,
    Category,
    Direction,
    HazardClass,
    OpportunityKind,
    Stream,
)
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.domain.units import CANONICAL_UNIT, UNITS, Dimension
from symdesk.domain.zone import Campaign, Site, Zone
from symdesk.i18n import N_, _, current_language, format_number
from symdesk.matching.knowledge import knowledge_base
from symdesk.matching.scoring import resident_distance_km
from symdesk.matching.settings import default_factors, default_weights
from symdesk.reports.meeting_data import (
    CountRow,
    FactorRow,
    Heading,
    Method,
    OpportunityItem,
    QuestionnaireFacts,
    ResidentFacts,
    ResidentReportData,
    ResultsGroup,
    ResultsReportData,
    ScoreRow,
    StreamFacts,
    SurveyFigures,
    ZoneReportData,
)
from symdesk.reports.network_picture import picture_from_network
from symdesk.reports.resident_report import build_resident_report
from symdesk.reports.results_report import build_results_report
from symdesk.reports.zone_report import build_zone_report
from symdesk.services import matching as matching_service
from symdesk.services import network as network_service
from symdesk.services.confidentiality import CONFIDENTIAL_PARTY, party_name
from symdesk.services.errors import UserError
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

TOP_PAGES = 10  # opportunities given a page of their own in the zone report
PRECEDENTS_SHOWN = 3
POOL_NAMES_SHOWN = 4  # participants named in a pooling opportunity's row; the rest are counted
IN_PROGRESS = (OpportunityStatus.IMPLEMENTED, OpportunityStatus.NEGOTIATING, OpportunityStatus.DISCUSSING)
APPROXIMATE_MARK = "approximate"  # factors.csv sources that say so

D = TypeVar("D")  # the data record of one report


# ---------------------------------------------------------------- totals


def benefit_totals(opportunities: Sequence[Opportunity]) -> dict[str, float]:
    """The engine's totals (``services.matching.benefit_totals``: each offer's quantity counted once)."""
    return {k: float(v) for k, v in matching_service.benefit_totals(opportunities).items()}


# ---------------------------------------------------------------- context


@dataclass
class _Zone:
    zone: Zone | None
    campaign: Campaign | None
    sites: dict[str, Site]
    residents: dict[str, Resident]
    streams: dict[str, Stream]
    questionnaires: list[Questionnaire]  # of the campaign

    @property
    def names(self) -> dict[str, str]:
        return {r.id: r.display_name for r in self.residents.values()}


def _load(db: Database) -> _Zone:
    with unit_of_work(db) as session:
        zones = sorted(ZoneRepository(session).list(), key=lambda z: (z.meta.created_at is None, z.meta.created_at, z.id))
        campaigns = sorted(CampaignRepository(session).list(), key=lambda c: (c.year, c.start_date or date.min, c.name))
        campaign = campaigns[-1] if campaigns else None
        sites = {s.id: s for s in SiteRepository(session).list()}
        residents = {r.id: r for r in ResidentRepository(session).list()}
        streams = {s.id: s for s in StreamRepository(session).list() if s.resident_id in residents}
        questionnaires = [q for q in QuestionnaireRepository(session).list()
                          if campaign is not None and q.campaign_id == campaign.id and q.resident_id in residents]
    return _Zone(zones[0] if zones else None, campaign, sites, residents, streams, questionnaires)


def _selected(db: Database, options: ReportOptions, resident_id: str | None = None) -> list[Opportunity]:
    found = matching_service.list_opportunities(db, min_score=options.min_score, resident_id=resident_id)
    return [o for o in found if not options.statuses or o.status.value in options.statuses]


def _heading(title: str, z: _Zone, options: ReportOptions, filters: Sequence[str] = (), subtitle: str = "") -> Heading:
    return Heading(
        title=title,
        zone_name=z.zone.name if z.zone else _("New zone"),
        campaign_name=z.campaign.name if z.campaign else "",
        made_on=date.today(),
        author=options.author,
        subtitle=subtitle,
        filters=tuple(filters),
    )


def _filters(options: ReportOptions) -> list[str]:
    lines = []
    if options.statuses:
        lines.append(_("Only opportunities with the status: {statuses}.").format(
            statuses=", ".join(_(label(OpportunityStatus(s))) for s in options.statuses)))
    if options.min_score > 0:
        lines.append(_("Only opportunities scoring at least {score}.").format(score=format_number(options.min_score, 1)))
    if options.for_residents:
        lines.append(_("For residents: parties who asked for confidentiality are not named."))
    return lines


# ---------------------------------------------------------------- one opportunity


def _unit(code: str) -> str:
    unit = UNITS.get(code)
    if unit is None:
        return code
    return unit.label_en if current_language() == "en" else unit.label_ru


def _amount(stream: Stream) -> str:
    if stream.quantity is None:
        return ""
    text = f"{format_number(stream.quantity, 2)} {_unit(stream.unit)}".strip()
    if stream.period is not None and not (UNITS.get(stream.unit) and UNITS[stream.unit].is_rate):
        text += " " + _(label(stream.period))
    return text


def _stream_facts(stream: Stream | None) -> StreamFacts | None:
    if stream is None:
        return None
    quality = stream.quality
    if stream.temperature_c is not None:
        quality = ", ".join(x for x in (quality, f"{format_number(stream.temperature_c, 1)} °C") if x)
    if stream.pressure_mpa is not None:
        quality = ", ".join(x for x in (quality, _("{value} MPa").format(value=format_number(stream.pressure_mpa, 2)))
                            if x)
    price = ""
    if stream.price_byn is not None:
        price = _("{price} BYN per {unit}").format(price=format_number(stream.price_byn, 2),
                                                   unit=_unit(stream.unit) or "—")
    return StreamFacts(
        name=stream.name,
        code=stream.code,
        hazard=_(label(stream.hazard_class)) if stream.hazard_class else "",
        amount=_amount(stream),
        quality=quality,
        handling=_(label(stream.handling)) if stream.handling else "",
        price=price,
    )


def _matched(benefits: Mapping[str, Any]) -> str:
    amount, dimension = benefits.get("matched_amount"), benefits.get("matched_dimension")
    if amount is None or not dimension:
        return ""
    try:
        unit = CANONICAL_UNIT[Dimension(dimension)]
    except ValueError:
        return format_number(float(amount), 1)
    return f"{format_number(round(float(amount), 1) + 0.0, 1)} {_unit(unit)}"


def _message(message: str, params: Mapping[str, Any]) -> str:
    try:
        return _(message).format(**params)
    except (KeyError, IndexError, ValueError):
        return _(message)


def _reasons(o: Opportunity) -> tuple[str, ...]:
    return tuple(_message(r.get("message", ""), r.get("params") or {}) for r in o.reasons if r.get("message"))


def _components(o: Opportunity) -> tuple[ScoreRow, ...]:
    rows = []
    for c in o.components:
        note = c.get("note")
        text = _message(note[0], note[1] if len(note) > 1 else {}) if note else ""
        name = c.get("component", "")
        rows.append(ScoreRow(_(COMPONENT_LABELS[name]) if name in COMPONENT_LABELS else name, float(c.get("value", 0)),
                             float(c.get("weight", 0)), float(c.get("contribution", 0)), text))
    return tuple(rows)


def _numbers(benefits: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(benefits.get(k) or 0.0) for k in BENEFIT_KEYS}


def _precedents(offer: Stream | None, receiver: Resident | None) -> tuple[str, ...]:
    """Documented cases of the receiver's kind of activity using this material."""
    if offer is None or receiver is None or not receiver.activity_codes:
        return ()
    classes = {c.replace(".", "")[:4] for c in receiver.activity_codes}
    code = offer.code if len(offer.code) == 6 else ""
    lines = []
    for suggestion in knowledge_base().receivers(code=code, text=offer.name, limit=50):
        if suggestion.nace_class not in classes:
            continue
        for case in suggestion.precedents[:PRECEDENTS_SHOWN]:
            where = ", ".join(x for x in (case.country_in(current_language()), case.year) if x)
            lines.append(_("{material}: activity {provider} → {receiver}{where}{reference}").format(
                material=case.material_in(current_language()), provider=case.provider_nace, receiver=case.receiver_nace,
                where=f" ({where})" if where else "", reference=f"; {case.reference}" if case.reference else ""))
        break
    return tuple(lines)


def _next_steps(o: Opportunity, offer: Stream | None, distance_km: float | None) -> tuple[str, ...]:
    steps: list[str] = []
    status = o.status
    if status is OpportunityStatus.NEW:
        steps.append(_("Present the opportunity to both residents and confirm the quantities and the quality."))
    elif status is OpportunityStatus.DISCUSSING:
        steps.append(_("Agree on a trial delivery and on the terms of supply."))
    elif status is OpportunityStatus.NEGOTIATING:
        steps.append(_("Prepare the contract and agree on prices, volumes and logistics."))
    elif status is OpportunityStatus.IMPLEMENTED:
        steps.append(_("Record the measured results: amounts exchanged, costs saved, emissions avoided."))
    elif status is OpportunityStatus.REJECTED:
        steps.append(_("Revisit if the circumstances behind the rejection change."))
    if offer is not None and offer.hazard_class in (HazardClass.CLASS_1, HazardClass.CLASS_2):
        steps.append(_("Hazardous waste: check the licences for its collection, transport and use."))
    completeness = next((c for c in o.components if c.get("component") == "data_completeness"), None)
    if completeness is not None and float(completeness.get("value", 1)) < 0.75:
        steps.append(_("Complete the missing data in both questionnaires (quantities, codes, prices)."))
    if distance_km is None and o.provider_id and o.receiver_id:
        steps.append(_("Enter the coordinates of both sites to estimate transport."))
    elif distance_km is not None and offer is not None and offer.category in CODED_CATEGORIES and distance_km > 10:
        steps.append(_("Plan the transport: the sites are {km} km apart.").format(km=format_number(distance_km, 1)))
    return tuple(steps)


def _parties(o: Opportunity, z: _Zone, for_residents: bool) -> tuple[str, str]:
    names = z.names
    provider = party_name(o, o.provider_id, names, for_residents=for_residents)
    receiver = party_name(o, o.receiver_id, names, for_residents=for_residents)
    if not provider and not receiver and o.members:
        # Pooling and chains: their member streams' or residents' holders, in order.
        members: list[str] = []
        for m in o.members:
            rid = z.streams[m].resident_id if m in z.streams else m if m in z.residents else ""
            if rid and rid not in members:
                members.append(rid)
        shown = [party_name(o, rid, names, for_residents=for_residents) for rid in members[:POOL_NAMES_SHOWN]]
        provider = ", ".join(shown)
        if len(members) > POOL_NAMES_SHOWN:
            provider = _("{names} and {count} more").format(names=provider, count=len(members) - POOL_NAMES_SHOWN)
    return provider or "—", receiver or "—"


def _material(o: Opportunity, offer: Stream | None, need: Stream | None) -> str:
    if offer is not None:
        return offer.name
    if need is not None:
        return need.name
    return o.title  # pooling and chains describe what they share


def _item(o: Opportunity, rank: int, z: _Zone, *, for_residents: bool, detailed: bool) -> OpportunityItem:
    offer = z.streams.get(o.offer_id or "")
    need = z.streams.get(o.need_id or "")
    provider, receiver = _parties(o, z, for_residents)
    distance = resident_distance_km(z.residents.get(o.provider_id or ""), z.residents.get(o.receiver_id or "")) \
        if o.provider_id and o.receiver_id else None
    kind = _(label(OpportunityKind(o.kind))) if o.kind in OpportunityKind._value2member_map_ else o.kind
    common: dict[str, Any] = dict(
        rank=rank, id=o.id, kind=kind, kind_key=o.kind, match_kind=_(label(o.match_kind)),
        status=_(label(o.status)), status_key=o.status.value, score=float(o.score),
        provider=provider, receiver=receiver, material=_material(o, offer, need),
        matched=_matched(o.benefits), benefits=_numbers(o.benefits), distance_km=distance,
    )
    if not detailed:
        return OpportunityItem(**common)
    return OpportunityItem(
        **common,
        offer=_stream_facts(offer),
        need=_stream_facts(need),
        components=_components(o),
        reasons=_reasons(o),
        precedents=_precedents(offer, z.residents.get(o.receiver_id or "")),
        notes=o.notes,
        reject_reason=o.reject_reason,
        status_since=o.status_changed_at.date() if o.status_changed_at else None,
        next_steps=_next_steps(o, offer, distance),
    )


# ---------------------------------------------------------------- method, survey


def _method() -> Method:
    weights = default_weights()
    factors = default_factors()
    groups = {
        "materials": _("materials, wastes and by-products (by truck)"),
        **{c.value: _(label(c)) for c in Category if c not in CODED_CATEGORIES},
    }
    return Method(
        weights=tuple((_(COMPONENT_LABELS.get(k, k)), w) for k, w in weights.weights.items()),
        factors=tuple(
            FactorRow(f.key, _(FACTOR_LABELS.get(f.key, f.key)), f.value, f.unit, f.source,
                      APPROXIMATE_MARK in f.source.lower())
            for f in factors.items.values()
        ),
        transport_cost_byn_per_tkm=factors["transport_cost_byn_per_tkm"],
        max_distance_km=tuple((groups.get(k, k), km) for k, km in weights.max_distance_km.items()),
        benefits_note=_("Totals count the quantity of each offer once, even where several needs compete for it."),
    )


FACTOR_LABELS: dict[str, str] = {
    "grid_co2_t_per_mwh": N_("Grid electricity emissions"),
    "natural_gas_co2_t_per_thousand_m3": N_("Natural gas combustion emissions"),
    "heat_gas_boiler_co2_t_per_gcal": N_("Heat from a gas boiler, emissions"),
    "steam_energy_mwh_per_t": N_("Energy in a tonne of steam"),
    "truck_co2_kg_per_tkm": N_("Truck transport emissions"),
    "transport_cost_byn_per_tkm": N_("Truck transport cost"),
    "landfill_organic_co2e_t_per_t": N_("Landfilled organic waste emissions"),
    "disposal_cost_byn_per_t": N_("Disposal cost"),
    "heat_price_byn_per_gcal": N_("Heat tariff"),
    "water_price_byn_per_m3": N_("Water tariff"),
    "electricity_price_byn_per_mwh": N_("Electricity tariff"),
}


def _survey(z: _Zone) -> SurveyFigures:
    by_resident = {q.resident_id: q for q in z.questionnaires}
    groups: dict[str, list[int]] = {}
    for r in z.residents.values():
        site = z.sites.get(r.site_id or "")
        key = site.name if site else _("no site")
        counts = groups.setdefault(key, [0, 0, 0, 0])
        q = by_resident.get(r.id)
        if q is None:
            counts[3] += 1
        elif q.status is QuestionnaireStatus.VERIFIED:
            counts[0] += 1
        elif q.status is QuestionnaireStatus.COMPLETE:
            counts[1] += 1
        else:
            counts[2] += 1
    streams = z.streams.values()
    return SurveyFigures(
        residents=len(z.residents),
        surveyed=len(by_resident),
        complete=sum(1 for q in by_resident.values() if q.status is not QuestionnaireStatus.DRAFT),
        offers=sum(1 for s in streams if s.direction is Direction.OFFER),
        needs=sum(1 for s in streams if s.direction is Direction.NEED),
        by_group=tuple((name, *counts) for name, counts in sorted(groups.items())),  # type: ignore[misc]
    )


def _network_labels(opportunities: Sequence[Opportunity], for_residents: bool) -> dict[str, str]:
    if not for_residents:
        return {}
    return {rid: _(CONFIDENTIAL_PARTY) for o in opportunities for rid in o.confidential_parties}


# ---------------------------------------------------------------- writing


def _laid_out(out_path: Path, options: ReportOptions, progress: ProgressFn, cancelled: CancelledFn | None,
              layout_step: int, gather: Callable[[], D], build: Callable[[D, Path], int]) -> tuple[D, int]:
    """Gather a report's data and lay out its PDF, both in the report's language; the data and the pages.

    The three meeting reports differ only in what they gather, how they lay it
    out and which of the four progress steps the layout starts at; the order —
    gather, stop if asked, lay out into a temporary file, finish — is the same.
    """
    with report_language(options.language):
        data = gather()
        check_cancelled(cancelled)
        progress(layout_step, 4, _("Laying out the pages"))
        pages = write_pdf_file(out_path, lambda temp: build(data, temp))
        progress(4, 4, "")
    return data, pages


def _totals_result(totals: Mapping[str, float], **counts: float) -> dict[str, float]:
    return {**{k: float(v) for k, v in counts.items()}, **{k: float(totals.get(k, 0.0)) for k in BENEFIT_KEYS}}


def zone_report_data(db: Database, options: ReportOptions, progress: ProgressFn | None = None,
                     cancelled: CancelledFn | None = None) -> ZoneReportData:
    progress = progress or no_progress
    progress(0, 4, _("Reading the zone"))
    z = _load(db)
    selected = _selected(db, options)
    check_cancelled(cancelled)
    progress(1, 4, _("Preparing the opportunities"))
    top_ids = {o.id for o in selected[:TOP_PAGES]}
    listed = selected[: options.list_limit] if options.list_limit > 0 else selected
    items = []
    for rank, o in enumerate(listed, start=1):
        if rank % 100 == 0:
            check_cancelled(cancelled)
        items.append(_item(o, rank, z, for_residents=options.for_residents, detailed=o.id in top_ids))
    potential = [o for o in selected if o.status is not OpportunityStatus.REJECTED]
    totals = benefit_totals(potential)
    statuses = [s for s in OpportunityStatus if not options.statuses or s.value in options.statuses]
    kinds = [k for k in OpportunityKind if any(o.kind == k.value for o in selected)]
    by_kind = tuple(
        CountRow(_(label(k)), tuple(sum(1 for o in selected if o.kind == k.value and o.status is s) for s in statuses))
        for k in kinds
    )
    by_match_kind = tuple(
        CountRow(_(label(m)), tuple(sum(1 for o in selected if o.match_kind is m and o.status is s) for s in statuses))
        for m in MatchKind
        if any(o.match_kind is m for o in selected)
    )
    cost_by_kind, diverted_by_kind = [], []
    for k in kinds:
        t = benefit_totals([o for o in potential if o.kind == k.value])
        cost_by_kind.append((_(label(k)), money_saved(t)))
        diverted_by_kind.append((_(label(k)), t["landfill_diverted_t"]))
    check_cancelled(cancelled)
    progress(2, 4, _("Drawing the network"))
    try:
        network = network_service.zone_network(db, min_score=options.min_score, statuses=options.statuses)
        picture = picture_from_network(network, _network_labels(selected, options.for_residents))
    except ImportError:  # the layout's optional numerical library is missing: print without the picture
        picture = None
    return ZoneReportData(
        heading=_heading(_("Industrial symbiosis opportunities"), z, options, _filters(options)),
        survey=_survey(z),
        opportunities=tuple(items),
        found=len(selected),
        status_columns=tuple(_(label(s)) for s in statuses),
        by_kind=by_kind,
        by_match_kind=by_match_kind,
        totals=totals,
        cost_by_kind=tuple(cost_by_kind),
        diverted_by_kind=tuple(diverted_by_kind),
        top=tuple(i for i in items if i.id in top_ids),
        method=_method(),
        network=picture,
        totals_note=_("Potential benefits of the opportunities in this report that are not rejected; the quantity "
                      "of each offer is counted once, even where several needs compete for it."),
    )


def write_zone_report(db: Database, out_path: Path, options: ReportOptions, progress: ProgressFn | None = None,
                      cancelled: CancelledFn | None = None) -> ReportResult:
    """The zone opportunity report (``symdesk report zone``)."""
    progress = progress or no_progress
    data, pages = _laid_out(Path(out_path), options, progress, cancelled, 3,
                            lambda: zone_report_data(db, options, progress, cancelled),
                            lambda data, temp: build_zone_report(data, temp, progress, cancelled))
    s = data.survey
    return ReportResult(Path(out_path), pages, _totals_result(
        data.totals, residents=s.residents, residents_surveyed=s.surveyed, questionnaires_complete=s.complete,
        offers=s.offers, needs=s.needs, opportunities=data.found, listed=len(data.opportunities)))


# ---------------------------------------------------------------- resident


def _questionnaire_facts(resident: Resident, z: _Zone) -> QuestionnaireFacts:
    q = next((q for q in z.questionnaires if q.resident_id == resident.id), None)
    streams = [s for s in z.streams.values() if s.resident_id == resident.id]
    filled = total = 0
    missing = []
    for s in sorted(streams, key=lambda s: (s.direction.value, s.name)):
        checks = [(_("quantity"), s.quantity is not None and bool(s.unit)), (_("regularity"), s.regularity is not None),
                  (_("price"), s.price_byn is not None)]
        if s.category in CODED_CATEGORIES:
            checks += [(_("waste code"), bool(s.code)), (_("hazard class"), s.hazard_class is not None)]
        if s.category in (Category.HEAT, Category.STEAM):
            checks.append((_("temperature"), s.temperature_c is not None))
        if s.direction is Direction.OFFER:
            checks.append((_("how it is handled now"), s.handling is not None))
        filled += sum(ok for _n, ok in checks)
        total += len(checks)
        lacking = [n for n, ok in checks if not ok]
        if lacking:
            missing.append(_("{stream}: {fields}").format(stream=s.name, fields=", ".join(lacking)))
    status = _(label(q.status)) if q else _("not surveyed")
    return QuestionnaireFacts(
        status=status, survey_date=q.survey_date if q else None,
        offers=sum(1 for s in streams if s.direction is Direction.OFFER),
        needs=sum(1 for s in streams if s.direction is Direction.NEED),
        filled_share=filled / total if total else 0.0, missing=tuple(missing),
    )


def resident_report_data(db: Database, options: ReportOptions, progress: ProgressFn | None = None,
                         cancelled: CancelledFn | None = None) -> ResidentReportData:
    progress = progress or no_progress
    if not options.resident_id:
        raise UserError(N_("Name the resident the report is for"))
    z = _load(db)
    resident = z.residents.get(options.resident_id)
    if resident is None:
        raise UserError(N_("No resident with id or UNP «{key}»"), key=options.resident_id)
    progress(1, 4, _("Preparing the opportunities"))
    # The report goes to the resident: other parties' confidential names are never shown.
    found = _selected(db, options, resident_id=resident.id)
    check_cancelled(cancelled)
    items = [_item(o, rank, z, for_residents=True, detailed=True) for rank, o in enumerate(found, start=1)]
    by_id = {o.id: o for o in found}
    supplies = tuple(i for i in items if by_id[i.id].provider_id == resident.id)
    receives = tuple(i for i in items
                     if by_id[i.id].receiver_id == resident.id and by_id[i.id].provider_id != resident.id)
    partners: dict[str, int] = {}
    for i in supplies:
        partners[i.receiver] = partners.get(i.receiver, 0) + 1
    for i in receives:
        partners[i.provider] = partners.get(i.provider, 0) + 1
    site = z.sites.get(resident.site_id or "")
    facts = ResidentFacts(
        name=resident.display_name, full_name=resident.name, unp=resident.unp, site=site.name if site else "",
        activities=tuple(f"{c} {describe_activity(c.replace('.', ''), current_language())}".strip()
                         for c in resident.activity_codes),
        address=resident.address,
        contact=", ".join(x for x in (resident.contact_person, resident.phone, resident.email) if x),
    )
    potential = [o for o in found if o.status is not OpportunityStatus.REJECTED]
    return ResidentReportData(
        heading=_heading(_("Symbiosis opportunities of a resident"), z, options, _filters(options),
                         subtitle=resident.name),
        resident=facts,
        questionnaire=_questionnaire_facts(resident, z),
        supplies=supplies,
        receives=receives,
        partners=tuple(sorted(partners.items(), key=lambda p: (-p[1], p[0]))),
        totals=benefit_totals(potential),
        method=_method(),
    )


def write_resident_report(db: Database, out_path: Path, options: ReportOptions, progress: ProgressFn | None = None,
                          cancelled: CancelledFn | None = None) -> ReportResult:
    """The report to hand to one resident (``symdesk report resident ID``)."""
    progress = progress or no_progress
    data, pages = _laid_out(Path(out_path), options, progress, cancelled, 2,
                            lambda: resident_report_data(db, options, progress, cancelled),
                            lambda data, temp: build_resident_report(data, temp, progress, cancelled))
    return ReportResult(Path(out_path), pages, _totals_result(
        data.totals, supplies=len(data.supplies), receives=len(data.receives), partners=len(data.partners)))


# ---------------------------------------------------------------- results


def results_report_data(db: Database, options: ReportOptions, progress: ProgressFn | None = None,
                        cancelled: CancelledFn | None = None) -> ResultsReportData:
    progress = progress or no_progress
    z = _load(db)
    progress(1, 4, _("Preparing the opportunities"))
    groups = []
    rank = 0
    for status in IN_PROGRESS:
        if options.statuses and status.value not in options.statuses:
            continue
        check_cancelled(cancelled)
        # Read status by status: the few in progress, not the whole (possibly national) list.
        chosen = matching_service.list_opportunities(db, min_score=options.min_score, status=status.value)
        items = []
        for o in chosen:
            rank += 1
            items.append(_item(o, rank, z, for_residents=options.for_residents, detailed=True))
        groups.append(ResultsGroup(_(label(status)), status.value, tuple(items), benefit_totals(chosen)))
    return ResultsReportData(
        heading=_heading(_("Results of industrial symbiosis projects"), z, options, _filters(options)),
        groups=tuple(groups),
        method=_method(),
    )


def write_results_report(db: Database, out_path: Path, options: ReportOptions, progress: ProgressFn | None = None,
                         cancelled: CancelledFn | None = None) -> ReportResult:
    """Implemented and in-progress opportunities with their results (``symdesk report results``)."""
    progress = progress or no_progress
    data, pages = _laid_out(Path(out_path), options, progress, cancelled, 2,
                            lambda: results_report_data(db, options, progress, cancelled),
                            lambda data, temp: build_results_report(data, temp, progress, cancelled))
    result: dict[str, float] = {}
    for g in data.groups:
        result[g.status_key] = float(len(g.items))
        result.update({f"{g.status_key}.{k}": float(v) for k, v in g.totals.items() if k in BENEFIT_KEYS})
    return ReportResult(Path(out_path), pages, result)


register_report(ReportSpec(
    "zone", N_("Zone opportunity report"),
    N_("the zone's opportunities: summary, charts, network, ranked list, top opportunities, method"),
    write_zone_report, uses_opportunity_filters=True, uses_list_limit=True))
register_report(ReportSpec(
    "resident", N_("Resident report"),
    N_("what one resident could supply and receive, its partners and benefits, to hand to the resident"),
    write_resident_report, needs_resident=True))
register_report(ReportSpec(
    "results", N_("Implemented projects report"),
    N_("implemented and in-progress opportunities with their estimated results"),
    write_results_report))

__all__ = [
    "benefit_totals",
    "resident_report_data",
    "results_report_data",
    "write_resident_report",
    "write_results_report",
    "write_zone_report",
    "zone_report_data",
]
