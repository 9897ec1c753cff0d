"""Exports of the opportunities to Excel (``symdesk export opportunities``).

The service chooses the rows (the same filters as the opportunities list),
prints names as the audience may see them (``--for-residents`` hides
confidential parties) and translates the headings; the workbook layout is
``symdesk.io.opportunities_xlsx``. The written figures are the stored ones,
so the workbook agrees with the app and the reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from symdesk.domain.figures import BENEFIT_KEYS, BENEFIT_LABELS, COMPONENT_LABELS
from symdesk.domain.labels import label
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.stream import OpportunityKind
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.domain.units import CANONICAL_UNIT, UNITS, Dimension
from symdesk.i18n import N_, _, current_language, set_language
from symdesk.io.opportunities_xlsx import Captions, MethodSheet, OpportunityRow, write_opportunities
from symdesk.matching.reach import resident_distance_km
from symdesk.matching.settings import COMPONENTS, default_factors, default_weights
from symdesk.services.confidentiality import party_name
from symdesk.services.errors import UserError
from symdesk.services.matching import list_opportunities
from symdesk.services.places import located_residents
from symdesk.services.report_meeting import FACTOR_LABELS
from symdesk.storage.db import Database
from symdesk.storage.repository import StreamRepository
from symdesk.storage.uow import unit_of_work


@dataclass(frozen=True)
class OpportunityFilters:
    kind: str | None = None
    match_kind: str | None = None
    statuses: tuple[str, ...] = ()
    min_score: float = 0.0
    for_residents: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _unit(code: str) -> str:
    unit = UNITS.get(code)
    if unit is None:
        return code
    return unit.label_en if current_language() == "en" else unit.label_ru


def _captions(component_keys: Sequence[str]) -> Captions:
    return Captions(
        sheet=_("Opportunities"),
        method_sheet=_("Weights and factors"),
        fixed={
            "rank": "№", "id": _("ID"), "supplier": _("Supplier"), "receiver": _("Receiver"), "kind": _("Kind"),
            "match_kind": _("How found"), "material": _("Material or resource offered"), "need": _("Need"),
            "score": _("Score"), "matched_amount": _("Exchanged amount per year"), "matched_unit": _("Unit"),
            "distance_km": _("Distance, km"), "status": _("Status"), "status_since": _("Status since"),
            "reject_reason": _("Reason for rejection"), "notes": _("Notes"),
        },
        components={k: _("{component} (0–1)").format(component=_(COMPONENT_LABELS.get(k, k))) for k in component_keys},
        benefits={k: _("{benefit}, {unit}").format(benefit=_(BENEFIT_LABELS[k][0]), unit=_(BENEFIT_LABELS[k][1]))
                  for k in BENEFIT_KEYS},
        weights_title=_("Score weights"),
        factors_title=_("Benefit factors"),
        weight_headers=(_("Component"), _("Weight")),
        factor_headers=(_("Key"), _("Factor"), _("Value"), _("Unit"), _("Source"), _("Approximate")),
    )


def _method() -> MethodSheet:
    weights, factors = default_weights(), default_factors()
    return MethodSheet(
        weights=tuple((_(COMPONENT_LABELS.get(k, k)), w) for k, w in weights.weights.items()),
        factors=tuple((f.key, _(FACTOR_LABELS.get(f.key, f.key)), f.value, f.unit, f.source,
                       "approximate" in f.source.lower()) for f in factors.items.values()),
    )


def _component_keys(opportunities: Sequence[Opportunity]) -> list[str]:
    seen = {c.get("component") for o in opportunities for c in o.components}
    known = [*COMPONENTS, *(k for k in COMPONENT_LABELS if k not in COMPONENTS)]
    return [k for k in known if k in seen] + sorted(k for k in seen if k and k not in known)


def export_opportunities(
    db: Database,
    out_path: Path | str,
    filters: OpportunityFilters | None = None,
    *,
    language: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ExportResult:
    """Write the filtered opportunities, best first, to an .xlsx workbook."""
    filters = filters or OpportunityFilters()
    progress = progress or no_progress
    out_path = Path(out_path)
    if not out_path.parent.is_dir():
        raise UserError(N_("Cannot write {path}: the folder {folder} does not exist"), path=str(out_path),
                        folder=str(out_path.parent))
    before = current_language()
    if language and language != before:
        set_language(language)
    try:
        found = [o for o in list_opportunities(db, kind=filters.kind, match_kind=filters.match_kind,
                                               min_score=filters.min_score)
                 if not filters.statuses or o.status.value in filters.statuses]
        with unit_of_work(db) as session:
            residents = {r.id: r for r in located_residents(session)}
            streams = {s.id: s for s in StreamRepository(session).list()}
        names = {r.id: r.display_name for r in residents.values()}
        rows = []
        for rank, o in enumerate(found, start=1):
            if rank % 200 == 0:
                check_cancelled(cancelled)
                progress(rank, 2 * len(found), _("Preparing the opportunities"))
            offer, need = streams.get(o.offer_id or ""), streams.get(o.need_id or "")
            amount, dimension = o.benefits.get("matched_amount"), o.benefits.get("matched_dimension")
            unit = ""
            if amount is not None and dimension in Dimension._value2member_map_:
                unit = _unit(CANONICAL_UNIT[Dimension(dimension)])
            rows.append(OpportunityRow(
                rank=rank, id=o.id,
                supplier=party_name(o, o.provider_id, names, for_residents=filters.for_residents),
                receiver=party_name(o, o.receiver_id, names, for_residents=filters.for_residents),
                kind=_(label(OpportunityKind(o.kind))) if o.kind in OpportunityKind._value2member_map_ else o.kind,
                match_kind=_(label(o.match_kind)),
                material=offer.name if offer else o.title,
                need=need.name if need else "",
                score=float(o.score),
                components={c["component"]: float(c.get("value", 0.0)) for c in o.components if c.get("component")},
                matched_amount=float(amount) if amount is not None else None,
                matched_unit=unit,
                distance_km=resident_distance_km(residents.get(o.provider_id or ""), residents.get(o.receiver_id or ""))
                if o.provider_id and o.receiver_id else None,
                benefits={k: float(o.benefits.get(k) or 0.0) for k in BENEFIT_KEYS},
                status=_(label(o.status)),
                status_since=o.status_changed_at.date() if o.status_changed_at else None,
                reject_reason=o.reject_reason,
                notes=o.notes,
            ))
        check_cancelled(cancelled)
        keys = _component_keys(found)
        try:
            # Writing the rows is the longer half (openpyxl writes some 40,000 cells a second).
            write_opportunities(out_path, rows, _captions(keys), _method(), component_keys=keys,
                                benefit_keys=BENEFIT_KEYS, cancelled=cancelled,
                                progress=lambda done, total: progress(total + done, 2 * total,
                                                                      _("Writing the opportunities")))
        except OSError as exc:
            raise UserError(N_("Cannot write {path}: {reason}"), path=str(out_path),
                            reason=exc.strerror or str(exc)) from None
        progress(len(found), len(found), "")
    finally:
        if current_language() != before:
            set_language(before)
    return ExportResult(out_path, len(rows))
