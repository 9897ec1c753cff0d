"""Offers meeting residents who have not declared the need: UNIDO's "search by by-product".

A resident whose activity is a documented user of a material is a likely
receiver even if its questionnaire says nothing about it — the typical case
early in a survey. For every live offer the knowledge base ranks receiving
activity classes; the zone's residents in those classes become RECEIVER
opportunities, scored like pairs but with what is unknown (the receiver's
demand, its timing) held at the neutral value and the material fit capped
below a declared match, so a confirmed need always ranks above a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from symdesk.classifiers.reference import describe_activity
from symdesk.domain.issues import N_
from symdesk.domain.opportunity import NO_PARTIES, MatchKind, Opportunity, opportunity_key
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.matching.benefit_columns import pair_benefits
from symdesk.matching.components import (
    NEUTRAL,
    Reason,
    component_row,
    cost_warning,
    distance_value_at,
    precedent_reasons,
    shared_reason,
    total_by_distance,
)
from symdesk.matching.knowledge import KnowledgeBase, ReceiverSuggestion
from symdesk.matching.reach import Grid, longest_reach_km, reach_km, resident_distance_km
from symdesk.matching.scoring import DISPOSAL_HANDLING, hazard_flags
from symdesk.matching.settings import COMPONENTS, Factors, Weights

# Categories the knowledge base knows receivers for; assets and services are matched by name only.
RECEIVABLE = frozenset(
    {Category.WASTE, Category.BY_PRODUCT, Category.MATERIAL, Category.HEAT, Category.STEAM, Category.CO2, Category.WATER}
)
# A suggested receiver is less certain than a declared need: its material fit never exceeds this.
MAX_FIT = 0.8
# Precedents quoted as reasons for a guess.
PRECEDENTS_SHOWN = 3
_HAZARD_VALUE = {"1": 0.1, "2": 0.3, "3": 0.7, "4": 0.9, "non_hazardous": 1.0}
# The metadata of a stream that is never saved (a receiver's unstated need): no fresh uuid4 for each.
_UNSAVED = RecordMeta(id="")


def activity_class(code: str) -> str:
    digits = "".join(ch for ch in code if ch.isdigit())
    return digits[:4] if len(digits) >= 4 else ""


def residents_by_class(residents: Sequence[Resident]) -> dict[str, list[Resident]]:
    """Live residents by each 4-digit class of their activities, in a stable order."""
    found: dict[str, list[Resident]] = {}
    for r in sorted(residents, key=lambda r: r.id):
        if r.status is ResidentStatus.LEFT:
            continue
        for cls in dict.fromkeys(activity_class(c) for c in r.activity_codes):
            if cls:
                found.setdefault(cls, []).append(r)
    return found


def _kb_code(stream: Stream) -> str:
    code = "".join(ch for ch in stream.code if ch.isdigit())
    return code if len(code) == 6 else ""  # the knowledge base speaks EWC


def _offer_completeness(offer: Stream) -> float:
    present = [offer.quantity is not None, bool(offer.unit), offer.regularity is not None,
               offer.hazard_class is not None or offer.category not in (Category.WASTE, Category.BY_PRODUCT),
               offer.handling is not None, bool(offer.code) or offer.category not in (Category.WASTE, Category.BY_PRODUCT)]
    return 0.5 * sum(present) / len(present)  # the receiver's half of the data is missing


@lru_cache(maxsize=65536)
def _suggestions(kb: KnowledgeBase, code: str, name: str, provider_class: str) -> tuple[ReceiverSuggestion, ...]:
    """Likely receiving classes of a material; remembered for the process (the knowledge base is fixed)."""
    return tuple(kb.receivers(code=code, text=name, provider_activity=provider_class, limit=10))


def receiver_opportunities(
    offers: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights,
    factors: Factors,
    *,
    declared: Collection[tuple[str, str]] = (),
    per_offer: int = 5,
    min_score: float = 40.0,
    language: str = "en",
) -> list[Opportunity]:
    """RECEIVER opportunities: each offer with the zone's likely users that declared no matching need.

    ``declared`` holds (offer id, receiver resident id) of the declared pairs,
    which are not proposed again as guesses. The readings are scored first
    (``kept_receivers``), then the kept explained (``explained_receivers``):
    a shared run scores them in its helper process.
    """
    kept = kept_receivers(offers, residents_by_id, kb, weights, declared=declared, per_offer=per_offer,
                          min_score=min_score)
    return explained_receivers(kept, offers, residents_by_id, kb, weights, factors, language=language)


# A kept reading: (the offer's position in the offers, the receiver's id, the position of the
# suggested class in the offer's suggestions, its total, the distance in km, the opportunity's id).
KeptReceiver = tuple[int, str, int, float, "float | None", str]


def kept_receivers(
    offers: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights,
    *,
    declared: Collection[tuple[str, str]] = (),
    per_offer: int = 5,
    min_score: float = 40.0,
) -> list[KeptReceiver]:
    """Every reading of every offer scored, the best ``per_offer`` of each kept: plain values, each
    offer's best first, offers by provider (what ``explained_receivers`` makes opportunities of)."""
    neighbours = _Neighbours(residents_by_id, weights)
    declared_set = declared if isinstance(declared, set | frozenset) else set(declared)  # a register declares 745,000: not copied
    component_weights = {c: weights.weight(c) for c in COMPONENTS}
    # What each suggestion reads as, per suggestion (shared by the offers of a material).
    readings: dict[int, _Reading] = {}
    found: list[KeptReceiver] = []
    kms: dict[str, float | None] = {}  # from the provider of the offers at hand to each receiver
    provider_at = None
    # Offers grouped by provider, so a receiver's distance is worked out once per provider.
    for at in sorted(range(len(offers)), key=lambda k: (offers[k].resident_id, offers[k].id)):
        offer = offers[at]
        provider = residents_by_id.get(offer.resident_id)
        if not _receivable(offer, provider):
            continue
        assert provider is not None
        if provider is not provider_at:
            provider_at, kms = provider, {}
        ranked = _ranked(kb, offer, provider)
        if not ranked or ranked[0].score <= 0:
            continue
        top = ranked[0].score
        # Score every reading in reach, explain only the few kept.
        best: dict[str, tuple[float, int, str, float | None]] = {}
        offer_part = _offer_values(offer)
        reach = reach_km(offer.category, weights)
        cell, provider_id, offer_id = neighbours.grid.cell(provider), provider.id, offer.id
        for rank, suggestion in enumerate(ranked):
            total_at = None  # the offer's readings of a suggestion differ in their distance only
            for receiver in neighbours.near(cell, suggestion.nace_class):
                receiver_id = receiver.id
                if receiver_id == provider_id or (offer_id, receiver_id) in declared_set:
                    continue
                if receiver_id in kms:
                    km = kms[receiver_id]
                else:
                    km = kms[receiver_id] = resident_distance_km(provider, receiver)
                if km is not None and km > reach:  # beyond_reach
                    continue
                if total_at is None:
                    reading = _reading_of(readings, suggestion, top, weights)
                    total_at = total_by_distance(_values(0.0, reading.fit, reading.kb_value, offer_part),
                                                 component_weights)
                total = total_at(distance_value_at(km, reach))
                # A resident in two suggested classes: keep its better reading.
                if receiver_id not in best or total > best[receiver_id][0]:
                    best[receiver_id] = (total, rank, receiver_id, km)
        found.extend((at, receiver_id, rank, total, km, key)
                     for total, key, rank, receiver_id, km in _kept(best, offer_id, per_offer, min_score))
    return found


def explained_receivers(
    kept: Sequence[KeptReceiver],
    offers: Sequence[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights,
    factors: Factors,
    *,
    language: str = "en",
) -> list[Opportunity]:
    """The kept readings (``kept_receivers``, of the same offers) as opportunities: the breakdown
    rows and reasons of each, and their benefits priced together."""
    component_weights = {c: weights.weight(c) for c in COMPONENTS}
    explainer = _Explainer(component_weights, language)
    readings: dict[int, _Reading] = {}
    # Kept readings waiting to be priced, and the (offer, what a receiver would take) they are priced on.
    pending: list[tuple] = []
    priced: list[tuple[Stream, Stream]] = []
    found: list[Opportunity] = []
    for at, rows in groupby(kept, key=itemgetter(0)):
        offer = offers[at]
        provider = residents_by_id[offer.resident_id]
        ranked = _ranked(kb, offer, provider)
        top = ranked[0].score
        offer_part = _offer_values(offer)
        reach = reach_km(offer.category, weights)
        # What any receiver would take: the offer's material, as much as is offered, at no stated price.
        priced.append((offer, Stream(resident_id="", direction=Direction.NEED, category=offer.category, name=offer.name,
                                     unit=offer.unit, period=offer.period, meta=_UNSAVED)))
        offer_rows = explainer.offer_rows(offer_part)
        flags = [shared_reason(message, params) for message, params in hazard_flags(offer)]
        for _, receiver_id, rank, total, km, key in rows:
            suggestion = ranked[rank]
            reading = _reading_of(readings, suggestion, top, weights)
            suggested, breakdown = explainer.told(reading, distance_value_at(km, reach), km, offer_rows)
            pending.append((len(priced) - 1, km, key, offer, provider, residents_by_id[receiver_id], suggested, total,
                            breakdown, flags))
        if len(pending) >= PRICED_AT_ONCE:
            found.extend(_priced(pending, priced, factors))
            pending, priced = [], []
    found.extend(_priced(pending, priced, factors))
    found.sort(key=attrgetter("offer_id"))  # stable: each offer's receivers stay best first
    return found


def look_up_suggestions(
    offers: Sequence[Stream], residents_by_id: Mapping[str, Resident], kb: KnowledgeBase, stop: Callable[[], bool]
) -> None:
    """Ask the knowledge base what each offer's material suggests (remembered for the process) until
    ``stop()`` says the kept readings have come: the main process of a shared run does it while it
    waits for them, then explains them with what it looked up."""
    for offer in offers:
        if stop():
            return
        provider = residents_by_id.get(offer.resident_id)
        if _receivable(offer, provider):
            _ranked(kb, offer, provider)  # type: ignore[arg-type]


def suggested_classes(kb: KnowledgeBase, offer: Stream, residents_by_id: Mapping[str, Resident]) -> frozenset[str]:
    """The activity classes whose residents may be suggested as receivers of the offer."""
    provider = residents_by_id.get(offer.resident_id)
    if not _receivable(offer, provider):
        return frozenset()
    return frozenset(s.nace_class for s in _ranked(kb, offer, provider))  # type: ignore[arg-type]


def _receivable(offer: Stream, provider: Resident | None) -> bool:
    """Whether receivers are looked for: an offer of a material the knowledge base knows users of,
    from a resident still in the zone."""
    return (
        offer.direction is Direction.OFFER and offer.category in RECEIVABLE
        and provider is not None and provider.status is not ResidentStatus.LEFT
    )


def _reading_of(readings: dict[int, _Reading], suggestion: ReceiverSuggestion, top: float, weights: Weights) -> _Reading:
    """The suggestion as read against the best suggestion's score ``top``: made once per suggestion
    and ``top`` (``readings`` is keyed by the suggestion object's id)."""
    reading = readings.get(id(suggestion))
    if reading is None or reading.suggestion is not suggestion or reading.top != top:
        reading = readings[id(suggestion)] = _Reading(suggestion, top, *_suggestion_values(suggestion, top, weights))
    return reading


def _ranked(kb: KnowledgeBase, offer: Stream, provider: Resident) -> tuple[ReceiverSuggestion, ...]:
    """The classes likely to use the offer, best first."""
    provider_class = activity_class(provider.activity_codes[0]) if provider.activity_codes else ""
    return _suggestions(kb, _kb_code(offer), offer.name, provider_class)


class _Neighbours:
    """The zone's live residents by activity class and grid cell, and those of a class near a cell
    (listed once for each cell and class: the offers of a site ask for the same ones)."""

    def __init__(self, residents_by_id: Mapping[str, Resident], weights: Weights):
        self.grid = Grid.around(list(residents_by_id.values()), longest_reach_km(weights))
        self.by_class: dict[str, dict[int, list[Resident]]] = {}
        for cls, members in residents_by_class(list(residents_by_id.values())).items():
            for member in members:
                self.by_class.setdefault(cls, {}).setdefault(self.grid.cell(member), []).append(member)
        self._around: dict[tuple[int, str], list[Resident]] = {}

    def near(self, cell: int, cls: str) -> list[Resident]:
        found = self._around.get((cell, cls))
        if found is None:
            found = self._around[(cell, cls)] = list(self.grid.near(cell, self.by_class.get(cls, {})))
        return found


def _kept(
    best: Mapping[str, tuple[float, int, str, float | None]],
    offer_id: str,
    per_offer: int,
    min_score: float,
) -> list[tuple[float, str, int, str, float | None]]:
    """An offer's best readings (at most ``per_offer``, at least ``min_score``), best first, ties by the
    opportunity id — worked out only for the readings that can still make it: those under the
    ``per_offer``-th total, or under ``min_score``, rank below every one kept."""
    totals = sorted((b[0] for b in best.values()), reverse=True)
    threshold = max(totals[per_offer - 1] if len(totals) >= per_offer else float("-inf"), min_score)
    if not totals or totals[0] < threshold:
        return []
    return sorted(
        ((b[0], opportunity_key(MatchKind.RECEIVER, offer_id, b[2]), *b[1:]) for b in best.values() if b[0] >= threshold),
        key=lambda b: (-b[0], b[1]),
    )[:per_offer]


class _Explainer:
    """A kept reading's breakdown rows and reasons, as ``weighted_score`` and ``_suggestion_reasons``
    make them: only the distance row is the reading's own. The offer's rows (hazard, price,
    completeness) are made once per offer, the suggestion's (fit, confidence) and its reasons once per
    suggestion and top score, quantity and regularity once."""

    def __init__(self, component_weights: Mapping[str, float], language: str):
        self.weights, self.language = component_weights, language
        self.total_weight = sum([component_weights[name] for name in COMPONENTS]) or 1.0  # weighted_score's
        self.unconfirmed = self.row("quantity_coverage", NEUTRAL, (N_("The receiver has not declared this need"), {}))
        self.regular = self.row("regularity_fit", NEUTRAL, None)
        # What a suggestion says (its class, its first precedents, each a documented exchange) is the
        # same for every offer it is made for.
        self._said: dict[tuple[str, ...], tuple[str, tuple[dict[str, Any], ...]]] = {}

    def row(self, name: str, value: float, note: Reason | None) -> dict[str, Any]:
        return component_row(name, value, self.weights[name], self.total_weight, note)

    def offer_rows(self, offer_part: tuple[float, float, float]) -> tuple[dict[str, Any], ...]:
        hazard, price, completeness = offer_part
        return (self.row("hazard", hazard, None), self.row("price_signal", price, None),
                self.row("data_completeness", completeness, None))

    def told(
        self, reading: _Reading, distance: float, km: float | None, offer_rows: tuple[dict[str, Any], ...],
    ) -> tuple[tuple[str, tuple[dict[str, Any], ...]], tuple[dict[str, Any], ...]]:
        """The suggestion's class name and reasons, and the reading's rows in ``COMPONENTS`` order
        (the suggestion's part made the first time it is kept, and kept on the reading)."""
        if reading.told is None:
            suggestion = reading.suggestion
            key = (suggestion.nace_class, *(p.exchange_id for p in suggestion.precedents[:PRECEDENTS_SHOWN]))
            reasons = self._said.get(key)
            if reasons is None:
                reasons = self._said[key] = _suggestion_reasons(suggestion, self.language)
            reading.told = (
                reasons,
                self.row("material_fit", reading.fit, None),
                self.row("kb_confidence", reading.kb_value, (N_("Precedent cases: {count}"), {"count": reading.cases})),
            )
        reasons, fit_row, kb_row = reading.told
        distance_row = self.row("distance", distance, None if km is not None else (N_("Site coordinates missing"), {}))
        return reasons, (fit_row, self.unconfirmed, distance_row, self.regular, *offer_rows, kb_row)


@dataclass(slots=True)
class _Reading:
    """A suggested class as the offers of one material read it: its material fit against the best
    suggestion's score (``top``), its precedent cases and knowledge-base confidence, and, once one
    of its readings is kept, its reasons and breakdown rows (``_Explainer.told``)."""

    suggestion: ReceiverSuggestion
    top: float
    fit: float
    cases: int
    kb_value: float
    told: tuple[tuple[str, tuple[dict[str, Any], ...]], dict[str, Any], dict[str, Any]] | None = None


# Kept readings are priced on arrays this many at a time (memory stays flat in a national register).
PRICED_AT_ONCE = 20_000


def _priced(pending: list[tuple], priced: list[tuple[Stream, Stream]], factors: Factors) -> list[Opportunity]:
    """The kept readings as opportunities, their benefits priced together (``pair_benefits``: what
    ``estimate_benefits`` gives the offer and the need any receiver would have, at each distance)."""
    if not pending:
        return []
    at = np.array([p[0] for p in pending], dtype=np.int64)
    km = np.array([np.nan if p[1] is None else p[1] for p in pending], dtype=np.float64)
    benefits, saved, transport, warn = pair_benefits(
        [o for o, _ in priced], [w for _, w in priced], at, at, km, factors, amounts=False
    )
    warned = set(np.flatnonzero(warn).tolist())
    return [
        _opportunity(key, offer, provider, receiver, suggested, total, rows,
                     (flags + cost_warning(saved[k], transport[k])) if k in warned else flags, benefits[k])
        for k, (_, _, key, offer, provider, receiver, suggested, total, rows, flags) in enumerate(pending)
    ]


def _offer_values(offer: Stream) -> tuple[float, float, float]:
    """The components every receiver of the offer shares: hazard, price signal, data completeness."""
    hazard = _HAZARD_VALUE.get(offer.hazard_class.value, 1.0) if offer.hazard_class else 0.8
    price = 1.0 if offer.handling in DISPOSAL_HANDLING or (offer.price_byn is not None and offer.price_byn <= 0) else NEUTRAL
    return hazard, price, _offer_completeness(offer)


def _suggestion_values(suggestion: ReceiverSuggestion, top: float, weights: Weights) -> tuple[float, int, float]:
    """The material fit of a suggested class, its number of precedent cases and its knowledge-base confidence."""
    cases = len({p.case_id for p in suggestion.precedents})
    return MAX_FIT * suggestion.score / top, cases, min(1.0, cases / max(1, weights.kb_precedents_for_full_confidence))


def _values(distance: float, fit: float, kb_value: float, offer_part: tuple[float, float, float]) -> dict[str, float]:
    """The score components of a suggested receiver, in ``COMPONENTS`` order."""
    hazard, price, completeness = offer_part
    return {
        "material_fit": fit,
        "quantity_coverage": NEUTRAL,
        "distance": distance,
        "regularity_fit": NEUTRAL,
        "hazard": hazard,
        "price_signal": price,
        "data_completeness": completeness,
        "kb_confidence": kb_value,
    }


def _suggestion_reasons(suggestion: ReceiverSuggestion, language: str) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The suggested class's name, and the reasons every receiver of that suggestion is given."""
    class_name = describe_activity(suggestion.nace_class)
    reasons: list[dict[str, Any]] = [
        shared_reason(N_("Activity class {cls} ({name}) is a known user of this material"),
                      {"cls": f"{suggestion.nace_class[:2]}.{suggestion.nace_class[2:]}", "name": class_name}),
        shared_reason(N_("To confirm with the resident: it has not declared this need"), {}),
    ]
    reasons.extend(precedent_reasons(suggestion.precedents, limit=PRECEDENTS_SHOWN, language=language))
    return class_name, tuple(reasons)


def _opportunity(
    key: str,
    offer: Stream,
    provider: Resident,
    receiver: Resident,
    suggested: tuple[str, tuple[dict[str, Any], ...]],
    total: float,
    rows: tuple[dict[str, Any], ...],
    flags: list[dict[str, Any]],
    benefits: Mapping[str, Any],
) -> Opportunity:
    """A kept reading as an opportunity: its total as ranked (``weighted_total``, equal to
    ``weighted_score``'s), its rows as ``weighted_score`` makes them (``component_row``), its
    benefits as stored; ``flags``: the hazard flags and cost warnings that follow the suggestion's reasons."""
    class_name, said = suggested
    reasons = (*said, *flags) if flags else said  # the suggestion's reasons: one tuple for all its receivers
    return Opportunity.found(
        MatchKind.RECEIVER, offer.kind.value, f"{offer.name} → {class_name}", total, provider.id, receiver.id,
        offer.id, None, [offer.id, receiver.id], rows, benefits, reasons,
        [provider.id] if offer.confidential else NO_PARTIES, key,
    )
