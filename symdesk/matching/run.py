"""One matching run over a zone: every match kind, in one ranked list.

The order of work follows the evidence: declared pairs first (what the
residents said), then suggested receivers for offers (what the literature
says about who uses a material), company-type guesses (what a kind of
company usually has or needs), pools of like streams, and finally chains and
loops built on the declared pairs. Pure: it reads residents and streams and
returns opportunities; storing them is the service's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import MatchKind, Opportunity, opportunity_key
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, ProgressFn, check_cancelled, no_progress
from symdesk.matching.benefits import Benefits, estimate_benefits, yearly
from symdesk.matching.chains import chain_opportunities
from symdesk.matching.company_mode import company_type_opportunities
from symdesk.matching.components import (
    as_stored,
    benefits_json,
    breakdown_row,
    cost_warnings,
    shared_reason,
)
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pairs import PairEvidence, stream_classes
from symdesk.matching.pooling import pooling_opportunities
from symdesk.matching.receiver_mode import receiver_opportunities
from symdesk.matching.scoring import ScoreBreakdown
from symdesk.matching.screen import best_of_each, screen_pairs
from symdesk.matching.settings import Factors, Weights

# A pair is kept when it is among the best this many of its offer or of its need.
MAX_PAIRS_PER_STREAM = 5
STEPS = ("pairs", "receivers", "company_type", "pooling", "chains")


def _named(params: Mapping[str, object], material_names: Mapping[str, str]) -> dict[str, object]:
    """Reason parameters with material-class keys («wood_waste») replaced by their names
    (the same dict when there are none: reasons are read, never changed)."""
    classes = params.get("classes")
    if not isinstance(classes, str):
        return params  # type: ignore[return-value]
    return {**params, "classes": ", ".join(material_names.get(k.strip(), k.strip()) for k in classes.split(","))}


def pair_opportunity(
    evidence: PairEvidence,
    score: ScoreBreakdown,
    offer: Stream,
    need: Stream,
    benefits: Benefits,
    material_names: Mapping[str, str] | None = None,
    titles: dict[tuple[str, str], str] | None = None,
) -> Opportunity:
    """A declared offer meeting a declared need. The title names the materials only:
    parties are shown beside it, and hidden where confidentiality asks.

    ``titles`` (a run's own dict) makes pairs of the same two names share one title string:
    a register names its materials in a few thousand ways but holds a million pairs."""
    names = material_names or {}
    title_key = (offer.name, need.name)
    title = titles.get(title_key) if titles is not None else None
    if title is None:
        title = f"{offer.name} → {need.name}"
        if titles is not None:
            titles[title_key] = title
    reasons = [shared_reason(m, _named(p, names)) for m, p in (*evidence.reasons, *score.flags)]
    reasons += cost_warnings(benefits)
    stored_benefits = benefits_json(benefits)
    supply, demand = yearly(offer), yearly(need)
    stored_benefits["supply_amount"] = supply.value if supply else None
    stored_benefits["demand_amount"] = demand.value if demand else None
    return Opportunity(
        match_kind=MatchKind.PAIR,
        kind=offer.kind.value,
        title=title,
        score=round(score.total, 2),
        provider_id=offer.resident_id,
        receiver_id=need.resident_id,
        offer_id=offer.id,
        need_id=need.id,
        members=[offer.id, need.id],
        components=component_rows(score),
        benefits=stored_benefits,
        reasons=as_stored(reasons) if _needs_conversion(reasons) else reasons,
        confidential_parties=sorted(
            {s.resident_id for s in (offer, need) if s.confidential}
        ),
        meta=RecordMeta(id=opportunity_key(MatchKind.PAIR, offer.id, need.id)),
    )


def component_rows(score: ScoreBreakdown) -> list[dict[str, Any]]:
    """The breakdown as rows, as the JSON column stores them: each component's value, weight,
    contribution and note (``components.breakdown_row``: rows that say the same are shared)."""
    return [breakdown_row(c.name, c.value, c.weight, c.contribution, c.note) for c in score.components]


def _needs_conversion(reasons: list[dict]) -> bool:
    plain = (str, int, float, bool, type(None))
    return any(not isinstance(v, plain) for r in reasons for v in r["params"].values())


@collector_paused()
def find_opportunities(
    residents: Sequence[Resident],
    streams: Sequence[Stream],
    kb: KnowledgeBase,
    weights: Weights,
    factors: Factors,
    material_names: Mapping[str, str],
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    language: str = "en",
) -> list[Opportunity]:
    """Every opportunity of the zone, best first (ties by id); deterministic.

    ``material_names`` and ``language`` name materials in the reasons (classes and literature
    precedents), in the language the results are read in."""
    progress = progress or no_progress
    by_resident = {r.id: r for r in residents}
    live_streams = [s for s in streams if s.resident_id in by_resident]
    by_id = {s.id: s for s in live_streams}
    offers = [s for s in live_streams if s.direction is Direction.OFFER]
    needs = [s for s in live_streams if s.direction is Direction.NEED]
    total = len(STEPS) + 1

    progress(0, total, "pairs")
    # The pairs step is screening (most of it in a national register), then explaining the kept.
    screened = screen_pairs(
        offers, needs, by_resident, kb, weights, cancelled=cancelled,
        progress=lambda done, work, what: progress(done, 2 * work, what),
    )
    kept = best_of_each(screened, MAX_PAIRS_PER_STREAM)
    del screened  # every scored pair (6 million in a national register): only the kept are explained
    pairs = []
    titles: dict[tuple[str, str], str] = {}
    for i, (e, score) in enumerate(kept.explained()):
        if i % 500 == 0:
            check_cancelled(cancelled)
            progress(len(kept) + i, 2 * len(kept), "pairs")
        offer, need = by_id[e.offer_id], by_id[e.need_id]
        benefits = estimate_benefits(offer, need, score.distance_km, factors)
        pairs.append(pair_opportunity(e, score, offer, need, benefits, material_names, titles))

    progress(1, total, "receivers")
    declared = {(o.offer_id, o.receiver_id) for o in pairs}
    receivers = receiver_opportunities(offers, by_resident, kb, weights, factors, declared=declared, language=language)
    check_cancelled(cancelled)

    progress(2, total, "company_type")

    known_classes: dict[tuple[str, str], tuple[str, ...]] = {}

    def classes_of(s: Stream) -> tuple[str, ...]:
        key = (s.name, s.code)
        if key not in known_classes:
            known_classes[key] = stream_classes(kb, s.name, s.code)
        return known_classes[key]

    guesses = company_type_opportunities(live_streams, by_resident, kb, weights, classes_of, language=language)
    check_cancelled(cancelled)

    progress(3, total, "pooling")
    pools = pooling_opportunities(live_streams, by_resident, weights, classes_of, material_names)
    check_cancelled(cancelled)

    progress(4, total, "chains")
    chains = chain_opportunities(pairs, {s.id: s.name for s in offers})
    progress(5, total, "")

    found: dict[str, Opportunity] = {}
    for o in (*pairs, *receivers, *guesses, *pools, *chains):
        found.setdefault(o.id, o)
    # Best first, ties by id: two stable sorts on plain keys, faster than one on (score, id) tuples.
    ranked = sorted(found.values(), key=attrgetter("id"))
    ranked.sort(key=attrgetter("score"), reverse=True)
    return ranked
