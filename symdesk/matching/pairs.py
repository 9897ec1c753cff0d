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

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from symdesk.domain.issues import N_, Msg
from symdesk.domain.labels import label
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import CODED_CATEGORIES, Category, Stream
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.reach import beyond_reach, resident_distance_km
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


@dataclass(slots=True)
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


class StreamClasses:
    """``stream_classes`` of a stream, remembered by its name and code for one run: a zone's
    streams repeat a few thousand materials."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.known: dict[tuple[str, str], tuple[str, ...]] = {}

    def __call__(self, stream: Stream) -> tuple[str, ...]:
        key = (stream.name, stream.code)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = stream_classes(self.kb, stream.name, stream.code)
        return found


def _group(category: Category) -> str:
    if category in CODED_CATEGORIES:
        return "materials"
    return _GROUP.get(category, category.value)


def _served_groups(category: Category) -> tuple[str, ...]:
    cats = _OFFER_SERVES.get(category)
    return tuple(dict.fromkeys(_group(c) for c in cats)) if cats else (_group(category),)


@dataclass(frozen=True, slots=True)
class _Features:
    """What matching needs of a stream's text, category and code; the same for the same values."""

    stems: frozenset[str]
    classes: tuple[str, ...]  # by code and name
    group: str
    served: tuple[str, ...]  # groups of needs an offer of this category can meet
    wastewater: bool  # water whose name or quality says effluent
    wastewater_text: bool  # name or quality says effluent, whatever the category
    wastewater_name: bool  # the name alone says effluent
    treated: bool
    drinking: bool


@lru_cache(maxsize=400_000, typed=True)
def _features(kb: KnowledgeBase, name: str, quality: str, code: str, category: Category) -> _Features:
    # Streams are mutable records, so this is keyed by the values it reads, never by the object:
    # an edited stream simply gets other features, and a re-run reuses everything else.
    stems = frozenset(t for t in tokens(name) if t not in STOPWORDS and len(t) > 1)
    classes = stream_classes(kb, name, code) if category in CODED_CATEGORIES else ()
    text = f"{name} {quality}".lower()
    wastewater_text = bool(_WASTEWATER.search(text))
    return _Features(
        stems=stems,
        classes=classes,
        group=_group(category),
        served=_served_groups(category),
        wastewater=category is Category.WATER and wastewater_text,
        wastewater_text=wastewater_text,
        wastewater_name=bool(_WASTEWATER.search(name.lower())),
        treated=bool(_TREATED.search(text)),
        drinking=bool(_DRINKING.search(text)),
    )


@dataclass(slots=True)
class Prepared:
    stream: Stream
    kb: KnowledgeBase
    f: _Features

    @property
    def stems(self) -> frozenset[str]:
        return self.f.stems

    @property
    def classes(self) -> tuple[str, ...]:
        return self.f.classes

    @property
    def name_classes(self) -> frozenset[str]:
        """By name only, to veto code-prefix coincidences; computed only when asked."""
        return _name_classes(self.kb, self.stream.name)


@lru_cache(maxsize=200_000)
def _name_classes(kb: KnowledgeBase, name: str) -> frozenset[str]:
    return frozenset(stream_classes(kb, name))


def prepare(stream: Stream, kb: KnowledgeBase) -> Prepared:
    return Prepared(stream, kb, _features(kb, stream.name, stream.quality, stream.code, stream.category))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _blocked(o: Prepared, n: Prepared) -> Reason | None:
    """Why the offer physically or by declaration cannot meet the need, if it cannot."""
    offer, need = o.stream, n.stream
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
    is_wastewater = o.f.wastewater
    if need.category is Category.WATER:
        if n.f.drinking and is_wastewater:
            return (N_("Wastewater cannot meet a drinking-water need"), {})
        if is_wastewater and not o.f.treated and not n.f.wastewater_text:
            # Untreated effluent is a load for a treatment plant, not usable water.
            return (N_("Untreated wastewater can only go to treatment"), {})
        if n.f.wastewater_name and offer.category is Category.WATER and not is_wastewater:
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


def _different_materials(o: Prepared, n: Prepared) -> bool:
    a, b = o.name_classes, n.name_classes
    return bool(a and b and not a & b)


def _evaluate(o: Prepared, n: Prepared, weights: Weights) -> PairEvidence | None:
    offer, need = o.stream, n.stream
    if _blocked(o, n) is not None:
        return None
    levels: list[MatchLevel] = []
    reasons: list[Reason] = []
    sim = jaccard(o.f.stems, n.f.stems)
    shared: tuple[str, ...] = ()
    if o.f.group == "materials" and n.f.group == "materials":
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
        o_classes, n_classes = o.f.classes, n.f.classes
        shared = tuple(c for c in o_classes if c in n_classes)
        if o_classes and o_classes[0] not in n_classes:
            shared = ()
        if shared:
            levels.append(MatchLevel.MATERIAL_CLASS)
            reasons.append((N_("Same material class: {classes}"), {"classes": ", ".join(shared)}))
        if sim >= weights.text_min_similarity:
            levels.append(MatchLevel.TEXT)
            reasons.append((N_("Similar names ({similarity:.0%} of words shared)"), {"similarity": sim}))
    elif n.f.group in o.f.served:
        if need.category in VARIED_CATEGORIES and sim < weights.category_min_similarity:
            return None
        levels.append(MatchLevel.CATEGORY)
        reasons.append((N_("Same kind of resource: {category}"), {"category": category_msg(need.category)}))
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
    rank = level_rank(weights)
    return PairEvidence(
        offer_id=offer.id,
        need_id=need.id,
        offer_resident_id=offer.resident_id,
        need_resident_id=need.resident_id,
        level=levels[0] if len(levels) == 1 else max(levels, key=rank.__getitem__),
        levels=tuple(sorted(levels, key=_LEVEL_POSITION.__getitem__)),
        similarity=round(sim, 6),
        shared_classes=shared,
        reasons=reasons,
    )


_LEVEL_POSITION = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
_RANKS: dict[int, tuple[Weights, dict[MatchLevel, tuple[float, int]]]] = {}


def level_rank(weights: Weights) -> dict[MatchLevel, tuple[float, int]]:
    """Strongest evidence first: by material fit, ties by ``LEVEL_ORDER``; computed once per weights."""
    cached = _RANKS.get(id(weights))
    if cached is None or cached[0] is not weights:
        fit = weights.material_fit_by_level
        cached = (weights, {lv: (fit.get(lv.value, 0.0), -i) for i, lv in enumerate(LEVEL_ORDER)})
        _RANKS.clear()  # one set of weights per run; never grows
        _RANKS[id(weights)] = cached
    return cached[1]


@cache
def category_msg(category: Category) -> Msg:
    return Msg(label(category))


def _active(stream: Stream, residents_by_id: Mapping[str, Resident]) -> bool:
    r = residents_by_id.get(stream.resident_id)
    return r is None or r.status is not ResidentStatus.LEFT


def live(streams: Iterable[Stream], residents_by_id: Mapping[str, Resident]) -> list[Stream]:
    return [s for s in streams if not s.meta.deleted and _active(s, residents_by_id)]


def _prefix(stems: frozenset[str], rarity: Mapping[str, int], threshold: float) -> list[str]:
    """The words of a name that any name at least ``threshold`` similar must share one of.

    Prefix filtering for set-similarity joins: with the words of every name in
    one global order (rarest first), two sets with Jaccard ≥ t share at least
    ⌈t·|A|⌉ words, hence one of the first |A| − ⌈t·|A|⌉ + 1 of each. Indexing
    only those finds every similar pair without comparing the common words
    («отходы», «вода») of thousands of names. The tolerance only lengthens
    the prefix, so rounding can never lose a pair.
    """
    ranked = sorted(stems, key=lambda t: (rarity.get(t, 0), t))
    overlap = max(1, math.ceil(threshold * len(ranked) - 1e-9))
    return ranked[: len(ranked) - overlap + 1]


class NeedIndex:
    """Needs by every key through which an offer could be linked to them.

    Each key stands for one way ``_evaluate`` can accept a pair: a code (exact,
    sub-chapter, chapter), the offer's first material class, a similar name
    (prefix filtering, see ``_prefix``), the category group, a temperature
    low enough. An offer is then evaluated only against the needs under its
    own keys; a test checks that this finds exactly the pairs an evaluation
    of every offer against every need finds.
    """

    def __init__(self, needs: list[Prepared], weights: Weights):
        self.needs = needs
        self.text_t = weights.text_min_similarity
        self.varied_t = weights.category_min_similarity
        self.rarity = Counter(t for n in needs for t in n.f.stems)
        self.keys: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.hot: dict[str, tuple[list[float], list[int]]] = {}
        hot: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for i, n in enumerate(needs):
            s, f = n.stream, n.f
            if f.group == "materials":
                if self.text_t <= 0:
                    self.keys[("materials",)].append(i)  # every name is «similar enough»
                    continue
                if s.code:
                    self.keys[("code", s.code)].append(i)
                    if len(s.code) == 6:
                        self.keys[("code4", s.code[:4])].append(i)
                        self.keys[("code2", s.code[:2])].append(i)
                for c in f.classes:
                    self.keys[("class", c)].append(i)
                for t in _prefix(f.stems, self.rarity, self.text_t):
                    self.keys[("stem", t)].append(i)
            elif s.category in VARIED_CATEGORIES and self.varied_t > 0:
                for t in _prefix(f.stems, self.rarity, self.varied_t):
                    self.keys[("varied", f.group, t)].append(i)
            elif s.category in (Category.HEAT, Category.STEAM) and s.temperature_c is not None:
                hot[f.group].append((s.temperature_c, i))
            else:
                self.keys[("group", f.group)].append(i)
        for group, items in hot.items():
            items.sort()
            self.hot[group] = ([t for t, _ in items], [i for _, i in items])

    def offer_keys(self, o: Prepared) -> tuple[list[tuple[str, ...]], list[str]]:
        """The keys under which needs the offer could meet are filed, and the groups of hot needs
        whose temperature it must reach (``hot``, searched by temperature)."""
        s, f = o.stream, o.f
        if f.group == "materials":
            if self.text_t <= 0:
                return [("materials",)], []
            keys: list[tuple[str, ...]] = []
            if s.code:
                keys.append(("code", s.code))
                if len(s.code) == 6:
                    keys += [("code4", s.code[:4]), ("code2", s.code[:2])]
            if f.classes:
                keys.append(("class", f.classes[0]))
            keys += [("stem", t) for t in _prefix(f.stems, self.rarity, self.text_t)]
            return keys, []
        keys = []
        hot = []
        varied_prefix = _prefix(f.stems, self.rarity, self.varied_t) if self.varied_t > 0 else []
        for group in f.served:
            keys.append(("group", group))
            if group in self.hot and s.temperature_c is not None:
                hot.append(group)
            keys += [("varied", group, t) for t in varied_prefix]
        return keys, hot

    def candidates(self, o: Prepared) -> set[int]:
        keys, hot = self.offer_keys(o)
        found: set[int] = set()
        for key in keys:
            found.update(self.keys.get(key, ()))
        for group in hot:
            temps, ids = self.hot[group]
            found.update(ids[: bisect_right(temps, o.stream.temperature_c)])  # type: ignore[arg-type]
        return found

    def pairs(
        self, o: Prepared, weights: Weights, residents_by_id: Mapping[str, Resident]
    ) -> Iterable[PairEvidence]:
        resident = o.stream.resident_id
        for i in self.candidates(o):
            n = self.needs[i]
            if n.stream.resident_id == resident:
                continue
            evidence = _evaluate(o, n, weights)
            if evidence is not None and in_reach(o.stream, n.stream, residents_by_id, weights):
                yield evidence


def in_reach(offer: Stream, need: Stream, residents_by_id: Mapping[str, Resident], weights: Weights) -> bool:
    """Whether the two sites are near enough for the offer's kind of resource (unknown: yes).

    Beyond the category's ``max_distance_km`` the weights file itself says the
    exchange is no longer worth it (heat does not travel 20 km by pipe), so
    such pairs are not proposed; within it, distance is scored.
    """
    km = resident_distance_km(residents_by_id.get(offer.resident_id), residents_by_id.get(need.resident_id))
    return not beyond_reach(km, offer.category, weights)


def iter_candidate_pairs(
    offers: Iterable[Stream],
    needs: Iterable[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights | None = None,
    touching: Collection[str] | None = None,
) -> Iterator[PairEvidence]:
    """The pairs of ``candidate_pairs`` one offer at a time, in the same order, never all in memory.

    Part of the pair-by-pair definition that ``screen.py`` is tested against;
    the app itself screens pairs on arrays.
    """
    weights = weights or default_weights()
    live_offers = sorted((prepare(s, kb) for s in live(offers, residents_by_id)), key=lambda o: o.stream.id)
    live_needs = [prepare(s, kb) for s in live(needs, residents_by_id)]
    ids = None if touching is None else set(touching)
    full = touched = None
    if ids is None or any(o.stream.id in ids for o in live_offers):
        full = NeedIndex(live_needs, weights)
    if ids is not None:
        touched = NeedIndex([n for n in live_needs if n.stream.id in ids], weights)
    for o in live_offers:
        # An edited offer meets every need; any other offer only the edited needs.
        index = full if ids is None or o.stream.id in ids else touched
        if index is None or not index.needs:
            continue
        found = list(index.pairs(o, weights, residents_by_id))
        found.sort(key=lambda p: p.need_id)
        yield from found


def candidate_pairs(
    offers: Iterable[Stream],
    needs: Iterable[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights | None = None,
    touching: Collection[str] | None = None,
) -> list[PairEvidence]:
    """Every offer → need pair of different residents linked by some evidence and within reach, sorted by ids.

    Needs are indexed by every way a pair can match (``NeedIndex``), so each
    offer is compared only with needs that could accept it instead of with all
    of them. With ``touching`` (the ids of the streams a questionnaire edit
    changed), only the pairs whose offer or need is one of them are returned —
    exactly those of a full run — without evaluating any other pair, so a
    re-run after one edit costs little more than preparing the streams.
    """
    pairs = list(iter_candidate_pairs(offers, needs, residents_by_id, kb, weights, touching))
    pairs.sort(key=lambda p: (p.offer_id, p.need_id))  # already in order unless ids repeat
    return pairs


def all_pairs_reference(
    offers: Iterable[Stream],
    needs: Iterable[Stream],
    residents_by_id: Mapping[str, Resident],
    kb: KnowledgeBase,
    weights: Weights | None = None,
) -> list[PairEvidence]:
    """The same pairs as ``candidate_pairs`` found the naive way: every offer against every need.

    Quadratic, for tests and benchmarks only: it is the yardstick that shows
    the index in ``candidate_pairs`` never loses a pair.
    """
    weights = weights or default_weights()
    live_needs = [prepare(s, kb) for s in live(needs, residents_by_id)]
    pairs: list[PairEvidence] = []
    for offer in live(offers, residents_by_id):
        o = prepare(offer, kb)
        for n in live_needs:
            if n.stream.resident_id == offer.resident_id or not in_reach(offer, n.stream, residents_by_id, weights):
                continue
            if (evidence := _evaluate(o, n, weights)) is not None:
                pairs.append(evidence)
    pairs.sort(key=lambda p: (p.offer_id, p.need_id))
    return pairs


def evidence_by_key(pairs: Sequence[PairEvidence]) -> dict[tuple[str, str], PairEvidence]:
    return {p.key: p for p in pairs}
