"""The kept declared pairs as opportunities, built from the screen's columns.

``pair_opportunity`` (below) is the definition of a declared pair's
opportunity: the evidence of ``pairs._evaluate``, the breakdown of
``scoring.score_pair`` and ``benefits.estimate_benefits``, for one pair.
Explaining the kept pairs one at a time that way (an evidence object, a
breakdown of eight components, then both turned into the rows the JSON
column stores) was two thirds of a full match: some 60 µs a pair, 15,500
pairs in a 200-resident zone and three quarters of a million in a national
register.

Here the breakdown rows are made per distinct value of each component, not
per pair: a component takes few values (hazard 1.0, regularity 0.8, «0
precedent cases»…), so each row is built once and every pair with that value
refers to it, as ``components.breakdown_row`` already shared them. The
evidence reasons are made once per kind of evidence, the benefits are priced
on arrays (``benefit_columns.py``), and only what is truly a pair's own (its
distance, id, the opportunity itself) is made pair by pair. Tests hold the
result equal to ``pair_opportunity`` over ``_evaluate`` and ``score_pair`` on
every kept pair of shuffled zones, compared as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from symdesk.domain.issues import N_
from symdesk.domain.opportunity import (
    NO_PARTIES,
    MatchKind,
    Opportunity,
    opportunity_key,
    two_part_keys,
)
from symdesk.domain.records import RecordMeta
from symdesk.domain.stream import Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.matching.benefit_columns import pair_benefits, side_columns
from symdesk.matching.benefits import Benefits, yearly
from symdesk.matching.columns import Vocab, rounded
from symdesk.matching.components import (
    as_stored,
    benefits_json,
    breakdown_row,
    cost_warning,
    cost_warnings,
    shared_reason,
)
from symdesk.matching.pair_scorer import LEVEL_BITS, PairScorer, evidence_reasons
from symdesk.matching.pairs import MatchLevel, PairEvidence, Reason
from symdesk.matching.reach import resident_distance_km
from symdesk.matching.scoring import ScoreBreakdown, hazard_flags
from symdesk.matching.screen import Screened
from symdesk.matching.settings import Factors

# Pairs between two looks at the cancel button and two progress reports.
CHECK_EVERY = 500
# Pairs explained together: bounds the columns held at once.
PAIRS_PER_PART = 20_000


def pair_opportunities(
    kept: Screened,
    factors: Factors,
    material_names: Mapping[str, str] | None = None,
    *,
    cancelled: CancelledFn | None = None,
    progress: ProgressFn | None = None,
) -> list[Opportunity]:
    """An opportunity for each pair of ``kept`` (in its order), equal to what ``pair_opportunity``
    makes of the pair's evidence, breakdown and benefits.

    Pairs are explained ``PAIRS_PER_PART`` at a time, so that the columns of a
    national register's 750,000 kept pairs are never all held at once.
    ``progress`` hears (pairs done, pairs, "pairs") every ``CHECK_EVERY`` pairs.
    """
    scorer = kept.context
    if scorer is None or not len(kept):
        return []
    progress = progress or no_progress
    run = _Run(scorer, factors, material_names or {})
    oi, nj = scorer.local(kept.offer_index, kept.need_index)
    found: list[Opportunity] = []
    for start in range(0, len(kept), PAIRS_PER_PART):
        part = slice(start, start + PAIRS_PER_PART)
        found.extend(run.part(oi[part], nj[part], kept.total[part], start, len(kept), cancelled, progress))
    progress(len(kept), len(kept), "pairs")
    return found


class _Run:
    """What every part of a run's pairs shares: each side's streams, their columns, and the reasons said so far."""

    def __init__(self, scorer: PairScorer, factors: Factors, names: Mapping[str, str]):
        self.scorer, self.factors, self.names = scorer, factors, names
        self.offer_streams = [p.stream for p in scorer.offers]
        self.need_streams = [p.stream for p in scorer.needs]
        self.priced = side_columns(self.offer_streams, self.need_streams)
        self.offer_ids = [s.id for s in self.offer_streams]
        self.need_ids = [s.id for s in self.need_streams]
        self.offer_kinds = [s.kind.value for s in self.offer_streams]
        self.offer_names = [s.name for s in self.offer_streams]
        self.need_names = [s.name for s in self.need_streams]
        self.provider_ids = [s.resident_id for s in self.offer_streams]
        self.receiver_ids = [s.resident_id for s in self.need_streams]
        # Everything evidence_reasons and the hazard flag read of each side: with the evidence, the key
        # of a pair's reasons (a key per kind of evidence, not per pair).
        # As small numbers, one per distinct reading: a key of ints hashes without enum look-ups.
        told = Vocab()
        self.offer_told = [told.id((s.code, s.temperature_c, s.pressure_mpa, s.hazard_class)) for s in self.offer_streams]
        self.need_told = [told.id((s.category, s.temperature_c, s.pressure_mpa)) for s in self.need_streams]
        self.secret_offer = [s.resident_id if s.confidential else None for s in self.offer_streams]
        self.secret_need = [s.resident_id if s.confidential else None for s in self.need_streams]
        # A pair's reasons are one tuple for every pair with the same evidence (read, never changed).
        self.reasons_of: dict[tuple[Any, ...], tuple[dict[str, Any], ...]] = {}
        self.titles: dict[tuple[str, str], str] = {}

    def part(
        self, oi: np.ndarray, nj: np.ndarray, totals: np.ndarray, done: int, work: int,
        cancelled: CancelledFn | None, progress: ProgressFn,
    ) -> list[Opportunity]:
        scorer = self.scorer
        levels, sim, raw_sim = scorer.evidence(oi, nj)
        km = _exact_km(scorer, oi, nj)
        values, known, precedents = scorer.values(oi, nj, km, levels, sim)
        components = _component_rows(scorer, values, known, np.isnan(km), precedents)
        offer_streams, need_streams = self.offer_streams, self.need_streams
        benefits, saved, transport, warn = pair_benefits(
            offer_streams, need_streams, oi, nj, km, self.factors, self.priced
        )
        warnings = {k: cost_warning(saved[k], transport[k]) for k in np.flatnonzero(warn).tolist()}
        i_list, j_list = oi.tolist(), nj.tolist()
        ids = two_part_keys(MatchKind.PAIR, self.offer_ids, self.need_ids, zip(i_list, j_list, strict=True))
        offers, needs, names = scorer.offers, scorer.needs, self.names
        offer_told, need_told, reasons_of, titles = self.offer_told, self.need_told, self.reasons_of, self.titles
        secret_offer, secret_need = self.secret_offer, self.secret_need
        offer_ids, need_ids, offer_kinds = self.offer_ids, self.need_ids, self.offer_kinds
        offer_names, need_names = self.offer_names, self.need_names
        provider_ids, receiver_ids = self.provider_ids, self.receiver_ids
        class_bit, text_bit = LEVEL_BITS[MatchLevel.MATERIAL_CLASS], LEVEL_BITS[MatchLevel.TEXT]
        found: list[Opportunity] = []
        rows = zip(
            i_list, j_list, levels.tolist(), raw_sim.tolist(), rounded(totals, 2).tolist(), components, benefits, ids,
            strict=True,
        )
        check_at = -done % CHECK_EVERY  # where done + k is a multiple of CHECK_EVERY
        for k, (i, j, bits, raw, total, breakdown, stored_benefits, key) in enumerate(rows):
            if k == check_at:
                check_cancelled(cancelled)
                progress(done + k, work, "pairs")
                check_at += CHECK_EVERY
            offer_id, need_id = offer_ids[i], need_ids[j]
            shared: tuple[str, ...] = ()
            if bits & class_bit:
                need_classes = needs[j].f.classes
                shared = tuple(c for c in offers[i].f.classes if c in need_classes)
            evidence = (bits, shared, raw if bits & text_bit else None, offer_told[i], need_told[j])
            said = reasons_of.get(evidence)
            if said is None:
                offer, need = offer_streams[i], need_streams[j]
                stated = [shared_reason(m, _named(p, names)) for m, p in evidence_reasons(offer, need, bits, raw, shared)]
                stated += [shared_reason(m, p) for m, p in hazard_flags(offer)]
                said = reasons_of[evidence] = tuple(as_stored(stated) if _needs_conversion(stated) else stated)
            reasons = (*said, *warnings[k]) if k in warnings else said
            title_key = (offer_names[i], need_names[j])
            title = titles.get(title_key)
            if title is None:
                title = titles[title_key] = f"{title_key[0]} → {title_key[1]}"
            a, b = secret_offer[i], secret_need[j]
            found.append(
                Opportunity.found(MatchKind.PAIR, offer_kinds[i], title, total, provider_ids[i], receiver_ids[j], offer_id, need_id,
                                  [offer_id, need_id], breakdown, stored_benefits, reasons,
                                  sorted({p for p in (a, b) if p}) if a or b else NO_PARTIES, key)
            )
        return found


def _exact_km(scorer: PairScorer, oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
    """Each pair's distance from ``haversine_km`` itself, NaN when unknown: stored distances must not
    differ in the last digit from the pair-by-pair definition, and the array twin may.
    Worked out once per pair of residents."""
    residents = scorer.residents
    known: dict[tuple[int, int], float] = {}
    out = []
    for a, b in zip(scorer.o["resident"][oi].tolist(), scorer.n["resident"][nj].tolist(), strict=True):
        km = known.get((a, b))
        if km is None:
            d = resident_distance_km(residents[a], residents[b])
            km = known[(a, b)] = np.nan if d is None else d
        out.append(km)
    return np.array(out, dtype=np.float64)


def _component_rows(
    scorer: PairScorer, values: dict[str, np.ndarray], known: np.ndarray, no_site: np.ndarray, cases: np.ndarray
) -> zip:
    """Each pair's breakdown rows, in component order (an iterator of tuples of shared rows)."""
    table = scorer.table
    notes: dict[str, tuple[np.ndarray, Callable[[int], Reason | None]]] = {
        "quantity_coverage": (~known, lambda flag: (N_("Quantities cannot be compared"), {}) if flag else None),
        "distance": (no_site, lambda flag: (N_("Site coordinates missing"), {}) if flag else None),
        "kb_confidence": (cases, lambda count: (N_("Precedent cases: {count}"), {"count": count})),
    }
    none = np.zeros(len(known), dtype=np.int64)
    columns = []
    for name, weight in table.weights:
        keys, note_of = notes.get(name, (none, lambda _: None))
        columns.append(_shared_column(name, weight, table.total, values[name], keys.astype(np.int64), note_of))
    return zip(*columns, strict=True)


def _shared_column(
    name: str, weight: float, total_weight: float, values: np.ndarray, note_keys: np.ndarray,
    note_of: Callable[[int], Reason | None],
) -> list[dict[str, Any]]:
    """One component's row for every pair: a row per distinct (value, note), as ``breakdown_row`` makes it.

    Values are told apart by their bits, so -0.0 and 0.0 never share a row (``shared_component``'s rule)."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.int64)
    order = np.lexsort((bits, note_keys))
    b, k = bits[order], note_keys[order]
    new = np.r_[True, (b[1:] != b[:-1]) | (k[1:] != k[:-1])]
    starts = np.flatnonzero(new)
    distinct = np.asarray(values, dtype=np.float64)[order[starts]]
    # The same float operations as a row made one at a time: value × (100 × weight) / total, rounded by Python's rule.
    contributions = rounded(100.0 * weight * distinct / total_weight, 4).tolist()
    rows = np.empty(len(starts), dtype=object)
    for g, (value, contribution, key) in enumerate(
        zip(rounded(distinct, 6).tolist(), contributions, k[starts].tolist(), strict=True)
    ):
        rows[g] = breakdown_row(name, value, weight, contribution, note_of(key))
    group = np.empty(len(values), dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    return rows[group].tolist()


def pair_opportunity(
    evidence: PairEvidence,
    score: ScoreBreakdown,
    offer: Stream,
    need: Stream,
    benefits: Benefits,
    material_names: Mapping[str, str] | None = None,
) -> Opportunity:
    """A declared offer meeting a declared need, from the pair's own evidence and breakdown: the
    definition ``pair_opportunities`` follows. The title names the materials only: parties are
    shown beside it, and hidden where confidentiality asks."""
    names = material_names or {}
    reasons = [shared_reason(m, _named(p, names)) for m, p in (*evidence.reasons, *score.flags)]
    reasons += cost_warnings(benefits)
    stored_benefits = benefits_json(benefits)
    supply, demand = yearly(offer), yearly(need)
    stored_benefits["supply_amount"] = supply.value if supply else None
    stored_benefits["demand_amount"] = demand.value if demand else None
    return Opportunity(
        match_kind=MatchKind.PAIR,
        kind=offer.kind.value,
        title=f"{offer.name} → {need.name}",
        score=round(score.total, 2),
        provider_id=offer.resident_id,
        receiver_id=need.resident_id,
        offer_id=offer.id,
        need_id=need.id,
        members=[offer.id, need.id],
        components=[breakdown_row(c.name, c.value, c.weight, c.contribution, c.note) for c in score.components],
        benefits=stored_benefits,
        reasons=as_stored(reasons) if _needs_conversion(reasons) else reasons,
        confidential_parties=sorted({s.resident_id for s in (offer, need) if s.confidential}),
        meta=RecordMeta(id=opportunity_key(MatchKind.PAIR, offer.id, need.id)),
    )


def _named(params: Mapping[str, object], material_names: Mapping[str, str]) -> dict[str, object]:
    """Reason parameters with material-class keys («wood_waste») replaced by their names
    (the same dict when there are none: reasons are read, never changed)."""
    classes = params.get("classes")
    if not isinstance(classes, str):
        return params  # type: ignore[return-value]
    return {**params, "classes": ", ".join(material_names.get(k.strip(), k.strip()) for k in classes.split(","))}


def _needs_conversion(reasons: list[dict[str, Any]]) -> bool:
    plain = (str, int, float, bool, type(None))
    return any(not isinstance(v, plain) for r in reasons for v in r["params"].values())
