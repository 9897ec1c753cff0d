"""Candidate pairs: which declared offers could meet which declared needs, and why.

The first of the UNIDO match kinds (declared offer ↔ declared need). Matching
is deliberately generous — a pair is a candidate as soon as one kind of
evidence links the two streams — because the score (scoring.py) ranks them;
but physical impossibilities are cut here (70 °C water cannot feed a 550 °C
furnace, wastewater cannot become drinking water), so nobody is shown them.
Every pair says how it matched, as msgids with parameters, so the GUI and
reports can explain it in the user's language.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from symdesk.domain.issues import N_, Msg
from symdesk.domain.labels import label
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import CODED_CATEGORIES, Category, Stream
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.settings import Weights, default_weights
from symdesk.matching.text import tokens

Reason = tuple[str, dict[str, Any]]


class MatchLevel(StrEnum):
    """How an offer was linked to a need, strongest evidence first."""

    CODE_EXACT = "code_exact"
    CODE_SUBCHAPTER = "code_subchapter"
    CODE_CHAPTER = "code_chapter"
    MATERIAL_CLASS = "material_class"
    TEXT = "text"
    CATEGORY = "category"


LEVEL_ORDER = tuple(MatchLevel)

# Categories exchanged as such: the same category is evidence of its own.
FUNGIBLE_UTILITIES = frozenset(
    {Category.WATER, Category.HEAT, Category.STEAM, Category.ELECTRICITY, Category.FUEL_GAS, Category.CO2}
)
# Too varied to pair on the category alone: the names must also agree.
VARIED_CATEGORIES = frozenset(
    {Category.EQUIPMENT, Category.INFRASTRUCTURE, Category.SERVICE, Category.LOGISTICS}
)
# Groups whose members can meet each other's needs; steam can also heat.
_GROUP = {
    Category.EQUIPMENT: "assets",
    Category.INFRASTRUCTURE: "assets",
    Category.SERVICE: "services",
    Category.LOGISTICS: "services",
}
_OFFER_SERVES = {Category.STEAM: (Category.STEAM, Category.HEAT)}

# Words that say nothing about the material; kept out of name similarity.
STOPWORDS = frozenset(
    ["и", "в", "во", "на", "для", "от", "по", "из", "с", "со", "к", "до", "при", "или", "без", "не", "под", "над", "за", "а", "the", "of", "for", "and", "from", "to", "in", "on", "with", "by", "or", "at", "прочие", "прочих", "other"]
)

_DRINKING = re.compile(r"питьев|drinking|potable")
_WASTEWATER = re.compile(r"сточн|промывн|wastewater|waste water|effluent|sewage")
_TREATED = re.compile(r"очищен|доочист|treated|reclaimed")


@dataclass
class PairEvidence:
    """One candidate offer → need pair and the evidence that links them."""

    offer_id: str
    need_id: str
    offer_resident_id: str
    need_resident_id: str
    level: MatchLevel
    levels: tuple[MatchLevel, ...]
    similarity: float
    shared_classes: tuple[str, ...] = ()
    reasons: list[Reason] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """Stable identity of the pair: the same offer and need are the same opportunity."""
        return (self.offer_id, self.need_id)


@lru_cache(maxsize=200_000)
def stream_classes(kb: KnowledgeBase, name: str, code: str = "") -> tuple[str, ...]:
    """Material classes of a name (and code), cached: the knowledge-base lookup is the slow part."""
    return tuple(kb.material_classes(name, code))


@dataclass
class _Prepared:
    stream: Stream
    kb: KnowledgeBase
    stems: frozenset[str]
    classes: tuple[str, ...]  # by code and name

    @property
    def name_classes(self) -> frozenset[str]:
        """By name only, to veto code-prefix coincidences; computed only when asked."""
        return frozenset(stream_classes(self.kb, self.stream.name))


def _prepare(stream: Stream, kb: KnowledgeBase) -> _Prepared:
    stems = frozenset(t for t in tokens(stream.name) if t not in STOPWORDS and len(t) > 1)
    coded = stream.category in CODED_CATEGORIES
    classes = stream_classes(kb, stream.name, stream.code) if coded else ()
    return _Prepared(stream, kb, stems, classes)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _group(category: Category) -> str:
    if category in CODED_CATEGORIES:
        return "materials"
    return _GROUP.get(category, category.value)


def _served_groups(offer: Stream) -> tuple[str, ...]:
    cats = _OFFER_SERVES.get(offer.category)
    return tuple(dict.fromkeys(_group(c) for c in cats)) if cats else (_group(offer.category),)


def _blocked(offer: Stream, need: Stream) -> Reason | None:
    """Why the offer physically or by declaration cannot meet the need, if it cannot."""
    if need.category in (Category.HEAT, Category.STEAM):
        if need.temperature_c is not None and (
            offer.temperature_c is None or offer.temperature_c < need.temperature_c
        ):
            return (N_("Offer temperature is below the {need} °C needed"), {"need": need.temperature_c})
        if (
            need.category is Category.STEAM
            and need.pressure_mpa is not None
            and (offer.pressure_mpa is None or offer.pressure_mpa < need.pressure_mpa)
        ):
            return (N_("Offer pressure is below the {need} MPa needed"), {"need": need.pressure_mpa})
    offered_text = f"{offer.name} {offer.quality}".lower()
    is_wastewater = offer.category is Category.WATER and bool(_WASTEWATER.search(offered_text))
    if need.category is Category.WATER and _DRINKING.search(f"{need.name} {need.quality}".lower()) and is_wastewater:
        return (N_("Wastewater cannot meet a drinking-water need"), {})
    if (
        is_wastewater
        and need.category is Category.WATER
        and not _TREATED.search(offered_text)
        and not _WASTEWATER.search(f"{need.name} {need.quality}".lower())
    ):
        # Untreated effluent is a load for a treatment plant, not usable water.
        return (N_("Untreated wastewater can only go to treatment"), {})
    if (
        need.category is Category.WATER
        and _WASTEWATER.search(need.name.lower())
        and offer.category is Category.WATER
        and not is_wastewater
    ):
        # A treatment plant «needs» effluent to treat; clean water is not that.
        return (N_("The need is for wastewater to treat"), {})
    if need.secondary_acceptable is False and (
        offer.category in (Category.WASTE, Category.BY_PRODUCT) or is_wastewater
    ):
        return (N_("The need does not accept secondary resources"), {})
    return None


def _code_level(offer: Stream, need: Stream) -> MatchLevel | None:
    a, b = offer.code, need.code
    if not a or not b or len(a) != len(b):
        return None
    if a == b:
        return MatchLevel.CODE_EXACT
    if len(a) == 6 and a[:4] == b[:4]:
        return MatchLevel.CODE_SUBCHAPTER
    if len(a) == 6 and a[:2] == b[:2]:
        return MatchLevel.CODE_CHAPTER
    return None


def _different_materials(o: _Prepared, n: _Prepared) -> bool:
    a, b = o.name_classes, n.name_classes
    return bool(a and b and not a & b)


def _evaluate(o: _Prepared, n: _Prepared, weights: Weights) -> PairEvidence | None:
    offer, need = o.stream, n.stream
    if _blocked(offer, need) is not None:
        return None
    levels: list[MatchLevel] = []
    reasons: list[Reason] = []
    sim = jaccard(o.stems, n.stems)
    shared: tuple[str, ...] = ()
    if _group(offer.category) == "materials" and _group(need.category) == "materials":
        code_level = _code_level(offer, need)
        # Codes sharing only a prefix (150101 paper vs 150102 plastic packaging)
        # are vetoed when the names clearly name different materials.
        if code_level in (MatchLevel.CODE_SUBCHAPTER, MatchLevel.CODE_CHAPTER) and _different_materials(o, n):
            code_level = None
        if code_level is MatchLevel.CODE_EXACT:
            reasons.append((N_("Same waste code {code}"), {"code": offer.code}))
        elif code_level is MatchLevel.CODE_SUBCHAPTER:
            reasons.append((N_("Same waste code sub-chapter {prefix}"), {"prefix": offer.code[:4]}))
        elif code_level is MatchLevel.CODE_CHAPTER:
            reasons.append((N_("Same waste code chapter {prefix}"), {"prefix": offer.code[:2]}))
        if code_level:
            levels.append(code_level)
        # The offer's own (first) material class must be wanted: «ash from
        # burning wood» is ash, whatever the word «wood» in its name says.
        shared = tuple(c for c in o.classes if c in n.classes)
        if o.classes and o.classes[0] not in n.classes:
            shared = ()
        if shared:
            levels.append(MatchLevel.MATERIAL_CLASS)
            reasons.append((N_("Same material class: {classes}"), {"classes": ", ".join(shared)}))
        if sim >= weights.text_min_similarity:
            levels.append(MatchLevel.TEXT)
            reasons.append((N_("Similar names ({similarity:.0%} of words shared)"), {"similarity": sim}))
    elif _group(need.category) in _served_groups(offer):
        if need.category in VARIED_CATEGORIES and sim < weights.category_min_similarity:
            return None
        levels.append(MatchLevel.CATEGORY)
        reasons.append((N_("Same kind of resource: {category}"), {"category": Msg(label(need.category))}))
        if sim >= weights.text_min_similarity:
            levels.append(MatchLevel.TEXT)
            reasons.append((N_("Similar names ({similarity:.0%} of words shared)"), {"similarity": sim}))
        if need.temperature_c is not None and offer.temperature_c is not None:
            reasons.append(
                (
                    N_("Offer at {offer} °C meets the {need} °C needed"),
                    {"offer": offer.temperature_c, "need": need.temperature_c},
                )
            )
        if need.pressure_mpa is not None and offer.pressure_mpa is not None:
            reasons.append(
                (
                    N_("Offer at {offer} MPa meets the {need} MPa needed"),
                    {"offer": offer.pressure_mpa, "need": need.pressure_mpa},
                )
            )
    if not levels:
        return None
    fit = weights.material_fit_by_level
    best = max(levels, key=lambda lv: (fit.get(lv.value, 0.0), -LEVEL_ORDER.index(lv)))
    return PairEvidence(
        offer_id=offer.id,
        need_id=need.id,
        offer_resident_id=offer.resident_id,
        need_resident_id=need.resident_id,
        level=best,
        levels=tuple(sorted(levels, key=LEVEL_ORDER.index)),
        similarity=round(sim, 6),
        shared_classes=shared,
        reasons=reasons,
    )


def _active(stream: Stream, residents_by_id: Mapping[str, Resident]) -> bool:
    r = residents_by_id.get(stream.resident_id)
    return r is None or r.status is not ResidentStatus.LEFT


def candidate_pairs(
    offers: Iterable[Stream],
    needs: Iterable[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights | None = None,
) -> list[PairEvidence]:
    """Every offer → need pair of different residents linked by some evidence, sorted by ids.

    Needs are indexed by code, code prefixes, material class, name stem and
    category group, so each offer is compared only with needs sharing
    something with it instead of with all of them.
    """
    weights = weights or default_weights()
    prepared_needs = [_prepare(n, kb) for n in needs if not n.meta.deleted and _active(n, residents_by_id)]
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, n in enumerate(prepared_needs):
        s = n.stream
        group = _group(s.category)
        if group != "materials":
            index[("group", group)].append(i)
        else:
            if s.code:
                index[("code", s.code)].append(i)
                index[("code4", s.code[:4])].append(i)
                index[("code2", s.code[:2])].append(i)
            for c in n.classes:
                index[("class", c)].append(i)
            for t in n.stems:
                index[("stem", t)].append(i)
    pairs: list[PairEvidence] = []
    for offer in offers:
        if offer.meta.deleted or not _active(offer, residents_by_id):
            continue
        o = _prepare(offer, kb)
        keys: list[tuple[str, str]] = []
        if _group(offer.category) == "materials":
            if offer.code:
                keys += [("code", offer.code), ("code4", offer.code[:4]), ("code2", offer.code[:2])]
            keys += [("class", c) for c in o.classes]
            keys += [("stem", t) for t in o.stems]
        else:
            keys += [("group", g) for g in _served_groups(offer)]
        seen: set[int] = set()
        for k in keys:
            seen.update(index.get(k, ()))
        for i in sorted(seen):
            n = prepared_needs[i]
            if n.stream.resident_id == offer.resident_id:
                continue
            evidence = _evaluate(o, n, weights)
            if evidence is not None:
                pairs.append(evidence)
    pairs.sort(key=lambda p: (p.offer_id, p.need_id))
    return pairs


def evidence_by_key(pairs: Sequence[PairEvidence]) -> dict[tuple[str, str], PairEvidence]:
    return {p.key: p for p in pairs}
